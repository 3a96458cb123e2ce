import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/sim/time';
import { BROADCAST_MAC, formatIpv4, formatMac } from '../../../src/net/addr';
import { ARP_REQUEST } from '../../../src/net/packets';
import { attachIpvs } from '../../../src/kernel/ipvs/netfilter';
import { world } from '../../host/helpers';

/**
 * test/fixtures/real-lvs-dr/log.txt, recorded by init.sh there in user-mode-linux (Linux 6.1, one bridge):
 * client 10.0.0.1 (MAC …:01), director 10.0.0.100 (…:02) holding the VIP 10.0.0.80 with an rr service
 * over two `-g` real servers 10.0.0.11 (…:03) and 10.0.0.12 (…:04) that have the VIP on lo; the client
 * makes four HTTP requests to the VIP. For each ARP setting of the real servers: the ARP frames the client
 * saw (tcpdump on its eth0), its neighbour table, and the director's `ipvsadm -L -n`.
 */
interface Case {
  arp: string[];
  neigh: string[];
  table: string;
}

function recorded(): Map<string, Case> {
  const text = readFileSync('test/fixtures/real-lvs-dr/log.txt', 'utf8');
  const cases = new Map<string, Case>();
  for (const block of text.split(/^=== case /m).slice(1)) {
    const name = block.slice(0, block.indexOf(':'));
    const section = (title: string) => block.split(`--- ${title}\n`)[1]!.split(/^--- /m)[0]!;
    cases.set(name, {
      // "02:00:00:00:00:04 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 10.0.0.1 tell 10.0.0.80, length 28"
      arp: section('arp seen by client')
        .split('\n')
        .filter((l) => l.includes('ethertype ARP'))
        .map((l) => /(\S+) > (\S+), .*?: (.*), length 28$/.exec(l)!)
        .map((m) => `${m[1]!.slice(-2)} > ${m[2] === 'ff:ff:ff:ff:ff:ff' ? 'all' : m[2]!.slice(-2)}: ${m[3]!.replace(/is-at \S+:(\S\S)$/, 'is-at $1')}`),
      neigh: section('client ip neigh')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.trimEnd().replace(/lladdr \S+:(\S\S) /, 'lladdr $1 ')),
      table: section('director ipvsadm -L -n'),
    });
  }
  return cases;
}

/** The same lab in the simulator: the helper numbers MACs in creation order, …:01 to …:04 as in the recording. */
function simulate(sysctls: string): Case {
  const w = world();
  const client = w.host('cl', { eth0: { lan: 'br0', ip: '10.0.0.1/24' } });
  const director = w.host('dir', { eth0: { lan: 'br0', ip: '10.0.0.100/24' } });
  const rss = [w.host('rs1', { eth0: { lan: 'br0', ip: '10.0.0.11/24' } }), w.host('rs2', { eth0: { lan: 'br0', ip: '10.0.0.12/24' } })];
  attachIpvs(director);
  director.run('ip addr add 10.0.0.80/32 dev eth0');
  director.run('ipvsadm -A -t 10.0.0.80:80 -s rr; ipvsadm -a -t 10.0.0.80:80 -r 10.0.0.11:80 -g; ipvsadm -a -t 10.0.0.80:80 -r 10.0.0.12:80 -g');
  for (const rs of rss) {
    rs.run(`ip addr add 10.0.0.80/32 dev lo; sysctl -w ${sysctls}`);
    rs.tcp.listen(0, 80, () => ({}));
  }
  const me = client.nic('eth0')!.mac;
  const arp: string[] = [];
  const low = (mac: number) => formatMac(mac).slice(-2);
  w.lans.get('br0')!.onFrame((_t, f) => {
    const a = f.payload;
    // What tcpdump on the client's eth0 sees: what it sends, what is sent to it, and broadcasts.
    if (a.kind !== 'arp' || (f.dst !== BROADCAST_MAC && f.dst !== me && f.src !== me)) return;
    const what = a.op === ARP_REQUEST ? `Request who-has ${formatIpv4(a.targetIp)} tell ${formatIpv4(a.senderIp)}` : `Reply ${formatIpv4(a.senderIp)} is-at ${low(a.senderMac)}`;
    arp.push(`${low(f.src)} > ${f.dst === BROADCAST_MAC ? 'all' : low(f.dst)}: ${what}`);
  });
  // Four connections 0.3 s apart, each closed by the client once established (curl after its answer).
  for (let i = 0; i < 4; i++) {
    w.sim.at(SECOND + i * 0.3 * SECOND, () => client.tcp.connect({ dst: w.ip('10.0.0.80'), dport: 80 }, { onConnect: (s) => s.close() }));
  }
  w.sim.runUntil(5 * SECOND);
  let table = '';
  director.run('ipvsadm -L -n', (r) => (table = r.stdout));
  const neigh = client.nic('eth0')!.neighbours.format().map((l) => l.replace(/lladdr \S+:(\S\S) /, 'lladdr $1 '));
  return { arp, neigh, table };
}

describe('LVS-DR and the real servers\' ARP settings, recorded on Linux 6.1', () => {
  const real = recorded();

  it('arp_ignore 1, arp_announce 2: the director alone answers for the VIP; the real servers ask from their own address', () => {
    const sim = simulate('net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2');
    const rec = real.get('A')!;
    expect(sim.arp).toEqual(rec.arp);
    expect(sim.table).toBe(rec.table);
    expect(new Set(sim.neigh)).toEqual(new Set(rec.neigh));
  });

  it('arp_ignore 1, arp_announce 0: the first reply asks "tell 10.0.0.80", the client moves the VIP to that real server', () => {
    const sim = simulate('net.ipv4.conf.all.arp_ignore=1');
    const rec = real.get('B')!;
    expect(sim.arp).toEqual(rec.arp);
    expect(sim.table).toBe(rec.table);
    expect(new Set(sim.neigh)).toEqual(new Set(rec.neigh));
  });

  it('arp_ignore 0: all three answer for the VIP and the client keeps the first answer (which one comes first is the switch\'s doing)', () => {
    const sim = simulate('net.ipv4.conf.all.arp_announce=0');
    const rec = real.get('C')!;
    // The request and the same three replies; the Linux bridge floods to its ports newest first, so on the
    // recording web2's answer came first; our LAN delivers in the order the NICs were plugged in.
    expect(sim.arp[0]).toBe(rec.arp[0]);
    expect(new Set(sim.arp.slice(1, 4))).toEqual(new Set(rec.arp.slice(1, 4)));
    const first = (c: Case) => /is-at (\S\S)$/.exec(c.arp[1]!)![1];
    expect(sim.neigh.find((l) => l.startsWith('10.0.0.80 '))).toContain(`lladdr ${first(sim)} `);
    expect(rec.neigh.find((l) => l.startsWith('10.0.0.80 '))).toContain(`lladdr ${first(rec)} `);
  });
});
