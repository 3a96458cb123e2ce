import type { Ipv4 } from '../addr';
import {
  IPPROTO_ICMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPPROTO_VRRP,
  ipProtocolOf,
  type IpPayload,
  type Ipv4Packet,
} from '../packets';
import { get16, get32, hex16, put16, put32 } from './bytes';
import { expectedChecksum, internetChecksum } from './checksum';
import { decodeIcmp, icmpLength, writeIcmp } from './icmp';
import { decodeTcp, tcpLength, writeTcp } from './tcp';
import { decodeUdp, udpLength, writeUdp } from './udp';
import { decodeVrrp, vrrpLength, writeVrrp } from './vrrp';

/**
 * IPv4 (RFC 791) as Linux sends it here: IHL 5 (no options), never fragmented, DF as the packet says,
 * protocol from the payload kind, header checksum computed.
 */
export const IPV4_HEADER_LENGTH = 20;
const FLAG_DF = 0x4000;
const FLAG_MF = 0x2000;
const FRAGMENT_OFFSET = 0x1fff;

export function ipPayloadLength(p: IpPayload): number {
  switch (p.kind) {
    case 'vrrp':
      return vrrpLength(p);
    case 'tcp':
      return tcpLength(p);
    case 'udp':
      return udpLength(p);
    case 'icmp':
      return icmpLength(p);
  }
}

export function ipv4Length(p: Ipv4Packet): number {
  return IPV4_HEADER_LENGTH + ipPayloadLength(p.payload);
}

function writePayload(b: Uint8Array, off: number, p: IpPayload, src: Ipv4, dst: Ipv4): void {
  switch (p.kind) {
    case 'vrrp':
      return writeVrrp(b, off, p);
    case 'tcp':
      return writeTcp(b, off, p, src, dst);
    case 'udp':
      return writeUdp(b, off, p, src, dst);
    case 'icmp':
      return writeIcmp(b, off, p);
  }
}

export function writeIpv4(b: Uint8Array, off: number, p: Ipv4Packet, length: number): void {
  b[off] = 0x45;
  b[off + 1] = p.tos;
  put16(b, off + 2, length);
  put16(b, off + 4, p.id);
  put16(b, off + 6, p.df ? FLAG_DF : 0);
  b[off + 8] = p.ttl;
  b[off + 9] = ipProtocolOf(p.payload);
  put16(b, off + 10, 0);
  put32(b, off + 12, p.src);
  put32(b, off + 16, p.dst);
  put16(b, off + 10, internetChecksum(b, off, off + IPV4_HEADER_LENGTH));
  writePayload(b, off + IPV4_HEADER_LENGTH, p.payload, p.src, p.dst);
}

/** The packet's bytes alone, e.g. for the "IP header + 8 bytes" an ICMP error quotes. */
export function encodeIpv4(p: Ipv4Packet): Uint8Array {
  const length = ipv4Length(p);
  const b = new Uint8Array(length);
  writeIpv4(b, 0, p, length);
  return b;
}

/** Bytes past the total length (Ethernet padding) are ignored. Returns an error text on failure. */
export function decodeIpv4(b: Uint8Array, off: number, end: number): Ipv4Packet | string {
  if (end - off < IPV4_HEADER_LENGTH) return `ipv4: truncated header (${end - off} bytes)`;
  const version = b[off] >>> 4;
  if (version !== 4) return `ipv4: version ${version}`;
  const ihl = (b[off] & 0xf) * 4;
  if (ihl !== IPV4_HEADER_LENGTH) return `ipv4: options not supported (header length ${ihl})`;
  const total = get16(b, off + 2);
  if (total < IPV4_HEADER_LENGTH || total > end - off) {
    return `ipv4: total length ${total} does not fit ${end - off} bytes`;
  }
  const flags = get16(b, off + 6);
  if (flags & (FLAG_MF | FRAGMENT_OFFSET)) return 'ipv4: fragments not supported';
  const checksum = get16(b, off + 10);
  const good = expectedChecksum(b, off, off + IPV4_HEADER_LENGTH, off + 10);
  if (checksum !== good) return `ipv4: bad header checksum ${hex16(checksum)}, expected ${hex16(good)}`;
  const src = get32(b, off + 12);
  const dst = get32(b, off + 16);
  const start = off + IPV4_HEADER_LENGTH;
  const stop = off + total;
  const protocol = b[off + 9];
  let payload: IpPayload | string;
  switch (protocol) {
    case IPPROTO_VRRP:
      payload = decodeVrrp(b, start, stop, src, dst);
      break;
    case IPPROTO_TCP:
      payload = decodeTcp(b, start, stop, src, dst);
      break;
    case IPPROTO_UDP:
      payload = decodeUdp(b, start, stop, src, dst);
      break;
    case IPPROTO_ICMP:
      payload = decodeIcmp(b, start, stop);
      break;
    default:
      return `ipv4: unsupported protocol ${protocol}`;
  }
  if (typeof payload === 'string') return payload;
  return { kind: 'ipv4', tos: b[off + 1], id: get16(b, off + 4), df: (flags & FLAG_DF) !== 0, ttl: b[off + 8], src, dst, payload };
}
