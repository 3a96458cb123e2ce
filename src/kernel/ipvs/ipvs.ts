import { SECOND, type Micros } from '../../sim/time';
import { ipv4ToU32, parseIpv4 } from './addr';
import type { Conn } from './conn';
import { ConnTable, type SyncedFlags } from './conn-table';
import { Dest, type DestSpec, type FwdMethod } from './dest';
import { DestTrash } from './dest-trash';
import { IpvsError } from './errors';
import { createScheduler } from './schedulers';
import { templateKey } from './persistence';
import { flagsOf, Service, serviceKeyText, type Protocol, type ServiceKey, type ServiceSpec } from './service';
import { ESTIMATOR_PERIOD, IpvsStats } from './stats';
import { setConnState } from './conn-state';
import { ProtoTimeouts, type TcpFlags, type TcpState } from './tcp-state';

/** IP_VS_VERSION_CODE 1.2.1 and the connection hash size 2^CONFIG_IP_VS_TAB_BITS (12), as ipvsadm prints. */
export const IPVS_VERSION = '1.2.1';
export const IPVS_CONN_TAB_SIZE = 4096;

/** /proc/sys/net/ipv4/vs/* that change decisions; defaults as in the kernel. */
export interface IpvsSysctls {
  expireNodestConn: boolean;
  expireQuiescentTemplate: boolean;
  /** Bitmap: 1 = reschedule a SYN that reuses a TIME_WAIT/CLOSE entry; 2 = also DR/TUN entries in FIN_WAIT. */
  connReuseMode: number;
  /** Create entries on any TCP packet, not only SYN (useful after a failover without sync). */
  sloppyTcp: boolean;
  /** sync_threshold: an entry is synced at its Nth client packet … */
  syncThreshold: number;
  /** … and every sync_period packets after (0: only at the threshold and on state changes). */
  syncPeriod: number;
}

/**
 * The master sync daemon's hook (ip_vs_sync_conn): called after each client packet an entry handled, with
 * its packet count, and for a template re-armed because it still controls entries.
 */
export type SyncMasterHook = (cp: Conn, pkts: number, now: Micros) => void;

/** One entry of a sync message as the backup applies it (ip_vs_proc_conn's arguments). */
export interface SyncedConn extends SyncedFlags {
  readonly protocol: Conn['protocol'];
  readonly caddr: string;
  readonly cport: number;
  readonly vaddr: string;
  readonly vport: number;
  readonly daddr: string;
  readonly dport: number;
  readonly fwmark: number;
  readonly template: boolean;
  readonly state: Conn['state'];
  /** The master's timeout for the entry; 0 = the protocol's table (3 minutes for a template). */
  readonly timeout: Micros;
}

/** A template whose sync message carried no timeout (version 0 messages) lives 3 minutes. */
const SYNC_TEMPLATE_TIMEOUT = 180 * SECOND;

/** A packet as IPVS sees it at the director. `length` is the IP datagram size (byte counters). */
export interface IpvsPacket {
  readonly protocol: Protocol;
  readonly saddr: string;
  readonly sport: number;
  readonly daddr: string;
  readonly dport: number;
  readonly fwmark?: number;
  readonly tcp?: TcpFlags;
  readonly length: number;
}

/**
 * What the host does with a client→service packet (ip_vs_in's verdicts):
 * - accept: not IPVS's: the local stack takes it (RST if the VIP is local and nothing listens);
 * - forward: send to conn.daddr:conn.dport by `fwd` (masq: DNAT; route: only the MAC changes;
 *   tunnel: IPIP to daddr; a daddr local to the director is delivered to its own stack);
 * - unreachable: ip_vs_leave: answer ICMP destination unreachable / port unreachable (3/3), drop;
 * - drop: silently dropped (its real server was removed).
 */
export type InVerdict =
  | { readonly kind: 'accept' }
  | { readonly kind: 'forward'; readonly conn: Conn; readonly fwd: FwdMethod; readonly daddr: string; readonly dport: number }
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'drop' };

/**
 * A real server's packet passing the director (ip_vs_out): snat = a NAT reply, rewrite its source to
 * saddr:sport; observed = a DR/TUN reply routed through the director (source already the VIP), counted and
 * fed to the state machine, forwarded unchanged; accept = not IPVS's.
 */
export type OutVerdict =
  | { readonly kind: 'accept' }
  | { readonly kind: 'snat'; readonly conn: Conn; readonly saddr: string; readonly sport: number }
  | { readonly kind: 'observed'; readonly conn: Conn };

