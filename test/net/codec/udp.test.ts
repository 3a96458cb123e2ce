import { describe, expect, it } from 'vitest';
import { ipv4 } from '../../../src/net/addr';
import { decodeFrame, encodeFrame } from '../../../src/net/codec/ethernet';
import type { EthernetFrame, UdpDatagram } from '../../../src/net/packets';
import { fromHex, hex, mac } from './helpers';

// Built independently with scapy 2.5: Ether/IP(flags=DF, id=2, ttl=64)/UDP(5353 → 53)/"hello".
const UDP = '02000000000202000000000108004500002100024000401126c80a0000010a00000214e90035000d92e168656c6c6f';

function frame(udp: UdpDatagram): EthernetFrame {
  return {
    dst: mac('02:00:00:00:00:02'),
    src: mac('02:00:00:00:00:01'),
    payload: { kind: 'ipv4', tos: 0, id: 2, df: true, ttl: 64, src: ipv4('10.0.0.1'), dst: ipv4('10.0.0.2'), payload: udp },
  };
}

const hello: UdpDatagram = { kind: 'udp', srcPort: 5353, dstPort: 53, data: new TextEncoder().encode('hello') };

describe('UDP codec', () => {
  it('encodes with the pseudo-header checksum, odd payload length included', () => {
    expect(hex(encodeFrame(frame(hello)))).toBe(UDP);
    expect(decodeFrame(fromHex(UDP))).toEqual({ frame: frame(hello) });
  });

  it('accepts a zero checksum (none) and rejects a wrong one', () => {
    const none = fromHex(UDP);
    none[14 + 26] = 0;
    none[14 + 27] = 0;
    expect(decodeFrame(none)).toEqual({ frame: frame(hello) });
    const bad = fromHex(UDP);
    bad[bad.length - 1] = 0x6e;
    expect(decodeFrame(bad).error).toBe('udp: bad checksum 0x92e1, expected 0x93e1');
  });

  it('sends a computed checksum of 0 as 0xffff', () => {
    // Pick the data word so the one's-complement sum comes to 0xffff.
    const probe = encodeFrame(frame({ ...hello, data: new Uint8Array(2) }));
    const c = (probe[14 + 26] << 8) | probe[14 + 27];
    const data = new Uint8Array([c >>> 8, c & 0xff]);
    const bytes = encodeFrame(frame({ ...hello, data }));
    expect(hex(bytes.subarray(14 + 26, 14 + 28))).toBe('ffff');
    expect(decodeFrame(bytes).error).toBeUndefined();
  });

  it('rejects a length field that does not fit the packet', () => {
    const long = fromHex(UDP);
    long[14 + 25] = 14;
    expect(decodeFrame(long).error).toBe('udp: length 14 does not fit 13 bytes');
  });
});
