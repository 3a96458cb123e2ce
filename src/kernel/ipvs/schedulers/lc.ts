import type { Dest } from '../dest';
import { usable, type Scheduler } from '../scheduler';

/** Least connection (ip_vs_lc.c): smallest active*256+inactive; strict `<`, so the earlier dest wins a tie. */
export function createLc(): Scheduler {
  return {
    name: 'lc',
    schedule(svc) {
      let least: Dest | undefined;
      for (const d of svc.dests) {
        if (!usable(d)) continue;
        if (!least || d.overhead < least.overhead) least = d;
      }
      return least;
    },
  };
}
