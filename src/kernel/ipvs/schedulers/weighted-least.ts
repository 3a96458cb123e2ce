import type { Dest } from '../dest';
import { usable } from '../scheduler';

/**
 * The loop shared by wlc, sed and the fallback of lblc/lblcr: the first usable dest is the candidate, a
 * later one replaces it only when strictly less loaded per weight (cross-multiplied, no division). Later
 * weight-0 dests are not skipped explicitly but can never win (their side of the comparison is 0).
 */
export function weightedLeast(dests: readonly Dest[], load: (d: Dest) => number): Dest | undefined {
  let i = 0;
  let least: Dest | undefined;
  for (; i < dests.length; i++) {
    if (usable(dests[i]!)) {
      least = dests[i]!;
      break;
    }
  }
  if (!least) return undefined;
  let loh = load(least);
  for (i++; i < dests.length; i++) {
    const d = dests[i]!;
    if (d.overload) continue;
    const doh = load(d);
    if (loh * d.weight > doh * least.weight) {
      least = d;
      loh = doh;
    }
  }
  return least;
}
