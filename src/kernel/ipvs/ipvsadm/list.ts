import { SECOND, type Micros } from '../../../sim/time';
import { ipv4ToU32 } from '../addr';
import type { Conn } from '../conn';
import type { Dest, FwdMethod } from '../dest';
import { IPVS_CONN_TAB_SIZE, IPVS_VERSION, type Ipvs } from '../ipvs';
import type { Service } from '../service';
import { portToService } from './services-db';

/** ipvsadm's output switches (FMT_*). */
export interface ListFormat {
  readonly numeric?: boolean;
  readonly stats?: boolean;
  readonly rate?: boolean;
  readonly thresholds?: boolean;
  readonly persistentConn?: boolean;
  readonly nosort?: boolean;
  readonly exact?: boolean;
  /** `-S`: the rules that restore the table. */
  readonly rule?: boolean;
}

/** Reverse DNS for listings without -n (gethostbyaddr); none by default, so addresses print numerically. */
export type HostNamer = (addr: string) => string | undefined;

/** `ipvsadm -L` / `-S` of the whole table (list_all). */
export function listAll(ipvs: Ipvs, fmt: ListFormat, hostName?: HostNamer): string {
  let out = fmt.rule ? '' : `IP Virtual Server version ${IPVS_VERSION} (size=${IPVS_CONN_TAB_SIZE})\n`;
  const services = [...ipvs.listServices()];
  if (!fmt.nosort) services.sort(compareServices);
  out += title(fmt);
  for (const svc of services) out += serviceEntry(svc, fmt, hostName);
  return out;
}

/** `ipvsadm -L -t VIP:port`: the titles and that one service, without the version line (list_service). */
export function listService(svc: Service, fmt: ListFormat, hostName?: HostNamer): string {
  return title(fmt) + serviceEntry(svc, fmt, hostName);
}

/** `ipvsadm -L --timeout`. */
export function listTimeout(ipvs: Ipvs): string {
  const t = ipvs.timeouts;
  return `Timeout (tcp tcpfin udp): ${t.tcp.ESTABLISHED / SECOND} ${t.tcp.FIN_WAIT / SECOND} ${t.udp / SECOND}\n`;
}

/** `ipvsadm -L -c` (list_conn): one line per entry of /proc/net/ip_vs_conn, expiry as mm:ss. */
export function listConnections(ipvs: Ipvs, now: Micros, fmt: ListFormat, hostName?: HostNamer): string {
  ipvs.advance(now);
  let out = 'IPVS connection entries\n';
  out += fmt.persistentConn
    ? `pro expire ${pad('state', 11)} ${pad('source', 18)} ${pad('virtual', 18)} ${pad('destination', 18)} ${pad('pe name', 16)} pe_data\n`
    : `pro expire ${pad('state', 11)} ${pad('source', 18)} ${pad('virtual', 18)} destination\n`;
  for (const cp of ipvs.conns.entries()) out += connLine(cp, now, fmt, hostName);
  return out;
}

function connLine(cp: Conn, now: Micros, fmt: ListFormat, hostName?: HostNamer): string {
  const secs = Math.floor((cp.expires - now) / SECOND);
  const expire = `${two(Math.floor(secs / 60))}:${two(secs % 60)}`;
  const name = (addr: string, port: number): string => addrPort(addr, port, cp.protocol, fmt, hostName);
  return `${pad(cp.protocol, 3)} ${pad(expire, 6)} ${pad(cp.state, 11)} ${pad(name(cp.caddr, cp.cport), 18)} ${pad(
    name(cp.vaddr, cp.vport),
    18,
  )} ${name(cp.daddr, cp.dport)}\n`;
}

