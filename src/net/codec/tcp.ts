import type { Ipv4 } from '../addr';
import { IPPROTO_TCP, type TcpSegment } from '../packets';
import { get16, get32, hex16, put16, put32 } from './bytes';
import { expectedChecksum, foldChecksum, onesComplementSum, pseudoHeaderSum } from './checksum';

/**
 * TCP (RFC 9293): 20-byte header, plus the 4-byte MSS option when the segment carries `mss` (senders set
 * it on SYNs only, as Linux does); urgent pointer 0; checksum over the IPv4 pseudo-header.
 */
const HEADER = 20;
const OPT_END = 0;
const OPT_NOP = 1;
const OPT_MSS = 2;

export function tcpLength(s: TcpSegment): number {
  return HEADER + (s.mss !== undefined ? 4 : 0) + s.data.length;
}

export function writeTcp(b: Uint8Array, off: number, s: TcpSegment, src: Ipv4, dst: Ipv4): void {
  const header = HEADER + (s.mss !== undefined ? 4 : 0);
  const length = header + s.data.length;
  put16(b, off, s.srcPort);
  put16(b, off + 2, s.dstPort);
  put32(b, off + 4, s.seq);
  put32(b, off + 8, s.ack);
  b[off + 12] = (header / 4) << 4;
  b[off + 13] = s.flags;
  put16(b, off + 14, s.window);
  put16(b, off + 16, 0);
  put16(b, off + 18, 0);
  if (s.mss !== undefined) {
    b[off + 20] = OPT_MSS;
    b[off + 21] = 4;
    put16(b, off + 22, s.mss);
  }
  b.set(s.data, off + header);
  const sum = pseudoHeaderSum(src, dst, IPPROTO_TCP, length); // checksum field still zero
  put16(b, off + 16, foldChecksum(onesComplementSum(b, off, off + length, sum)));
}

/** Options other than MSS are skipped (they have no place in TcpSegment). */
export function decodeTcp(b: Uint8Array, off: number, end: number, src: Ipv4, dst: Ipv4): TcpSegment | string {
  const length = end - off;
  if (length < HEADER) return `tcp: truncated header (${length} bytes)`;
  const header = (b[off + 12] >>> 4) * 4;
  if (header < HEADER || header > length) return `tcp: bad data offset ${header} for ${length} bytes`;
  const checksum = get16(b, off + 16);
  const good = expectedChecksum(b, off, end, off + 16, pseudoHeaderSum(src, dst, IPPROTO_TCP, length));
  if (checksum !== good) return `tcp: bad checksum ${hex16(checksum)}, expected ${hex16(good)}`;
  let mss: number | undefined;
  for (let o = off + HEADER; o < off + header; ) {
    const kind = b[o];
    if (kind === OPT_END) break;
    if (kind === OPT_NOP) {
      o++;
      continue;
    }
    const len = o + 1 < off + header ? b[o + 1] : 0;
    if (len < 2 || o + len > off + header) return `tcp: malformed option ${kind}`;
    if (kind === OPT_MSS && len === 4) mss = get16(b, o + 2);
    o += len;
  }
  const segment: TcpSegment = {
    kind: 'tcp',
    srcPort: get16(b, off),
    dstPort: get16(b, off + 2),
    seq: get32(b, off + 4),
    ack: get32(b, off + 8),
    flags: b[off + 13],
    window: get16(b, off + 14),
    data: b.slice(off + header, end),
  };
  return mss === undefined ? segment : { ...segment, mss };
}
