import { describe, expect, it } from 'vitest';
import { arpRequestSource, type ArpPolicy } from '../../src/host/arp';
import { AddressTable } from '../../src/host/addresses';
import { ipv4 } from '../../src/net/addr';

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
