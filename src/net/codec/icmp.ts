import type { IcmpMessage } from '../packets';
import { get16, hex16, put16 } from './bytes';
import { expectedChecksum, internetChecksum } from './checksum';

/**
 * ICMP (RFC 792): type, code, checksum over the whole message, then 4 bytes that are the identifier and
 * sequence number for echo (`id`, `seq`) and unused (zero) for destination unreachable, then data.
 */
const HEADER = 8;

export function icmpLength(m: IcmpMessage): number {
  return HEADER + m.data.length;
}

export function writeIcmp(b: Uint8Array, off: number, m: IcmpMessage): void {
  b[off] = m.type;
  b[off + 1] = m.code;
  put16(b, off + 2, 0);
  put16(b, off + 4, m.id);
  put16(b, off + 6, m.seq);
  b.set(m.data, off + HEADER);
  put16(b, off + 2, internetChecksum(b, off, off + HEADER + m.data.length));
}

export function decodeIcmp(b: Uint8Array, off: number, end: number): IcmpMessage | string {
  if (end - off < HEADER) return `icmp: truncated header (${end - off} bytes)`;
  const checksum = get16(b, off + 2);
  const good = expectedChecksum(b, off, end, off + 2);
  if (checksum !== good) return `icmp: bad checksum ${hex16(checksum)}, expected ${hex16(good)}`;
  return {
    kind: 'icmp',
    type: b[off],
    code: b[off + 1],
    id: get16(b, off + 4),
    seq: get16(b, off + 6),
    data: b.slice(off + HEADER, end),
  };
}
