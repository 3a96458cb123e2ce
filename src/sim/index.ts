export * from './time';
export * from './event-queue';
export * from './simulator';
export * from './rng';
export * from './trace';
