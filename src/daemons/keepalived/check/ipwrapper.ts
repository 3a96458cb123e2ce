import type { Micros } from '../../../sim/time';
import type { DestSpec, FwdMethod, ServiceKey, ServiceSpec } from '../../../kernel/ipvs';
import { IpvsError, type IpvsErrno } from '../../../kernel/ipvs';
import type { LvsMethod, RealServer, VirtualServer } from '../config';
import { formatEndpoint, formatVs } from './format';

/** The part of the kernel's IPVS that keepalived drives (src/kernel/ipvs `Ipvs` has it). */
export interface IpvsControl {
  addService(spec: ServiceSpec, now: Micros): unknown;
  editService(spec: ServiceSpec, now: Micros): void;
  deleteService(key: ServiceKey, now: Micros): void;
  addDest(key: ServiceKey, spec: DestSpec, now: Micros): unknown;
  editDest(key: ServiceKey, spec: DestSpec, now: Micros): void;
  deleteDest(key: ServiceKey, addr: string, port: number, now: Micros): void;
}

/** What the wrapper needs around it: the clock, syslog and the notify scripts. */
export interface IpWrapperEnv {
  readonly ipvs: IpvsControl;
  now(): Micros;
  log(text: string): void;
  /** notify_exec of a notify_up/notify_down/quorum_up/quorum_down script. */
  notify(script: string): void;
}

/** A real server (or sorry server) as ipwrapper.c tracks it. */
export interface RsState {
  readonly ip: string;
  readonly port: number;
  /** Configured weight (iweight). */
  readonly weight: number;
  /** effective_weight: the configured weight moved by misc_dynamic checkers. */
  effectiveWeight: number;
  readonly inhibit: boolean;
  readonly fwd: FwdMethod;
  readonly notifyUp?: string;
  readonly notifyDown?: string;
  readonly uThreshold?: number;
  readonly lThreshold?: number;
  /** Counted in the pool (ISALIVE). */
  alive: boolean;
  /** Present in the kernel's table (rs->set). */
  set: boolean;
  numFailedCheckers: number;
  /** Carried over from the previous configuration by a reload (rs->reloaded), with its effective weight then. */
  reloaded: boolean;
  pEffectiveWeight: number;
  /** FMT_RS. */
  readonly name: string;
}

export interface VsState {
  /** Position in the configuration's virtual servers. */
  readonly index: number;
  readonly conf: VirtualServer;
  readonly name: string;
  readonly key: ServiceKey;
  readonly spec: ServiceSpec;
  alive: boolean;
  quorumStateUp: boolean;
  readonly rs: RsState[];
  readonly sorry: RsState | undefined;
}

type Cmd = 'ADD_DEST' | 'DEL_DEST' | 'EDIT_DEST';

const IPVS_WEIGHT_MAX = 65535;
const FWD: Record<LvsMethod, FwdMethod> = { NAT: 'masq', DR: 'route', TUN: 'tunnel' };
/** The kernel's sockopt of each command (uapi ip_vs.h: IP_VS_BASE_CTL 1152 + n), as ipvs_cmd_str names it. */
const SOCKOPT: Record<Cmd | 'ADD' | 'EDIT' | 'DEL', [string, number]> = {
  ADD: ['IP_VS_SO_SET_ADD', 1154],
  EDIT: ['IP_VS_SO_SET_EDIT', 1155],
  DEL: ['IP_VS_SO_SET_DEL', 1156],
  ADD_DEST: ['IP_VS_SO_SET_ADDDEST', 1159],
  DEL_DEST: ['IP_VS_SO_SET_DELDEST', 1160],
  EDIT_DEST: ['IP_VS_SO_SET_EDITDEST', 1161],
};
const ERRNO_NUMBER: Record<IpvsErrno, number> = { EEXIST: 17, ENOENT: 2, ESRCH: 3, EINVAL: 22, ERANGE: 34, ENODEV: 19 };
const STRERROR: Record<IpvsErrno, string> = {
  EEXIST: 'File exists',
  ENOENT: 'No such file or directory',
  ESRCH: 'No such process',
  EINVAL: 'Invalid argument',
  ERANGE: 'Numerical result out of range',
  ENODEV: 'No such device',
};

