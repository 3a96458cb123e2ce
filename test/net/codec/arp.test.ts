import { describe, expect, it } from 'vitest';
import { BROADCAST_MAC } from '../../../src/net/addr';
import { decodeFrame, encodeFrame } from '../../../src/net/codec/ethernet';
import { ARP_REQUEST, type EthernetFrame } from '../../../src/net/packets';
import { fromHex, hex, HOST_MAC, VIP } from './helpers';

// keepalived's gratuitous ARP (vrrp_arp.c): request, sender = (MAC, VIP), target hw broadcast, target IP
// = VIP, to broadcast. Expected bytes built independently with scapy 2.5 (Ether/ARP).
const GARP = 'ffffffffffff0242ac101765080600010800060400010242ac101765ac101750ffffffffffffac101750';

const garp: EthernetFrame = {
  dst: BROADCAST_MAC,
  src: HOST_MAC,
  payload: { kind: 'arp', op: ARP_REQUEST, senderMac: HOST_MAC, senderIp: VIP, targetMac: BROADCAST_MAC, targetIp: VIP },
};

describe('ARP codec', () => {
  it('encodes a gratuitous ARP as the unpadded 42 bytes tcpdump shows on the sender', () => {
    const bytes = encodeFrame(garp);
    expect(bytes.length).toBe(42);
    expect(hex(bytes)).toBe(GARP);
  });

  it('decodes it back, and accepts the 60-byte padded form a receiver sees', () => {
    expect(decodeFrame(fromHex(GARP))).toEqual({ frame: garp });
    expect(decodeFrame(fromHex(GARP + '00'.repeat(18)))).toEqual({ frame: garp });
  });

  it('rejects truncated, non-Ethernet/IPv4 and unknown-operation ARP', () => {
    expect(decodeFrame(fromHex(GARP.slice(0, -2))).error).toBe('arp: truncated (27 of 28 bytes)');
    const ipv6ish = fromHex(GARP);
    ipv6ish[14 + 5] = 16;
    expect(decodeFrame(ipv6ish).error).toBe('arp: not Ethernet/IPv4');
    const rarp = fromHex(GARP);
    rarp[14 + 7] = 3;
    expect(decodeFrame(rarp).error).toBe('arp: unsupported operation 3');
  });
});
