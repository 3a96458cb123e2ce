import type { Ipv4 } from '../addr';
import { IPPROTO_UDP, type UdpDatagram } from '../packets';
import { get16, hex16, put16 } from './bytes';
import { expectedChecksum, foldChecksum, onesComplementSum, pseudoHeaderSum } from './checksum';

/** UDP (RFC 768): checksum over the IPv4 pseudo-header; a computed 0 is sent as 0xffff, 0 means "none". */
const HEADER = 8;

export function udpLength(d: UdpDatagram): number {
  return HEADER + d.data.length;
}

export function writeUdp(b: Uint8Array, off: number, d: UdpDatagram, src: Ipv4, dst: Ipv4): void {
  const length = HEADER + d.data.length;
  put16(b, off, d.srcPort);
  put16(b, off + 2, d.dstPort);
  put16(b, off + 4, length);
  put16(b, off + 6, 0);
  b.set(d.data, off + HEADER);
  const sum = foldChecksum(onesComplementSum(b, off, off + length, pseudoHeaderSum(src, dst, IPPROTO_UDP, length)));
  put16(b, off + 6, sum === 0 ? 0xffff : sum);
}

export function decodeUdp(b: Uint8Array, off: number, end: number, src: Ipv4, dst: Ipv4): UdpDatagram | string {
  if (end - off < HEADER) return `udp: truncated header (${end - off} bytes)`;
  const length = get16(b, off + 4);
  if (length < HEADER || length > end - off) return `udp: length ${length} does not fit ${end - off} bytes`;
  const checksum = get16(b, off + 6);
  if (checksum !== 0) {
    const computed = expectedChecksum(b, off, off + length, off + 6, pseudoHeaderSum(src, dst, IPPROTO_UDP, length));
    const good = computed === 0 ? 0xffff : computed;
    if (checksum !== good) return `udp: bad checksum ${hex16(checksum)}, expected ${hex16(good)}`;
  }
  return { kind: 'udp', srcPort: get16(b, off), dstPort: get16(b, off + 2), data: b.slice(off + HEADER, off + length) };
}
