import type { Ipv4 } from '../../net/addr';
import { EPHEMERAL_HIGH, EPHEMERAL_LOW } from './params';
import type { TcpSocket } from './socket';
import type { TcpStack } from './stack';
import { TimeWaitSocket, TimeWaitTable } from './time-wait';
import { tupleHash as hash } from './tuple-hash';

/** What a look-up finds: a full socket, or a view of a connection in TIME_WAIT. */
export type TcpConnection = TcpSocket | TimeWaitSocket;

/**
 * The established-connection hash (Linux's ehash): sockets by their 4-tuple, chained through
 * `bucketNext` in a power-of-two array of buckets that doubles when it holds more sockets than buckets,
 * and the connections in TIME_WAIT, which keep no socket (./time-wait). No allocation per look-up,
 * insertion or removal: a busy host keeps tens of thousands of TIME_WAIT connections, and a Map churned
 * by them costs more than the look-ups.
 */
export class ConnectionTable {
  /** One empty bucket until the first connection: most hosts of a scenario never open one. */
  private buckets: (TcpSocket | undefined)[] = [undefined];
  private mask = 0;
  private sockets = 0;
  readonly timeWait = new TimeWaitTable();
  /** Connections removed so far: tells a failed port search whether trying again could find anything. */
  removals = 0;
  /**
   * Connections (TIME_WAIT included) per local port of the ephemeral range (allocated at the first socket),
   * the role of Linux's bind hash in a port search: a port that none uses is free without a look-up of its
   * 4-tuple. A count that reaches the top of its type stays there (the port then always takes the look-up).
   */
  private portUse: Uint16Array | undefined;
  /**
   * The socket the last successful look-up found or the last one added (always one in the table): nearly
   * half of all segments are for that connection, and then the 4-tuple needs no hashing.
   */
  private last: TcpSocket | undefined;
  /** A TIME_WAIT connection that ended gives its port back. */
  private readonly portFreed = (port: number): void => this.unusePort(port);

  /** `stack`: the owner, which views of TIME_WAIT connections answer segments through. */
  constructor(private readonly stack: TcpStack) {}

  /** Connections, TIME_WAIT included. */
  get size(): number {
    return this.sockets + this.timeWait.size;
  }

  find(localIp: Ipv4, localPort: number, remoteIp: Ipv4, remotePort: number): TcpConnection | undefined {
    const l = this.last;
    if (l !== undefined && l.localPort === localPort && l.remotePort === remotePort && l.localIp === localIp && l.remoteIp === remoteIp) return l;
    const h = hash(localIp, localPort, remoteIp, remotePort);
    const s = this.findSocket(localIp, localPort, remoteIp, remotePort, h);
    if (s !== undefined || this.timeWait.size === 0) return s;
    const slot = this.timeWait.find(localIp, localPort, remoteIp, remotePort, h);
    return slot < 0 ? undefined : this.timeWait.view(this.stack, slot);
  }

  /** Is the 4-tuple in use (a port search's question: no view made for a TIME_WAIT connection)? */
  has(localIp: Ipv4, localPort: number, remoteIp: Ipv4, remotePort: number): boolean {
    const h = hash(localIp, localPort, remoteIp, remotePort);
    return this.findSocket(localIp, localPort, remoteIp, remotePort, h) !== undefined || this.timeWait.find(localIp, localPort, remoteIp, remotePort, h) >= 0;
  }

  private findSocket(localIp: Ipv4, localPort: number, remoteIp: Ipv4, remotePort: number, h: number): TcpSocket | undefined {
    let s = this.buckets[h & this.mask];
    while (s !== undefined && (s.localPort !== localPort || s.remotePort !== remotePort || s.localIp !== localIp || s.remoteIp !== remoteIp)) {
      s = s.bucketNext;
    }
    if (s !== undefined) this.last = s;
    return s;
  }

