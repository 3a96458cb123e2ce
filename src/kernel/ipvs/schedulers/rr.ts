import type { Dest } from '../dest';
import { usable, type Scheduler } from '../scheduler';
import type { Service } from '../service';

/**
 * Round robin (ip_vs_rr.c). The cursor is the last chosen dest (undefined = the list head); a pick walks
 * forward cyclically from the one after it and ends, at the latest, on the cursor itself. Adding a dest
 * leaves the cursor alone; deleting the cursor's dest moves it to that dest's predecessor.
 */
export function createRr(): Scheduler {
  let cursor: Dest | undefined;
  return {
    name: 'rr',
    schedule(svc: Service) {
      const list = svc.dests;
      const n = list.length;
      const start = cursor ? list.indexOf(cursor) : -1;
      for (let k = 1; k <= n; k++) {
        const d = list[(start + k + n) % n]!;
        if (usable(d)) {
          cursor = d;
          return d;
        }
      }
      return undefined;
    },
    delDest(svc, dest, index) {
      if (cursor === dest) cursor = index > 0 ? svc.dests[index - 1] : undefined;
    },
  };
}
