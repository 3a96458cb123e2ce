import type { Micros } from '../../../sim/time';
import type { Dest } from '../dest';
import type { Scheduler } from '../scheduler';
import type { Service } from '../service';
import { collected } from './locality-gc';
import { weightedLeast } from './weighted-least';

interface Entry {
  dest: Dest;
  lastUse: Micros;
}

/**
 * Locality-based least connection (ip_vs_lblc.c): a cache from the packet's destination address to a
 * dest. The cached dest is kept while it is available, has weight > 0 and is not "overloaded" (more
 * active connections than its weight while some dest has active*2 < weight); otherwise wlc picks a new
 * one and the entry is replaced.
 */
export function createLblc(_svc: Service, created: Micros): Scheduler {
  const cache = new Map<number, Entry>();
  return {
    name: 'lblc',
    schedule(svc, pkt, now) {
      let en = cache.get(pkt.daddr);
      if (en && collected(created, en.lastUse, now)) {
        cache.delete(pkt.daddr);
        en = undefined;
      }
      if (en) {
        en.lastUse = now;
        const d = en.dest;
        if (d.available && d.weight > 0 && !localityOverloaded(d, svc)) return d;
      }
      const dest = weightedLeast(svc.dests, (d) => d.overhead);
      if (!dest) return undefined;
      if (!en || en.dest !== dest) cache.set(pkt.daddr, { dest, lastUse: now });
      return dest;
    },
  };
}

export function localityOverloaded(dest: Dest, svc: Service): boolean {
  if (dest.activeConns <= dest.weight) return false;
  return svc.dests.some((d) => d.activeConns * 2 < d.weight);
}
