import { ipv4Length, encodeIpv4 } from '../../net/codec';
import { ICMP_DEST_UNREACH, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type Ipv4Packet, type TcpSegment, type UdpDatagram } from '../../net/packets';
import type { Host } from '../../host/host';
import type { IpHook } from '../../host/ip';
import { parseIpv4, u32ToIpv4 } from './addr';
import { Ipvs, type IpvsPacket } from './ipvs';
import type { TcpFlags } from './tcp-state';
import { runIpvsadm } from './ipvsadm/command';
import { attachSyncDaemons, stopAllSyncDaemons } from './sync';

declare module '../../sim/trace' {
  interface TraceEvents {
    'ipvs.forward': { host: string; client: string; vip: string; rs: string; fwd: string };
  }
}

/** A host's IPVS, in a holder its packet hooks keep: a reboot puts a fresh one in place. */
interface IpvsSlot {
  ipvs: Ipvs;
  /** Puts the LOCAL_IN hook in the packet path while there are virtual services, takes it out otherwise. */
  readonly serviceCount: (count: number) => void;
}

const hostIpvs = new WeakMap<Host, IpvsSlot>();

/** The IPVS of a host (created with the host, like the kernel module loaded at boot). */
export function ipvsOf(host: Host): Ipvs | undefined {
  return hostIpvs.get(host)?.ipvs;
}

/**
 * A host that lost power boots with an empty IPVS: no services, no connection entries, default sysctls and
 * timeouts, no sync daemon (they were kernel threads). keepalived fills it again when it starts.
 */
export function rebootIpvs(host: Host): void {
  const slot = hostIpvs.get(host);
  if (!slot) return;
  stopAllSyncDaemons(slot.ipvs);
  slot.ipvs = new Ipvs(host.sim.now);
  slot.ipvs.onServiceCount = slot.serviceCount;
  slot.serviceCount(0);
  attachSyncDaemons(host, slot.ipvs);
}

/** The flags IPVS reads, one read-only object per combination (indexed by the header bits) rather than one per packet. */
const TCP_FLAGS: readonly TcpFlags[] = Array.from({ length: 0x20 }, (_, f) =>
  Object.freeze({ syn: (f & TCP_SYN) !== 0, ack: (f & TCP_ACK) !== 0, fin: (f & TCP_FIN) !== 0, rst: (f & TCP_RST) !== 0 }),
);

function view(pkt: Ipv4Packet): IpvsPacket | undefined {
  const p = pkt.payload;
  if (p.kind === 'tcp') {
    return {
      protocol: 'TCP',
      saddr: u32ToIpv4(pkt.src),
      sport: p.srcPort,
      daddr: u32ToIpv4(pkt.dst),
      dport: p.dstPort,
      tcp: TCP_FLAGS[p.flags & (TCP_FIN | TCP_SYN | TCP_RST | TCP_ACK)]!,
      length: ipv4Length(pkt),
    };
  }
  if (p.kind === 'udp') {
    return { protocol: 'UDP', saddr: u32ToIpv4(pkt.src), sport: p.srcPort, daddr: u32ToIpv4(pkt.dst), dport: p.dstPort, length: ipv4Length(pkt) };
  }
  return undefined;
}

/**
 * The packet with its addresses, ports and TTL rewritten (NAT), built directly in the shapes the TCP and UDP
 * stacks make rather than by spreading copies: this runs for every packet a NAT director forwards.
 */
function rewritten(pkt: Ipv4Packet, src: number, sport: number, dst: number, dport: number, ttl: number): Ipv4Packet {
  const p = pkt.payload as TcpSegment | UdpDatagram;
  let payload: TcpSegment | UdpDatagram;
  if (p.kind === 'udp') payload = { kind: 'udp', srcPort: sport, dstPort: dport, data: p.data };
  else if (p.mss === undefined) {
    payload = { kind: 'tcp', srcPort: sport, dstPort: dport, seq: p.seq, ack: p.ack, flags: p.flags, window: p.window, data: p.data };
  } else {
    payload = { kind: 'tcp', srcPort: sport, dstPort: dport, seq: p.seq, ack: p.ack, flags: p.flags, window: p.window, mss: p.mss, data: p.data };
  }
  return { kind: 'ipv4', tos: pkt.tos, id: pkt.id, df: pkt.df, ttl, src, dst, payload };
}

/**
 * Puts IPVS into a host's packet path as the kernel does (ip_vs_core.c): client packets for a virtual
 * service are taken at LOCAL_IN, before any socket, and sent to the real server (NAT: DNAT; DR: the
 * same packet to the real server's MAC); replies a NAT director forwards get their source rewritten
 * back to the VIP (SNAT) on the FORWARD path. Also gives the host's shell `ipvsadm`.
 */
export function attachIpvs(host: Host): Ipvs {
  const sim = host.sim;
  const localIn: IpHook = (pkt) => {
    const ipvs = slot.ipvs;
    const v = view(pkt);
    if (!v) return 'accept';
    const verdict = ipvs.inbound(v, sim.now);
    switch (verdict.kind) {
      case 'accept':
        return 'accept';
      case 'drop':
        return 'drop';
      case 'unreachable':
        host.ip.send({
          dst: pkt.src,
          payload: { kind: 'icmp', type: ICMP_DEST_UNREACH, code: 3, id: 0, seq: 0, data: encodeIpv4(pkt).subarray(0, 28) },
        });
        return 'drop';
      case 'forward': {
        const rs = parseIpv4(verdict.daddr)!;
        if (sim.trace.wants('ipvs.forward')) {
          sim.trace.emit('ipvs.forward', { host: host.name, client: `${v.saddr}:${v.sport}`, vip: `${v.daddr}:${v.dport}`, rs: `${verdict.daddr}:${verdict.dport}`, fwd: verdict.fwd });
        }
        if (verdict.fwd === 'masq') host.ip.route(rewritten(pkt, pkt.src, v.sport, rs, verdict.dport, pkt.ttl - 1));
        else if (verdict.fwd === 'route') host.ip.route(pkt, rs);
        else host.ip.drop(pkt, 'IPVS tunnel (IPIP) forwarding is not simulated');
        return 'stolen';
      }
    }
  };
  // Without a virtual service IPVS takes no packet at LOCAL_IN: the hook is not run for every packet of
  // every host, only where a service is configured.
  const serviceCount = (count: number): void => {
    const hooks = host.ip.hooks.localIn;
    const at = hooks.indexOf(localIn);
    if (count > 0 && at < 0) hooks.push(localIn);
    else if (count === 0 && at >= 0) hooks.splice(at, 1);
  };
  const first = new Ipvs(host.sim.now);
  first.onServiceCount = serviceCount;
  const slot: IpvsSlot = { ipvs: first, serviceCount };
  hostIpvs.set(host, slot);
  attachSyncDaemons(host, first);
  host.ip.hooks.forward.push((pkt) => {
    const ipvs = slot.ipvs;
    if (ipvs.listServices().length === 0 && ipvs.conns.size === 0) return 'accept';
    const v = view(pkt);
    if (!v) return 'accept';
    const verdict = ipvs.outbound(v, sim.now);
    if (verdict.kind !== 'snat') return 'accept';
    return rewritten(pkt, parseIpv4(verdict.saddr)!, verdict.sport, pkt.dst, v.dport, pkt.ttl);
  });
  host.shell.register('ipvsadm', (ctx) => {
    const r = runIpvsadm(slot.ipvs, ctx.argv.slice(1), sim.now);
    ctx.out(r.stdout);
    ctx.err(r.stderr);
    return r.exitCode;
  });
  return first;
}
