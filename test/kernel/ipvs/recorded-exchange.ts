import { MS, type Micros } from '../../../src/sim/time';
import type { InVerdict, Ipvs, IpvsPacket } from '../../../src/kernel/ipvs/ipvs';
import type { TcpFlags } from '../../../src/kernel/ipvs/tcp-state';

export const REC_VIP = '172.16.0.100';

/**
 * The packets of one recorded NAT connection as the director saw them: SYN 60 B in, SYN-ACK 60 B out,
 * ACK 52 B in, the server's 18-byte line 70 B out, its ACK 52 B in. Returns the SYN's verdict.
 */
export function exchange(ipvs: Ipvs, caddr: string, cport: number, vport: number, t: Micros): InVerdict {
  const seg = (flags: TcpFlags, length: number): IpvsPacket => ({
    protocol: 'TCP',
    saddr: caddr,
    sport: cport,
    daddr: REC_VIP,
    dport: vport,
    tcp: flags,
    length,
  });
  const v = ipvs.inbound(seg({ syn: true }, 60), t);
  if (v.kind !== 'forward') return v;
  const reply = (flags: TcpFlags, length: number): IpvsPacket => ({
    protocol: 'TCP',
    saddr: v.daddr,
    sport: v.dport,
    daddr: caddr,
    dport: cport,
    tcp: flags,
    length,
  });
  ipvs.outbound(reply({ syn: true, ack: true }, 60), t + MS);
  ipvs.inbound(seg({ ack: true }, 52), t + 2 * MS);
  ipvs.outbound(reply({ ack: true }, 70), t + 3 * MS);
  ipvs.inbound(seg({ ack: true }, 52), t + 4 * MS);
  return v;
}

/** Both sides close: client FIN in, server ACK+FIN out, client ACK in (what the recording's clients did). */
export function close(ipvs: Ipvs, caddr: string, cport: number, vport: number, daddr: string, dport: number, t: Micros): void {
  const seg = { protocol: 'TCP', saddr: caddr, sport: cport, daddr: REC_VIP, dport: vport } as const;
  const rep = { protocol: 'TCP', saddr: daddr, sport: dport, daddr: caddr, dport: cport } as const;
  ipvs.inbound({ ...seg, tcp: { fin: true, ack: true }, length: 52 }, t);
  ipvs.outbound({ ...rep, tcp: { fin: true, ack: true }, length: 52 }, t + MS);
  ipvs.inbound({ ...seg, tcp: { ack: true }, length: 52 }, t + 2 * MS);
}
