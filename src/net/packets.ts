import type { Ipv4, Mac } from './addr';

/**
 * Frames travel through the simulation as structured objects (no per-hop encoding); the codecs in this
 * folder turn them into the exact bytes a real stack puts on the wire, for pcap and checksums.
 * Objects are treated as immutable once sent: a forwarding host makes a new one.
 */
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;

export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_VRRP = 112;

export interface EthernetFrame {
  readonly dst: Mac;
  readonly src: Mac;
  readonly payload: ArpPacket | Ipv4Packet;
}

export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;

export interface ArpPacket {
  readonly kind: 'arp';
  readonly op: typeof ARP_REQUEST | typeof ARP_REPLY;
  readonly senderMac: Mac;
  readonly senderIp: Ipv4;
  readonly targetMac: Mac;
  readonly targetIp: Ipv4;
}

export interface Ipv4Packet {
  readonly kind: 'ipv4';
  readonly tos: number;
  readonly id: number;
  /** Don't Fragment. */
  readonly df: boolean;
  readonly ttl: number;
  readonly src: Ipv4;
  readonly dst: Ipv4;
  readonly payload: IpPayload;
}

export type IpPayload = VrrpPacket | TcpSegment | UdpDatagram | IcmpMessage;

export interface VrrpPacket {
  readonly kind: 'vrrp';
  readonly version: 2 | 3;
  /** 1 = ADVERTISEMENT, the only type. */
  readonly type: number;
  readonly vrid: number;
  readonly priority: number;
  /** v2: auth type 0 none, 1 simple text password (PASS), 2 IP AH. Always 0 in v3. */
  readonly authType: number;
  /** v2 PASS: the password, at most 8 bytes (zero-padded on the wire). */
  readonly authData: string;
  /** v2: seconds (8 bits). v3: centiseconds (12 bits). As on the wire. */
  readonly adverInt: number;
  readonly addresses: readonly Ipv4[];
  /**
   * The checksum as sent. Senders fill in the right one (the codec computes it); a receiver compares it
   * with the codec's result to validate, like keepalived does.
   */
  readonly checksum: number;
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export interface TcpSegment {
  readonly kind: 'tcp';
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly ack: number;
  readonly flags: number;
  readonly window: number;
  /** MSS option on SYN segments (Linux sends 1460 on Ethernet). */
  readonly mss?: number;
  readonly data: Uint8Array;
}

export interface UdpDatagram {
  readonly kind: 'udp';
  readonly srcPort: number;
  readonly dstPort: number;
  readonly data: Uint8Array;
}

export const ICMP_ECHO_REPLY = 0;
export const ICMP_DEST_UNREACH = 3;
export const ICMP_ECHO_REQUEST = 8;

export interface IcmpMessage {
  readonly kind: 'icmp';
  readonly type: number;
  readonly code: number;
  /** Echo: identifier and sequence number. */
  readonly id: number;
  readonly seq: number;
  /** Echo payload, or for errors the offending IP header + 8 bytes (encoded). */
  readonly data: Uint8Array;
}

export function ipProtocolOf(p: IpPayload): number {
  switch (p.kind) {
    case 'vrrp':
      return IPPROTO_VRRP;
    case 'tcp':
      return IPPROTO_TCP;
    case 'udp':
      return IPPROTO_UDP;
    case 'icmp':
      return IPPROTO_ICMP;
  }
}
