import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/sim/time';
import { tcpNextState } from '../../../src/kernel/ipvs/tcp-state';
import { setup, SVC, tcp, VIP } from './helpers';

const CL = '172.16.0.1';
const RS = '192.168.1.21';

function dest(ipvs: ReturnType<typeof setup>) {
  return ipvs.getService(SVC)!.dests[0]!;
}

describe('TCP state machine', () => {
  it('follows the kernel table, RST over SYN over FIN over ACK', () => {
    expect(tcpNextState('NONE', 'input', { syn: true })).toBe('SYN_RECV');
    expect(tcpNextState('SYN_RECV', 'input', { ack: true })).toBe('ESTABLISHED');
    expect(tcpNextState('ESTABLISHED', 'input', { fin: true, ack: true })).toBe('CLOSE_WAIT');
    expect(tcpNextState('ESTABLISHED', 'input-only', { fin: true, ack: true })).toBe('FIN_WAIT');
    expect(tcpNextState('CLOSE_WAIT', 'output', { fin: true })).toBe('TIME_WAIT');
    expect(tcpNextState('ESTABLISHED', 'input', { syn: true, rst: true })).toBe('CLOSE');
    expect(tcpNextState('ESTABLISHED', 'output', {})).toBe('CLOSE');
  });
});

describe('NAT connection lifecycle', () => {
  it('counts SYN_RECV and ESTABLISHED as active, TIME_WAIT as inactive, and times out at 120 s', () => {
    const ipvs = setup('rr', [[RS, 1]]);
    const v = ipvs.inbound(tcp(CL, 40000, { syn: true }), 0);
    expect(v).toMatchObject({ kind: 'forward', fwd: 'masq', daddr: RS, dport: 80 });
    const cp = ipvs.conns.lookupIn('TCP', CL, 40000, VIP, 80)!;
    expect(cp.state).toBe('SYN_RECV');
    expect(cp.expires).toBe(60 * SECOND);
    expect([dest(ipvs).activeConns, dest(ipvs).inactConns]).toEqual([1, 0]);

    expect(ipvs.outbound(tcp(RS, 80, { syn: true, ack: true }, CL, 40000), SECOND)).toMatchObject({
      kind: 'snat',
      saddr: VIP,
      sport: 80,
    });
    expect(cp.state).toBe('SYN_RECV');
    ipvs.inbound(tcp(CL, 40000, { ack: true }), 2 * SECOND);
    expect(cp.state).toBe('ESTABLISHED');
    expect(cp.expires).toBe(902 * SECOND);

    ipvs.inbound(tcp(CL, 40000, { fin: true, ack: true }), 3 * SECOND);
    expect(cp.state).toBe('CLOSE_WAIT');
    expect([dest(ipvs).activeConns, dest(ipvs).inactConns]).toEqual([0, 1]);
    ipvs.outbound(tcp(RS, 80, { fin: true, ack: true }, CL, 40000), 4 * SECOND);
    expect(cp.state).toBe('TIME_WAIT');
    expect(cp.expires).toBe(124 * SECOND);

    ipvs.advance(124 * SECOND - 1);
    expect(ipvs.conns.size).toBe(1);
    ipvs.advance(124 * SECOND);
    expect(ipvs.conns.size).toBe(0);
    expect([dest(ipvs).activeConns, dest(ipvs).inactConns]).toEqual([0, 0]);
  });

  it('idle ESTABLISHED entries die after 900 s; the next non-SYN packet is not IPVS business', () => {
    const ipvs = setup('rr', [[RS, 1]]);
    ipvs.inbound(tcp(CL, 40000, { syn: true }), 0);
    ipvs.inbound(tcp(CL, 40000, { ack: true }), 0);
    expect(ipvs.nextExpiry()).toBe(900 * SECOND);
    expect(ipvs.inbound(tcp(CL, 40000, { ack: true }), 900 * SECOND)).toEqual({ kind: 'accept' });
    expect(ipvs.conns.size).toBe(0);
  });
});

