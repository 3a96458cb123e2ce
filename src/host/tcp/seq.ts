/**
 * Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4): comparisons through the signed difference.
 * A connection keeps its sequence numbers as signed 32-bit integers (the same 32 bits): V8 holds those as
 * small integers, where unsigned ones above 2^31 (half of all ISNs) would each be a boxed double. Segments
 * carry them unsigned: `wire` on the way out, `| 0` on the way in.
 */

export function seqAdd(a: number, n: number): number {
  return (a + n) | 0;
}

/** A sequence number as a segment carries it: unsigned. */
export function wire(seq: number): number {
  return seq >>> 0;
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
