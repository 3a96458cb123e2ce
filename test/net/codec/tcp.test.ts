import { describe, expect, it } from 'vitest';
import { ipv4 } from '../../../src/net/addr';
import { decodeFrame, encodeFrame } from '../../../src/net/codec/ethernet';
import { TCP_ACK, TCP_PSH, TCP_SYN, type EthernetFrame, type TcpSegment } from '../../../src/net/packets';
import { fromHex, hex, mac } from './helpers';

// Built independently with scapy 2.5: Ether/IP(flags=DF, id=1, ttl=64)/TCP(S, options=[MSS 1460]).
const SYN = '02000000000202000000000108004500002c00014000400626c90a0000010a0000029c400050000003e8000000006002faf0e8ba0000020405b4';

function frame(tcp: TcpSegment): EthernetFrame {
  return {
    dst: mac('02:00:00:00:00:02'),
    src: mac('02:00:00:00:00:01'),
    payload: { kind: 'ipv4', tos: 0, id: 1, df: true, ttl: 64, src: ipv4('10.0.0.1'), dst: ipv4('10.0.0.2'), payload: tcp },
  };
}

const syn: TcpSegment = {
  kind: 'tcp',
  srcPort: 40000,
  dstPort: 80,
  seq: 1000,
  ack: 0,
  flags: TCP_SYN,
  window: 64240,
  mss: 1460,
  data: new Uint8Array(0),
};

describe('TCP codec', () => {
  it('encodes a SYN with the MSS option (data offset 6) byte for byte', () => {
    expect(hex(encodeFrame(frame(syn)))).toBe(SYN);
    expect(decodeFrame(fromHex(SYN))).toEqual({ frame: frame(syn) });
  });

  it('omits options without mss (data offset 5) and carries data', () => {
    const get = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
    const seg: TcpSegment = { ...syn, mss: undefined, flags: TCP_PSH | TCP_ACK, ack: 77, seq: 0xfffffff0, data: get };
    const bytes = encodeFrame(frame(seg));
    expect(bytes[14 + 20 + 12]).toBe(0x50);
    expect(bytes.length).toBe(14 + 20 + 20 + get.length);
    const { mss: _mss, ...expected } = seg;
    expect(decodeFrame(bytes)).toEqual({ frame: frame(expected) });
  });

  it('skips NOP and unknown options when decoding, keeping the MSS', () => {
    // SYN with options NOP, NOP, SACK-permitted (4,2), MSS 1400: data offset 7; checksums redone by hand.
    const bytes = encodeFrame(frame({ ...syn, data: new Uint8Array(0) }));
    const withOpts = new Uint8Array(bytes.length + 4);
    withOpts.set(bytes.subarray(0, 14 + 20 + 20));
    withOpts.set([1, 1, 4, 2, 2, 4, 0x05, 0x78], 14 + 40);
    withOpts[14 + 3] = 20 + 28; // IP total length
    withOpts[14 + 10] = 0;
    withOpts[14 + 11] = 0;
    withOpts[14 + 20 + 12] = 0x70;
    const decoded = decodeFrame(fixChecksums(withOpts));
    expect(decoded.error).toBeUndefined();
    expect(decoded.frame?.payload.kind === 'ipv4' && decoded.frame.payload.payload).toMatchObject({ kind: 'tcp', mss: 1400 });
  });

  it('rejects an option running past the header', () => {
    const bytes = fromHex(SYN);
    bytes[14 + 20 + 21] = 5; // MSS option claims 5 bytes, only 4 left
    expect(decodeFrame(fixChecksums(bytes)).error).toBe('tcp: malformed option 2');
  });

  it('rejects a bad checksum, a bad data offset and a truncated header', () => {
    const bad = fromHex(SYN);
    bad[bad.length - 1] ^= 1;
    expect(decodeFrame(bad).error).toMatch(/^tcp: bad checksum 0xe8ba, expected 0x/);
    const offset = fromHex(SYN);
    offset[14 + 20 + 12] = 0xf0;
    expect(decodeFrame(offset).error).toBe('tcp: bad data offset 60 for 24 bytes');
    const short = fromHex(SYN).slice(0, 14 + 20 + 10);
    short[14 + 3] = 30;
    expect(decodeFrame(fixChecksums(short)).error).toBe('tcp: truncated header (10 bytes)');
  });
});

/** Recomputes the IPv4 header and TCP checksums of a hand-edited frame (independent of the codec). */
function fixChecksums(b: Uint8Array): Uint8Array {
  const sum16 = (from: number, to: number, initial: number) => {
    let s = initial;
    for (let i = from; i < to; i += 2) s += (b[i] << 8) | (i + 1 < to ? b[i + 1] : 0);
    while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
    return ~s & 0xffff;
  };
  b[24] = 0;
  b[25] = 0;
  const ip = sum16(14, 34, 0);
  b[24] = ip >>> 8;
  b[25] = ip & 0xff;
  const tcpLen = b.length - 34;
  if (tcpLen >= 18) {
    b[50] = 0;
    b[51] = 0;
    let pseudo = 6 + tcpLen;
    for (let i = 26; i < 34; i += 2) pseudo += (b[i] << 8) | b[i + 1];
    const tcp = sum16(34, b.length, pseudo);
    b[50] = tcp >>> 8;
    b[51] = tcp & 0xff;
  }
  return b;
}
