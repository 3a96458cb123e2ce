/** Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4): comparisons through the signed difference. */

export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

/** b − a as a signed 32-bit distance. */
export function seqDiff(b: number, a: number): number {
  return (b - a) | 0;
}

export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

export function seqLeq(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

export function seqGt(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}
