/**
 * keepalived 2.2.7's VRRP child as pure code. The daemon glue keeps one `VrrpProcessState` per host
 * (`vrrpInitialState(config)`), calls `vrrpStep(config, state, input, now)` for every packet, carrier change,
 * script exit and timer, keeps the returned state and performs the actions in order: at most one of the
 * `master_down` / `adver` timers per instance is armed, `arm_timer` replaces a pending timer of that name.
 * Run the config through `vrrpCompleteTracking` once before use. A reload (SIGHUP) is `reload_signal`, then
 * the glue cancels every timer, then `reload` with the new config, which the glue steps with from then on.
 */
export * from './actions';
export * from './inputs';
export * from './params';
export * from './script';
export * from './state';
export * from './timers';
export { vrrpStep, vrrpStepInPlace, type VrrpStep } from './scheduler';
export { vrrpCompleteTracking } from './complete-tracking';
export { inetNtoa } from './inet';
