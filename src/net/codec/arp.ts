import { ARP_REPLY, ARP_REQUEST, ETHERTYPE_IPV4, type ArpPacket } from '../packets';
import { get16, get32, getMac, put16, put32, putMac } from './bytes';

/** ARP for Ethernet/IPv4 (RFC 826): hardware type 1, protocol 0x0800, sizes 6 and 4. */
export const ARP_LENGTH = 28;
const HTYPE_ETHERNET = 1;

export function writeArp(b: Uint8Array, off: number, p: ArpPacket): void {
  put16(b, off, HTYPE_ETHERNET);
  put16(b, off + 2, ETHERTYPE_IPV4);
  b[off + 4] = 6;
  b[off + 5] = 4;
  put16(b, off + 6, p.op);
  putMac(b, off + 8, p.senderMac);
  put32(b, off + 14, p.senderIp);
  putMac(b, off + 18, p.targetMac);
  put32(b, off + 24, p.targetIp);
}

/** Bytes after the 28 ARP bytes are Ethernet padding and ignored. Returns an error text on failure. */
export function decodeArp(b: Uint8Array, off: number, end: number): ArpPacket | string {
  if (end - off < ARP_LENGTH) return `arp: truncated (${end - off} of ${ARP_LENGTH} bytes)`;
  if (get16(b, off) !== HTYPE_ETHERNET || get16(b, off + 2) !== ETHERTYPE_IPV4 || b[off + 4] !== 6 || b[off + 5] !== 4) {
    return 'arp: not Ethernet/IPv4';
  }
  const op = get16(b, off + 6);
  if (op !== ARP_REQUEST && op !== ARP_REPLY) return `arp: unsupported operation ${op}`;
  return {
    kind: 'arp',
    op,
    senderMac: getMac(b, off + 8),
    senderIp: get32(b, off + 14),
    targetMac: getMac(b, off + 18),
    targetIp: get32(b, off + 24),
  };
}