describe('DR connection lifecycle', () => {
  it('uses the input-only table: client FIN leaves the entry in FIN_WAIT for 120 s', () => {
    const ipvs = setup('rr', [[RS, 1]], {}, { fwd: 'route' });
    expect(ipvs.inbound(tcp(CL, 40000, { syn: true }), 0)).toMatchObject({ kind: 'forward', fwd: 'route' });
    ipvs.inbound(tcp(CL, 40000, { ack: true }), SECOND);
    ipvs.inbound(tcp(CL, 40000, { fin: true, ack: true }), 2 * SECOND);
    const cp = ipvs.conns.lookupIn('TCP', CL, 40000, VIP, 80)!;
    expect(cp.state).toBe('FIN_WAIT');
    expect(cp.expires).toBe(122 * SECOND);
    ipvs.inbound(tcp(CL, 40000, { ack: true }), 3 * SECOND);
    expect(cp.state).toBe('FIN_WAIT');
  });

  it('a SYN reusing a FIN_WAIT DR entry follows it by default, is rescheduled with conn_reuse_mode 3', () => {
    const ipvs = setup('rr', [[RS, 1], ['192.168.1.22', 1]], {}, { fwd: 'route' });
    const finish = (t: number): void => {
      ipvs.inbound(tcp(CL, 40000, { ack: true }), t);
      ipvs.inbound(tcp(CL, 40000, { fin: true, ack: true }), t);
    };
    const first = ipvs.inbound(tcp(CL, 40000, { syn: true }), 0);
    expect(first).toMatchObject({ daddr: '192.168.1.22' });
    finish(SECOND);
    expect(ipvs.conns.lookupIn('TCP', CL, 40000, VIP, 80)!.state).toBe('FIN_WAIT');
    expect(ipvs.inbound(tcp(CL, 40000, { syn: true }), 2 * SECOND)).toMatchObject({ daddr: '192.168.1.22' });

    ipvs.sysctl.connReuseMode = 3;
    finish(3 * SECOND);
    expect(ipvs.inbound(tcp(CL, 40000, { syn: true }), 4 * SECOND)).toMatchObject({ daddr: RS });
  });

  it('a SYN reusing a TIME_WAIT entry is scheduled afresh', () => {
    const ipvs = setup('rr', [[RS, 1], ['192.168.1.22', 1]]);
    ipvs.inbound(tcp(CL, 40000, { syn: true }), 0);
    ipvs.inbound(tcp(CL, 40000, { fin: true }), SECOND);
    expect(ipvs.conns.lookupIn('TCP', CL, 40000, VIP, 80)!.state).toBe('TIME_WAIT');
    expect(ipvs.inbound(tcp(CL, 40000, { syn: true }), 2 * SECOND)).toMatchObject({ daddr: RS });
    ipvs.advance(2 * SECOND);
    expect(ipvs.conns.size).toBe(1);
  });
});

describe('new connections', () => {
  it('only a SYN without RST creates an entry; sloppy_tcp lifts that', () => {
    const ipvs = setup('rr', [[RS, 1]]);
    expect(ipvs.inbound(tcp(CL, 40000, { ack: true }), 0)).toEqual({ kind: 'accept' });
    expect(ipvs.inbound(tcp(CL, 40000, { syn: true, rst: true }), 0)).toEqual({ kind: 'accept' });
    ipvs.sysctl.sloppyTcp = true;
    expect(ipvs.inbound(tcp(CL, 40000, { ack: true }), 0)).toMatchObject({ kind: 'forward' });
  });

  it('no matching service: accept; a service without usable dest: ICMP port unreachable', () => {
    const ipvs = setup('wlc', []);
    expect(ipvs.inbound(tcp(CL, 40000, { syn: true }, VIP, 443), 0)).toEqual({ kind: 'accept' });
    expect(ipvs.inbound(tcp(CL, 40000, { syn: true }), 0)).toEqual({ kind: 'unreachable' });
  });

  it('UDP: every packet may create an entry, always InActConn, 300 s', () => {
    const ipvs = new (setup('rr', []).constructor as typeof import('../../../src/kernel/ipvs/ipvs').Ipvs)(0);
    const key = { protocol: 'UDP', addr: VIP, port: 53 } as const;
    ipvs.addService({ ...key, scheduler: 'rr' }, 0);
    ipvs.addDest(key, { addr: RS, port: 53, weight: 1, fwd: 'masq' }, 0);
    const pkt = { protocol: 'UDP', saddr: CL, sport: 5353, daddr: VIP, dport: 53, length: 80 } as const;
    expect(ipvs.inbound(pkt, 0)).toMatchObject({ kind: 'forward', daddr: RS, dport: 53 });
    const d = ipvs.getService(key)!.dests[0]!;
    expect([d.activeConns, d.inactConns]).toEqual([0, 1]);
    const cp = ipvs.conns.lookupIn('UDP', CL, 5353, VIP, 53)!;
    expect([cp.state, cp.expires]).toEqual(['UDP', 300 * SECOND]);
  });
});

