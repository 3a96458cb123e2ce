import { formatIpv4, type Ipv4 } from '../../net/addr';
import type { Micros } from '../../sim/time';
import type { TcpStack } from './stack';
import { tupleHash } from './tuple-hash';

/**
 * The connections of a stack in TIME_WAIT, in columns of typed arrays: what Linux keeps of such a
 * connection (struct inet_timewait_sock: the 4-tuple, the sequence numbers to answer a retransmitted FIN,
 * the end of the wait) without an object each. A busy host holds tens of thousands of them for 60 s; as
 * objects, each young-generation collection copied every one of them (twice before promotion): most of
 * what the garbage collector did in an HTTP run.
 *
 * Slots are found by their 4-tuple through chained buckets. Every wait is 60 s, so waits end in the order
 * they began: a FIFO of slots gives the next one to end. A wait restarted by a retransmitted FIN is queued
 * again; its earlier entry is skipped, as is the entry of a slot that left early (RST, a new SYN).
 */
export class TimeWaitTable {
  size = 0;
  private localIps = new Uint32Array(0);
  private remoteIps = new Uint32Array(0);
  /** local port << 16 | remote port */
  private ports = new Uint32Array(0);
  private rcvNxts = new Uint32Array(0);
  private sndNxts = new Uint32Array(0);
  private expiries = new Float64Array(0);
  /**
   * Bumped when a slot is taken and when it is freed, so odd while it is taken: a view of an older occupant
   * is CLOSED.
   */
  private generations = new Uint32Array(0);
  /** Bumped at every start or restart of a slot's wait, and when it is freed: older queue entries are stale. */
  private waits = new Uint32Array(0);
  /** The next slot in the same bucket (or, for a free slot, in the free list); -1 ends. */
  private next = new Int32Array(0);
  /** The first slot of each bucket, -1 for none; as many buckets as slots, a power of two. */
  private buckets = new Int32Array(0);
  private free = -1;
  /** The expiry FIFO, a ring: each entry is a slot and the wait it was queued for. */
  private queueSlots = new Int32Array(0);
  private queueWaits = new Uint32Array(0);
  private queueHead = 0;
  private queueCount = 0;

  /** The slot of a 4-tuple in TIME_WAIT, or -1; `hash` is its tupleHash. */
  find(localIp: Ipv4, localPort: number, remoteIp: Ipv4, remotePort: number, hash = tupleHash(localIp, localPort, remoteIp, remotePort)): number {
    if (this.size === 0) return -1;
    const ports = ((localPort << 16) | remotePort) >>> 0;
    let i = this.buckets[hash & (this.buckets.length - 1)]!;
    while (i >= 0 && (this.ports[i] !== ports || this.localIps[i] !== localIp || this.remoteIps[i] !== remoteIp)) i = this.next[i]!;
    return i;
  }

  /** A connection enters TIME_WAIT, until `expiry`; returns its slot. */
  add(localIp: Ipv4, localPort: number, remoteIp: Ipv4, remotePort: number, rcvNxt: number, sndNxt: number, expiry: Micros): number {
    if (this.free < 0) this.grow();
    const slot = this.free;
    this.free = this.next[slot]!;
    this.localIps[slot] = localIp;
    this.remoteIps[slot] = remoteIp;
    this.ports[slot] = ((localPort << 16) | remotePort) >>> 0;
    this.rcvNxts[slot] = rcvNxt;
    this.sndNxts[slot] = sndNxt;
    this.generations[slot]!++;
    this.link(slot);
    this.size++;
    this.restart(slot, expiry);
    return slot;
  }

  /** The wait starts again, to end at `expiry` (the peer retransmitted its FIN). */
  restart(slot: number, expiry: Micros): void {
    this.expiries[slot] = expiry;
    const wait = ++this.waits[slot]!;
    if (this.queueCount === this.queueSlots.length) this.growQueue();
    const at = (this.queueHead + this.queueCount++) & (this.queueSlots.length - 1);
    this.queueSlots[at] = slot;
    this.queueWaits[at] = wait;
  }

  /** Is `slot` still held by the occupant of generation `generation`? */
  holds(slot: number, generation: number): boolean {
    return this.generations[slot] === generation;
  }

  /** The connection leaves TIME_WAIT; its slot is free again. */
  remove(slot: number): void {
    const b = tupleHash(this.localIps[slot]!, this.ports[slot]! >>> 16, this.remoteIps[slot]!, this.ports[slot]! & 0xffff) & (this.buckets.length - 1);
    let i = this.buckets[b]!;
    if (i === slot) this.buckets[b] = this.next[slot]!;
    else {
      while (this.next[i] !== slot) i = this.next[i]!;
      this.next[i] = this.next[slot]!;
    }
    this.generations[slot]!++;
    this.waits[slot]!++;
    this.next[slot] = this.free;
    this.free = slot;
    this.size--;
  }

