import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/sim/time';
import { MH_TAB_SIZE, populate } from '../../../src/kernel/ipvs/schedulers/mh';
import { hsiphashU32, sipHash } from '../../../src/kernel/ipvs/schedulers/hsiphash';
import { last, openMany, setup, SVC } from './helpers';

describe('siphash', () => {
  it('matches the SipHash-2-4 test vector of the paper', () => {
    const msg = Uint8Array.from({ length: 15 }, (_, i) => i);
    expect(sipHash(0x0706050403020100n, 0x0f0e0d0c0b0a0908n, msg, 2, 4)).toBe(0xa129ca6149be45e5n);
  });

  it('hsiphash of a u32 is deterministic and 32-bit', () => {
    const h = hsiphashU32(0xc0a80115, 2654435761n, 2654435761n);
    expect(h).toBe(hsiphashU32(0xc0a80115, 2654435761n, 2654435761n));
    expect(h).toBeGreaterThanOrEqual(0);
    expect(h).toBeLessThan(2 ** 32);
  });
});

describe('mh', () => {
  it('fills all 4093 slots in proportion to the weights', () => {
    const ipvs = setup('mh', [['192.168.1.21', 1], ['192.168.1.22', 3]]);
    const table = populate(ipvs.getService(SVC)!);
    expect(table).toHaveLength(MH_TAB_SIZE);
    const counts = new Map<string, number>();
    for (const d of table) counts.set(d!.addr, (counts.get(d!.addr) ?? 0) + 1);
    // Turns 1 and 3 per round: the 4093 slots split 1023 / 3070 (the last round stops mid-way).
    expect(counts.get('192.168.1.21')).toBe(1023);
    expect(counts.get('192.168.1.22')).toBe(3070);
  });

  it('sends a client to the same server every time', () => {
    const ipvs = setup('mh', [['192.168.1.21', 1], ['192.168.1.22', 1], ['192.168.1.23', 1]]);
    const first = openMany(ipvs, 5, { client: () => '172.16.0.9' });
    expect(new Set(first).size).toBe(1);
  });

  it('keeps a quiesced server in the table: its clients get no dest unless mh-fallback', () => {
    const ipvs = setup('mh', [['192.168.1.21', 1], ['192.168.1.22', 1]]);
    const clients = Array.from({ length: 40 }, (_, i) => `172.16.1.${i + 1}`);
    const before = openMany(ipvs, clients.length, { client: (i) => clients[i]! });
    ipvs.editDest(SVC, { addr: '192.168.1.21', port: 80, weight: 0, fwd: 'masq' }, SECOND);
    expect(new Set(before)).toEqual(new Set(['192.168.1.21', '192.168.1.22']));
    const after = openMany(ipvs, clients.length, { client: (i) => clients[i]! });
    for (let i = 0; i < clients.length; i++) {
      expect(after[i]).toBe(before[i] === '192.168.1.21' ? 'unreachable' : '192.168.1.22');
    }
    const fb = setup('mh', [['192.168.1.21', 1], ['192.168.1.22', 1]], { schedFlags: { sched1: true } });
    fb.editDest(SVC, { addr: '192.168.1.21', port: 80, weight: 0, fwd: 'masq' }, SECOND);
    expect(new Set(last(openMany(fb, clients.length, { client: (i) => clients[i]! })))).toEqual(new Set(['22']));
  });

  it('gives a dest added at weight 0 no slots at all', () => {
    const ipvs = setup('mh', [['192.168.1.21', 0], ['192.168.1.22', 1]]);
    expect(new Set(populate(ipvs.getService(SVC)!).map((d) => d!.addr))).toEqual(new Set(['192.168.1.22']));
  });
});
