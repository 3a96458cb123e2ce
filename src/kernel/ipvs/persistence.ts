import { ipv4ToU32, maskAnd, u32ToIpv4 } from './addr';
import type { Conn } from './conn';
import type { Service } from './service';

const FTP_PORT = 21;

/** What identifies a client's persistence template, and whether the template records the dest's port. */
export interface TemplateKey {
  readonly protocol: Conn['protocol'];
  /** The client address masked with the service's persistence netmask. */
  readonly caddr: string;
  readonly vaddr: string;
  readonly vport: number;
  readonly followsDestPort: boolean;
}

/**
 * ip_vs_sched_persist's template key: <proto, client net, VIP, port> for a port service; port 0 for FTP
 * (21) and port-zero services (so every port of the VIP shares it); <IP, client net, mark, 0> for fwmark.
 */
export function templateKey(svc: Service, pkt: { saddr: string; daddr: string; dport: number; protocol: Conn['protocol'] }): TemplateKey {
  const caddr = u32ToIpv4(maskAnd(ipv4ToU32(pkt.saddr), svc.netmask));
  if (pkt.dport === svc.port) {
    const plain = svc.port !== FTP_PORT;
    return { protocol: pkt.protocol, caddr, vaddr: pkt.daddr, vport: plain ? pkt.dport : 0, followsDestPort: plain };
  }
  if (svc.fwmark) return { protocol: 'IP', caddr, vaddr: u32ToIpv4(svc.fwmark), vport: 0, followsDestPort: false };
  return { protocol: pkt.protocol, caddr, vaddr: pkt.daddr, vport: 0, followsDestPort: false };
}
