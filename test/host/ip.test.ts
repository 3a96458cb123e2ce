import { describe, expect, it } from 'vitest';
import { world } from './helpers';

describe('IP output without a route', () => {
  it('fails with ENETUNREACH and traces the drop, naming a missing default route', () => {
    const w = world();
    const h = w.host('web1', { eth0: { lan: 'lan', ip: '192.168.23.80/24' } });
    const errors: string[] = [];
    h.ip.send({ dst: w.ip('172.16.23.1'), payload: { kind: 'udp', srcPort: 1, dstPort: 2, data: new Uint8Array(0) } }, (e) => errors.push(e));
    const out = w.run(h, 'ping -c 1 172.16.23.1');
    w.sim.runUntil(1_000_000);
    // With a default route, only a socket bound to a device without a route still finds none.
    h.run('ip route add default via 192.168.23.1');
    w.sim.runUntil(1_500_000);
    h.ip.send({ dst: w.ip('172.16.23.1'), payload: { kind: 'udp', srcPort: 1, dstPort: 2, data: new Uint8Array(0) }, dev: 'eth9' }, (e) => errors.push(e));
    w.sim.runUntil(2_000_000);
    expect(errors).toEqual(['ENETUNREACH', 'ENETUNREACH']);
    expect(out()!.stderr).toContain('connect: Network is unreachable');
    expect(w.mem.records.filter((r) => r.kind === 'ip.drop').map((r) => ({ ...r, t: undefined }))).toEqual([
      { t: undefined, kind: 'ip.drop', host: 'web1', src: '0.0.0.0', dst: '172.16.23.1', proto: 'udp', reason: 'no route (no default gateway)' },
      { t: undefined, kind: 'ip.drop', host: 'web1', src: '0.0.0.0', dst: '172.16.23.1', proto: 'icmp', reason: 'no route (no default gateway)' },
      { t: undefined, kind: 'ip.drop', host: 'web1', src: '0.0.0.0', dst: '172.16.23.1', proto: 'udp', reason: 'no route' },
    ]);
  });
});
