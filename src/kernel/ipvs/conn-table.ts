import { EventQueue, SECOND, type Micros } from '../../sim';
import type { Conn } from './conn';
import { ConnIndex } from './conn-index';
import type { Dest, FwdMethod } from './dest';

/** What a sync message says of an entry the backup creates (the IP_VS_CONN_F_BACKUP_MASK flags). */
export interface SyncedFlags {
  readonly fwd: FwdMethod;
  readonly noOutput: boolean;
  readonly inactive: boolean;
}

/** The heap only orders entry timeouts; `expire` pops them itself. */
const NO_CALLBACK = (): void => undefined;

/** A template whose timer fires while it still controls connections is re-armed for 60 s (expire_later). */
const EXPIRE_LATER = 60 * SECOND;

/**
 * The connection table (ip_vs_conn.c): lookup by the client side (packets in), by the real-server side
 * (replies out) and of persistence templates; per-entry timers in one heap, run by `expire(now)`, which the
 * IPVS facade calls before anything else at every instant, so counters always reflect the expiries due.
 */
export class ConnTable {
  private readonly inIndex = new ConnIndex();
  private readonly outIndex = new ConnIndex();
  private readonly templates = new ConnIndex();
  private readonly all = new Set<Conn>();
  private readonly timers = new EventQueue();
  private seq = 0;
  /** A template re-armed because it still controls entries: the master sync daemon sends it then. */
  onExpireLater: ((ct: Conn, at: Micros) => void) | undefined;

  get size(): number {
    return this.all.size;
  }

  /** Entries in creation order (the kernel lists its hash table order, which is randomised per boot). */
  entries(): Conn[] {
    return [...this.all].sort((a, b) => a.seq - b.seq);
  }

  lookupIn(protocol: string, caddr: string, cport: number, vaddr: string, vport: number): Conn | undefined {
    return this.inIndex.get(protocol, caddr, cport, vaddr, vport);
  }

  /** By a server-side packet: from saddr:sport (the real server for NAT, the VIP for DR/TUN) to the client. */
  lookupOut(protocol: string, saddr: string, sport: number, caddr: string, cport: number): Conn | undefined {
    return this.outIndex.get(protocol, saddr, sport, caddr, cport);
  }

  lookupTemplate(protocol: string, cnet: string, vaddr: string, vport: number): Conn | undefined {
    return this.templates.get(protocol, cnet, 0, vaddr, vport);
  }

  /**
   * ip_vs_conn_new: binds the dest (counters, overload) and starts the 3 s initial timer. An entry made by
   * the sync daemon (`synced`) keeps the message's activity; method and NOOUTPUT come from the dest when
   * there is one, else from the message.
   */
  create(
    fields: Omit<Conn, 'seq' | 'timer' | 'expires' | 'nControl' | 'control' | 'inactive' | 'noOutput' | 'fwd' | 'inPkts' | 'synced'>,
    now: Micros,
    synced?: SyncedFlags,
  ): Conn {
    const dest = fields.dest;
    // One literal shape for every entry (no spread): keeps the hot path monomorphic.
    const cp: Conn = {
      protocol: fields.protocol,
      caddr: fields.caddr,
      cport: fields.cport,
      vaddr: fields.vaddr,
      vport: fields.vport,
      daddr: fields.daddr,
      dport: fields.dport,
      fwmark: fields.fwmark,
      template: fields.template,
      state: fields.state,
      onePacket: fields.onePacket,
      timeout: fields.timeout,
      dest,
      fwd: dest ? dest.fwd : (synced?.fwd ?? 'route'),
      inactive: synced ? synced.inactive : true,
      noOutput: dest ? dest.fwd !== 'masq' : (synced?.noOutput ?? false),
      inPkts: 0,
      synced: synced !== undefined,
      control: undefined,
      nControl: 0,
      timer: undefined,
      expires: now + fields.timeout,
      seq: this.seq++,
    };
    if (dest) bindDest(cp, dest);
    // One-packet (ops) entries are never hashed: no later packet can find them.
    if (cp.onePacket) this.all.add(cp);
    else this.hash(cp);
    this.arm(cp, now);
    return cp;
  }

  /** ip_vs_conn_put: the entry was used; its timer restarts from now with the current state's timeout. */
  touch(cp: Conn, now: Micros): void {
    this.arm(cp, now);
  }

  /** ip_vs_try_bind_dest for a synced entry: the dest now exists; its method decides how replies are found. */
  bindSynced(cp: Conn, dest: Dest): void {
    this.unhash(cp);
    cp.dest = dest;
    cp.fwd = dest.fwd;
    cp.noOutput = dest.fwd !== 'masq';
    bindDest(cp, dest);
    this.hash(cp);
  }

  /** Connection cp is created under template ct (ip_vs_control_add). */
  controlAdd(cp: Conn, ct: Conn): void {
    cp.control = ct;
    ct.nControl++;
  }

