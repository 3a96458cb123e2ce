import { describe, expect, it } from 'vitest';
import { SECOND } from '../../src/sim/time';
import { gratuitousArpFrame } from '../../src/host/arp';
import { ARP_REQUEST, ICMP_ECHO_REQUEST } from '../../src/net/packets';
import { formatIpv4 } from '../../src/net/addr';
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

  describe('LVS-DR real server: arp_ignore and arp_announce', () => {
    /** client, a director holding the VIP on eth0, a real server with the VIP on lo; ARP requests seen on the LAN. */
    function lab(rsSysctls: string) {
      const w = world();
      const client = w.host('client', { eth0: { lan: 'lan', ip: '10.0.0.1/24' } });
      const director = w.host('director', { eth0: { lan: 'lan', ip: '10.0.0.100/24' } });
      const rs = w.host('rs', { eth0: { lan: 'lan', ip: '10.0.0.11/24' } });
      director.run('ip addr add 10.0.0.80/32 dev eth0');
      rs.run(`ip addr add 10.0.0.80/32 dev lo${rsSysctls ? `; sysctl -w ${rsSysctls}` : ''}`);
      const requests: Array<{ from: string; tell: string; who: string }> = [];
      w.lans.get('lan')!.onFrame((_t, f) => {
        const a = f.payload;
        if (a.kind === 'arp' && a.op === ARP_REQUEST) {
          const from = [client, director, rs].find((h) => h.nic('eth0')!.mac === f.src)!.name;
          requests.push({ from, tell: formatIpv4(a.senderIp), who: formatIpv4(a.targetIp) });
        }
      });
      const vip = w.ip('10.0.0.80');
      const vipMacAtClient = () => {
        const mac = client.nic('eth0')!.neighbours.get(vip)?.mac;
        return [client, director, rs].find((h) => h.nic('eth0')!.mac === mac)?.name;
      };
      // The client resolves the VIP, then (within locktime) the real server sends from the VIP to the client, as
      // its reply to a request the director passed on would.
      const exchange = () => {
        w.run(client, 'ping -c 1 10.0.0.80');
        w.sim.runUntil(SECOND / 2);
        rs.ip.send({ src: vip, dst: w.ip('10.0.0.1'), payload: { kind: 'icmp', type: ICMP_ECHO_REQUEST, code: 0, id: 1, seq: 1, data: new Uint8Array(0) } });
        w.sim.runUntil(SECOND);
      };
      return { w, requests, exchange, vipMacAtClient };
    }

    it('arp_ignore 1 / arp_announce 2: only the director answers for the VIP, and the real server asks from its own address', () => {
      const { requests, exchange, vipMacAtClient } = lab('net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2');
      exchange();
      expect(requests).toEqual([
        { from: 'client', tell: '10.0.0.1', who: '10.0.0.80' },
        { from: 'rs', tell: '10.0.0.11', who: '10.0.0.1' },
      ]);
      expect(vipMacAtClient()).toBe('director');
    });

    it('arp_announce 0 (the default): the real server asks "tell 10.0.0.80" and the client takes the VIP to be at the real server, locktime or not', () => {
      const { requests, exchange, vipMacAtClient } = lab('net.ipv4.conf.all.arp_ignore=1');
      exchange();
      expect(requests[1]).toEqual({ from: 'rs', tell: '10.0.0.80', who: '10.0.0.1' });
      expect(vipMacAtClient()).toBe('rs');
    });

    it('arp_announce 1 is not enough: the VIP lies in eth0\'s subnet, as the client does, so the request still tells the VIP', () => {
      const { requests, exchange, vipMacAtClient } = lab('net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=1');
      exchange();
      expect(requests[1]).toEqual({ from: 'rs', tell: '10.0.0.80', who: '10.0.0.1' });
      expect(vipMacAtClient()).toBe('rs');
    });

    it('arp_ignore 0 (the default): the real server answers the client\'s ARP for the VIP too', () => {
      const { w, exchange } = lab('net.ipv4.conf.all.arp_announce=2');
      const replies: string[] = [];
      w.lans.get('lan')!.onFrame((_t, f) => {
        if (f.payload.kind === 'arp' && f.payload.op !== ARP_REQUEST && formatIpv4(f.payload.senderIp) === '10.0.0.80') replies.push(f.src.toString(16));
      });
      exchange();
      expect(replies).toHaveLength(2);
    });
  });
});