/** libipvs.c ipvs_strerror: the message of the call that failed, else of any call, else strerror. */
function ipvsStrerror(cmd: Cmd | 'ADD' | 'EDIT' | 'DEL', errno: IpvsErrno): string {
  if (cmd === 'ADD' && errno === 'EEXIST') return 'Service already exists';
  if ((cmd === 'ADD' || cmd === 'EDIT') && errno === 'ENOENT') return 'Scheduler or persistence engine not found';
  if (cmd === 'ADD_DEST' && errno === 'EEXIST') return 'Destination already exists';
  if ((cmd === 'EDIT_DEST' || cmd === 'DEL_DEST') && errno === 'ENOENT') return 'No such destination';
  if (errno === 'ESRCH') return 'No such service';
  if (errno === 'EINVAL') return 'Invalid operation.  Possibly wrong module version, address not unicast, ...';
  return STRERROR[errno];
}

/** ipvswrapper.c format_srule: `172.16.23.80:tcp:80`, or `Fwm 1` for a fwmark service. */
function formatSrule(key: ServiceKey): string {
  return key.fwmark !== undefined ? `Fwm ${key.fwmark}` : `${key.addr}:${key.protocol.toLowerCase()}:${key.port}`;
}

function realWeight(w: number): number {
  return w <= 0 ? 0 : Math.min(w, IPVS_WEIGHT_MAX);
}

/** The virtual servers the wrapper can program: plain address/port or fwmark services over TCP or UDP. */
export function supportedVs(vs: VirtualServer): boolean {
  return vs.address.kind !== 'group' && vs.protocol !== 'SCTP';
}

function rsState(r: RealServer, vs: VirtualServer, name: string, failed: number): RsState {
  return {
    ip: r.ip,
    port: r.port,
    weight: r.weight,
    effectiveWeight: r.weight,
    inhibit: r.inhibitOnFailure ?? vs.inhibitOnFailure,
    fwd: FWD[r.lvsMethod ?? vs.lbKind],
    ...(r.notifyUp !== undefined && { notifyUp: r.notifyUp }),
    ...(r.notifyDown !== undefined && { notifyDown: r.notifyDown }),
    ...(r.uthreshold !== undefined && { uThreshold: r.uthreshold }),
    ...(r.lthreshold !== undefined && { lThreshold: r.lthreshold }),
    alive: false,
    set: false,
    numFailedCheckers: failed,
    reloaded: false,
    pEffectiveWeight: r.weight,
    name,
  };
}

/** What a reload asks of the checkers of a real server kept from the previous configuration. */
export interface CheckerMigration {
  /**
   * migrate_checkers' first half: each new checker takes the state of an identical old one; returns how
   * many of the new ones have run and failed, and whether any has run.
   */
  migrate(oldVi: number, oldRi: number, newVi: number, newRi: number): { failed: number; anyRun: boolean };
  /** The new checkers that have not run: alpha ones start down, one failure is enough; returns how many went down. */
  pessimise(vi: number, ri: number): number;
  /** The checkers' share of the real server's weight (misc_dynamic's cur_weight), for set_effective_weights. */
  curWeight(vi: number, ri: number): number;
}

/** vs_iseq: the same fwmark, or the same protocol, address and port. */
function sameVs(a: VsState, b: VsState): boolean {
  if (a.key.fwmark !== undefined || b.key.fwmark !== undefined) return a.key.fwmark === b.key.fwmark;
  return a.key.protocol === b.key.protocol && a.key.addr === b.key.addr && a.key.port === b.key.port;
}

