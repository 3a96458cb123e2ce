import { BROADCAST_MAC, ZERO_MAC, inSubnet, type Ipv4, type Mac } from '../net/addr';
import { ARP_REPLY, ARP_REQUEST, type ArpPacket, type EthernetFrame } from '../net/packets';
import type { AddressTable } from './addresses';
import type { Nic } from './nic';

/** The sysctls that shape ARP (net.ipv4.conf.{all,DEV}.arp_*), already combined as the kernel does. */
export interface ArpPolicy {
  /** 0: answer for any local address; 1: only for addresses on the receiving interface. */
  arpIgnore(dev: string): number;
  /** 0: any local source address in requests; 2: the best address for the target's subnet. */
  arpAnnounce(dev: string): number;
  arpAccept(dev: string): number;
}

/**
 * net/ipv4/arp.c arp_process, for Ethernet/IPv4: answer requests for our addresses, learn the sender
 * (create an entry on requests to us; otherwise update an existing one: a solicited reply finds the
 * INCOMPLETE entry of our request), and accept a gratuitous ARP (sender IP = target IP) as an override of
 * an existing entry. Unsolicited ARP creates entries only with arp_accept = 1.
 */
export function processArp(nic: Nic, arp: ArpPacket, addresses: AddressTable, policy: ArpPolicy): ArpPacket | undefined {
  const sip = arp.senderIp;
  const tip = arp.targetIp;
  if (sip === 0 && arp.op === ARP_REQUEST) {
    // ARP probe (duplicate address detection): answer only, learn nothing.
    return isOursToAnswer(nic, tip, sip, addresses, policy) ? reply(nic.mac, tip, arp) : undefined;
  }
  if (addresses.isLocal(sip)) return undefined; // someone claims our address: ignore (no conflict handling)
  const isGarp = sip === tip;
  const forUs = addresses.isLocal(tip);
  if (arp.op === ARP_REQUEST && forUs && isOursToAnswer(nic, tip, sip, addresses, policy)) {
    // neigh_event_ns: the asker's address is taken as it is, whatever locktime says.
    nic.neighbours.learn(sip, arp.senderMac, { create: true, confirm: false, override: true });
    return reply(nic.mac, tip, arp);
  }
  const create = (isGarp || arp.op === ARP_REPLY) && policy.arpAccept(nic.name) === 1;
  nic.neighbours.learn(sip, arp.senderMac, {
    create,
    confirm: arp.op === ARP_REPLY && forUs && arp.targetMac === nic.mac,
    override: isGarp,
  });
  return undefined;
}

/**
 * arp_ignore (net/ipv4/arp.c, the larger of conf/all and conf/DEV): 0 answers for any local address (the
 * VIP a LVS-DR real server keeps on lo included), 1 only for an address on the receiving interface, 2 only
 * for one there whose subnet holds the asker (a probe, sender 0.0.0.0, passes), 3 for any address but those
 * of scope host, 8 never; 4 to 7 are reserved and answer as 0 does.
 */
function isOursToAnswer(nic: Nic, tip: Ipv4, sip: Ipv4, addresses: AddressTable, policy: ArpPolicy): boolean {
  // a loopback address is a martian on any other interface: the kernel's route look-up refuses it first
  if (!addresses.isLocal(tip) || tip >>> 24 === 127) return false;
  switch (policy.arpIgnore(nic.name)) {
    case 1:
      return addresses.has(nic.name, tip);
    case 2:
      return addresses.of(nic.name).some((a) => a.ip === tip && (sip === 0 || inSubnet(sip, a)));
    case 3:
      return addresses.all().some((a) => a.ip === tip && a.scope !== 'host');
    case 8:
      return false;
    default:
      return true;
  }
}

/**
 * arp_solicit's sender address by arp_announce (the larger of conf/all and conf/DEV): 0 takes the waiting
 * packet's source if it is any local address (a LVS-DR real server's reply from the VIP on lo then asks
 * "who has the client? tell the VIP", and the client's ARP cache learns the VIP at the real server); 1
 * takes it only if it shares a subnet of the interface with the target; 2 never does. Undefined: the
 * interface's own address for the target (inet_select_addr), what the caller falls back to.
 */
export function arpRequestSource(dev: string, target: Ipv4, packetSrc: Ipv4 | undefined, addresses: AddressTable, policy: ArpPolicy): Ipv4 | undefined {
  if (packetSrc === undefined || !addresses.isLocal(packetSrc)) return undefined;
  const announce = policy.arpAnnounce(dev);
  if (announce === 0) return packetSrc;
  if (announce === 1 && addresses.of(dev).some((a) => inSubnet(target, a) && inSubnet(packetSrc, a))) return packetSrc;
  return undefined;
}

function reply(ourMac: Mac, tip: Ipv4, req: ArpPacket): ArpPacket {
  return { kind: 'arp', op: ARP_REPLY, senderMac: ourMac, senderIp: tip, targetMac: req.senderMac, targetIp: req.senderIp };
}

export function arpRequestFrame(nic: Nic, senderIp: Ipv4, target: Ipv4, unicastTo: Mac | undefined): EthernetFrame {
  return {
    dst: unicastTo ?? BROADCAST_MAC,
    src: nic.mac,
    payload: { kind: 'arp', op: ARP_REQUEST, senderMac: nic.mac, senderIp, targetMac: ZERO_MAC, targetIp: target },
  };
}

/** A gratuitous ARP as keepalived sends it (vrrp_arp.c): a broadcast request, target hw ff:ff:ff:ff:ff:ff. */
export function gratuitousArpFrame(mac: Mac, ip: Ipv4): EthernetFrame {
  return {
    dst: BROADCAST_MAC,
    src: mac,
    payload: { kind: 'arp', op: ARP_REQUEST, senderMac: mac, senderIp: ip, targetMac: BROADCAST_MAC, targetIp: ip },
  };
}
