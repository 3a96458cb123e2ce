import { describe, expect, it } from 'vitest';
import { arpRequestSource, processArp, type ArpPolicy } from '../../src/host/arp';
import type { Nic } from '../../src/host/nic';
import { AddressTable } from '../../src/host/addresses';
import { ipv4 } from '../../src/net/addr';
import { ARP_REPLY, ARP_REQUEST } from '../../src/net/packets';
import { world } from './helpers';

/** eth0 10.0.0.11/24, and on lo the VIP 10.0.0.80 and an address of another network, 192.168.9.80. */
function table(): AddressTable {
  const t = new AddressTable();
  t.add({ dev: 'eth0', ip: ipv4('10.0.0.11'), prefix: 24 });
  t.add({ dev: 'lo', ip: ipv4('127.0.0.1'), prefix: 8, scope: 'host' });
  t.add({ dev: 'lo', ip: ipv4('10.0.0.80'), prefix: 32 });
  t.add({ dev: 'lo', ip: ipv4('192.168.9.80'), prefix: 32 });
  return t;
}
const announce = (n: number): ArpPolicy => ({ arpIgnore: () => 0, arpAnnounce: () => n, arpAccept: () => 0 });
const src = (n: number, packetSrc: string | undefined) =>
  arpRequestSource('eth0', ipv4('10.0.0.1'), packetSrc === undefined ? undefined : ipv4(packetSrc), table(), announce(n));

describe('arpRequestSource (arp_solicit by arp_announce)', () => {
  it('0: any local source of the waiting packet, even off the interface\'s networks', () => {
    expect(src(0, '10.0.0.80')).toBe(ipv4('10.0.0.80'));
    expect(src(0, '192.168.9.80')).toBe(ipv4('192.168.9.80'));
  });

  it('1: only a local source that shares a subnet of the interface with the target', () => {
    expect(src(1, '10.0.0.80')).toBe(ipv4('10.0.0.80'));
    expect(src(1, '192.168.9.80')).toBeUndefined();
  });

  it('2: never the packet\'s source; nor any level for a forwarded packet (source not local) or no packet (a probe)', () => {
    expect(src(2, '10.0.0.80')).toBeUndefined();
    expect(src(0, '10.0.0.1')).toBeUndefined();
    expect(src(0, undefined)).toBeUndefined();
  });
});

describe('processArp: what an ARP reply teaches', () => {
  const setup = () => {
    const w = world();
    const a = w.host('a', { eth0: { lan: 'lan', ip: '10.0.0.1/24' } });
    const b = w.host('b', { eth0: { lan: 'lan', ip: '10.0.0.2/24' } });
    const mac = b.nic('eth0')!.mac;
    const replyToA = (): void => {
      b.sendFrame('eth0', {
        dst: a.nic('eth0')!.mac,
        src: mac,
        payload: { kind: 'arp', op: ARP_REPLY, senderMac: mac, senderIp: ipv4('10.0.0.2'), targetMac: a.nic('eth0')!.mac, targetIp: ipv4('10.0.0.1') },
      });
      w.sim.runUntil(w.sim.now + 1000);
    };
    return { w, a, replyToA };
  };

  it('an unsolicited reply creates no entry (arp_accept 0), as Linux drops unsolicited ARP', () => {
    const { a, replyToA } = setup();
    replyToA();
    expect(a.nic('eth0')!.neighbours.format()).toEqual([]);
  });

  it('with arp_accept 1 it does (REACHABLE: a unicast reply); a solicited reply completes the entry of the request', () => {
    const { a, replyToA } = setup();
    a.sysctl.set('net.ipv4.conf.all.arp_accept', '1');
    replyToA();
    expect(a.nic('eth0')!.neighbours.format()).toEqual([expect.stringMatching(/^10\.0\.0\.2 dev eth0 lladdr 52:54:00:00:00:02 REACHABLE/)]);
    const { w: w2, a: a2 } = setup();
    a2.ip.send({ dst: ipv4('10.0.0.2'), payload: { kind: 'udp', srcPort: 1, dstPort: 2, data: new Uint8Array(0) } });
    w2.sim.runUntil(w2.sim.now + 1000);
    expect(a2.nic('eth0')!.neighbours.format()).toEqual([expect.stringMatching(/^10\.0\.0\.2 dev eth0 lladdr \S+ REACHABLE/)]);
  });
});

describe('processArp: which requests arp_ignore answers', () => {
  const eth0 = { name: 'eth0', mac: 0x525400000011, isLoopback: false, neighbours: { learn: () => {} } } as unknown as Nic;
  const addresses = table();
  addresses.add({ dev: 'eth0', ip: ipv4('172.16.5.11'), prefix: 24 }); // a second network on eth0
  addresses.add({ dev: 'lo', ip: ipv4('10.0.0.90'), prefix: 32, scope: 'host' });
  const answers = (level: number, target: string, sender = '10.0.0.1'): boolean =>
    processArp(
      eth0,
      { kind: 'arp', op: ARP_REQUEST, senderMac: 0x525400000001, senderIp: ipv4(sender), targetMac: 0, targetIp: ipv4(target) },
      addresses,
      { arpIgnore: () => level, arpAnnounce: () => 0, arpAccept: () => 0 },
    ) !== undefined;
  const levels = [0, 1, 2, 3, 8];

  it('the interface\'s own address in the asker\'s subnet: all but 8', () => {
    expect(levels.map((l) => answers(l, '10.0.0.11'))).toEqual([true, true, true, true, false]);
  });

  it('an address of the interface in another subnet than the asker\'s: not 2 (a probe from 0.0.0.0 passes)', () => {
    expect(levels.map((l) => answers(l, '172.16.5.11'))).toEqual([true, true, false, true, false]);
    expect(answers(2, '172.16.5.11', '0.0.0.0')).toBe(true);
  });

  it('a VIP on lo (LVS-DR): 0 and 3 answer for it, 1 and 2 do not', () => {
    expect(levels.map((l) => answers(l, '10.0.0.80'))).toEqual([true, false, false, true, false]);
  });

  it('an address of scope host: only 0', () => {
    expect(levels.map((l) => answers(l, '10.0.0.90'))).toEqual([true, false, false, false, false]);
  });

  it('a loopback address: never (a martian on eth0), whatever the level', () => {
    expect(levels.map((l) => answers(l, '127.0.0.1'))).toEqual([false, false, false, false, false]);
    expect(levels.map((l) => answers(l, '10.0.0.99'))).toEqual([false, false, false, false, false]);
  });
});
