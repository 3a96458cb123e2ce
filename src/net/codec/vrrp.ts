import type { Ipv4 } from '../addr';
import { IPPROTO_VRRP, type VrrpPacket } from '../packets';
import { get16, get32, hex16, put16, put32 } from './bytes';
import { expectedChecksum, foldChecksum, pseudoHeaderSum } from './checksum';

/**
 * VRRP advertisements. v2 (RFC 3768): 8-byte header, addresses, then 8 bytes of authentication data
 * (always present; a PASS password is zero-padded), checksum over the VRRP message alone.
 * v3 (RFC 5798): 4 reserved bits + 12-bit Max Adver Int (centiseconds), no auth data, checksum over the
 * IPv4 pseudo-header and the message.
 */
export const VRRP_ADVERTISEMENT = 1;
const HEADER = 8;
const AUTH_DATA = 8;

export function vrrpLength(p: VrrpPacket): number {
  return HEADER + 4 * p.addresses.length + (p.version === 2 ? AUTH_DATA : 0);
}

/** Byte i of the v2 auth data: the password's bytes (one per char, Latin-1), zero-padded to 8. */
function authByte(p: VrrpPacket, i: number): number {
  return i < p.authData.length ? p.authData.charCodeAt(i) & 0xff : 0;
}

/** The checksum a sender puts in the packet, summed from the fields (no encoding, no allocation). */
export function vrrpChecksum(p: VrrpPacket, src: Ipv4, dst: Ipv4): number {
  let sum = (((p.version << 4) | (p.type & 0xf)) << 8) + (p.vrid & 0xff);
  sum += ((p.priority & 0xff) << 8) + (p.addresses.length & 0xff);
  for (const a of p.addresses) sum += (a >>> 16) + (a & 0xffff);
  if (p.version === 2) {
    sum += ((p.authType & 0xff) << 8) + (p.adverInt & 0xff);
    for (let i = 0; i < AUTH_DATA; i += 2) sum += (authByte(p, i) << 8) + authByte(p, i + 1);
  } else {
    sum += p.adverInt & 0xfff;
    sum += pseudoHeaderSum(src, dst, IPPROTO_VRRP, vrrpLength(p));
  }
  return foldChecksum(sum);
}

export interface VrrpAdvertFields {
  readonly version: 2 | 3;
  readonly vrid: number;
  readonly priority: number;
  /** v2: seconds. v3: centiseconds. */
  readonly adverInt: number;
  readonly addresses: readonly Ipv4[];
  /** v2 only; default 0 (none). */
  readonly authType?: number;
  /** v2 PASS password, at most 8 bytes; default ''. */
  readonly authData?: string;
}

/** An advertisement as a sender emits it, with its checksum filled in for the given IP src/dst. */
export function makeVrrpAdvert(f: VrrpAdvertFields, src: Ipv4, dst: Ipv4): VrrpPacket {
  const packet: VrrpPacket = {
    kind: 'vrrp',
    version: f.version,
    type: VRRP_ADVERTISEMENT,
    vrid: f.vrid,
    priority: f.priority,
    authType: f.version === 2 ? (f.authType ?? 0) : 0,
    authData: f.version === 2 ? (f.authData ?? '') : '',
    adverInt: f.adverInt,
    addresses: f.addresses,
    checksum: 0,
  };
  return { ...packet, checksum: vrrpChecksum(packet, src, dst) };
}

/** Writes the packet's own `checksum` field as given, so a wrong checksum shows in captures as sent. */
export function writeVrrp(b: Uint8Array, off: number, p: VrrpPacket): void {
  b[off] = (p.version << 4) | (p.type & 0xf);
  b[off + 1] = p.vrid;
  b[off + 2] = p.priority;
  b[off + 3] = p.addresses.length;
  if (p.version === 2) {
    b[off + 4] = p.authType;
    b[off + 5] = p.adverInt;
  } else {
    put16(b, off + 4, p.adverInt & 0xfff);
  }
  put16(b, off + 6, p.checksum);
  let o = off + HEADER;
  for (const a of p.addresses) {
    put32(b, o, a);
    o += 4;
  }
  if (p.version === 2) for (let i = 0; i < AUTH_DATA; i++) b[o + i] = authByte(p, i);
}

export function decodeVrrp(b: Uint8Array, off: number, end: number, src: Ipv4, dst: Ipv4): VrrpPacket | string {
  const length = end - off;
  if (length < HEADER) return `vrrp: truncated header (${length} bytes)`;
  const version = b[off] >>> 4;
  if (version !== 2 && version !== 3) return `vrrp: unsupported version ${version}`;
  const count = b[off + 3];
  const expected = HEADER + 4 * count + (version === 2 ? AUTH_DATA : 0);
  if (length !== expected) return `vrrp: length ${length} does not match ${count} addresses (expected ${expected})`;
  const checksum = get16(b, off + 6);
  const initial = version === 3 ? pseudoHeaderSum(src, dst, IPPROTO_VRRP, length) : 0;
  const good = expectedChecksum(b, off, end, off + 6, initial);
  if (checksum !== good) return `vrrp: bad checksum ${hex16(checksum)}, expected ${hex16(good)}`;
  const addresses: Ipv4[] = new Array<Ipv4>(count);
  for (let i = 0; i < count; i++) addresses[i] = get32(b, off + HEADER + 4 * i);
  let authData = '';
  if (version === 2) {
    const auth = off + HEADER + 4 * count;
    let n = AUTH_DATA;
    while (n > 0 && b[auth + n - 1] === 0) n--; // strip the zero padding only
    for (let i = 0; i < n; i++) authData += String.fromCharCode(b[auth + i]);
  }
  return {
    kind: 'vrrp',
    version,
    type: b[off] & 0xf,
    vrid: b[off + 1],
    priority: b[off + 2],
    authType: version === 2 ? b[off + 4] : 0,
    authData,
    adverInt: version === 2 ? b[off + 5] : get16(b, off + 4) & 0xfff,
    addresses,
    checksum,
  };
}
