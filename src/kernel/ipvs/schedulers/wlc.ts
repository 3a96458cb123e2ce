import type { Scheduler } from '../scheduler';
import { weightedLeast } from './weighted-least';

/** Weighted least connection (ip_vs_wlc.c), ipvsadm's default: least (active*256+inactive)/weight. */
export function createWlc(): Scheduler {
  return { name: 'wlc', schedule: (svc) => weightedLeast(svc.dests, (d) => d.overhead) };
}