/**
 * The IPVS state of one network namespace: virtual services with their real servers and schedulers, the
 * connection table with IPVS's TCP state machine and persistence templates, counters and rate estimates.
 * Pure: time is passed in (µs) by every call, and whatever fell due before it (entry timeouts, estimator
 * steps) is applied first. Control calls throw IpvsError with the kernel's errno.
 */
export class Ipvs {
  readonly sysctl: IpvsSysctls = {
    expireNodestConn: false,
    expireQuiescentTemplate: false,
    connReuseMode: 1,
    sloppyTcp: false,
    syncThreshold: 3,
    syncPeriod: 50,
  };
  readonly timeouts = new ProtoTimeouts();
  readonly conns = new ConnTable();
  /** Everything this namespace's IPVS handled (tot_stats, /proc/net/ip_vs_stats). */
  readonly total = new IpvsStats();
  private readonly services: Service[] = [];
  private readonly trash = new DestTrash();
  private nextTick: Micros;
  /** Set while a master sync daemon runs (sync_state & IP_VS_STATE_MASTER). */
  syncMaster: SyncMasterHook | undefined;
  /** Told the number of virtual services whenever it changes (the packet hooks follow it). */
  onServiceCount: ((count: number) => void) | undefined;

  constructor(created: Micros = 0) {
    this.nextTick = created + ESTIMATOR_PERIOD;
    this.conns.onExpireLater = (ct, at) => this.syncMaster?.(ct, this.sysctl.syncThreshold, at);
  }

  /** Applies what fell due up to now: entry timeouts and 2-second estimator steps. */
  advance(now: Micros): void {
    // The trash timer depends on which entries are gone by each of its runs: interleave.
    for (let t = this.trash.due; t !== undefined && t <= now; t = this.trash.due) {
      this.conns.expire(t);
      this.trash.run();
    }
    this.conns.expire(now);
    if (this.nextTick > now) return;
    const all = this.allStats();
    while (this.nextTick <= now) {
      // Once every average has decayed to 0 and nothing moved, the remaining steps change nothing.
      if (all.every((s) => s.idle)) {
        this.nextTick += Math.floor((now - this.nextTick) / ESTIMATOR_PERIOD + 1) * ESTIMATOR_PERIOD;
        return;
      }
      for (const s of all) s.estimate();
      this.nextTick += ESTIMATOR_PERIOD;
    }
  }

  /** Time of the next entry timeout, so the host can arm a single simulator timer. */
  nextExpiry(): Micros | undefined {
    return this.conns.nextExpiry();
  }

  // ---- control (what ipvsadm and keepalived do over netlink) ----

  /** Services in kernel table order (ipvsadm sorts its own listing). */
  listServices(): readonly Service[] {
    return this.services;
  }

  getService(key: ServiceKey): Service | undefined {
    const fwmark = key.fwmark ?? 0;
    return this.services.find((s) =>
      fwmark ? s.fwmark === fwmark : !s.fwmark && s.protocol === key.protocol && s.addr === key.addr && s.port === key.port,
    );
  }

  addService(spec: ServiceSpec, now: Micros): Service {
    this.advance(now);
    if (this.getService(spec)) throw new IpvsError('EEXIST', `service ${serviceKeyText(spec)} exists`);
    checkAddress(spec);
    const svc = new Service(spec);
    const sched = createScheduler(spec.scheduler, svc, now);
    if (!sched) throw new IpvsError('ENOENT', `Scheduler module ip_vs_${spec.scheduler} not found`);
    if (spec.pe && spec.pe !== 'sip') throw new IpvsError('ENOENT', `persistence engine module ip_vs_pe_${spec.pe} not found`);
    svc.scheduler = sched;
    this.services.push(svc);
    this.onServiceCount?.(this.services.length);
    return svc;
  }

  editService(spec: ServiceSpec, now: Micros): void {
    this.advance(now);
    const svc = this.mustService(spec);
    if (spec.pe && spec.pe !== 'sip') throw new IpvsError('ENOENT', `persistence engine module ip_vs_pe_${spec.pe} not found`);
    if (spec.scheduler !== svc.scheduler.name) {
      const sched = createScheduler(spec.scheduler, svc, now);
      if (!sched) throw new IpvsError('ENOENT', `Scheduler module ip_vs_${spec.scheduler} not found`);
      svc.scheduler = sched;
    }
    svc.persistent = spec.persistent;
    svc.netmask = ipv4ToU32(spec.netmask ?? '255.255.255.255');
    svc.schedFlags = flagsOf(spec.schedFlags);
    svc.onePacket = spec.onePacket ?? false;
    svc.pe = spec.pe ?? '';
  }