/** rs_iseq: the same address and port. */
function sameRs(a: RsState, b: RsState): boolean {
  return a.ip === b.ip && a.port === b.port;
}

/** What IP_VS_SO_SET_EDIT of the service changes: scheduler, persistence and its netmask. */
function sameServiceAttributes(a: ServiceSpec, b: ServiceSpec): boolean {
  return a.scheduler === b.scheduler && a.persistent === b.persistent && a.netmask === b.netmask;
}

/**
 * keepalived's IPVS wrapper (check/ipwrapper.c, ipvswrapper.c ipvs_cmd) as plain code over the kernel's
 * control calls: services and real servers at start, real servers in and out as their checkers go up
 * and down (or to weight 0 with inhibit_on_failure), quorum with hysteresis and the sorry server, the
 * notify scripts, and the shutdown. Log lines are 2.2.7's.
 */
export class IpWrapper {
  readonly vs: VsState[] = [];
  /** By position in the configuration (unsupported virtual servers have none). */
  private readonly byIndex = new Map<number, VsState>();

  /**
   * `alphaCheckers(vs, rs)`: how many of a real server's checkers start down (alpha mode); such a server
   * is not put in the pool until they come up.
   */
  constructor(
    private readonly env: IpWrapperEnv,
    servers: readonly VirtualServer[],
    alphaCheckers: (vs: number, rs: number) => number,
  ) {
    servers.forEach((v, vi) => {
      if (!supportedVs(v)) return;
      const key: ServiceKey =
        v.address.kind === 'fwmark'
          ? { protocol: v.protocol as 'TCP' | 'UDP', addr: '0.0.0.0', port: 0, fwmark: v.address.fwmark }
          : { protocol: v.protocol as 'TCP' | 'UDP', addr: v.address.kind === 'ip' ? v.address.ip : '', port: v.address.kind === 'ip' ? v.address.port : 0 };
      const persistent = v.persistenceTimeout > 0 ? Math.floor(v.persistenceTimeout / 1_000_000) : undefined;
      const spec: ServiceSpec = {
        ...key,
        scheduler: v.lbAlgo,
        ...(persistent !== undefined && { persistent }),
        ...(persistent !== undefined && v.persistenceGranularity !== undefined && { netmask: v.persistenceGranularity }),
      };
      const sorry = v.sorryServer
        ? rsState(
            { ref: v.ref, ip: v.sorryServer.ip, port: v.sorryServer.port, weight: 1, checkers: [], extra: {}, inhibitOnFailure: v.sorryServerInhibit },
            v,
            formatEndpoint(v.sorryServer.ip, v.sorryServer.port, v.protocol),
            0,
          )
        : undefined;
      const state: VsState = {
        index: vi,
        conf: v,
        name: formatVs(v.address, v.protocol),
        key,
        spec,
        alive: false,
        // set_quorum_states runs at configuration time, before any real server is counted alive.
        quorumStateUp: 0 >= v.quorum + v.hysteresis,
        rs: v.realServers.map((r, ri) => rsState(r, v, formatEndpoint(r.ip, r.port, v.protocol), alphaCheckers(vi, ri))),
        sorry,
      };
      this.vs.push(state);
      this.byIndex.set(vi, state);
    });
  }

  /** init_services: every virtual server, its real servers, then the quorum (logged as gained or down). */
  init(): void {
    for (const vs of this.vs) {
      if (!vs.alive) {
        this.serviceCmd('ADD', vs);
        vs.alive = true;
      }
      for (const rs of vs.rs) {
        if (rs.reloaded) {
          // A weight changed by the reload takes effect; a failed server is not re-added at once.
          if (rs.effectiveWeight !== rs.pEffectiveWeight) {
            const weight = rs.effectiveWeight;
            rs.effectiveWeight = rs.pEffectiveWeight;
            this.updateSvrWgt(vs, rs, weight, false);
          }
          continue;
        }
        if ((!rs.numFailedCheckers && !rs.alive) || (rs.inhibit && !rs.set)) {
          this.cmd('ADD_DEST', vs, rs);
          if (!rs.numFailedCheckers) rs.alive = true;
        }
      }
      this.updateQuorumState(vs, true);
      const s = vs.sorry;
      if (s && s.inhibit && !s.set) {
        // Present from the start with weight 0.
        s.numFailedCheckers = 1;
        this.cmd('ADD_DEST', vs, s);
        s.numFailedCheckers = 0;
      }
    }
  }

