import { gcd } from '../addr';
import type { Dest } from '../dest';
import type { Scheduler } from '../scheduler';
import type { Service } from '../service';
import { hsiphashU32 } from './hsiphash';

/** CONFIG_IP_VS_MH_TAB_INDEX 12 → the prime 4093; MH_TAB_BITS = 12/2 bounds the turns per round. */
export const MH_TAB_SIZE = 4093;
const MH_TAB_BITS = 6;
const HASH1 = 2654435761n;
const HASH2 = 2654446892n;

/**
 * Maglev hashing (ip_vs_mh.c). Each dest's preference list comes from hsiphash of its address+port with
 * fixed keys (offset with key 1, skip with key 2); the 4093-slot table is filled round by round, each dest
 * taking `turns` slots per round, from its last non-zero weight scaled by the gcd and a shift that keeps
 * turns within 6 bits. A lookup hashes the source address (plus port with mh-port) with key 1. A dest set
 * to weight 0 keeps its slots: lookups landing there get no dest unless mh-fallback.
 */
export function createMh(svc: Service): Scheduler {
  let table = populate(svc);
  const rebuild = (s: Service): void => {
    table = populate(s);
  };
  return {
    name: 'mh',
    schedule(s, pkt) {
      const port = s.schedFlags.sched2 ? pkt.sport : 0;
      const ihash = hashKey(pkt.saddr, port, HASH1, 0) % MH_TAB_SIZE;
      const first = table[ihash];
      if (!first) return undefined;
      if (!unavailable(first)) return first;
      if (!s.schedFlags.sched1) return undefined;
      for (let offset = 0; offset < MH_TAB_SIZE; offset++) {
        const roffset = (offset + ihash) % MH_TAB_SIZE;
        const d = table[hashKey(pkt.saddr, port, HASH1, roffset) % MH_TAB_SIZE];
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

function hashKey(addr: number, port: number, key: bigint, offset: number): number {
  return hsiphashU32((offset + port + addr) >>> 0, key, key);
}

function unavailable(d: Dest): boolean {
  return d.weight <= 0 || d.overload;
}

/** The lookup table: slot → dest (undefined where no dest has weight, or no dests at all). */
export function populate(svc: Service): (Dest | undefined)[] {
  const table: (Dest | undefined)[] = new Array(MH_TAB_SIZE).fill(undefined);
  const list = svc.dests;
  let g = 0;
  let maxW = 0;
  for (const d of list) {
    if (d.lastWeight > 0) g = g > 0 ? gcd(d.lastWeight, g) : d.lastWeight;
    if (d.lastWeight > maxW) maxW = d.lastWeight;
  }
  if (g < 1) return table;
  const shift = Math.max(0, bitLength(Math.trunc(maxW / g)) - MH_TAB_BITS);
  const setup = list.map((d) => {
    const offset = hashKey(d.addrN, d.port, HASH1, 0) % MH_TAB_SIZE;
    const skip = (hashKey(d.addrN, d.port, HASH2, 0) % (MH_TAB_SIZE - 1)) + 1;
    const turns = Math.trunc(d.lastWeight / g) >> shift || (d.lastWeight !== 0 ? 1 : 0);
    return { perm: offset, skip, turns };
  });
  const taken = new Uint8Array(MH_TAB_SIZE);
  let n = 0;
  for (;;) {
    let dtCount = 0;
    for (let i = 0; i < list.length; ) {
      const ds = setup[i]!;
      if (ds.turns < 1) {
        i++;
        continue;
      }
      while (taken[ds.perm]) {
        ds.perm += ds.skip;
        if (ds.perm >= MH_TAB_SIZE) ds.perm -= MH_TAB_SIZE;
      }
      taken[ds.perm] = 1;
      table[ds.perm] = list[i];
      if (++n === MH_TAB_SIZE) return table;
      if (++dtCount >= ds.turns) {
        dtCount = 0;
        i++;
      }
    }
  }
}

/** fls(): position of the highest set bit, 1-based; 0 for 0. */
function bitLength(x: number): number {
  return x === 0 ? 0 : 32 - Math.clz32(x);
}
