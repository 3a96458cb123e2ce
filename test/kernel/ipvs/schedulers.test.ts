import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/sim/time';
import { last, openMany, setup, SVC, tcp } from './helpers';

const A = '192.168.1.21';
const B = '192.168.1.22';
const C = '192.168.1.23';

describe('rr', () => {
  it('walks the list from its head, which is the most recently added dest', () => {
    const ipvs = setup('rr', [[A, 1], [B, 1], [C, 1]]);
    expect(last(openMany(ipvs, 6))).toEqual(['23', '22', '21', '23', '22', '21']);
  });

  it('skips quiesced dests and answers unreachable when none is left', () => {
    const ipvs = setup('rr', [[A, 1], [B, 0]]);
    expect(last(openMany(ipvs, 3))).toEqual(['21', '21', '21']);
    ipvs.editDest(SVC, { addr: A, port: 80, weight: 0, fwd: 'masq' }, SECOND);
    expect(openMany(ipvs, 1)).toEqual(['unreachable']);
  });

  it('continues after the deleted dest when the cursor was on it', () => {
    const ipvs = setup('rr', [[A, 1], [B, 1], [C, 1]]);
    expect(last(openMany(ipvs, 2))).toEqual(['23', '22']);
    ipvs.deleteDest(SVC, B, 80, SECOND);
    expect(last(openMany(ipvs, 3))).toEqual(['21', '23', '21']);
  });
});

describe('wrr', () => {
  it('interleaves by weight; dests added one by one leave cw at 1 for the first round', () => {
    // The service starts empty (mw = cw = 0); the first add sets cw = mw = 1 and later adds keep it, so
    // the first round takes every dest once (list order C, B, A), then full rounds A B A C B A follow.
    const ipvs = setup('wrr', [[A, 3], [B, 2], [C, 1]]);
    expect(last(openMany(ipvs, 15))).toEqual(
      ['23', '22', '21', '21', '22', '21', '23', '22', '21', '21', '22', '21', '23', '22', '21'],
    );
  });

  it('steps by the gcd of the weights', () => {
    // A(4), B(2): di = 2, mw = 3; the first round runs at cw = 1 (list B, A), then cw = 3: A; cw = 1: B A.
    const ipvs = setup('wrr', [[A, 4], [B, 2]]);
    expect(last(openMany(ipvs, 6))).toEqual(['22', '21', '21', '22', '21', '21']);
  });

  it('restarts from the list head after a weight edit', () => {
    const ipvs = setup('wrr', [[A, 1], [B, 1]]);
    expect(last(openMany(ipvs, 1))).toEqual(['22']);
    ipvs.editDest(SVC, { addr: B, port: 80, weight: 1, fwd: 'masq' }, SECOND);
    expect(last(openMany(ipvs, 3))).toEqual(['22', '21', '22']);
  });

  it('has no dest when every weight is 0', () => {
    const ipvs = setup('wrr', [[A, 0], [B, 0]]);
    expect(openMany(ipvs, 1)).toEqual(['unreachable']);
  });
});

