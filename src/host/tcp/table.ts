import type { Ipv4 } from '../../net/addr';
import { EPHEMERAL_HIGH, EPHEMERAL_LOW } from './params';
import type { TcpSocket } from './socket';
import type { TimeWaitSocket } from './time-wait';

/** What the table chains: a full socket, or the record a connection keeps in TIME_WAIT. */
export type TcpConnection = TcpSocket | TimeWaitSocket;

/**
 * The established-connection hash (Linux's ehash): sockets by their 4-tuple, chained through
 * `bucketNext` in a power-of-two number of buckets that doubles when it holds more sockets than buckets.
 * No allocation per look-up, insertion or removal: a busy host keeps tens of thousands of TIME_WAIT
 * sockets, and a Map churned by them costs more than the look-ups.
 */
export class ConnectionTable {
  /**
   * The buckets, in arrays of at most SEGMENT: one array of more than 16,383 would be a large object, which
   * V8 maps fresh from the system for each (1 to 3 ms apiece where measured: more than a thousand
   * connections cost). One empty bucket until the first connection: most hosts of a scenario never open one.
   */
  private segments: (TcpConnection | undefined)[][] = [[undefined]];
  private buckets = 1;
  private mask = 0;
  size = 0;
  /** Sockets removed so far: tells a failed port search whether trying again could find anything. */
  removals = 0;
  /**
   * Sockets per local port of the ephemeral range (allocated at the first socket), the role of Linux's bind
   * hash in a port search: a port that no socket uses is free without a look-up of its 4-tuple, which
   * would cost a cache miss in the buckets. A count that reaches the top of its type stays there (the port
   * then always takes the look-up).
   */
  private portUse: Uint16Array | undefined;

  /**
   * The socket the last successful look-up found or the last one added (always one in the table): nearly
   * half of all segments are for that connection, and then the 4-tuple needs no hashing.
   */
  private last: TcpConnection | undefined;

  find(localIp: Ipv4, localPort: number, remoteIp: Ipv4, remotePort: number): TcpConnection | undefined {
    const l = this.last;
    if (l !== undefined && l.localPort === localPort && l.remotePort === remotePort && l.localIp === localIp && l.remoteIp === remoteIp) return l;
    const i = hash(localIp, localPort, remoteIp, remotePort) & this.mask;
    let s = this.segments[i >>> SEGMENT_BITS]![i & SEGMENT_MASK];
    while (s !== undefined && (s.localPort !== localPort || s.remotePort !== remotePort || s.localIp !== localIp || s.remoteIp !== remoteIp)) {
      s = s.bucketNext;
    }
    if (s !== undefined) this.last = s;
    return s;
  }

  add(s: TcpConnection): void {
    if (this.size >= this.buckets) this.grow();
    this.push(s);
    this.size++;
    this.last = s; // its peer's answer (SYN-ACK, ACK) is often the next segment here
    const use = (this.portUse ??= new Uint16Array(PORTS));
    const p = s.localPort - EPHEMERAL_LOW;
    if (p >= 0 && p < PORTS && use[p] !== SATURATED) use[p]++;
  }

  remove(s: TcpConnection): void {
    const i = hash(s.localIp, s.localPort, s.remoteIp, s.remotePort) & this.mask;
    const seg = this.segments[i >>> SEGMENT_BITS]!;
    const j = i & SEGMENT_MASK;
    let cur = seg[j];
    if (cur === s) seg[j] = s.bucketNext;
    else {
      while (cur !== undefined && cur.bucketNext !== s) cur = cur.bucketNext;
      if (cur === undefined) return;
      cur.bucketNext = s.bucketNext;
    }
    s.bucketNext = undefined;
    if (this.last === s) this.last = undefined;
    this.size--;
    this.removals++;
    const use = this.portUse!;
    const p = s.localPort - EPHEMERAL_LOW;
    if (p >= 0 && p < PORTS && use[p] !== SATURATED) use[p]--;
  }

  /** Might a socket have this local port? False only when none has: then no 4-tuple with it is taken. */
  mayUsePort(port: number): boolean {
    const p = port - EPHEMERAL_LOW;
    if (p < 0 || p >= PORTS) return true;
    return this.portUse !== undefined && this.portUse[p] !== 0;
  }

  /** A connection entering TIME_WAIT swaps its socket for the record, in the same place. */
  replace(old: TcpSocket, tw: TimeWaitSocket): void {
    const i = hash(old.localIp, old.localPort, old.remoteIp, old.remotePort) & this.mask;
    const seg = this.segments[i >>> SEGMENT_BITS]!;
    const j = i & SEGMENT_MASK;
    tw.bucketNext = old.bucketNext;
    old.bucketNext = undefined;
    if (this.last === old) this.last = tw;
    let cur = seg[j];
    if (cur === old) seg[j] = tw;
    else {
      while (cur!.bucketNext !== old) cur = cur!.bucketNext;
      cur!.bucketNext = tw;
    }
  }

  /** Every socket (netstat/ss, power loss), bucket by bucket. */
  all(): TcpConnection[] {
    const out: TcpConnection[] = [];
    for (const seg of this.segments) for (const first of seg) for (let s = first; s; s = s.bucketNext) out.push(s);
    return out;
  }

  clear(): void {
    this.segments = [[undefined]];
    this.last = undefined;
    this.buckets = 1;
    this.mask = 0;
    this.size = 0;
    this.portUse = undefined;
  }

  /** Puts `s` first in its bucket. */
  private push(s: TcpConnection): void {
    const i = hash(s.localIp, s.localPort, s.remoteIp, s.remotePort) & this.mask;
    const seg = this.segments[i >>> SEGMENT_BITS]!;
    const j = i & SEGMENT_MASK;
    s.bucketNext = seg[j];
    seg[j] = s;
  }

  /** Doubles the buckets (to INITIAL_BUCKETS the first time) and moves every socket, bucket by bucket. */
  private grow(): void {
    const old = this.segments;
    this.buckets = Math.max(INITIAL_BUCKETS, this.buckets * 2);
    this.mask = this.buckets - 1;
    const length = Math.min(this.buckets, SEGMENT);
    this.segments = Array.from({ length: this.buckets / length }, () => new Array<TcpConnection | undefined>(length).fill(undefined));
    for (const seg of old) {
      for (let b = 0; b < seg.length; b++) {
        for (let s = seg[b]; s !== undefined; ) {
          const next = s.bucketNext;
          this.push(s);
          s = next;
        }
      }
    }
  }
}

/**
 * Buckets at the first connection (128 KB): room for a busy server's TIME_WAIT connections without
 * rehashing them (Linux sizes its ehash once, at boot, from the memory: 65,536 on a few GB).
 */
const INITIAL_BUCKETS = 16384;

const SEGMENT_BITS = 13;
/** Buckets per array: 64 KB, well under V8's large-object size. */
const SEGMENT = 1 << SEGMENT_BITS;
const SEGMENT_MASK = SEGMENT - 1;

const PORTS = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
const SATURATED = 0xffff;

/**
 * Mixes the 4-tuple in 32-bit integer arithmetic (no floating-point intermediate) and finishes with
 * MurmurHash3's fmix32, so that the low bits callers mask off depend on every input bit: a server's
 * connections differ only in the client's port, a client's only in its own.
 */
function hash(localIp: Ipv4, localPort: number, remoteIp: Ipv4, remotePort: number): number {
  let h = Math.imul(localIp ^ Math.imul(remoteIp, 0x9e3779b1), 0x85ebca6b) ^ ((remotePort << 16) | localPort);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
