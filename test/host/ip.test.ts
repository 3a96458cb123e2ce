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

describe('IP output to a destination sent to before', () => {
  it('takes the new way as soon as the routes or the local addresses change', () => {
    const w = world();
    const h = w.host('proxy', { eth0: { lan: 'ext', ip: '192.168.23.100/24' }, eth1: { lan: 'int', ip: '10.0.0.1/24' } }, '192.168.23.1');
    const whoHas: string[] = [];
    for (const [name, lan] of w.lans) {
      lan.onFrame((_t, f) => {
        if (f.payload.kind === 'arp') whoHas.push(`${name} ${f.payload.targetIp.toString(16)}`);
      });
    }
    const delivered: number[] = [];
    h.ip.register(17, (pkt) => delivered.push(pkt.dst));
    const send = () => h.ip.send({ dst: w.ip('172.16.23.1'), payload: { kind: 'udp', srcPort: 1, dstPort: 2, data: new Uint8Array(0) } });
    send(); // the default route, and its gateway's ARP
    w.sim.runUntil(10_000);
    h.run('ip route add 172.16.23.0/24 via 10.0.0.2');
    send();
    w.sim.runUntil(20_000);
    h.run('ip addr add 172.16.23.1/32 dev eth1');
    send();
    w.sim.runUntil(30_000);
    expect(whoHas).toEqual([`ext ${(0xc0a81701).toString(16)}`, `int ${(0x0a000002).toString(16)}`]);
    expect(delivered).toEqual([0xac101701]);
  });
});