  deleteService(key: ServiceKey, now: Micros): void {
    this.advance(now);
    const svc = this.mustService(key);
    while (svc.dests.length) this.unlinkDest(svc, svc.dests[0]!, now, false);
    this.services.splice(this.services.indexOf(svc), 1);
    this.onServiceCount?.(this.services.length);
    if (this.sysctl.expireNodestConn) this.flushNodest(now);
  }

  /** `ipvsadm -C`. */
  flush(now: Micros): void {
    for (const svc of [...this.services]) this.deleteService(svc, now);
  }

  /** `ipvsadm -Z [service]`: counters and rates restart (all of them, the total too, without a service). */
  zero(key: ServiceKey | undefined, now: Micros): void {
    this.advance(now);
    if (!key) this.total.zero();
    for (const svc of key ? [this.mustService(key)] : this.services) {
      svc.stats.zero();
      for (const d of svc.dests) d.stats.zero();
    }
  }

  addDest(key: ServiceKey, spec: DestSpec, now: Micros): Dest {
    this.advance(now);
    const svc = this.mustService(key);
    checkDestSpec(spec);
    if (svc.findDest(spec.addr, spec.port)) throw new IpvsError('EEXIST', `dest ${spec.addr}:${spec.port} exists`);
    let dest = this.trash.take(svc, spec.addr, spec.port);
    if (dest) {
      if (dest.svc !== svc) {
        dest.stats.reset();
        dest.svc = svc;
      }
    } else {
      const a = parseIpv4(spec.addr);
      if (a === undefined || a === 0 || a >= 0xe0000000) throw new IpvsError('EINVAL', `${spec.addr} is not unicast`);
      dest = new Dest(spec.addr, spec.port, svc);
    }
    updateDest(dest, spec, true);
    svc.dests.unshift(dest);
    svc.scheduler.addDest?.(svc, dest);
    return dest;
  }

  editDest(key: ServiceKey, spec: DestSpec, now: Micros): void {
    this.advance(now);
    const svc = this.mustService(key);
    checkDestSpec(spec);
    const dest = svc.findDest(spec.addr, spec.port);
    if (!dest) throw new IpvsError('ENOENT', `no dest ${spec.addr}:${spec.port}`);
    updateDest(dest, spec, false);
    svc.scheduler.updDest?.(svc, dest);
  }

  deleteDest(key: ServiceKey, addr: string, port: number, now: Micros): void {
    this.advance(now);
    const svc = this.mustService(key);
    const dest = svc.findDest(addr, port);
    if (!dest) throw new IpvsError('ENOENT', `no dest ${addr}:${port}`);
    this.unlinkDest(svc, dest, now, true);
    if (this.sysctl.expireNodestConn) this.flushNodest(now);
  }

  /**
   * With expire_nodest_conn, deleting a dest (or a service) also flushes the table (Linux >= 5.9,
   * ip_vs_expire_nodest_conn_flush): every entry whose dest is gone and that controls nothing is deleted,
   * on any service, and a template goes with its last controlled entry.
   */
  private flushNodest(now: Micros): void {
    for (const cp of this.conns.entries()) {
      const d = cp.dest;
      if (!d || d.available || cp.nControl > 0 || !this.conns.has(cp)) continue;
      const ct = cp.control;
      this.conns.remove(cp, now);
      if (ct && ct.nControl === 0) this.conns.remove(ct, now);
    }
  }

  /** `ipvsadm --set tcp tcpfin udp` (seconds; 0 leaves a value unchanged). */
  setProtocolTimeouts(tcp: number, tcpFin: number, udp: number): void {
    if (tcp) this.timeouts.tcp.ESTABLISHED = tcp * SECOND;
    if (tcpFin) this.timeouts.tcp.FIN_WAIT = tcpFin * SECOND;
    if (udp) this.timeouts.udp = udp * SECOND;
  }

  // ---- packet path (ip_vs_core.c) ----

