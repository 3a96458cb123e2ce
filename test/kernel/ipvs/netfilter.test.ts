import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/sim/time';
import { formatIpv4 } from '../../../src/net/addr';
import { IPPROTO_TCP, TCP_ACK, TCP_SYN, type Ipv4Packet, type TcpSegment } from '../../../src/net/packets';
import { attachIpvs, rebootIpvs } from '../../../src/kernel/ipvs/netfilter';
import { world } from '../../host/helpers';

/** The seed's LVS-NAT layout in miniature: client — director (VIP, ip_forward) — real server whose gateway is the director. */
function lab() {
  const w = world();
  const client = w.host('client', { eth0: { lan: 'ext', ip: '172.16.23.1/24' } });
  const director = w.host('director', { eth0: { lan: 'ext', ip: '172.16.23.100/24' }, eth1: { lan: 'int', ip: '192.168.23.105/24' } });
  const rs = w.host('web1', { eth0: { lan: 'int', ip: '192.168.23.80/24' } }, '192.168.23.105');
  attachIpvs(director);
  director.run('sysctl -w net.ipv4.ip_forward=1; ip addr add 172.16.23.80/32 dev eth0');
  const seen = { rs: [] as Ipv4Packet[], client: [] as Ipv4Packet[] };
  rs.tcp.listen(0, 80, () => ({}));
  rs.ip.register(IPPROTO_TCP, (p) => seen.rs.push(p));
  client.ip.register(IPPROTO_TCP, (p) => seen.client.push(p));
  const syn = () => client.tcp.connect({ dst: w.ip('172.16.23.80'), dport: 80 }, {});
  return { w, client, director, rs, seen, syn };
}

describe('IPVS in the director packet path', () => {
  it('NAT: DNAT to the real server at LOCAL_IN, SNAT of its reply on the way back; ipvsadm shows the connection', () => {
    const { w, director, seen, syn } = lab();
    let listing = '';
    director.run('ipvsadm -A -t 172.16.23.80:80 -s rr -p 5 && ipvsadm -a -t 172.16.23.80:80 -r 192.168.23.80:80 -m');
    w.sim.runUntil(SECOND);
    syn();
    w.sim.runUntil(2 * SECOND);
    director.run('ipvsadm -L -n', (r) => (listing = r.stdout));
    w.sim.runUntil(3 * SECOND);
    const atRs = seen.rs.find((p) => (p.payload as TcpSegment).flags === TCP_SYN)!;
    expect(formatIpv4(atRs.dst)).toBe('192.168.23.80');
    expect(formatIpv4(atRs.src)).toBe('172.16.23.1');
    const reply = seen.client.find((p) => (p.payload as TcpSegment).flags === (TCP_SYN | TCP_ACK))!;
    expect(formatIpv4(reply.src)).toBe('172.16.23.80');
    expect((reply.payload as TcpSegment).srcPort).toBe(80);
    expect(listing).toBe(
      [
        'IP Virtual Server version 1.2.1 (size=4096)',
        'Prot LocalAddress:Port Scheduler Flags',
        '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
        'TCP  172.16.23.80:80 rr persistent 5',
        '  -> 192.168.23.80:80             Masq    1      1          0         ',
        '',
      ].join('\n'),
    );
  });

  it('without a virtual service the VIP is an ordinary local address (the director answers, with an RST)', () => {
    const { w, seen, syn } = lab();
    syn();
    w.sim.runUntil(SECOND);
    expect(seen.rs).toEqual([]);
  });
});