  /** A template whose dest went away: re-keyed with ports 65535 so no lookup finds it; its timer runs on. */
  invalidateTemplate(ct: Conn): void {
    if (ct.vport === 0xffff) return;
    this.unhash(ct);
    ct.dport = 0xffff;
    ct.vport = 0xffff;
    ct.cport = 0;
    this.hash(ct);
  }

  /** Runs every timer due at or before now, in time order (ties in arming order). */
  expire(now: Micros): void {
    for (let t = this.timers.peek(); t && t.time <= now; t = this.timers.peek()) {
      this.timers.pop();
      this.fire(t.arg as Conn, t.time);
    }
  }

  /** When the next entry times out (for a host that wants one simulator timer). */
  nextExpiry(): Micros | undefined {
    return this.timers.peek()?.time;
  }

  /**
   * ip_vs_conn_expire_now: the timer is moved to now, so the entry goes at the next expiry run (it still
   * counts for a decision taken at this same instant, as in the kernel, where the timer fires afterwards).
   */
  expireNow(cp: Conn, now: Micros): void {
    if (!cp.timer || cp.expires <= now) return;
    this.timers.cancel(cp.timer);
    cp.expires = now;
    cp.timer = this.timers.push(now, NO_CALLBACK, cp);
  }

  has(cp: Conn): boolean {
    return this.all.has(cp);
  }

  /** ip_vs_conn_del: the entry goes now, whatever its timer (callers skip entries controlling others). */
  remove(cp: Conn, now: Micros): void {
    if (cp.timer) this.timers.cancel(cp.timer);
    this.fire(cp, now);
  }

  private fire(cp: Conn, now: Micros): void {
    cp.timer = undefined;
    if (cp.nControl > 0) {
      cp.timeout = EXPIRE_LATER;
      this.arm(cp, now);
      this.onExpireLater?.(cp, now);
      return;
    }
    this.unhash(cp);
    this.all.delete(cp);
    if (cp.control) {
      cp.control.nControl--;
      cp.control = undefined;
    }
    if (cp.dest) unbindDest(cp, cp.dest);
    cp.dest = undefined;
  }

  private arm(cp: Conn, now: Micros): void {
    if (cp.timer) this.timers.cancel(cp.timer);
    cp.expires = now + cp.timeout;
    cp.timer = this.timers.push(cp.expires, NO_CALLBACK, cp);
  }

  private hash(cp: Conn): void {
    this.all.add(cp);
    // Newest first, as hlist_add_head makes a lookup find the entry hashed last.
    if (cp.template) {
      this.templates.set(cp.protocol, cp.caddr, cp.cport, cp.vaddr, cp.vport, cp);
      return;
    }
    this.inIndex.set(cp.protocol, cp.caddr, cp.cport, cp.vaddr, cp.vport, cp);
    // Replies of NAT entries come from the real server; DR/TUN servers answer from the VIP itself.
    if (cp.fwd === 'masq') this.outIndex.set(cp.protocol, cp.daddr, cp.dport, cp.caddr, cp.cport, cp);
    else this.outIndex.set(cp.protocol, cp.vaddr, cp.vport, cp.caddr, cp.cport, cp);
  }

  private unhash(cp: Conn): void {
    if (cp.template) {
      this.templates.delete(cp.protocol, cp.caddr, cp.cport, cp.vaddr, cp.vport, cp);
      return;
    }
    this.inIndex.delete(cp.protocol, cp.caddr, cp.cport, cp.vaddr, cp.vport, cp);
    if (cp.fwd === 'masq') this.outIndex.delete(cp.protocol, cp.daddr, cp.dport, cp.caddr, cp.cport, cp);
    else this.outIndex.delete(cp.protocol, cp.vaddr, cp.vport, cp.caddr, cp.cport, cp);
  }
}

/** ip_vs_bind_dest: count the entry and raise OVERLOAD at the upper threshold. */
function bindDest(cp: Conn, dest: Dest): void {
  dest.refs++;
  if (cp.template) dest.persistConns++;
  else if (cp.inactive) dest.inactConns++;
  else dest.activeConns++;
  if (dest.uThreshold && dest.totalConns >= dest.uThreshold) dest.overload = true;
}

/** ip_vs_unbind_dest: uncount; OVERLOAD clears below l, below 3/4 of u, or at once without thresholds. */
function unbindDest(cp: Conn, dest: Dest): void {
  if (cp.template) dest.persistConns--;
  else if (cp.inactive) dest.inactConns--;
  else dest.activeConns--;
  if (dest.lThreshold !== 0) {
    if (dest.totalConns < dest.lThreshold) dest.overload = false;
  } else if (dest.uThreshold !== 0) {
    if (dest.totalConns * 4 < dest.uThreshold * 3) dest.overload = false;
  } else dest.overload = false;
  dest.refs--;
}