function title(fmt: ListFormat): string {
  const head = pad('Prot LocalAddress:Port', 33);
  const r = (ws: readonly string[]): string => ws.map((w) => ' ' + w.padStart(8)).join('');
  if (fmt.stats) return `${head}${r(['Conns', 'InPkts', 'OutPkts', 'InBytes', 'OutBytes'])}\n  -> RemoteAddress:Port\n`;
  if (fmt.rate) return `${head}${r(['CPS', 'InPPS', 'OutPPS', 'InBPS', 'OutBPS'])}\n  -> RemoteAddress:Port\n`;
  if (fmt.thresholds) {
    return `${head} ${pad('Uthreshold', 10)} ${pad('Lthreshold', 10)} ${pad('ActiveConn', 10)} ${pad('InActConn', 10)}\n  -> RemoteAddress:Port\n`;
  }
  if (fmt.persistentConn) {
    return `${head} ${pad('Weight', 9)} ${pad('PersistConn', 11)} ${pad('ActiveConn', 10)} ${pad('InActConn', 10)}\n  -> RemoteAddress:Port\n`;
  }
  if (fmt.rule) return '';
  return 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n';
}

function serviceEntry(svc: Service, fmt: ListFormat, hostName?: HostNamer): string {
  let name: string;
  if (svc.fwmark) name = fmt.rule ? `-f ${svc.fwmark}` : `FWM  ${svc.fwmark}`;
  else {
    const v = addrPort(svc.addr, svc.port, svc.protocol, fmt, hostName);
    name = fmt.rule ? `${svc.protocol === 'TCP' ? '-t' : '-u'} ${v}` : `${pad(svc.protocol, 4)} ${v}`.slice(0, 33);
  }

  let out: string;
  if (fmt.rule) {
    out = `-A ${name} -s ${svc.scheduler.name}`;
    if (svc.persistent !== undefined) {
      out += ` -p ${svc.persistent}`;
      if (svc.netmask !== 0xffffffff) out += ` -M ${svc.netmaskText}`;
    }
    if (svc.pe) out += ` --pe ${svc.pe}`;
    if (svc.onePacket) out += ' -o';
    const flags = schedFlagsText(svc);
    if (flags) out += ` -b ${flags}`;
  } else if (fmt.stats) {
    const s = svc.stats.shown;
    out = pad(name, 33) + [s.conns, s.inpkts, s.outpkts, s.inbytes, s.outbytes].map((n) => largeNum(n, fmt)).join('');
  } else if (fmt.rate) {
    const r = svc.stats.rates;
    out = pad(name, 33) + [r.cps, r.inpps, r.outpps, r.inbps, r.outbps].map((n) => largeNum(n, fmt)).join('');
  } else {
    out = `${name} ${svc.scheduler.name}`;
    const flags = schedFlagsText(svc);
    if (flags) out += ` (${flags})`;
    if (svc.persistent !== undefined) {
      out += ` persistent ${svc.persistent}`;
      if (svc.netmask !== 0xffffffff) out += ` mask ${svc.netmaskText}`;
      if (svc.pe) out += ` pe ${svc.pe}`;
    }
    if (svc.onePacket) out += ' ops';
  }
  out += '\n';

  const dests = [...svc.dests];
  if (!fmt.nosort) dests.sort(compareDests);
  for (const d of dests) out += destLine(svc, d, name, fmt, hostName);
  return out;
}

