/**
 * The kernel's hsiphash on 64-bit builds: SipHash-1-3 over 64-bit words with a key of two unsigned longs,
 * folded to 32 bits (lib/siphash.c). Written from the SipHash paper; `sipHash` is the generic c-d form so
 * the round function can be checked against the paper's SipHash-2-4 test vector.
 */
const M64 = (1n << 64n) - 1n;

function rotl(x: bigint, b: bigint): bigint {
  return ((x << b) | (x >> (64n - b))) & M64;
}

export function sipHash(k0: bigint, k1: bigint, msg: Uint8Array, cRounds: number, dRounds: number): bigint {
  const v = [0x736f6d6570736575n ^ k0, 0x646f72616e646f6dn ^ k1, 0x6c7967656e657261n ^ k0, 0x7465646279746573n ^ k1];
  const round = (): void => {
    v[0] = (v[0]! + v[1]!) & M64;
    v[1] = rotl(v[1]!, 13n) ^ v[0];
    v[0] = rotl(v[0], 32n);
    v[2] = (v[2]! + v[3]!) & M64;
    v[3] = rotl(v[3]!, 16n) ^ v[2];
    v[0] = (v[0] + v[3]) & M64;
    v[3] = rotl(v[3], 21n) ^ v[0];
    v[2] = (v[2] + v[1]) & M64;
    v[1] = rotl(v[1], 17n) ^ v[2];
    v[2] = rotl(v[2], 32n);
  };
  const full = msg.length - (msg.length % 8);
  for (let i = 0; i < full; i += 8) {
    let m = 0n;
    for (let j = 7; j >= 0; j--) m = (m << 8n) | BigInt(msg[i + j]!);
    v[3] = v[3]! ^ m;
    for (let r = 0; r < cRounds; r++) round();
    v[0] = v[0]! ^ m;
  }
  let b = BigInt(msg.length & 255) << 56n;
  for (let j = msg.length - 1; j >= full; j--) b |= BigInt(msg[j]!) << BigInt(8 * (j - full));
  v[3] = v[3]! ^ b;
  for (let r = 0; r < cRounds; r++) round();
  v[0] = v[0]! ^ b;
  v[2] = v[2]! ^ 0xffn;
  for (let r = 0; r < dRounds; r++) round();
  return v[0]! ^ v[1]! ^ v[2]! ^ v[3]!;
}

/** hsiphash(&v, 4, key) of a native (little-endian) u32, as ip_vs_mh.c calls it. */
export function hsiphashU32(value: number, k0: bigint, k1: bigint): number {
  const v = value >>> 0;
  const bytes = new Uint8Array([v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255]);
  return Number(sipHash(k0, k1, bytes, 1, 3) & 0xffffffffn);
}
