export * from './actions';
export * from './inputs';
export * from './params';
export * from './script';
export * from './state';
export * from './timers';
export { vrrpStep, type VrrpStep } from './scheduler';
export { vrrpCompleteTracking } from './complete-tracking';
export { inetNtoa } from './inet';
