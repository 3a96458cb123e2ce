import type { Dest } from '../dest';
import type { Scheduler } from '../scheduler';

/**
 * Overflow (ip_vs_ovf.c): the highest-weight dest whose active connections do not exceed its weight;
 * once it has more, new connections overflow to the next highest. First in list wins ties.
 */
export function createOvf(): Scheduler {
  return {
    name: 'ovf',
    schedule(svc) {
      let best: Dest | undefined;
      let hw = 0;
      for (const d of svc.dests) {
        const w = d.weight;
        if (d.overload || d.activeConns > w || w === 0) continue;
        if (!best || w > hw) {
          best = d;
          hw = w;
        }
      }
      return best;
    },
  };
}
