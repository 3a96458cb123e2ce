import type { Dest } from '../dest';
import type { Scheduler } from '../scheduler';
import type { Service } from '../service';
import { hash32 } from './hash32';

const TAB_SIZE = 256;

/**
 * Source hashing (ip_vs_sh.c): 256 buckets filled by walking the dest list cyclically, each dest taking
 * `weight` consecutive buckets (a weight-0 dest still takes one). Bucket = hash_32(saddr [+ sport with
 * sh-port], 8). An unavailable bucket dest means no dest, unless sh-fallback walks the table from
 * there. The table is rebuilt on every dest add/delete/edit.
 */
export function createSh(svc: Service): Scheduler {
  let buckets = assign(svc);
  const rebuild = (s: Service): void => {
    buckets = assign(s);
  };
  return {
    name: 'sh',
    schedule(s, pkt) {
      const port = s.schedFlags.sched2 ? pkt.sport : 0;
      const key = port + pkt.saddr;
      const ihash = hashKey(key, 0);
      const first = buckets[ihash];
      if (!first) return undefined;
      if (!unavailable(first)) return first;
      if (!s.schedFlags.sched1) return undefined;
      for (let offset = 0; offset < TAB_SIZE; offset++) {
        const roffset = (offset + ihash) % TAB_SIZE;
        const d = buckets[hashKey(key, roffset)];
        if (!d) break;
        if (!unavailable(d)) return d;
      }
      return undefined;
    },
    addDest: rebuild,
    delDest: rebuild,
    updDest: rebuild,
  };
}

function hashKey(key: number, offset: number): number {
  return (offset + hash32(key, 8)) & (TAB_SIZE - 1);
}

function unavailable(d: Dest): boolean {
  return d.weight <= 0 || d.overload;
}

function assign(svc: Service): (Dest | undefined)[] {
  const table: (Dest | undefined)[] = new Array(TAB_SIZE).fill(undefined);
  const list = svc.dests;
  if (list.length === 0) return table;
  let p = 0;
  let count = 0;
  for (let i = 0; i < TAB_SIZE; i++) {
    const d = list[p]!;
    table[i] = d;
    if (++count >= d.weight) {
      p = (p + 1) % list.length;
      count = 0;
    }
  }
  return table;
}