  /**
   * update_svr_checker_state, the real server's half: a checker of real server `ri` of virtual server
   * `vi` went up or down (`changed`), or ran for the first time without changing (alpha: notify only).
   */
  checkerVerdict(vi: number, ri: number, up: boolean, changed: boolean): void {
    const vs = this.vsAt(vi);
    const rs = vs?.rs[ri];
    if (!vs || !rs) return;
    if (!changed) {
      this.rsNotifies(rs);
      return;
    }
    if (up && rs.numFailedCheckers <= 1) this.performSvrState(vs, rs, true);
    if (!up && rs.numFailedCheckers === 0) this.performSvrState(vs, rs, false);
    if (up) rs.numFailedCheckers = Math.max(0, rs.numFailedCheckers - 1);
    else rs.numFailedCheckers++;
  }

  /** The real server was kept from the previous configuration by a reload (rs->reloaded). */
  isReloaded(vi: number, ri: number): boolean {
    return this.vsAt(vi)?.rs[ri]?.reloaded ?? false;
  }

  /** misc_dynamic: the real server's effective weight moves (update_svr_wgt), or silently. */
  weightDelta(vi: number, ri: number, delta: number, silent: boolean): void {
    const vs = this.vsAt(vi);
    const rs = vs?.rs[ri];
    if (!vs || !rs || delta === 0) return;
    if (silent) rs.effectiveWeight += delta;
    else this.updateSvrWgt(vs, rs, rs.effectiveWeight + delta, true);
  }

  /** clear_services at SIGTERM (lvs_flush_on_stop off): every real server shut down, each service deleted. */
  shutdown(): void {
    for (const vs of this.vs) this.clearServiceVs(vs, true);
  }

  /**
   * A reload (ipwrapper.c clear_diff_services, then set_effective_weights): this wrapper, built from the new
   * configuration, takes over the kernel's table from `old`. Virtual and real servers gone from the
   * configuration are removed; the kept ones keep their state, and their checkers the state of identical
   * old checkers. `init` then adds what is new.
   */
  takeOver(old: IpWrapper, checkers: CheckerMigration): void {
    for (const ovs of old.vs) {
      const nvs = this.vs.find((v) => sameVs(ovs, v));
      if (!nvs) {
        this.env.log(`Removing Virtual Server ${ovs.name}`);
        this.clearServiceVs(ovs, false);
        continue;
      }
      nvs.alive = ovs.alive;
      nvs.quorumStateUp = ovs.quorumStateUp;
      if (!sameServiceAttributes(ovs.spec, nvs.spec)) this.editService(nvs);
      this.clearDiffRs(ovs, nvs, checkers);
      this.clearDiffSorry(ovs, nvs);
    }
    for (const vs of this.vs) vs.rs.forEach((rs, ri) => (rs.effectiveWeight = rs.weight + checkers.curWeight(vs.index, ri)));
  }

  /** clear_diff_rs: real servers gone are removed; kept ones carry their state and their checkers'. */
  private clearDiffRs(ovs: VsState, nvs: VsState, checkers: CheckerMigration): void {
    ovs.rs.forEach((ors, ori) => {
      const nri = nvs.rs.findIndex((r) => sameRs(ors, r));
      const nrs = nvs.rs[nri];
      if (!nrs) {
        this.env.log(`service ${ors.name} no longer exist`);
        this.clearServiceRs(ovs, ors, false);
        return;
      }
      nrs.alive = ors.alive;
      nrs.set = ors.set;
      nrs.effectiveWeight = ors.effectiveWeight;
      nrs.pEffectiveWeight = ors.effectiveWeight;
      nrs.reloaded = true;
      this.migrateCheckers(nvs, nrs, checkers.migrate(ovs.index, ori, nvs.index, nri), () => checkers.pessimise(nvs.index, nri));
      if (ors.fwd !== nrs.fwd) this.cmd('EDIT_DEST', nvs, nrs);
    });
    this.updateVsNotifies(ovs, false);
  }

