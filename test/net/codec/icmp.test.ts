import { describe, expect, it } from 'vitest';
import { ipv4 } from '../../../src/net/addr';
import { decodeFrame, encodeFrame } from '../../../src/net/codec/ethernet';
import { ICMP_ECHO_REQUEST, type EthernetFrame, type IpPayload, type Ipv4Packet } from '../../../src/net/packets';
import { fromHex, hex, mac, unreachableFor } from './helpers';

// Built independently with scapy 2.5: Ether/IP(flags=DF, id=3, ttl=64)/ICMP(echo-request, id 0x4242, seq 1)/"abcdefgh".
const ECHO = '02000000000202000000000108004500002400034000400126d40a0000010a00000208002427424200016162636465666768';

const A = ipv4('10.0.0.1');
const B = ipv4('10.0.0.2');

function ip(payload: IpPayload, id = 3): Ipv4Packet {
  return { kind: 'ipv4', tos: 0, id, df: true, ttl: 64, src: A, dst: B, payload };
}

function frame(p: Ipv4Packet): EthernetFrame {
  return { dst: mac('02:00:00:00:00:02'), src: mac('02:00:00:00:00:01'), payload: p };
}

describe('ICMP codec', () => {
  const echo: IpPayload = {
    kind: 'icmp',
    type: ICMP_ECHO_REQUEST,
    code: 0,
    id: 0x4242,
    seq: 1,
    data: new TextEncoder().encode('abcdefgh'),
  };

  it('encodes an echo request byte for byte', () => {
    expect(hex(encodeFrame(frame(ip(echo))))).toBe(ECHO);
    expect(decodeFrame(fromHex(ECHO))).toEqual({ frame: frame(ip(echo)) });
  });

  it('round-trips a port unreachable quoting the offending UDP packet', () => {
    const offending = ip({ kind: 'udp', srcPort: 1234, dstPort: 9, data: new Uint8Array(12) }, 7);
    const reply = { ...ip(unreachableFor(offending, 3), 8), src: B, dst: A };
    const bytes = encodeFrame(frame(reply));
    expect(bytes.length).toBe(14 + 20 + 8 + 28);
    expect(decodeFrame(bytes)).toEqual({ frame: frame(reply) });
  });

  it('rejects a bad checksum and a truncated header', () => {
    const bad = fromHex(ECHO);
    bad[14 + 20 + 2] = 0;
    expect(decodeFrame(bad).error).toBe('icmp: bad checksum 0x0027, expected 0x2427');
    const short = encodeFrame(frame(ip(echo))).slice(0, 14 + 20 + 4);
    short[14 + 3] = 24;
    short[14 + 10] = 0x26; // IP header checksum for total length 24 (was 0x26d4 for 36)
    short[14 + 11] = 0xe0;
    expect(decodeFrame(short).error).toBe('icmp: truncated header (4 bytes)');
  });
});