  /** A packet addressed to the director (client → virtual service): ip_vs_in. */
  inbound(pkt: IpvsPacket, now: Micros): InVerdict {
    this.advance(now);
    const proto = pkt.protocol;
    let cp = this.conns.lookupIn(proto, pkt.saddr, pkt.sport, pkt.daddr, pkt.dport);

    // A SYN reusing the ports of an old entry: reschedule when that is safe (conn_reuse_mode). Entries
    // under a persistence template keep following it; an entry controlling others is not expired.
    if (cp && !cp.control && proto === 'TCP' && pkt.tcp?.syn) {
      const weightless = this.sysctl.expireNodestConn && cp.dest !== undefined && cp.dest.weight === 0;
      if (weightless || (this.sysctl.connReuseMode && this.newConnExpected(cp))) {
        if (cp.nControl === 0) this.conns.expireNow(cp, now);
        cp = undefined;
      }
    }

    if (!cp) {
      const scheduled = this.trySchedule(pkt, now);
      if (scheduled.kind !== 'conn') return scheduled;
      cp = scheduled.conn;
    }

    if (cp.dest && !cp.dest.available) {
      // Its real server was removed: drop without refreshing the timer (or expire at once).
      if (this.sysctl.expireNodestConn) this.conns.expireNow(cp, now);
      return { kind: 'drop' };
    }

    this.countIn(cp, pkt.length);
    setConnState(cp, 'input', pkt.tcp, this.timeouts);
    // A one-packet entry is released with its packet; others restart their timer.
    if (cp.onePacket) this.conns.expireNow(cp, now);
    else this.conns.touch(cp, now);
    // One-packet entries are never synced themselves: the master daemon only looks at their template.
    const pkts = cp.onePacket ? this.sysctl.syncThreshold : ++cp.inPkts;
    if (this.syncMaster) this.syncMaster(cp, pkts, now);
    else if (cp.onePacket && cp.control) cp.control.inPkts++;
    return { kind: 'forward', conn: cp, fwd: cp.fwd, daddr: cp.daddr, dport: cp.dport };
  }

  /**
   * The backup sync daemon applies one synced entry (ip_vs_proc_conn): an existing entry gets the state,
   * activity and timeout; a new one is bound to the matching real server if this director has it, and is
   * kept unbound otherwise (it still forwards by the master's method). An entry for the same client but
   * another real server is replaced, unless the message is the old one's (inactive) last word.
   */
  syncConn(s: SyncedConn, now: Micros): Conn | undefined {
    this.advance(now);
    let cp: Conn | undefined;
    if (!s.template) {
      cp = this.conns.lookupIn(s.protocol, s.caddr, s.cport, s.vaddr, s.vport);
      if (cp && (cp.dport !== s.dport || cp.daddr !== s.daddr)) {
        if (s.inactive) return undefined;
        this.conns.expireNow(cp, now);
        cp = undefined;
      }
    } else {
      cp = this.conns.lookupTemplate(s.protocol, s.caddr, s.vaddr, s.vport);
    }
    if (cp) {
      const d = cp.dest;
      if (!s.template && d && cp.inactive !== s.inactive) {
        if (s.inactive) {
          d.activeConns--;
          d.inactConns++;
        } else {
          d.activeConns++;
          d.inactConns--;
        }
      }
      cp.inactive = s.inactive;
      if (!d) {
        const found = this.findSyncDest(s);
        if (found) this.conns.bindSynced(cp, found);
      }
    } else {
      cp = this.conns.create(
        {
          protocol: s.protocol,
          caddr: s.caddr,
          cport: s.cport,
          vaddr: s.vaddr,
          vport: s.vport,
          daddr: s.daddr,
          dport: s.dport,
          fwmark: s.fwmark,
          template: s.template,
          state: s.state,
          onePacket: false,
          timeout: 3 * SECOND,
          dest: this.findSyncDest(s),
        },
        now,
        s,
      );
    }
    cp.inPkts = this.sysctl.syncThreshold;
    cp.state = s.state;
    if (s.timeout) cp.timeout = s.timeout;
    else if (s.template) cp.timeout = SYNC_TEMPLATE_TIMEOUT;
    else cp.timeout = s.protocol === 'UDP' ? this.timeouts.udp : this.timeouts.tcp[s.state as TcpState];
    this.conns.touch(cp, now);
    return cp;
  }

