import { describe, expect, it } from 'vitest';
import { ipv4, multicastMac } from '../../../src/net/addr';
import { decodeFrame, encodeFrame } from '../../../src/net/codec/ethernet';
import { makeVrrpAdvert, vrrpChecksum } from '../../../src/net/codec/vrrp';
import type { EthernetFrame, VrrpPacket } from '../../../src/net/packets';
import { fromHex, hex, HOST_MAC, VIP } from './helpers';

const SRC = ipv4('172.16.23.101');
const GROUP = ipv4('224.0.0.18');

function advertFrame(vrrp: VrrpPacket): EthernetFrame {
  return {
    dst: multicastMac(GROUP),
    src: HOST_MAC,
    payload: { kind: 'ipv4', tos: 0xc0, id: 0x1234, df: false, ttl: 255, src: SRC, dst: GROUP, payload: vrrp },
  };
}

// Expected bytes built independently with scapy 2.5 (Ether/IP/VRRP, Ether/IP/VRRPv3) and the VRRP
// checksums re-checked by hand with python3 struct: v2 0x7f75, v3 (pseudo-header) 0x042b.
const V2_PASS = '01005e0000120242ac101765080045c0002812340000ff7004eaac101765e0000012210a630101017f75ac1017503139327061737300';
const V3 = '01005e0000120242ac101765080045c0002012340000ff7004f2ac101765e0000012310a63010064042bac101750';

describe('VRRP codec', () => {
  const v2 = makeVrrpAdvert(
    { version: 2, vrid: 10, priority: 99, adverInt: 1, addresses: [VIP], authType: 1, authData: '192pass' },
    SRC,
    GROUP,
  );
  const v3 = makeVrrpAdvert({ version: 3, vrid: 10, priority: 99, adverInt: 100, addresses: [VIP] }, SRC, GROUP);

  it('encodes a keepalived-style VRRPv2 PASS advert byte for byte (40-byte IP packet)', () => {
    expect(v2.checksum).toBe(0x7f75);
    const bytes = encodeFrame(advertFrame(v2));
    expect(hex(bytes)).toBe(V2_PASS);
    expect(bytes.length).toBe(14 + 40);
  });

  it('encodes a VRRPv3 advert with the pseudo-header checksum and 12-bit centisecond interval', () => {
    expect(v3.checksum).toBe(0x042b);
    expect(hex(encodeFrame(advertFrame(v3)))).toBe(V3);
  });

  it('decodes the reference bytes back to the same packets', () => {
    expect(decodeFrame(fromHex(V2_PASS))).toEqual({ frame: advertFrame(v2) });
    expect(decodeFrame(fromHex(V3))).toEqual({ frame: advertFrame(v3) });
  });

  it('v2 checksum ignores the IP addresses; v3 depends on them', () => {
    const other = ipv4('10.9.9.9');
    expect(vrrpChecksum(v2, other, other)).toBe(v2.checksum);
    expect(vrrpChecksum(v3, other, GROUP)).not.toBe(v3.checksum);
  });

  it('zero-pads the password and writes 8 zero auth bytes for auth none', () => {
    const none = makeVrrpAdvert({ version: 2, vrid: 1, priority: 100, adverInt: 1, addresses: [VIP] }, SRC, GROUP);
    const bytes = encodeFrame(advertFrame(none));
    expect(hex(bytes.subarray(bytes.length - 8))).toBe('0000000000000000');
    expect(bytes[14 + 20 + 4]).toBe(0);
    expect(hex(encodeFrame(advertFrame(v2)).subarray(-8))).toBe(hex(new TextEncoder().encode('192pass\0')));
  });

  it('writes the packet checksum as given, so a corrupted one is visible and rejected on decode', () => {
    const bad = { ...v2, checksum: 0x1234 };
    const bytes = encodeFrame(advertFrame(bad));
    expect(hex(bytes.subarray(14 + 26, 14 + 28))).toBe('1234');
    expect(decodeFrame(bytes)).toEqual({ error: 'vrrp: bad checksum 0x1234, expected 0x7f75' });
  });

  it('rejects a v3 advert whose pseudo-header no longer matches (readdressed packet)', () => {
    const moved = advertFrame(v3);
    const readdressed = { ...moved, payload: { ...moved.payload, dst: ipv4('172.16.23.102') } } as EthernetFrame;
    expect(decodeFrame(encodeFrame(readdressed)).error).toMatch(/^vrrp: bad checksum 0x042b, expected /);
  });

  it('rejects a count of addresses that does not match the length', () => {
    const bytes = fromHex(V2_PASS);
    bytes[14 + 20 + 3] = 2;
    expect(decodeFrame(bytes).error).toBe('vrrp: length 20 does not match 2 addresses (expected 24)');
  });

  it('rejects unknown versions', () => {
    const bytes = fromHex(V2_PASS);
    bytes[14 + 20] = 0x41;
    expect(decodeFrame(bytes).error).toBe('vrrp: unsupported version 4');
  });
});