function destLine(svc: Service, d: Dest, svcName: string, fmt: ListFormat, hostName?: HostNamer): string {
  const full = addrPort(d.addr, d.port, svc.protocol, fmt, hostName);
  if (fmt.rule) return `-a ${svcName} -r ${full} ${FWD_SWITCH[d.fwd]} -w ${d.weight}${d.fwd === 'tunnel' ? ' --tun-type ipip' : ''}\n`;
  const dn = full.slice(0, 28);
  if (fmt.stats) {
    const s = d.stats.shown;
    return `  -> ${pad(dn, 28)}${[s.conns, s.inpkts, s.outpkts, s.inbytes, s.outbytes].map((n) => largeNum(n, fmt)).join('')}\n`;
  }
  if (fmt.rate) {
    const r = d.stats.rates;
    return `  -> ${pad(dn, 28)} ${String(r.cps).padStart(8)} ${String(r.inpps).padStart(8)} ${String(r.outpps).padStart(8)}${largeNum(
      r.inbps,
      fmt,
    )}${largeNum(r.outbps, fmt)}\n`;
  }
  if (fmt.thresholds) {
    return `  -> ${pad(dn, 28)} ${pad(String(d.uThreshold), 10)} ${pad(String(d.lThreshold), 10)} ${pad(String(d.activeConns), 10)} ${pad(String(d.inactConns), 10)}\n`;
  }
  if (fmt.persistentConn) {
    return `  -> ${pad(dn, 28)} ${pad(String(d.weight), 9)} ${pad(String(d.persistConns), 11)} ${pad(String(d.activeConns), 10)} ${pad(String(d.inactConns), 10)}\n`;
  }
  return `  -> ${pad(dn, 28)} ${pad(FWD_NAME[d.fwd], 7)} ${pad(String(d.weight), 6)} ${pad(String(d.activeConns), 10)} ${pad(String(d.inactConns), 10)}\n`;
}

const FWD_NAME: Readonly<Record<FwdMethod, string>> = { masq: 'Masq', route: 'Route', tunnel: 'Tunnel' };
const FWD_SWITCH: Readonly<Record<FwdMethod, string>> = { masq: '-m', route: '-g', tunnel: '-i' };

/** " (sh-fallback,sh-port)": names for sh and mh, flag-N for any other scheduler. */
function schedFlagsText(svc: Service): string {
  const f = svc.schedFlags;
  const s = svc.scheduler.name;
  const names = s === 'sh' || s === 'mh' ? [`${s}-fallback`, `${s}-port`, 'flag-3'] : ['flag-1', 'flag-2', 'flag-3'];
  return [f.sched1, f.sched2, f.sched3]
    .map((on, i) => (on ? names[i] : undefined))
    .filter((x) => x !== undefined)
    .join(',');
}

/** print_largenum: 9 wide; from 10^8 on scaled to K/M/G/T unless --exact. */
function largeNum(n: number, fmt: ListFormat): string {
  if (fmt.exact) {
    const s = String(n);
    return s.padStart(s.length <= 8 ? 9 : s.length + 1);
  }
  if (n < 1e8) return String(n).padStart(9);
  if (n < 1e9) return `${String(Math.floor(n / 1e3)).padStart(8)}K`;
  if (n < 1e11) return `${String(Math.floor(n / 1e6)).padStart(8)}M`;
  if (n < 1e14) return `${String(Math.floor(n / 1e9)).padStart(8)}G`;
  return `${String(Math.floor(n / 1e12)).padStart(8)}T`;
}

/** addrport_to_anyname: "addr:port" with -n, else host and service names where known. */
function addrPort(addr: string, port: number, protocol: string, fmt: ListFormat, hostName?: HostNamer): string {
  if (fmt.numeric) return `${addr}:${port}`;
  return `${hostName?.(addr) ?? addr}:${portToService(port, protocol) ?? port}`;
}

/**
 * ipvs_cmp_services: fwmark, family, protocol number, address, port, each as a C int difference; the
 * address difference wraps in 32 bits as in libipvs (so 10.x sorts after 192.168.x).
 */
function compareServices(a: Service, b: Service): number {
  return (
    a.fwmark - b.fwmark ||
    PROTO_NUM[a.protocol] - PROTO_NUM[b.protocol] ||
    (ipv4ToU32(a.addr) - ipv4ToU32(b.addr)) | 0 ||
    a.port - b.port
  );
}

function compareDests(a: Dest, b: Dest): number {
  return (a.addrN - b.addrN) | 0 || a.port - b.port;
}

const PROTO_NUM: Readonly<Record<string, number>> = { TCP: 6, UDP: 17 };

function pad(s: string, w: number): string {
  return s.padEnd(w);
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}
