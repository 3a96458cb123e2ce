import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/sim/time';
import { setup, SVC, tcp, VIP } from './helpers';

const A = '192.168.1.21';
const B = '192.168.1.22';

function conn(ipvs: ReturnType<typeof setup>, client: string, port: number, t: number): string {
  const v = ipvs.inbound(tcp(client, port, { syn: true }), t);
  return v.kind === 'forward' ? v.daddr : v.kind;
}

describe('persistence templates', () => {
  it('sends a client to its template dest without asking the scheduler, per netmask', () => {
    const ipvs = setup('rr', [[A, 1], [B, 1]], { persistent: 300, netmask: '255.255.255.0' });
    expect(conn(ipvs, '172.16.0.1', 1000, 0)).toBe(B);
    expect(conn(ipvs, '172.16.0.1', 1001, SECOND)).toBe(B);
    expect(conn(ipvs, '172.16.0.77', 1002, SECOND)).toBe(B);
    expect(conn(ipvs, '172.16.9.1', 1003, SECOND)).toBe(A);
    const ct = ipvs.conns.lookupTemplate('TCP', '172.16.0.0', VIP, 80)!;
    expect(ct).toMatchObject({ template: true, cport: 0, daddr: B, dport: 80, state: 'NONE' });
    expect(ct.expires).toBe(301 * SECOND);
    expect(ipvs.getService(SVC)!.findDest(B, 80)!.persistConns).toBe(1);
  });

  it('keeps following a quiesced dest (expire_quiescent_template=0), not when the sysctl is set', () => {
    const ipvs = setup('rr', [[A, 1], [B, 1]], { persistent: 300 });
    expect(conn(ipvs, '172.16.0.1', 1000, 0)).toBe(B);
    ipvs.editDest(SVC, { addr: B, port: 80, weight: 0, fwd: 'masq' }, SECOND);
    expect(conn(ipvs, '172.16.0.1', 1001, 2 * SECOND)).toBe(B);
    ipvs.sysctl.expireQuiescentTemplate = true;
    expect(conn(ipvs, '172.16.0.1', 1002, 3 * SECOND)).toBe(A);
  });

  it('reschedules when the template dest was deleted, leaving the old template listed with port 65535', () => {
    const ipvs = setup('rr', [[A, 1], [B, 1]], { persistent: 300 });
    expect(conn(ipvs, '172.16.0.1', 1000, 0)).toBe(B);
    ipvs.deleteDest(SVC, B, 80, SECOND);
    expect(conn(ipvs, '172.16.0.1', 1001, 2 * SECOND)).toBe(A);
    const stale = ipvs.conns.entries().find((c) => c.template && c.daddr === B)!;
    expect([stale.vport, stale.dport]).toEqual([0xffff, 0xffff]);
  });

  it('outlives its timeout while it controls connections, then re-arms in 60 s steps', () => {
    const ipvs = setup('rr', [[A, 1], [B, 1]], { persistent: 5 });
    expect(conn(ipvs, '172.16.0.1', 1000, 0)).toBe(B);
    ipvs.inbound(tcp('172.16.0.1', 1000, { ack: true }), 0);
    const ct = ipvs.conns.lookupTemplate('TCP', '172.16.0.1', VIP, 80)!;
    expect(ct.state).toBe('ASSURED');
    ipvs.advance(5 * SECOND);
    expect(ct.expires).toBe(65 * SECOND);
    // A new connection from the client uses the template and resets it to its (now 60 s) timeout.
    expect(conn(ipvs, '172.16.0.1', 1001, 10 * SECOND)).toBe(B);
    expect(ct.expires).toBe(70 * SECOND);
    // Connections go at 70 s (SYN_RECV) and 900 s (ESTABLISHED); the template, re-armed at 70, 130, …,
    // 850 s, still controls one then, and goes at 910 s.
    ipvs.advance(900 * SECOND);
    expect(ipvs.conns.entries()).toEqual([ct]);
    ipvs.advance(910 * SECOND - 1);
    expect(ipvs.conns.size).toBe(1);
    ipvs.advance(910 * SECOND);
    expect(ipvs.conns.size).toBe(0);
  });

  it('a persistent port-zero service shares one template for every port of the VIP', () => {
    const ipvs = setup('rr', [], { port: 0, persistent: 60 });
    const key = { ...SVC, port: 0 };
    ipvs.addDest(key, { addr: A, port: 0, weight: 1, fwd: 'route' }, 0);
    ipvs.addDest(key, { addr: B, port: 0, weight: 1, fwd: 'route' }, 0);
    const first = ipvs.inbound(tcp('172.16.0.1', 1000, { syn: true }, VIP, 443), 0);
    const second = ipvs.inbound(tcp('172.16.0.1', 1001, { syn: true }, VIP, 8080), 0);
    expect(first).toMatchObject({ daddr: B, dport: 443 });
    expect(second).toMatchObject({ daddr: B, dport: 8080 });
    expect(ipvs.conns.lookupTemplate('TCP', '172.16.0.1', VIP, 0)).toBeDefined();
  });
});
