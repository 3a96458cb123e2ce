import type { Ipv4 } from '../../net/addr';

/**
 * Mixes the 4-tuple in 32-bit integer arithmetic (no floating-point intermediate) and finishes with
 * MurmurHash3's fmix32, so that the low bits callers mask off depend on every input bit: a server's
 * connections differ only in the client's port, a client's only in its own.
 */
export function tupleHash(localIp: Ipv4, localPort: number, remoteIp: Ipv4, remotePort: number): number {
  let h = Math.imul(localIp ^ Math.imul(remoteIp, 0x9e3779b1), 0x85ebca6b) ^ ((remotePort << 16) | localPort);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