  /** migrate_checkers' second half: the real server follows its checkers' migrated state. */
  private migrateCheckers(vs: VsState, rs: RsState, run: { failed: number; anyRun: boolean }, pessimise: () => number): void {
    rs.numFailedCheckers = run.failed;
    if (run.failed || (!rs.alive && !run.anyRun)) rs.numFailedCheckers += pessimise();
    if (!rs.numFailedCheckers && !rs.alive) this.performSvrState(vs, rs, true);
    else if (rs.numFailedCheckers && rs.set !== rs.inhibit) this.cmd(rs.inhibit ? 'ADD_DEST' : 'DEL_DEST', vs, rs);
  }

  /** clear_diff_s_srv: the same sorry server keeps its state; another one replaces it. */
  private clearDiffSorry(ovs: VsState, nvs: VsState): void {
    const o = ovs.sorry;
    if (!o) return;
    const n = nvs.sorry;
    if (n && sameRs(o, n)) {
      n.alive = o.alive;
      n.set = o.set;
      return;
    }
    // An inhibited one present with weight 0 counts as there, and goes whatever its inhibit.
    if (o.alive || (o.inhibit && o.set)) {
      this.env.log(`Removing sorry server ${o.name} from VS ${ovs.name}`);
      this.cmd('DEL_DEST', ovs, o, true);
      o.alive = false;
    }
  }

  /** clear_service_vs (lvs_flush_on_stop off): the sorry server, the real servers, then the service. */
  private clearServiceVs(vs: VsState, stopping: boolean): void {
    const s = vs.sorry;
    if (s && s.set) {
      this.cmd('DEL_DEST', vs, s, true);
      s.alive = false;
    }
    for (const rs of vs.rs) this.clearServiceRs(vs, rs, stopping);
    this.updateVsNotifies(vs, stopping);
    this.serviceCmd('DEL', vs);
    vs.alive = false;
  }

  /** clear_service_rs: out of the kernel's table even with inhibit_on_failure; only omega notifies when stopping. */
  private clearServiceRs(vs: VsState, rs: RsState, stopping: boolean): void {
    if (rs.set || stopping) {
      this.env.log(`${stopping ? 'Shutting down' : 'Removing'} ${rs.inhibit && !rs.alive ? '(inhibited) ' : ''}service ${rs.name} from VS ${vs.name}`);
    }
    if (!rs.set) return;
    this.cmd('DEL_DEST', vs, rs, true);
    if (!rs.alive) return;
    rs.alive = false;
    if (!vs.conf.omega && stopping) return;
    this.rsNotifies(rs);
  }

  /** update_vs_notifies: the quorum is lost (or the service stops); quorum_down runs, when stopping only with omega. */
  private updateVsNotifies(vs: VsState, stopping: boolean): void {
    const threshold = vs.conf.quorum - vs.conf.hysteresis;
    const sum = this.weighLive(vs);
    if (!stopping && !(vs.quorumStateUp && (!sum || sum < threshold))) return;
    vs.quorumStateUp = false;
    if (stopping && !vs.conf.omega) return;
    this.vsNotifies(vs);
  }

