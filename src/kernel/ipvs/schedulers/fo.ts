import type { Dest } from '../dest';
import type { Scheduler } from '../scheduler';

/** Weighted failover (ip_vs_fo.c): the highest weight takes every new connection; first in list wins ties. */
export function createFo(): Scheduler {
  return {
    name: 'fo',
    schedule(svc) {
      let best: Dest | undefined;
      let hw = 0;
      for (const d of svc.dests) {
        if (!d.overload && d.weight > hw) {
          best = d;
          hw = d.weight;
        }
      }
      return best;
    },
  };
}