  /**
   * ip_vs_find_dest: the service by fwmark or protocol/VIP/port (then a port-zero one), then the real
   * server by address and port (port 0 for a non-NAT fwmark entry), retried with the other of the two.
   */
  private findSyncDest(s: SyncedConn): Dest | undefined {
    const svc =
      (s.fwmark ? this.services.find((v) => v.fwmark === s.fwmark) : undefined) ??
      (s.protocol === 'IP' ? undefined : this.getService({ protocol: s.protocol, addr: s.vaddr, port: s.vport })) ??
      (s.protocol === 'IP' ? undefined : this.getService({ protocol: s.protocol, addr: s.vaddr, port: 0 }));
    if (!svc) return undefined;
    const port = s.fwmark && s.fwd !== 'masq' ? 0 : s.dport;
    return svc.findDest(s.daddr, port) ?? svc.findDest(s.daddr, port ^ s.dport);
  }

  /**
   * A packet from a real server that the director forwards: ip_vs_out. NAT entries match on the real
   * server's address, DR/TUN entries (Linux >= 5.10) on the VIP their replies carry as source.
   */
  outbound(pkt: IpvsPacket, now: Micros): OutVerdict {
    this.advance(now);
    const cp = this.conns.lookupOut(pkt.protocol, pkt.saddr, pkt.sport, pkt.daddr, pkt.dport);
    if (!cp) return { kind: 'accept' };
    const d = cp.dest;
    if (d && d.available) {
      countOut(d.stats, pkt.length);
      countOut(d.svc.stats, pkt.length);
      countOut(this.total, pkt.length);
    }
    setConnState(cp, 'output', pkt.tcp, this.timeouts);
    this.conns.touch(cp, now);
    return cp.fwd === 'masq' ? { kind: 'snat', conn: cp, saddr: cp.vaddr, sport: cp.vport } : { kind: 'observed', conn: cp };
  }

  /** The virtual service a packet is for: fwmark first, then protocol/VIP/port, then a port-zero service. */
  findService(pkt: IpvsPacket): Service | undefined {
    if (pkt.fwmark) {
      const f = this.services.find((s) => s.fwmark === pkt.fwmark);
      if (f) return f;
    }
    return (
      this.getService({ protocol: pkt.protocol, addr: pkt.daddr, port: pkt.dport }) ??
      this.getService({ protocol: pkt.protocol, addr: pkt.daddr, port: 0 })
    );
  }

  private trySchedule(pkt: IpvsPacket, now: Micros): InVerdict | { kind: 'conn'; conn: Conn } {
    if (pkt.protocol === 'TCP') {
      const f = pkt.tcp ?? {};
      if (!(f.syn || this.sysctl.sloppyTcp) || f.rst) return { kind: 'accept' };
    }
    const svc = this.findService(pkt);
    if (!svc) return { kind: 'accept' };
    const conn = svc.persistent !== undefined ? this.schedulePersist(svc, pkt, now) : this.scheduleNew(svc, pkt, now);
    return conn ? { kind: 'conn', conn } : { kind: 'unreachable' };
  }

  /** ip_vs_schedule for a non-persistent service. */
  private scheduleNew(svc: Service, pkt: IpvsPacket, now: Micros): Conn | undefined {
    if (!svc.fwmark && pkt.dport !== svc.port) return undefined;
    const dest = svc.scheduler.schedule(svc, schedPacket(pkt), now);
    if (!dest) return undefined;
    const cp = this.newConn(pkt, dest, dest.port || pkt.dport, svc, now);
    svc.stats.live.conns++;
    dest.stats.live.conns++;
    this.total.live.conns++;
    return cp;
  }

  /** ip_vs_sched_persist: follow the client's template, or schedule and create one. */
  private schedulePersist(svc: Service, pkt: IpvsPacket, now: Micros): Conn | undefined {
    const key = templateKey(svc, pkt);
    let ct = this.conns.lookupTemplate(key.protocol, key.caddr, key.vaddr, key.vport);
    if (ct && !this.templateValid(ct)) {
      this.conns.invalidateTemplate(ct);
      ct = undefined;
    }
    let dest: Dest;
    if (!ct) {
      const d = svc.scheduler.schedule(svc, schedPacket(pkt), now);
      if (!d) return undefined;
      dest = d;
      ct = this.conns.create(
        {
          protocol: key.protocol,
          caddr: key.caddr,
          vaddr: key.vaddr,
          vport: key.vport,
          cport: 0,
          daddr: d.addr,
          dport: key.followsDestPort ? d.port : 0,
          fwmark: pkt.fwmark ?? 0,
          template: true,
          state: 'NONE',
          onePacket: false,
          timeout: 3 * SECOND,
          dest: d,
        },
        now,
      );
      ct.timeout = (svc.persistent ?? 0) * SECOND;
    } else {
      dest = ct.dest!;
    }
    const dport = pkt.dport === svc.port && dest.port ? dest.port : pkt.dport;
    const cp = this.newConn(pkt, dest, dport, svc, now);
    this.conns.controlAdd(cp, ct);
    this.conns.touch(ct, now);
    svc.stats.live.conns++;
    dest.stats.live.conns++;
    this.total.live.conns++;
    return cp;
  }

