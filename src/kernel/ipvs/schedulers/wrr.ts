import { gcd } from '../addr';
import type { Dest } from '../dest';
import type { Scheduler } from '../scheduler';
import type { Service } from '../service';

/**
 * Weighted round robin (ip_vs_wrr.c). Passes over the list with a required weight `cw` that starts at the
 * max weight (less gcd-1) and steps down by the gcd of the weights; a dest is taken when its weight >= cw.
 * Any dest add/delete/edit sends the cursor back to the list head and re-derives gcd and max.
 */
export function createWrr(svc: Service): Scheduler {
  let cl: Dest | undefined;
  let di = gcdWeight(svc);
  let mw = maxWeight(svc) - (di - 1);
  let cw = mw;

  const changed = (s: Service): void => {
    cl = undefined;
    di = gcdWeight(s);
    mw = maxWeight(s) - (di - 1);
    if (cw > mw || cw === 0) cw = mw;
    else if (di > 1) cw = Math.trunc(cw / di) * di + 1;
  };

  return {
    name: 'wrr',
    schedule(s) {
      if (mw === 0) return undefined;
      const list = s.dests;
      const n = list.length;
      const lastIdx = cl ? list.indexOf(cl) : -1;
      const lastIsHead = lastIdx < 0;
      let stopIdx = -2;
      let lastPass = false;
      let restarted = false;
      let i = lastIdx;
      for (;;) {
        for (i = i + 1; i < n; i++) {
          const d = list[i]!;
          if (!d.overload && d.weight >= cw) {
            cl = d;
            return d;
          }
          if (i === stopIdx) {
            cl = d;
            return undefined;
          }
        }
        i = -1;
        cw -= di;
        if (cw <= 0) {
          cw = mw;
          if (lastPass || lastIsHead) {
            cl = undefined;
            return undefined;
          }
          restarted = true;
        }
        lastPass = cw <= di;
        if (lastPass && restarted && !lastIsHead) stopIdx = lastIdx;
      }
    },
    addDest: changed,
    delDest: changed,
    updDest: changed,
  };
}

function gcdWeight(svc: Service): number {
  let g = 0;
  for (const d of svc.dests) if (d.weight > 0) g = g > 0 ? gcd(d.weight, g) : d.weight;
  return g || 1;
}

function maxWeight(svc: Service): number {
  let w = 0;
  for (const d of svc.dests) if (d.weight > w) w = d.weight;
  return w;
}