  /** Might a connection have this local port? False only when none has: then no 4-tuple with it is taken. */
  mayUsePort(port: number): boolean {
    const p = port - EPHEMERAL_LOW;
    if (p < 0 || p >= PORTS) return true;
    return this.portUse !== undefined && this.portUse[p] !== 0;
  }

  add(s: TcpSocket): void {
    if (this.sockets >= this.buckets.length) this.grow();
    const i = hash(s.localIp, s.localPort, s.remoteIp, s.remotePort) & this.mask;
    s.bucketNext = this.buckets[i];
    this.buckets[i] = s;
    this.sockets++;
    this.last = s; // its peer's answer (SYN-ACK, ACK) is often the next segment here
    const use = (this.portUse ??= new Uint16Array(PORTS));
    const p = s.localPort - EPHEMERAL_LOW;
    if (p >= 0 && p < PORTS && use[p] !== SATURATED) use[p]++;
  }

  private unusePort(port: number): void {
    const use = this.portUse!;
    const p = port - EPHEMERAL_LOW;
    if (p >= 0 && p < PORTS && use[p] !== SATURATED) use[p]--;
  }

  remove(s: TcpConnection): void {
    if (s instanceof TimeWaitSocket) {
      if (!this.timeWait.holds(s.slot, s.generation)) return;
      this.timeWait.remove(s.slot);
    } else if (!this.unlink(s)) return;
    this.removals++;
    this.unusePort(s.localPort);
  }

  /**
   * A connection enters TIME_WAIT until `expiry`: its socket leaves the table for a slot of the TIME_WAIT
   * table (not counted as a removal: the 4-tuple stays taken).
   */
  enterTimeWait(s: TcpSocket, expiry: number): void {
    this.unlink(s);
    this.timeWait.add(s.localIp, s.localPort, s.remoteIp, s.remotePort, s.rcvNxt, s.sndNxt, expiry);
  }

  /** TIME_WAIT connections whose wait ended by `now` leave. */
  expireTimeWait(now: number): void {
    this.removals += this.timeWait.expire(now, this.portFreed);
  }

  private unlink(s: TcpSocket): boolean {
    const i = hash(s.localIp, s.localPort, s.remoteIp, s.remotePort) & this.mask;
    let cur = this.buckets[i];
    if (cur === s) this.buckets[i] = s.bucketNext;
    else {
      while (cur !== undefined && cur.bucketNext !== s) cur = cur.bucketNext;
      if (cur === undefined) return false;
      cur.bucketNext = s.bucketNext;
    }
    s.bucketNext = undefined;
    if (this.last === s) this.last = undefined;
    this.sockets--;
    return true;
  }

  /** Every connection (netstat/ss, power loss): the sockets, then those in TIME_WAIT. */
  all(): TcpConnection[] {
    const out: TcpConnection[] = [];
    for (const first of this.buckets) for (let s = first; s; s = s.bucketNext) out.push(s);
    for (const slot of this.timeWait.slots()) out.push(this.timeWait.view(this.stack, slot));
    return out;
  }

  clear(): void {
    this.buckets = [undefined];
    this.mask = 0;
    this.sockets = 0;
    this.timeWait.clear();
    this.portUse = undefined;
    this.last = undefined;
  }

  private grow(): void {
    const old = this.buckets;
    this.buckets = new Array<TcpSocket | undefined>(Math.max(INITIAL_BUCKETS, old.length * 2)).fill(undefined);
    this.mask = this.buckets.length - 1;
    for (let b = 0; b < old.length; b++) {
      for (let s = old[b]; s !== undefined; ) {
        const next = s.bucketNext;
        const i = hash(s.localIp, s.localPort, s.remoteIp, s.remotePort) & this.mask;
        s.bucketNext = this.buckets[i];
        this.buckets[i] = s;
        s = next;
      }
    }
  }
}

/**
 * Buckets at the first connection: the sockets of connections not in TIME_WAIT are few (those TIME_WAIT
 * keeps are in its own table), and the array doubles when they outnumber its buckets.
 */
const INITIAL_BUCKETS = 256;

const PORTS = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
const SATURATED = 0xffff;
