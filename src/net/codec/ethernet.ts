import { ETHERTYPE_ARP, ETHERTYPE_IPV4, type ArpPacket, type EthernetFrame, type Ipv4Packet } from '../packets';
import { ARP_LENGTH, decodeArp, writeArp } from './arp';
import { get16, getMac, put16, putMac } from './bytes';
import { decodeIpv4, ipv4Length, writeIpv4 } from './ipv4';

/**
 * Ethernet II without FCS. Frames are encoded as tcpdump shows them on the sending Linux host: NOT
 * padded to the 60-byte minimum (the NIC pads after the capture point), so a gratuitous ARP is 42 bytes.
 * Decoding accepts padded frames too: upper layers take their own lengths and ignore trailing bytes.
 */
export const ETHERNET_HEADER_LENGTH = 14;

export function frameLength(f: EthernetFrame): number {
  return ETHERNET_HEADER_LENGTH + (f.payload.kind === 'arp' ? ARP_LENGTH : ipv4Length(f.payload));
}

/** The frame's exact bytes, in one allocation. */
export function encodeFrame(f: EthernetFrame): Uint8Array {
  const b = new Uint8Array(frameLength(f));
  writeFrame(b, 0, f);
  return b;
}

/** Writes the frame's frameLength(f) bytes at b[off…] (e.g. straight into a pcap buffer). */
export function writeFrame(b: Uint8Array, off: number, f: EthernetFrame): void {
  const p = f.payload;
  putMac(b, off, f.dst);
  putMac(b, off + 6, f.src);
  if (p.kind === 'arp') {
    put16(b, off + 12, ETHERTYPE_ARP);
    writeArp(b, off + ETHERNET_HEADER_LENGTH, p);
  } else {
    put16(b, off + 12, ETHERTYPE_IPV4);
    writeIpv4(b, off + ETHERNET_HEADER_LENGTH, p, ipv4Length(p));
  }
}

export interface DecodedFrame {
  readonly frame?: EthernetFrame;
  /** Which check failed, prefixed by the layer: `ipv4: bad header checksum 0x…, expected 0x…`. */
  readonly error?: string;
}

export function decodeFrame(bytes: Uint8Array): DecodedFrame {
  if (bytes.length < ETHERNET_HEADER_LENGTH) return { error: `ethernet: truncated header (${bytes.length} bytes)` };
  const type = get16(bytes, 12);
  let payload: ArpPacket | Ipv4Packet | string;
  if (type === ETHERTYPE_ARP) payload = decodeArp(bytes, ETHERNET_HEADER_LENGTH, bytes.length);
  else if (type === ETHERTYPE_IPV4) payload = decodeIpv4(bytes, ETHERNET_HEADER_LENGTH, bytes.length);
  else return { error: `ethernet: unsupported ethertype 0x${type.toString(16).padStart(4, '0')}` };
  if (typeof payload === 'string') return { error: payload };
  return { frame: { dst: getMac(bytes, 0), src: getMac(bytes, 6), payload } };
}
