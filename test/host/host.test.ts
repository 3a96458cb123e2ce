import { describe, expect, it } from 'vitest';
import { SECOND } from '../../src/sim/time';
import { gratuitousArpFrame } from '../../src/host/arp';
import { world } from './helpers';

describe('Host: ARP, ping, forwarding', () => {
  it('resolves a neighbour by ARP and answers ping', () => {
    const w = world();
    const a = w.host('a', { eth0: { lan: 'lan', ip: '10.0.0.1/24' } });
    const b = w.host('b', { eth0: { lan: 'lan', ip: '10.0.0.2/24' } });
    const res = w.run(a, 'ping -c 2 10.0.0.2');
    w.sim.runUntil(5 * SECOND);
    expect(res()?.code).toBe(0);
    expect(res()?.stdout).toContain('2 packets transmitted, 2 received, 0% packet loss');
    // The request taught b about a (created STALE), the reply made a's entry REACHABLE.
    expect(a.nic('eth0')!.neighbours.get(w.ip('10.0.0.2'))?.state).toBe('REACHABLE');
    expect(b.nic('eth0')!.neighbours.get(w.ip('10.0.0.1'))?.mac).toBe(a.nic('eth0')!.mac);
  });

  it('fails resolution after mcast_solicit requests 1 s apart and reports the host unreachable', () => {
    const w = world();
    const a = w.host('a', { eth0: { lan: 'lan', ip: '10.0.0.1/24' } });
    const res = w.run(a, 'ping -c 1 -W 5 10.0.0.9');
    w.sim.runUntil(10 * SECOND);
    expect(res()?.stdout).toContain('Destination Host Unreachable');
    expect(res()?.code).toBe(1);
    const states = w.mem.records.filter((r) => r.kind === 'neigh.state' && r.host === 'a').map((r) => [r.t, (r as { state: string }).state]);
    expect(states).toEqual([
      [0, 'INCOMPLETE'],
      [3 * SECOND, 'FAILED'],
    ]);
  });

  it('a gratuitous ARP moves an existing entry to the new MAC at once, but creates none', () => {
    const w = world();
    const client = w.host('client', { eth0: { lan: 'lan', ip: '10.0.0.1/24' } });
    const r1 = w.host('r1', { eth0: { lan: 'lan', ip: '10.0.0.2/24' } });
    const r2 = w.host('r2', { eth0: { lan: 'lan', ip: '10.0.0.3/24' } });
    r1.run('ip addr add 10.0.0.80/32 dev eth0');
    w.run(client, 'ping -c 1 10.0.0.80');
    w.sim.runUntil(2 * SECOND);
    const vip = w.ip('10.0.0.80');
    expect(client.nic('eth0')!.neighbours.get(vip)?.mac).toBe(r1.nic('eth0')!.mac);
    // r2 never heard of the VIP: a GARP for another address creates no entry there.
    r1.run('ip addr del 10.0.0.80/32 dev eth0');
    r2.run('ip addr add 10.0.0.80/32 dev eth0');
    r2.sendFrame('eth0', gratuitousArpFrame(r2.nic('eth0')!.mac, vip));
    w.sim.runUntil(2 * SECOND + 1000);
    const e = client.nic('eth0')!.neighbours.get(vip)!;
    expect(e.mac).toBe(r2.nic('eth0')!.mac);
    expect(e.state).toBe('STALE');
    expect(r1.nic('eth0')!.neighbours.get(vip)).toBeUndefined();
    const res = w.run(client, 'ping -c 1 10.0.0.80');
    w.sim.runUntil(4 * SECOND);
    expect(res()?.code).toBe(0);
  });

  it('without a GARP a REACHABLE entry keeps pointing at the old MAC until it goes stale and is probed', () => {
    const w = world(3);
    const client = w.host('client', { eth0: { lan: 'lan', ip: '10.0.0.1/24' } });
    const r1 = w.host('r1', { eth0: { lan: 'lan', ip: '10.0.0.2/24' } });
    const r2 = w.host('r2', { eth0: { lan: 'lan', ip: '10.0.0.3/24' } });
    r1.run('ip addr add 10.0.0.80/32 dev eth0');
    w.run(client, 'ping -c 1 10.0.0.80');
    w.sim.runUntil(SECOND);
    r1.run('ip addr del 10.0.0.80/32 dev eth0');
    r2.run('ip addr add 10.0.0.80/32 dev eth0');
    const res = w.run(client, 'ping -c 1 -W 1 10.0.0.80');
    w.sim.runUntil(3 * SECOND);
    expect(res()?.code).toBe(1);
    // Long enough for reachable_time (≤ 45 s), DELAY 5 s and PROBE 3 s: then a broadcast finds r2.
    const later = w.run(client, 'ping -c 80 -i 1 -W 1 10.0.0.80');
    w.sim.runUntil(100 * SECOND);
    expect(later()?.stdout).toMatch(/80 packets transmitted, [1-9]\d* received/);
    expect(client.nic('eth0')!.neighbours.get(w.ip('10.0.0.80'))?.mac).toBe(r2.nic('eth0')!.mac);
  });

  it('forwards between LANs only with ip_forward on', () => {
    const w = world();
    const a = w.host('a', { eth0: { lan: 'left', ip: '10.0.1.1/24' } }, '10.0.1.254');
    const r = w.host('r', { eth0: { lan: 'left', ip: '10.0.1.254/24' }, eth1: { lan: 'right', ip: '10.0.2.254/24' } });
    w.host('b', { eth0: { lan: 'right', ip: '10.0.2.1/24' } }, '10.0.2.254');
    const off = w.run(a, 'ping -c 1 -W 1 10.0.2.1');
    w.sim.runUntil(2 * SECOND);
    expect(off()?.code).toBe(1);
    expect(w.mem.records.some((x) => x.kind === 'ip.drop' && x.host === 'r')).toBe(true);
    r.run('sysctl -w net.ipv4.ip_forward=1');
    const on = w.run(a, 'ping -c 1 10.0.2.1');
    w.sim.runUntil(4 * SECOND);
    expect(on()?.code).toBe(0);
    expect(on()?.stdout).toContain('ttl=63');
  });

  it('a cut cable drops frames and reports carrier loss', () => {
    const w = world();
    const a = w.host('a', { eth0: { lan: 'lan', ip: '10.0.0.1/24' } });
    const b = w.host('b', { eth0: { lan: 'lan', ip: '10.0.0.2/24' } });
    w.lans.get('lan')!.setLinkState(b.nic('eth0')!.port!, false);
    const res = w.run(a, 'ping -c 1 -W 1 10.0.0.2');
    w.sim.runUntil(5 * SECOND);
    expect(res()?.code).toBe(1);
    expect(w.mem.records.find((r) => r.kind === 'carrier')).toMatchObject({ host: 'b', dev: 'eth0', up: false });
  });
});
