import type { Simulator, Timer } from '../sim/simulator';
import type { Rng } from '../sim/rng';
import { SECOND, type Micros } from '../sim/time';
import { formatIpv4, formatMac, type Ipv4, type Mac } from '../net/addr';

export type NeighbourState = 'INCOMPLETE' | 'REACHABLE' | 'STALE' | 'DELAY' | 'PROBE' | 'FAILED';

/** Linux's arp_tbl defaults (net/ipv4/arp.c), per interface. */
export interface NeighbourParams {
  readonly baseReachableTime: Micros;
  readonly delayFirstProbeTime: Micros;
  readonly retransTime: Micros;
  readonly ucastSolicit: number;
  readonly mcastSolicit: number;
  readonly locktime: Micros;
  /** Packets queued per unresolved neighbour (unres_qlen). */
  readonly unresQlen: number;
}

export const LINUX_ARP_DEFAULTS: NeighbourParams = {
  baseReachableTime: 30 * SECOND,
  delayFirstProbeTime: 5 * SECOND,
  retransTime: SECOND,
  ucastSolicit: 3,
  mcastSolicit: 3,
  locktime: SECOND,
  unresQlen: 101,
};

export interface NeighbourEntry {
  readonly ip: Ipv4;
  state: NeighbourState;
  mac: Mac | undefined;
  /** Last time the MAC changed (locktime). */
  updated: Micros;
  /** Last confirmation of reachability. */
  confirmed: Micros;
  /** This entry's reachable_time: random in [base/2, 3·base/2], as Linux draws it. */
  reachableTime: Micros;
  probes: number;
  timer: Timer | undefined;
  queue: Array<(mac: Mac) => void>;
  /** Source address of the last packet queued while INCOMPLETE (the skb arp_solicit looks at). */
  queuedSrc: Ipv4 | undefined;
  failed: Array<() => void>;
}

/**
 * What the cache asks of its interface: send an ARP request (broadcast when `unicastTo` is undefined).
 * `packetSrc` is the source address of the packet waiting for the answer, if one is queued: arp_announce
 * decides whether the request may carry it.
 */
export interface ArpSolicitor {
  solicit(target: Ipv4, unicastTo: Mac | undefined, packetSrc: Ipv4 | undefined): void;
}

declare module '../sim/trace' {
  interface TraceEvents {
    'neigh.state': { host: string; dev: string; ip: string; state: NeighbourState; mac?: string };
  }
}

/**
 * One interface's ARP cache with Linux's neighbour state machine: INCOMPLETE (broadcast requests,
 * mcast_solicit of them retrans_time apart) → REACHABLE → (reachable_time) STALE → on use DELAY
 * (delay_first_probe_time) → PROBE (ucast_solicit unicast requests) → FAILED. REACHABLE → STALE is
 * evaluated lazily at use; nothing is garbage-collected (Linux collects nothing below gc_thresh1 = 128).
 */
export class NeighbourTable {
  private readonly entries = new Map<Ipv4, NeighbourEntry>();
  /** The entry asked for last: a host's packets mostly go to the same next hop (its gateway, its peer). */
  private lastEntry: NeighbourEntry | undefined;

  constructor(
    private readonly sim: Simulator,
    private readonly host: string,
    private readonly dev: string,
    private readonly rng: Rng,
    private readonly solicitor: ArpSolicitor,
    readonly params: NeighbourParams = LINUX_ARP_DEFAULTS,
  ) {}

  get(ip: Ipv4): NeighbourEntry | undefined {
    const e = this.entries.get(ip);
    if (e) this.age(e);
    return e;
  }

  /** The MAC to use at once for ip when the entry needs no state change (REACHABLE and fresh, DELAY, PROBE). */
  usableMac(ip: Ipv4): Mac | undefined {
    const e = this.lookup(ip);
    if (!e) return undefined;
    if (e.state === 'REACHABLE') return this.sim.now - e.confirmed < e.reachableTime ? e.mac : undefined;
    return e.state === 'DELAY' || e.state === 'PROBE' ? e.mac : undefined;
  }

  /**
   * Resolves ip for an outgoing packet from `src`: calls `send(mac)` now or once resolved, `fail()` if
   * resolution fails (the packet is dropped; a local sender sees EHOSTUNREACH).
   */
  resolve(ip: Ipv4, send: (mac: Mac) => void, fail?: () => void, src?: Ipv4): void {
    let e = this.entries.get(ip);
    if (!e || e.state === 'FAILED') {
      e = this.create(ip);
      this.setState(e, 'INCOMPLETE');
      e.probes = 1;
      e.queuedSrc = src;
      this.solicitor.solicit(ip, undefined, src);
      e.timer = this.sim.schedule(this.params.retransTime, this.onTimer, e);
    }
    this.age(e);
    switch (e.state) {
      case 'INCOMPLETE':
        if (e.queue.length >= this.params.unresQlen) {
          e.queue.shift();
          e.failed.shift()?.();
        }
        e.queue.push(send);
        e.failed.push(fail ?? noop);
        e.queuedSrc = src;
        return;
      case 'STALE':
        this.setState(e, 'DELAY');
        e.timer = this.sim.schedule(this.params.delayFirstProbeTime, this.onTimer, e);
        send(e.mac!);
        return;
      default:
        send(e.mac!);
    }
  }