  /** update_svr_wgt: a new effective weight; the kernel follows while the server is in the pool and the quorum holds. */
  private updateSvrWgt(vs: VsState, rs: RsState, weight: number, updateQuorum: boolean): void {
    const from = realWeight(rs.effectiveWeight);
    const to = realWeight(weight);
    rs.effectiveWeight = weight;
    if (from === to) return;
    this.env.log(`Changing weight from ${from} to ${to} for ${rs.alive ? '' : 'in'}active service ${rs.name} of VS ${vs.name}`);
    if (rs.set && rs.alive && (vs.quorumStateUp || !vs.sorry || !vs.sorry.alive)) this.cmd('EDIT_DEST', vs, rs);
    if (updateQuorum) this.updateQuorumState(vs, false);
  }

  private vsAt(vi: number): VsState | undefined {
    return this.byIndex.get(vi);
  }

  private weighLive(vs: VsState): number {
    let sum = 0;
    for (const rs of vs.rs) if (rs.alive) sum += realWeight(rs.effectiveWeight);
    return sum;
  }

  private rsNotifies(rs: RsState): void {
    const script = rs.alive ? rs.notifyUp : rs.notifyDown;
    if (script !== undefined) this.env.notify(script);
  }

  private vsNotifies(vs: VsState): void {
    const script = vs.quorumStateUp ? vs.conf.quorumUp : vs.conf.quorumDown;
    if (script !== undefined) this.env.notify(script);
  }

  /** perform_svr_state: the kernel changes only while the quorum holds (or no sorry server stands in). */
  private performSvrState(vs: VsState, rs: RsState, alive: boolean): void {
    if (rs.alive === alive) return;
    const verb = alive ? (rs.inhibit ? 'Enabl' : 'Add') : rs.inhibit ? 'Disabl' : 'Remov';
    const prep = rs.inhibit ? 'of' : alive ? 'to' : 'from';
    this.env.log(`${verb}ing service ${rs.name} ${prep} VS ${vs.name}`);
    if (vs.quorumStateUp || !vs.sorry || !vs.sorry.alive) {
      if (!this.cmd(alive ? 'ADD_DEST' : 'DEL_DEST', vs, rs)) return;
    }
    rs.alive = alive;
    this.rsNotifies(rs);
    this.updateQuorumState(vs, false);
  }

  /** update_quorum_state: thresholds quorum ± hysteresis; the sorry server swaps with the alive servers. */
  private updateQuorumState(vs: VsState, init: boolean): void {
    const { quorum, hysteresis } = vs.conf;
    const sum = this.weighLive(vs);
    const threshold = quorum + (vs.quorumStateUp ? -1 : 1) * hysteresis;
    const s = vs.sorry;
    if (!vs.quorumStateUp && sum >= threshold) {
      vs.quorumStateUp = true;
      this.env.log(`Gained quorum ${quorum}+${hysteresis}=${threshold} <= ${sum} for VS ${vs.name}`);
      if (s && s.alive) {
        this.env.log(`${s.inhibit ? 'Disabling' : 'Removing'} sorry server ${s.name} from VS ${vs.name}`);
        this.cmd('DEL_DEST', vs, s);
        s.alive = false;
        this.performQuorumState(vs, true);
      }
      this.vsNotifies(vs);
      return;
    }
    if ((vs.quorumStateUp && (!sum || sum < threshold)) || (init && !vs.quorumStateUp && s && !s.alive)) {
      vs.quorumStateUp = false;
      this.env.log(`${init ? 'Starting with quorum down' : 'Lost quorum'} ${quorum}-${hysteresis}=${threshold} > ${sum} for VS ${vs.name}`);
      if (s && !s.alive) {
        this.env.log(`${s.inhibit ? 'Enabling' : 'Adding'} sorry server ${s.name} to VS ${vs.name}`);
        this.performQuorumState(vs, false);
        this.cmd('ADD_DEST', vs, s);
        s.alive = true;
      }
      this.vsNotifies(vs);
    }
  }

