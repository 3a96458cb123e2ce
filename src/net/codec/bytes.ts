import type { Mac } from '../addr';

/**
 * Big-endian field access on a Uint8Array: plain index writes, no DataView per frame, so encoding
 * allocates exactly one buffer.
 */
export function put16(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 8;
  b[off + 1] = v;
}

export function put32(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 24;
  b[off + 1] = v >>> 16;
  b[off + 2] = v >>> 8;
  b[off + 3] = v;
}

/** MACs are 48-bit numbers: above 2^32, so split arithmetically rather than with bit operators. */
export function putMac(b: Uint8Array, off: number, mac: Mac): void {
  const lo = mac >>> 0;
  put16(b, off, (mac - lo) / 0x1_0000_0000);
  put32(b, off + 2, lo);
}

export function get16(b: Uint8Array, off: number): number {
  return (b[off] << 8) | b[off + 1];
}

export function get32(b: Uint8Array, off: number): number {
  return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
}

export function getMac(b: Uint8Array, off: number): Mac {
  return get16(b, off) * 0x1_0000_0000 + get32(b, off + 2);
}

export function hex16(v: number): string {
  return `0x${v.toString(16).padStart(4, '0')}`;
}