  /**
   * An ARP frame from `mac` claiming `ip`. `create`: the kernel would create an entry (a request to us,
   * or a reply). `confirm`: it proves reachability (a unicast reply to us). `override`: a gratuitous
   * ARP, which ignores locktime.
   */
  learn(ip: Ipv4, mac: Mac, opts: { create: boolean; confirm: boolean; override: boolean }): void {
    let e = this.entries.get(ip);
    if (!e) {
      if (!opts.create) return;
      e = this.create(ip);
    }
    const now = this.sim.now;
    const changed = e.mac !== mac;
    if (changed && e.mac !== undefined && !opts.override && now - e.updated < this.params.locktime) return;
    if (changed) {
      e.mac = mac;
      e.updated = now;
    }
    if (opts.confirm) this.confirmEntry(e);
    // neigh_update: an unconfirmed update with the same address leaves a valid state alone.
    else if (changed || e.state === 'INCOMPLETE' || e.state === 'FAILED') this.toStale(e);
    this.flush(e);
  }

  /** Upper-layer confirmation (TCP forward progress): REACHABLE again without an ARP exchange. */
  confirm(ip: Ipv4): void {
    const e = this.lookup(ip);
    if (e && e.mac !== undefined) this.confirmEntry(e);
  }

  delete(ip: Ipv4): void {
    const e = this.entries.get(ip);
    if (e) this.sim.cancel(e.timer);
    this.entries.delete(ip);
    this.lastEntry = undefined;
  }

  flushAll(): void {
    for (const e of this.entries.values()) this.sim.cancel(e.timer);
    this.entries.clear();
    this.lastEntry = undefined;
  }

  private lookup(ip: Ipv4): NeighbourEntry | undefined {
    const last = this.lastEntry;
    if (last !== undefined && last.ip === ip) return last;
    const e = this.entries.get(ip);
    if (e !== undefined) this.lastEntry = e;
    return e;
  }

  /** `ip neigh` lines for this device. */
  format(): string[] {
    const out: string[] = [];
    for (const e of this.entries.values()) {
      this.age(e);
      const ll = e.mac !== undefined && e.state !== 'INCOMPLETE' && e.state !== 'FAILED' ? ` lladdr ${formatMac(e.mac)}` : '';
      out.push(`${formatIpv4(e.ip)} dev ${this.dev}${ll} ${e.state}`);
    }
    return out;
  }

  private create(ip: Ipv4): NeighbourEntry {
    const e: NeighbourEntry = {
      ip,
      state: 'INCOMPLETE',
      mac: undefined,
      updated: this.sim.now,
      confirmed: -Infinity,
      reachableTime: this.drawReachableTime(),
      probes: 0,
      timer: undefined,
      queue: [],
      failed: [],
      queuedSrc: undefined,
    };
    this.entries.set(ip, e);
    this.lastEntry = e;
    return e;
  }

  private drawReachableTime(): Micros {
    const base = this.params.baseReachableTime;
    return base / 2 + this.rng.int(base);
  }

  private age(e: NeighbourEntry): void {
    if (e.state === 'REACHABLE' && this.sim.now - e.confirmed >= e.reachableTime) this.toStale(e);
  }

  private confirmEntry(e: NeighbourEntry): void {
    this.sim.cancel(e.timer);
    e.timer = undefined;
    e.confirmed = this.sim.now;
    e.probes = 0;
    this.setState(e, 'REACHABLE');
  }

  private toStale(e: NeighbourEntry): void {
    this.sim.cancel(e.timer);
    e.timer = undefined;
    e.probes = 0;
    this.setState(e, 'STALE');
  }

  private flush(e: NeighbourEntry): void {
    if (e.mac === undefined || e.queue.length === 0) return;
    const q = e.queue;
    e.queue = [];
    e.failed = [];
    e.queuedSrc = undefined;
    for (const send of q) send(e.mac);
  }

  private readonly onTimer = (e: NeighbourEntry): void => {
    e.timer = undefined;
    switch (e.state) {
      case 'INCOMPLETE':
        if (e.probes < this.params.mcastSolicit) {
          e.probes++;
          this.solicitor.solicit(e.ip, undefined, e.queuedSrc);
          e.timer = this.sim.schedule(this.params.retransTime, this.onTimer, e);
        } else this.fail(e);
        return;
      case 'DELAY':
        this.setState(e, 'PROBE');
        e.probes = 1;
        // Nothing is queued while an address is known: the probe carries no packet's source.
        this.solicitor.solicit(e.ip, e.mac, undefined);
        e.timer = this.sim.schedule(this.params.retransTime, this.onTimer, e);
        return;
      case 'PROBE':
        if (e.probes < this.params.ucastSolicit) {
          e.probes++;
          this.solicitor.solicit(e.ip, e.mac, undefined);
          e.timer = this.sim.schedule(this.params.retransTime, this.onTimer, e);
        } else this.fail(e);
        return;
      default:
        return;
    }
  };

  private fail(e: NeighbourEntry): void {
    this.setState(e, 'FAILED');
    e.mac = undefined;
    const failed = e.failed;
    e.queue = [];
    e.failed = [];
    e.queuedSrc = undefined;
    for (const f of failed) f();
  }

  private setState(e: NeighbourEntry, state: NeighbourState): void {
    if (e.state === state && state !== 'INCOMPLETE') return;
    e.state = state;
    if (this.sim.trace.wants('neigh.state')) {
      this.sim.trace.emit('neigh.state', {
        host: this.host,
        dev: this.dev,
        ip: formatIpv4(e.ip),
        state,
        ...(e.mac !== undefined && { mac: formatMac(e.mac) }),
      });
    }
  }
}

function noop(): void {}
