import type { Ipv4 } from '../addr';
/**
 * The Internet checksum (RFC 1071): one's-complement sum of big-endian 16-bit words, complemented.
 * Sums are kept unfolded while accumulating (a JS number holds any packet's sum exactly) and folded once.
 */
export function onesComplementSum(bytes: Uint8Array, start: number, end: number, sum = 0): number {
  let i = start;
  for (; i + 1 < end; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (i < end) sum += bytes[i] << 8; // an odd trailing byte is padded with a zero byte
  return sum;
}

/** Folds the carries back in and complements: the value a sender writes in the checksum field. */
export function foldChecksum(sum: number): number {
  while (sum > 0xffff) {
    const low = sum % 0x10000;
    sum = low + (sum - low) / 0x10000;
  }
  return ~sum & 0xffff;
}

export function internetChecksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return foldChecksum(onesComplementSum(bytes, start, end));
}

/** Sum of the IPv4 pseudo-header that TCP, UDP and VRRPv3 prepend to their checksum. */
export function pseudoHeaderSum(src: Ipv4, dst: Ipv4, protocol: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
}

/**
 * The checksum a sender should have written for bytes[start, end) whose checksum field sits at
 * `field`, computed from the received bytes themselves (the stored field is left out of the sum).
 */
export function expectedChecksum(bytes: Uint8Array, start: number, end: number, field: number, initial = 0): number {
  const before = onesComplementSum(bytes, start, field, initial);
  return foldChecksum(onesComplementSum(bytes, field + 2, end, before));
}