describe('real server removal and quiescing', () => {
  it('drops packets of a deleted dest silently, without refreshing the entry; re-adding revives it', () => {
    const ipvs = setup('rr', [[RS, 1]]);
    ipvs.inbound(tcp(CL, 40000, { syn: true }), 0);
    ipvs.inbound(tcp(CL, 40000, { ack: true }), 0);
    ipvs.deleteDest(SVC, RS, 80, SECOND);
    expect(ipvs.inbound(tcp(CL, 40000, { ack: true }), 2 * SECOND)).toEqual({ kind: 'drop' });
    const cp = ipvs.conns.lookupIn('TCP', CL, 40000, VIP, 80)!;
    expect(cp.expires).toBe(900 * SECOND);
    const d = ipvs.addDest(SVC, { addr: RS, port: 80, weight: 1, fwd: 'masq' }, 3 * SECOND);
    expect(d).toBe(cp.dest);
    expect(d.activeConns).toBe(1);
    expect(ipvs.inbound(tcp(CL, 40000, { ack: true }), 4 * SECOND)).toMatchObject({ kind: 'forward' });
  });

  it('expire_nodest_conn=1 expires the entries of a deleted dest: later packets are not IPVS business', () => {
    const ipvs = setup('rr', [[RS, 1]]);
    ipvs.sysctl.expireNodestConn = true;
    ipvs.inbound(tcp(CL, 40000, { syn: true }), 0);
    ipvs.deleteDest(SVC, RS, 80, SECOND);
    expect(ipvs.inbound(tcp(CL, 40000, { ack: true }), 2 * SECOND)).toEqual({ kind: 'accept' });
    expect(ipvs.conns.size).toBe(0);
  });

  it('expire_nodest_conn=1: a packet of a dest-less entry still in the table is dropped and expires it', () => {
    const ipvs = setup('rr', [[RS, 1]]);
    ipvs.inbound(tcp(CL, 40000, { syn: true }), 0);
    ipvs.deleteDest(SVC, RS, 80, SECOND);
    ipvs.sysctl.expireNodestConn = true;
    expect(ipvs.inbound(tcp(CL, 40000, { ack: true }), 2 * SECOND)).toEqual({ kind: 'drop' });
    ipvs.advance(2 * SECOND);
    expect(ipvs.conns.size).toBe(0);
  });

  it('a quiesced dest keeps serving its existing connections', () => {
    const ipvs = setup('rr', [[RS, 1]]);
    ipvs.inbound(tcp(CL, 40000, { syn: true }), 0);
    ipvs.editDest(SVC, { addr: RS, port: 80, weight: 0, fwd: 'masq' }, SECOND);
    expect(ipvs.inbound(tcp(CL, 40000, { ack: true }), 2 * SECOND)).toMatchObject({ kind: 'forward', daddr: RS });
    expect(ipvs.inbound(tcp(CL, 40001, { syn: true }), 2 * SECOND)).toEqual({ kind: 'unreachable' });
  });
});