describe('IPVS direct routing (LVS-DR) on one LAN', () => {
  /** client, director (VIP on eth0) and a real server with the VIP on lo and arp_ignore 1, all on one LAN. */
  function drLab() {
    const w = world();
    const client = w.host('client', { eth0: { lan: 'lan', ip: '10.0.0.1/24' } });
    const director = w.host('director', { eth0: { lan: 'lan', ip: '10.0.0.100/24' } });
    const rs = w.host('rs', { eth0: { lan: 'lan', ip: '10.0.0.11/24' } });
    attachIpvs(director);
    director.run('ip addr add 10.0.0.80/32 dev eth0');
    director.run('ipvsadm -A -t 10.0.0.80:80 -s rr && ipvsadm -a -t 10.0.0.80:80 -r 10.0.0.11:80 -g');
    rs.run('ip addr add 10.0.0.80/32 dev lo; sysctl -w net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2');
    rs.tcp.listen(0, 80, () => ({}));
    const frames: Array<{ from: number; to: number; src: string; dst: string; flags: number }> = [];
    w.lans.get('lan')!.onFrame((_t, f) => {
      if (f.payload.kind === 'ipv4' && f.payload.payload.kind === 'tcp') {
        frames.push({ from: f.src, to: f.dst, src: formatIpv4(f.payload.src), dst: formatIpv4(f.payload.dst), flags: f.payload.payload.flags });
      }
    });
    return { w, client, director, rs, frames };
  }

  it('the director passes the SYN on to the real server by MAC only; the SYN-ACK goes from the real server straight to the client', () => {
    const { w, client, director, rs, frames } = drLab();
    w.sim.runUntil(SECOND);
    client.tcp.connect({ dst: w.ip('10.0.0.80'), dport: 80 }, {});
    w.sim.runUntil(2 * SECOND);
    const mac = (h: typeof client) => h.nic('eth0')!.mac;
    expect(frames.filter((f) => f.flags === TCP_SYN)).toEqual([
      { from: mac(client), to: mac(director), src: '10.0.0.1', dst: '10.0.0.80', flags: TCP_SYN },
      { from: mac(director), to: mac(rs), src: '10.0.0.1', dst: '10.0.0.80', flags: TCP_SYN },
    ]);
    expect(frames.filter((f) => f.flags === (TCP_SYN | TCP_ACK))).toEqual([
      { from: mac(rs), to: mac(client), src: '10.0.0.80', dst: '10.0.0.1', flags: TCP_SYN | TCP_ACK },
    ]);
    // The client's ARP cache has the VIP at the director: the real server did not answer for it.
    expect(client.nic('eth0')!.neighbours.get(w.ip('10.0.0.80'))?.mac).toBe(mac(director));
  });

  it('a reboot empties the table: services, connection entries and sync daemons are gone', () => {
    const { w, client, director } = drLab();
    w.sim.runUntil(SECOND);
    client.tcp.connect({ dst: w.ip('10.0.0.80'), dport: 80 }, {});
    director.run('ipvsadm --start-daemon master --mcast-interface eth0');
    w.sim.runUntil(2 * SECOND);
    const out: string[] = [];
    const list = () => director.run('ipvsadm -L -n; ipvsadm -L -n -c; ipvsadm -L --daemon', (r) => out.push(r.stdout));
    list();
    director.crash();
    rebootIpvs(director);
    director.powerOn();
    list();
    expect(out[0]).toContain('Route   1      1          0');
    expect(out[0]).toContain('master sync daemon');
    expect(out[1]).toBe(
      'IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\nIPVS connection entries\npro expire state       source             virtual            destination\n',
    );
  });
});

describe('IPVS at LOCAL_IN only where a virtual service is', () => {
  it('the hook joins the packet path with the first service and leaves it with the last, and at a reboot', () => {
    const { w, director } = lab();
    const hooked = () => director.ip.hooks.localIn.length;
    expect(hooked()).toBe(0);
    director.run('ipvsadm -A -t 172.16.23.80:80 -s rr && ipvsadm -A -t 172.16.23.80:443 -s rr');
    w.sim.runUntil(SECOND);
    expect(hooked()).toBe(1);
    director.run('ipvsadm -D -t 172.16.23.80:80');
    w.sim.runUntil(2 * SECOND);
    expect(hooked()).toBe(1);
    director.run('ipvsadm -C');
    w.sim.runUntil(3 * SECOND);
    expect(hooked()).toBe(0);
    director.run('ipvsadm -A -t 172.16.23.80:80 -s rr');
    w.sim.runUntil(4 * SECOND);
    expect(hooked()).toBe(1);
    rebootIpvs(director);
    expect(hooked()).toBe(0);
  });
});

