import type { Micros } from '../../../sim/time';
import type { Dest } from '../dest';
import type { Scheduler } from '../scheduler';
import type { Service } from '../service';
import { localityOverloaded } from './lblc';
import { collected, LOCALITY_EXPIRATION } from './locality-gc';
import { weightedLeast } from './weighted-least';

interface Entry {
  /** Most recently inserted first, as list_add_rcu does. */
  set: Dest[];
  lastMod: Micros;
  lastUse: Micros;
}

/**
 * Locality-based least connection with replication (ip_vs_lblcr.c): each destination address maps to a
 * set of dests; the least loaded available one serves unless "overloaded", in which case wlc over the
 * whole service picks one and it joins the set. A set of more than one that has not changed for
 * lblcr_expiration loses its most loaded member.
 */
export function createLblcr(_svc: Service, created: Micros): Scheduler {
  const cache = new Map<number, Entry>();
  return {
    name: 'lblcr',
    schedule(svc, pkt, now) {
      let en = cache.get(pkt.daddr);
      if (en && collected(created, en.lastUse, now)) {
        cache.delete(pkt.daddr);
        en = undefined;
      }
      if (en) {
        en.lastUse = now;
        const dest = setMin(en.set);
        if (en.set.length > 1 && now > en.lastMod + LOCALITY_EXPIRATION) {
          const m = setMax(en.set);
          if (m) {
            en.set.splice(en.set.indexOf(m), 1);
            en.lastMod = now;
          }
        }
        if (dest && !localityOverloaded(dest, svc)) return dest;
        const fresh = weightedLeast(svc.dests, (d) => d.overhead);
        if (!fresh) return undefined;
        if (!en.set.includes(fresh)) {
          en.set.unshift(fresh);
          en.lastMod = now;
        }
        return fresh;
      }
      const dest = weightedLeast(svc.dests, (d) => d.overhead);
      if (!dest) return undefined;
      cache.set(pkt.daddr, { set: [dest], lastMod: now, lastUse: now });
      return dest;
    },
  };
}

/** Weighted least loaded available member (ip_vs_dest_set_min). */
function setMin(set: readonly Dest[]): Dest | undefined {
  let i = 0;
  let least: Dest | undefined;
  for (; i < set.length; i++) {
    const d = set[i]!;
    if (d.overload) continue;
    if (d.weight > 0 && d.available) {
      least = d;
      break;
    }
  }
  if (!least) return undefined;
  let loh = least.overhead;
  for (i++; i < set.length; i++) {
    const d = set[i]!;
    if (d.overload) continue;
    const doh = d.overhead;
    if (loh * d.weight > doh * least.weight && d.available) {
      least = d;
      loh = doh;
    }
  }
  return least;
}

/** Weighted most loaded member with weight > 0 (ip_vs_dest_set_max). */
function setMax(set: readonly Dest[]): Dest | undefined {
  let i = 0;
  let most: Dest | undefined;
  for (; i < set.length; i++) {
    if (set[i]!.weight > 0) {
      most = set[i]!;
      break;
    }
  }
  if (!most) return undefined;
  let moh = most.overhead;
  for (i++; i < set.length; i++) {
    const d = set[i]!;
    const doh = d.overhead;
    if (moh * d.weight < doh * most.weight && d.weight > 0) {
      most = d;
      moh = doh;
    }
  }
  return most;
}