  /** The end of the earliest wait still running, if any. */
  nextExpiry(): Micros | undefined {
    this.dropStale();
    return this.queueCount === 0 ? undefined : this.expiries[this.queueSlots[this.queueHead]!];
  }

  /** Frees every slot whose wait ended by `now`; returns how many. */
  expire(now: Micros): number {
    let n = 0;
    for (this.dropStale(); this.queueCount > 0; this.dropStale()) {
      const slot = this.queueSlots[this.queueHead]!;
      if (this.expiries[slot]! > now) break;
      this.pop();
      this.remove(slot);
      n++;
    }
    return n;
  }

  /** The occupied slots, in slot order (ss, netstat, tests). */
  slots(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.generations.length; i++) if (this.generations[i]! & 1) out.push(i);
    return out;
  }

  clear(): void {
    for (const slot of this.slots()) this.remove(slot);
    this.queueHead = this.queueCount = 0;
  }

  /** A view of a slot's connection, for the paths that meet one (a segment for it, a listing). */
  view(stack: TcpStack, slot: number): TimeWaitSocket {
    const ports = this.ports[slot]!;
    const generation = this.generations[slot]!;
    return new TimeWaitSocket(stack, this, slot, generation, this.localIps[slot]!, ports >>> 16, this.remoteIps[slot]!, ports & 0xffff, this.rcvNxts[slot]!, this.sndNxts[slot]!);
  }

  private dropStale(): void {
    while (this.queueCount > 0 && this.waits[this.queueSlots[this.queueHead]!] !== this.queueWaits[this.queueHead]) this.pop();
  }

  private pop(): void {
    this.queueHead = (this.queueHead + 1) & (this.queueSlots.length - 1);
    this.queueCount--;
  }

  private link(slot: number): void {
    const b = tupleHash(this.localIps[slot]!, this.ports[slot]! >>> 16, this.remoteIps[slot]!, this.ports[slot]! & 0xffff) & (this.buckets.length - 1);
    this.next[slot] = this.buckets[b]!;
    this.buckets[b] = slot;
  }

  /** Twice the slots (and buckets): the occupied ones are linked again, the new ones freed. */
  private grow(): void {
    const old = this.localIps.length;
    const size = Math.max(INITIAL_SLOTS, old * 2);
    const wider = <T extends Uint32Array | Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.localIps = wider(this.localIps);
    this.remoteIps = wider(this.remoteIps);
    this.ports = wider(this.ports);
    this.rcvNxts = wider(this.rcvNxts);
    this.sndNxts = wider(this.sndNxts);
    this.expiries = wider(this.expiries);
    this.generations = wider(this.generations);
    this.waits = wider(this.waits);
    this.next = new Int32Array(size);
    this.buckets = new Int32Array(size).fill(-1);
    for (let slot = 0; slot < old; slot++) if (this.generations[slot]! & 1) this.link(slot);
    // new slots free in ascending order
    for (let i = size - 1; i >= old; i--) {
      this.next[i] = this.free;
      this.free = i;
    }
  }

  private growQueue(): void {
    const size = Math.max(INITIAL_SLOTS, this.queueSlots.length * 2);
    const slots = new Int32Array(size);
    const waits = new Uint32Array(size);
    for (let k = 0; k < this.queueCount; k++) {
      const at = (this.queueHead + k) & (this.queueSlots.length - 1);
      slots[k] = this.queueSlots[at]!;
      waits[k] = this.queueWaits[at]!;
    }
    this.queueSlots = slots;
    this.queueWaits = waits;
    this.queueHead = 0;
  }
}

/** Slots (and buckets) at the first TIME_WAIT: about 50 KB, grown by doubling. */
const INITIAL_SLOTS = 1024;

/**
 * A connection in TIME_WAIT as the code that meets one sees it (a segment for it, a listing): a copy of its
 * slot's fields, made then and dropped after. CLOSED once the slot was freed.
 */
export class TimeWaitSocket {
  /** Never set: a TIME_WAIT connection reports nothing to anyone (./output reads it on every socket). */
  readonly sendError = undefined;

  constructor(
    readonly stack: TcpStack,
    private readonly table: TimeWaitTable,
    readonly slot: number,
    readonly generation: number,
    readonly localIp: Ipv4,
    readonly localPort: number,
    readonly remoteIp: Ipv4,
    readonly remotePort: number,
    /** What our ACKs carry: the peer's FIN acknowledged, and our own FIN's successor. */
    readonly rcvNxt: number,
    readonly sndNxt: number,
  ) {}

  get state(): 'TIME_WAIT' | 'CLOSED' {
    return this.table.holds(this.slot, this.generation) ? 'TIME_WAIT' : 'CLOSED';
  }

  toString(): string {
    return `${formatIpv4(this.localIp)}:${this.localPort} → ${formatIpv4(this.remoteIp)}:${this.remotePort} ${this.state}`;
  }
}