describe('thresholds', () => {
  it('sets OVERLOAD at u and clears it below 3/4 of u', () => {
    const ipvs = setup('rr', [[RS, 1]], {}, { uThreshold: 4 });
    for (let p = 0; p < 4; p++) ipvs.inbound(tcp(CL, 40000 + p, { syn: true }), 0);
    expect(dest(ipvs).overload).toBe(true);
    expect(ipvs.inbound(tcp(CL, 40010, { syn: true }), 0)).toEqual({ kind: 'unreachable' });
    // The four SYN_RECV entries time out together at 60 s; 3*4 >= 3*... clears once total*4 < 12.
    ipvs.advance(60 * SECOND);
    expect(dest(ipvs).overload).toBe(false);
  });
});

describe('one-packet scheduling', () => {
  it('schedules every UDP datagram on its own and keeps no entry', () => {
    const ipvs = setup('rr', []);
    const key = { protocol: 'UDP', addr: VIP, port: 53 } as const;
    ipvs.addService({ ...key, scheduler: 'rr', onePacket: true }, 0);
    ipvs.addDest(key, { addr: RS, port: 53, weight: 1, fwd: 'masq' }, 0);
    ipvs.addDest(key, { addr: '192.168.1.22', port: 53, weight: 1, fwd: 'masq' }, 0);
    const pkt = { protocol: 'UDP', saddr: CL, sport: 5353, daddr: VIP, dport: 53, length: 80 } as const;
    const a = ipvs.inbound(pkt, 0);
    const b = ipvs.inbound(pkt, 0);
    expect([a, b].map((v) => (v.kind === 'forward' ? v.daddr : v.kind))).toEqual(['192.168.1.22', RS]);
    ipvs.advance(0);
    expect(ipvs.conns.size).toBe(0);
  });
});

describe('expire_nodest_conn flush', () => {
  it('deleting a dest expires its entries and their templates at once', () => {
    const ipvs = setup('rr', [[RS, 1], ['192.168.1.22', 1]], { persistent: 300 });
    ipvs.sysctl.expireNodestConn = true;
    ipvs.inbound(tcp(CL, 40000, { syn: true }), 0);
    ipvs.inbound(tcp('172.16.0.2', 40000, { syn: true }), 0);
    expect(ipvs.conns.size).toBe(4);
    ipvs.deleteDest(SVC, '192.168.1.22', 80, SECOND);
    ipvs.advance(SECOND);
    expect(ipvs.conns.entries().map((c) => c.daddr)).toEqual([RS, RS]);
  });
});

describe('dest trash', () => {
  const spec = { addr: RS, port: 80, weight: 1, fwd: 'masq' } as const;

  it('keeps a deleted dest revivable until the trash timer frees it, 120-180 s after it went idle', () => {
    const ipvs = setup('rr', [[RS, 1]]);
    const old = ipvs.getService(SVC)!.dests[0]!;
    ipvs.deleteDest(SVC, RS, 80, 0);
    // Timer runs at 60 s (marks idle), 120 s, 180 s (frees).
    expect(ipvs.addDest(SVC, spec, 179 * SECOND)).toBe(old);
    ipvs.deleteDest(SVC, RS, 80, 179 * SECOND);
    // Armed again 60 s after the trash became non-empty: runs at 239 (idle), 299, 359 (frees).
    expect(ipvs.addDest(SVC, spec, 359 * SECOND)).not.toBe(old);
  });

  it('keeps it while connections reference it', () => {
    const ipvs = setup('rr', [[RS, 1]]);
    const old = ipvs.getService(SVC)!.dests[0]!;
    ipvs.inbound(tcp(CL, 40000, { syn: true }), 0);
    ipvs.inbound(tcp(CL, 40000, { ack: true }), 0);
    ipvs.deleteDest(SVC, RS, 80, 0);
    // The entry goes at 900 s; the run at that same instant marks the dest idle, the one at 1020 s frees it.
    expect(ipvs.addDest(SVC, spec, 1019 * SECOND)).toBe(old);
    expect(old.activeConns + old.inactConns).toBe(0);
  });
});
