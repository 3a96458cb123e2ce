import { SECOND, type Micros } from '../../../sim/time';
import { ipv4ToU32, u32ToIpv4 } from '../addr';
import type { Conn, TemplateState } from '../conn';
import type { FwdMethod } from '../dest';
import type { SyncedConn } from '../ipvs';
import { TCP_STATES, type TcpState } from '../tcp-state';
import type { SyncConnRecord } from './message';

/** include/uapi/linux/ip_vs.h connection flags (only bits 0..15 travel). */
export const IP_VS_CONN_F_MASQ = 0x0000;
export const IP_VS_CONN_F_TUNNEL = 0x0002;
export const IP_VS_CONN_F_DROUTE = 0x0003;
const IP_VS_CONN_F_FWD_MASK = 0x0007;
export const IP_VS_CONN_F_SYNC = 0x0020;
export const IP_VS_CONN_F_NOOUTPUT = 0x0080;
export const IP_VS_CONN_F_INACTIVE = 0x0100;
export const IP_VS_CONN_F_TEMPLATE = 0x1000;
export const IP_VS_CONN_F_ONE_PACKET = 0x2000;

const IPPROTO_IP = 0;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;

/** Template states (IP_VS_CTPL_S_NONE, _ASSURED). */
const TEMPLATE_STATES: readonly TemplateState[] = ['NONE', 'ASSURED'];

const FWD_BITS: Record<FwdMethod, number> = { masq: IP_VS_CONN_F_MASQ, tunnel: IP_VS_CONN_F_TUNNEL, route: IP_VS_CONN_F_DROUTE };

/** The state index the kernel keeps (TCP: enum order; UDP's single state 0; templates NONE 0 / ASSURED 1). */
export function stateIndex(cp: Conn): number {
  if (cp.template) return TEMPLATE_STATES.indexOf(cp.state as TemplateState);
  if (cp.protocol === 'TCP') return TCP_STATES.indexOf(cp.state as TcpState);
  return 0;
}

/** cp->flags without IP_VS_CONN_F_HASHED, as ip_vs_sync_conn copies them. */
export function flagsOf(cp: Conn): number {
  return (
    FWD_BITS[cp.fwd] |
    (cp.synced ? IP_VS_CONN_F_SYNC : 0) |
    (cp.noOutput ? IP_VS_CONN_F_NOOUTPUT : 0) |
    (cp.inactive ? IP_VS_CONN_F_INACTIVE : 0) |
    (cp.template ? IP_VS_CONN_F_TEMPLATE : 0) |
    (cp.onePacket ? IP_VS_CONN_F_ONE_PACKET : 0)
  );
}

/** The entry a master puts in its message: the current state's whole timeout, in seconds (cp->timeout / HZ). */
export function recordOf(cp: Conn): SyncConnRecord {
  return {
    protocol: cp.protocol === 'TCP' ? IPPROTO_TCP : cp.protocol === 'UDP' ? IPPROTO_UDP : IPPROTO_IP,
    flags: flagsOf(cp),
    state: stateIndex(cp),
    cport: cp.cport,
    vport: cp.vport,
    dport: cp.dport,
    fwmark: cp.fwmark,
    timeout: Math.floor(cp.timeout / SECOND),
    caddr: ipv4ToU32(cp.caddr),
    vaddr: ipv4ToU32(cp.vaddr),
    daddr: ipv4ToU32(cp.daddr),
  };
}

/**
 * What the backup makes of a received entry (ip_vs_proc_sync_conn): flags masked to what a backup accepts;
 * an entry of a protocol IPVS here does not handle, or with a state out of the protocol's range, is
 * skipped. Templates take any state (the kernel only logs an odd one).
 */
export function syncedOf(r: SyncConnRecord): SyncedConn | undefined {
  const template = (r.flags & IP_VS_CONN_F_TEMPLATE) !== 0;
  let protocol: Conn['protocol'];
  let state: Conn['state'];
  if (template) {
    protocol = r.protocol === IPPROTO_TCP ? 'TCP' : r.protocol === IPPROTO_UDP ? 'UDP' : 'IP';
    state = TEMPLATE_STATES[r.state] ?? 'NONE';
  } else if (r.protocol === IPPROTO_TCP) {
    protocol = 'TCP';
    const s = TCP_STATES[r.state];
    if (s === undefined) return undefined;
    state = s;
  } else if (r.protocol === IPPROTO_UDP) {
    if (r.state !== 0) return undefined;
    protocol = 'UDP';
    state = 'UDP';
  } else return undefined;
  const timeout: Micros = r.timeout * SECOND;
  return {
    protocol,
    caddr: u32ToIpv4(r.caddr),
    cport: r.cport,
    vaddr: u32ToIpv4(r.vaddr),
    vport: r.vport,
    daddr: u32ToIpv4(r.daddr),
    dport: r.dport,
    fwmark: r.fwmark,
    template,
    state,
    timeout,
    fwd: fwdOf(r.flags),
    noOutput: (r.flags & IP_VS_CONN_F_NOOUTPUT) !== 0,
    inactive: (r.flags & IP_VS_CONN_F_INACTIVE) !== 0,
  };
}

/** The method bits; LOCALNODE (1) and BYPASS (4) have no FwdMethod here and are taken as direct routing. */
function fwdOf(flags: number): FwdMethod {
  const f = flags & IP_VS_CONN_F_FWD_MASK;
  return f === IP_VS_CONN_F_MASQ ? 'masq' : f === IP_VS_CONN_F_TUNNEL ? 'tunnel' : 'route';
}