  /** perform_quorum_state: the alive real servers leave or rejoin the kernel's table together. */
  private performQuorumState(vs: VsState, add: boolean): void {
    this.env.log(`${add ? 'Adding alive servers to' : 'Removing alive servers from'} the pool for VS ${vs.name}`);
    for (const rs of vs.rs) {
      if (!rs.alive) continue;
      this.cmd(add ? 'ADD_DEST' : 'DEL_DEST', vs, rs);
    }
  }

  /** IP_VS_SO_SET_EDIT: scheduler or persistence changed by a reload. */
  private editService(vs: VsState): void {
    try {
      this.env.ipvs.editService(vs.spec, this.env.now());
    } catch (e) {
      this.ipvsError(e, 'EDIT', formatSrule(vs.key));
    }
  }

  private serviceCmd(cmd: 'ADD' | 'DEL', vs: VsState): void {
    const now = this.env.now();
    try {
      if (cmd === 'ADD') this.env.ipvs.addService(vs.spec, now);
      else this.env.ipvs.deleteService(vs.key, now);
    } catch (e) {
      this.ipvsError(e, cmd, formatSrule(vs.key));
    }
  }

  /**
   * ipvs_cmd for a destination: inhibit turns a delete into weight 0 and an add of a present server into
   * an edit; an edit of a missing one becomes an add; EEXIST on add and ENOENT on delete count as done.
   * `force` removes even an inhibited server (shutdown). Returns false on a real failure.
   */
  private cmd(cmd: Cmd, vs: VsState, rs: RsState, force = false): boolean {
    const inhibit = rs.inhibit && !force;
    let weight = realWeight(rs.effectiveWeight);
    if (cmd === 'DEL_DEST' && inhibit) {
      weight = 0;
      cmd = 'EDIT_DEST';
    } else if (cmd === 'ADD_DEST' && inhibit && rs.set) cmd = 'EDIT_DEST';
    else if (cmd === 'ADD_DEST' && !rs.set) {
      rs.set = true;
      if (inhibit && rs.numFailedCheckers) weight = 0;
    } else if (cmd === 'DEL_DEST' && rs.set) rs.set = false;

    // DR and TUN real servers take the service's port (fwmark services: 0).
    const port = rs.fwd === 'masq' ? rs.port : vs.key.port;
    const spec: DestSpec = {
      addr: rs.ip,
      port,
      weight,
      fwd: rs.fwd,
      ...(rs.uThreshold !== undefined && { uThreshold: rs.uThreshold }),
      ...(rs.lThreshold !== undefined && { lThreshold: rs.lThreshold }),
    };
    const now = this.env.now();
    const ipvs = this.env.ipvs;
    try {
      if (cmd === 'ADD_DEST') ipvs.addDest(vs.key, spec, now);
      else if (cmd === 'DEL_DEST') ipvs.deleteDest(vs.key, rs.ip, port, now);
      else {
        try {
          ipvs.editDest(vs.key, spec, now);
        } catch (e) {
          if (!(e instanceof IpvsError) || e.errno !== 'ENOENT') throw e;
          cmd = 'ADD_DEST';
          ipvs.addDest(vs.key, spec, now);
        }
      }
      return true;
    } catch (e) {
      this.ipvsError(e, cmd, `${formatSrule(vs.key)} -> ${rs.ip}:${port}`);
      return e instanceof IpvsError && ((e.errno === 'EEXIST' && cmd === 'ADD_DEST') || (e.errno === 'ENOENT' && cmd === 'DEL_DEST'));
    }
  }

  /** ipvs_talk's error line: the sockopt, libipvs's message, the rule (format_srule, format_drule). */
  private ipvsError(e: unknown, cmd: Cmd | 'ADD' | 'EDIT' | 'DEL', rule: string): void {
    if (!(e instanceof IpvsError)) throw e;
    const [name, no] = SOCKOPT[cmd];
    this.env.log(`IPVS cmd ${name}(${no}) error: ${ipvsStrerror(cmd, e.errno)}(${ERRNO_NUMBER[e.errno]}) (${rule})`);
  }
}
