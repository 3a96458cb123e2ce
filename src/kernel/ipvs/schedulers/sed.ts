import type { Scheduler } from '../scheduler';
import { weightedLeast } from './weighted-least';

/** Shortest expected delay (ip_vs_sed.c): least (active+1)/weight; inactive connections do not count. */
export function createSed(): Scheduler {
  return { name: 'sed', schedule: (svc) => weightedLeast(svc.dests, (d) => d.activeConns + 1) };
}
