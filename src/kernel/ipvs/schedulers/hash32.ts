/** GOLDEN_RATIO_32 (include/linux/hash.h). */
const GOLDEN_RATIO_32 = 0x61c88647;

/**
 * The kernel's hash_32(val, bits): the top `bits` bits of val × GOLDEN_RATIO_32 (mod 2^32). Linux 6.1's
 * sh and dh tables are indexed with it (recorded on 6.1.176; older sources multiply by 2654435761 instead).
 */
export function hash32(val: number, bits: number): number {
  return Math.imul(val >>> 0, GOLDEN_RATIO_32) >>> (32 - bits);
}
