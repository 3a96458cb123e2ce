import type { Dest } from '../dest';
import { usable, type Scheduler } from '../scheduler';

/** Never queue (ip_vs_nq.c): the first usable dest with no active connection, else the sed choice. */
export function createNq(): Scheduler {
  return {
    name: 'nq',
    schedule(svc) {
      let least: Dest | undefined;
      let loh = 0;
      for (const d of svc.dests) {
        if (!usable(d)) continue;
        const doh = d.activeConns + 1;
        if (d.activeConns === 0) return d;
        if (!least || loh * d.weight > doh * least.weight) {
          least = d;
          loh = doh;
        }
      }
      return least;
    },
  };
}