  private newConn(pkt: IpvsPacket, dest: Dest, dport: number, svc: Service, now: Micros): Conn {
    return this.conns.create(
      {
        protocol: pkt.protocol,
        caddr: pkt.saddr,
        cport: pkt.sport,
        vaddr: pkt.daddr,
        vport: pkt.dport,
        daddr: dest.addr,
        dport,
        fwmark: pkt.fwmark ?? 0,
        template: false,
        state: pkt.protocol === 'TCP' ? 'NONE' : 'UDP',
        onePacket: svc.onePacket && pkt.protocol === 'UDP',
        timeout: 3 * SECOND,
        dest,
      },
      now,
    );
  }

  /** ip_vs_check_template: the template's dest must still be linked (and, if asked, not quiesced). */
  private templateValid(ct: Conn): boolean {
    const d = ct.dest;
    return !!d && d.available && !(this.sysctl.expireQuiescentTemplate && d.weight === 0);
  }

  /** is_new_conn_expected: the old entry is finished, a new SYN may be scheduled afresh. */
  private newConnExpected(cp: Conn): boolean {
    if (cp.protocol !== 'TCP') return false;
    return (
      cp.state === 'TIME_WAIT' ||
      cp.state === 'CLOSE' ||
      ((this.sysctl.connReuseMode & 2) !== 0 && cp.state === 'FIN_WAIT' && cp.noOutput)
    );
  }

  private countIn(cp: Conn, bytes: number): void {
    const d = cp.dest;
    if (!d || !d.available) return;
    countIn(d.stats, bytes);
    countIn(d.svc.stats, bytes);
    countIn(this.total, bytes);
  }

  private unlinkDest(svc: Service, dest: Dest, now: Micros, notify: boolean): void {
    const index = svc.dests.indexOf(dest);
    dest.available = false;
    svc.dests.splice(index, 1);
    if (notify) svc.scheduler.delDest?.(svc, dest, index);
    this.trash.add(dest, now);
  }

  private mustService(key: ServiceKey): Service {
    const svc = this.getService(key);
    if (!svc) throw new IpvsError('ESRCH', `no service ${serviceKeyText(key)}`);
    return svc;
  }

  private allStats(): IpvsStats[] {
    const out: IpvsStats[] = [this.total];
    for (const s of this.services) {
      out.push(s.stats);
      for (const d of s.dests) out.push(d.stats);
    }
    return out;
  }
}

/** __ip_vs_update_dest: weight (and last non-zero weight), method, thresholds; AVAILABLE again. */
function updateDest(dest: Dest, spec: DestSpec, add: boolean): void {
  if (add || spec.weight !== 0) dest.lastWeight = spec.weight;
  dest.weight = spec.weight;
  dest.fwd = spec.fwd;
  dest.available = true;
  const u = spec.uThreshold ?? 0;
  if (u === 0 || u > dest.uThreshold) dest.overload = false;
  dest.uThreshold = u;
  dest.lThreshold = spec.lThreshold ?? 0;
}

function checkDestSpec(spec: DestSpec): void {
  if (spec.weight < 0) throw new IpvsError('ERANGE', 'server weight less than zero');
  if ((spec.lThreshold ?? 0) > (spec.uThreshold ?? 0)) {
    throw new IpvsError('ERANGE', 'lower threshold is higher than upper threshold');
  }
}

function checkAddress(key: ServiceKey): void {
  if (!key.fwmark && parseIpv4(key.addr) === undefined) throw new IpvsError('EINVAL', `bad address ${key.addr}`);
}

function schedPacket(pkt: IpvsPacket): { saddr: number; sport: number; daddr: number } {
  return { saddr: ipv4ToU32(pkt.saddr), sport: pkt.sport, daddr: ipv4ToU32(pkt.daddr) };
}

/** One packet on a counter set (dest, service, total: no array per packet). */
function countIn(st: IpvsStats, bytes: number): void {
  st.live.inpkts++;
  st.live.inbytes += bytes;
}

function countOut(st: IpvsStats, bytes: number): void {
  st.live.outpkts++;
  st.live.outbytes += bytes;
}