describe('lc / wlc / sed / nq', () => {
  it('lc: least active*256+inactive, first in list wins ties', () => {
    const ipvs = setup('lc', [[A, 1], [B, 5]]);
    // Weights are ignored (only 0/non-0): strictly alternating from the head.
    expect(last(openMany(ipvs, 4))).toEqual(['22', '21', '22', '21']);
  });

  it('wlc: load per weight', () => {
    const ipvs = setup('wlc', [[A, 1], [B, 3]]);
    expect(last(openMany(ipvs, 8))).toEqual(['22', '21', '22', '22', '22', '21', '22', '22']);
  });

  it('sed: (active+1)/weight', () => {
    // B wins while (B.active+1)*1 <= 1*3, i.e. up to 3 active; then A gets one, and so on.
    const ipvs = setup('sed', [[A, 1], [B, 3]]);
    expect(last(openMany(ipvs, 8))).toEqual(['22', '22', '22', '21', '22', '22', '22', '21']);
  });

  it('nq: an idle server first, then sed', () => {
    const ipvs = setup('nq', [[A, 1], [B, 3]]);
    expect(last(openMany(ipvs, 6))).toEqual(['22', '21', '22', '22', '22', '22']);
  });

  it('wlc counts inactive connections 1/256 of an active one', () => {
    const ipvs = setup('wlc', [[A, 1], [B, 1]]);
    // First conn goes to B (head); reset it so it is inactive: B has load 1, A 0.
    expect(last(openMany(ipvs, 1))).toEqual(['22']);
    ipvs.inbound(tcp('172.16.0.1', 10000, { rst: true }), SECOND);
    expect(last(openMany(ipvs, 3, { client: () => '172.16.0.2' }))).toEqual(['21', '22', '21']);
  });
});

describe('fo / ovf', () => {
  it('fo: every connection to the highest weight, first in list on a tie', () => {
    const ipvs = setup('fo', [[A, 5], [B, 5], [C, 1]]);
    expect(last(openMany(ipvs, 3))).toEqual(['22', '22', '22']);
  });

  it('ovf: overflows once active connections exceed the weight', () => {
    const ipvs = setup('ovf', [[A, 2], [B, 1]]);
    expect(last(openMany(ipvs, 6))).toEqual(['21', '21', '21', '22', '22', 'unreachable']);
  });
});

describe('sh / dh', () => {
  it('sh: bucket = hash_32(saddr, 8), buckets filled by weight in list order', () => {
    // List B(1), A(1): even buckets → B, odd → A. hash_32 of 172.16.0.1..4 = 122, 220, 61, 159.
    const ipvs = setup('sh', [[A, 1], [B, 1]]);
    const got = openMany(ipvs, 4, { client: (i) => `172.16.0.${i + 1}` });
    expect(last(got)).toEqual(['22', '22', '21', '21']);
  });

  it('sh: an unavailable bucket has no dest unless sh-fallback', () => {
    // 172.16.0.1 hashes to bucket 122 (even) → list[0], the weight-0 B.
    const ipvs = setup('sh', [[A, 1], [B, 0]]);
    expect(openMany(ipvs, 1, { client: () => '172.16.0.1' })).toEqual(['unreachable']);
    const fb = setup('sh', [[A, 1], [B, 0]], { schedFlags: { sched1: true } });
    expect(last(openMany(fb, 1, { client: () => '172.16.0.1' }))).toEqual(['21']);
  });

  it('dh: one bucket per dest, keyed on the destination address', () => {
    const ipvs = setup('dh', [[A, 1], [B, 1]]);
    // hash_32(10.0.0.100, 8) = 248 (even) → list[0] = B, whoever the client.
    expect(last(openMany(ipvs, 3, { client: (i) => `172.16.0.${i + 1}` }))).toEqual(['22', '22', '22']);
  });
});

describe('lblc / lblcr', () => {
  it('lblc: sticks to the cached server until it is overloaded', () => {
    const ipvs = setup('lblc', [[A, 2], [B, 2]]);
    // All traffic to one VIP: B (wlc head) until B has more active than its weight while A has
    // active*2 < weight; then A is cached and keeps it while B is not less loaded.
    expect(last(openMany(ipvs, 6))).toEqual(['22', '22', '22', '21', '21', '21']);
  });

  it('lblcr: grows the set when the member is overloaded', () => {
    const ipvs = setup('lblcr', [[A, 2], [B, 2]]);
    // B until it has 3 active (> weight 2) while A is idle; A joins the set [A, B] and serves while it is
    // the set's least loaded; at A 4 / B 3 nobody has active*2 < weight, so B (now least) is not overloaded.
    expect(last(openMany(ipvs, 8))).toEqual(['22', '22', '22', '21', '21', '21', '21', '22']);
  });
});
