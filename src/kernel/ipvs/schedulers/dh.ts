import type { Dest } from '../dest';
import type { Scheduler } from '../scheduler';
import type { Service } from '../service';
import { hash32 } from './hash32';

const TAB_SIZE = 256;

/**
 * Destination hashing (ip_vs_dh.c): 256 buckets, one per dest in list order, cyclically (weights are not
 * used for filling). Bucket = hash_32(daddr, 8). An unavailable bucket dest means no dest.
 */
export function createDh(svc: Service): Scheduler {
  let buckets = assign(svc);
  const rebuild = (s: Service): void => {
    buckets = assign(s);
  };
  return {
    name: 'dh',
    schedule(_s, pkt) {
      const d = buckets[hash32(pkt.daddr, 8)];
      if (!d || !d.available || d.weight <= 0 || d.overload) return undefined;
      return d;
    },
    addDest: rebuild,
    delDest: rebuild,
    updDest: rebuild,
  };
}

function assign(svc: Service): (Dest | undefined)[] {
  const list = svc.dests;
  const table: (Dest | undefined)[] = new Array(TAB_SIZE).fill(undefined);
  if (list.length === 0) return table;
  for (let i = 0; i < TAB_SIZE; i++) table[i] = list[i % list.length];
  return table;
}
