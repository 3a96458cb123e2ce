import { SECOND, type Micros } from '../../sim/time';
import { ipv4ToU32 } from './addr';
import type { Conn } from './conn';
import type { FwdMethod } from './dest';
import { IPVS_CONN_TAB_SIZE, IPVS_VERSION, type Ipvs } from './ipvs';

/** CONFIG_HZ of Debian 12's amd64 kernels: /proc/net/ip_vs prints persistence timeouts in jiffies. */
export const DEBIAN_HZ = 250;

const FWD: Readonly<Record<FwdMethod, string>> = { masq: 'Masq', route: 'Route', tunnel: 'Tunnel' };

/**
 * /proc/net/ip_vs (ip_vs_info_seq_show): addresses and ports in hex, dests in kernel list order. Services
 * come in the kernel's hash-table order, which depends on the namespace's address in memory; here:
 * address/port services in creation order, then fwmark services.
 */
export function procIpVs(ipvs: Ipvs, now: Micros, hz: number = DEBIAN_HZ): string {
  ipvs.advance(now);
  let out = `IP Virtual Server version ${IPVS_VERSION} (size=${IPVS_CONN_TAB_SIZE})\n`;
  out += 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n';
  const services = ipvs.listServices();
  for (const svc of [...services.filter((s) => !s.fwmark), ...services.filter((s) => s.fwmark)]) {
    // As recorded: two spaces after the scheduler of an address service, one after a fwmark service's.
    out += svc.fwmark
      ? `FWM  ${hex(svc.fwmark, 8)} ${svc.scheduler.name} `
      : `${svc.protocol}  ${hex(svc.addrN, 8)}:${hex(svc.port, 4)} ${svc.scheduler.name}  `;
    out += svc.persistent !== undefined ? `persistent ${svc.persistent * hz} ${hex(svc.netmask, 8)}\n` : '\n';
    for (const d of svc.dests) {
      out += `  -> ${hex(d.addrN, 8)}:${hex(d.port, 4)}      ${FWD[d.fwd].padEnd(7)} ${String(d.weight).padEnd(6)} ${String(
        d.activeConns,
      ).padEnd(10)} ${String(d.inactConns).padEnd(10)}\n`;
    }
  }
  return out;
}

/** /proc/net/ip_vs_conn (ip_vs_conn_seq_show): one entry per line, seconds left before expiry. */
export function procIpVsConn(ipvs: Ipvs, now: Micros): string {
  ipvs.advance(now);
  let out = 'Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n';
  for (const cp of ipvs.conns.entries()) out += connLine(cp, now);
  return out;
}

function connLine(cp: Conn, now: Micros): string {
  const left = String(Math.floor((cp.expires - now) / SECOND)).padStart(7);
  return `${cp.protocol.padEnd(3)} ${hex(ipv4ToU32(cp.caddr), 8)} ${hex(cp.cport, 4)} ${hex(ipv4ToU32(cp.vaddr), 8)} ${hex(
    cp.vport,
    4,
  )} ${hex(ipv4ToU32(cp.daddr), 8)} ${hex(cp.dport, 4)} ${cp.state.padEnd(11)} ${left}\n`;
}

/** /proc/net/ip_vs_stats: the namespace totals and rates, in hex. */
export function procIpVsStats(ipvs: Ipvs, now: Micros): string {
  ipvs.advance(now);
  const s = ipvs.total.shown;
  const r = ipvs.total.rates;
  const h = (n: number, w: number): string => n.toString(16).toUpperCase().padStart(w);
  return (
    '   Total Incoming Outgoing         Incoming         Outgoing\n' +
    '   Conns  Packets  Packets            Bytes            Bytes\n' +
    `${h(s.conns, 8)} ${h(s.inpkts, 8)} ${h(s.outpkts, 8)} ${h(s.inbytes, 16)} ${h(s.outbytes, 16)}\n\n` +
    ' Conns/s   Pkts/s   Pkts/s          Bytes/s          Bytes/s\n' +
    `${h(r.cps, 8)} ${h(r.inpps, 8)} ${h(r.outpps, 8)} ${h(r.inbps, 16)} ${h(r.outbps, 16)}\n`
  );
}

function hex(n: number, width: number): string {
  return (n >>> 0).toString(16).toUpperCase().padStart(width, '0');
}
