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
 * Slots live in blocks of BLOCK that are never copied: the table grows by a block (fresh memory is costly
 * where every new page faults). Slots are found by their 4-tuple through chained buckets, rehashed when
 * the slots outnumber them. Every wait is 60 s, so waits end in the order they began: a FIFO of slots,
 * itself in blocks that are reused once emptied, gives the next one to end. A wait restarted by a
 * retransmitted FIN is queued again; its earlier entry is skipped, as is the entry of a slot that left
 * early (RST, a new SYN).
 */
export class TimeWaitTable {
  size = 0;
  private readonly blocks: SlotBlock[] = [];
  /** The first slot of each bucket, -1 for none; a power of two of them, at least as many as the slots. */
  private buckets = new Int32Array(1).fill(-1);
  private free = -1;
  /** The expiry FIFO: entries queue[0][queueHead] … queue[last][queueTail - 1]. */
  private readonly queue: QueueBlock[] = [];
  private queueHead = 0;
  private queueTail = BLOCK;
  /** An emptied queue block, kept for the next one needed. */
  private spare: QueueBlock | undefined;

  /** The slot of a 4-tuple in TIME_WAIT, or -1; `hash` is its tupleHash. */
  find(localIp: Ipv4, localPort: number, remoteIp: Ipv4, remotePort: number, hash = tupleHash(localIp, localPort, remoteIp, remotePort)): number {
    if (this.size === 0) return -1;
    const ports = ((localPort << 16) | remotePort) >>> 0;
    const blocks = this.blocks;
    let i = this.buckets[hash & (this.buckets.length - 1)]!;
    while (i >= 0) {
      const b = blocks[i >>> BLOCK_BITS]!;
      const j = i & BLOCK_MASK;
      if (b.ports[j] === ports && b.localIps[j] === localIp && b.remoteIps[j] === remoteIp) return i;
      i = b.next[j]!;
    }
    return -1;
  }

  /** A connection enters TIME_WAIT, until `expiry`; returns its slot. */
  add(localIp: Ipv4, localPort: number, remoteIp: Ipv4, remotePort: number, rcvNxt: number, sndNxt: number, expiry: Micros): number {
    if (this.free < 0) this.grow();
    const slot = this.free;
    const b = this.blocks[slot >>> BLOCK_BITS]!;
    const j = slot & BLOCK_MASK;
    this.free = b.next[j]!;
    b.localIps[j] = localIp;
    b.remoteIps[j] = remoteIp;
    b.ports[j] = ((localPort << 16) | remotePort) >>> 0;
    b.rcvNxts[j] = rcvNxt;
    b.sndNxts[j] = sndNxt;
    b.generations[j]!++;
    this.link(slot);
    this.size++;
    this.restart(slot, expiry);
    return slot;
  }

  /** The wait starts again, to end at `expiry` (the peer retransmitted its FIN). */
  restart(slot: number, expiry: Micros): void {
    const b = this.blocks[slot >>> BLOCK_BITS]!;
    const j = slot & BLOCK_MASK;
    b.expiries[j] = expiry;
    const wait = ++b.waits[j]!;
    if (this.queueTail === BLOCK) {
      this.queue.push(this.spare ?? new QueueBlock());
      this.spare = undefined;
      this.queueTail = 0;
    }
    const q = this.queue[this.queue.length - 1]!;
    q.slots[this.queueTail] = slot;
    q.waits[this.queueTail++] = wait;
  }

  /** Is `slot` still held by the occupant of generation `generation`? */
  holds(slot: number, generation: number): boolean {
    return this.blocks[slot >>> BLOCK_BITS]!.generations[slot & BLOCK_MASK] === generation;
  }

  /** The connection leaves TIME_WAIT; its slot is free again. */
  remove(slot: number): void {
    const blocks = this.blocks;
    const b = blocks[slot >>> BLOCK_BITS]!;
    const j = slot & BLOCK_MASK;
    const bucket = this.bucketOf(b, j);
    let i = this.buckets[bucket]!;
    if (i === slot) this.buckets[bucket] = b.next[j]!;
    else {
      for (;;) {
        const c = blocks[i >>> BLOCK_BITS]!;
        const k = i & BLOCK_MASK;
        if (c.next[k] === slot) {
          c.next[k] = b.next[j]!;
          break;
        }
        i = c.next[k]!;
      }
    }
    b.generations[j]!++;
    b.waits[j]!++;
    b.next[j] = this.free;
    this.free = slot;
    this.size--;
  }

  /** The end of the earliest wait still running, if any. */
  nextExpiry(): Micros | undefined {
    const slot = this.head();
    return slot < 0 ? undefined : this.blocks[slot >>> BLOCK_BITS]!.expiries[slot & BLOCK_MASK];
  }

  /** Frees every slot whose wait ended by `now`, telling `freed` each one's local port; returns how many. */
  expire(now: Micros, freed: (localPort: number) => void): number {
    let n = 0;
    for (let slot = this.head(); slot >= 0; slot = this.head()) {
      const b = this.blocks[slot >>> BLOCK_BITS]!;
      if (b.expiries[slot & BLOCK_MASK]! > now) break;
      this.pop();
      freed(b.ports[slot & BLOCK_MASK]! >>> 16);
      this.remove(slot);
      n++;
    }
    return n;
  }

  /** The taken slots, in slot order (ss, netstat, tests): a slot's generation is odd while taken. */
  slots(): number[] {
    const out: number[] = [];
    for (let s = 0; s < this.blocks.length * BLOCK; s++) if (this.blocks[s >>> BLOCK_BITS]!.generations[s & BLOCK_MASK]! & 1) out.push(s);
    return out;
  }

  clear(): void {
    for (const slot of this.slots()) this.remove(slot);
    while (this.queue.length > 0) this.spare = this.queue.pop();
    this.queueHead = 0;
    this.queueTail = BLOCK;
  }

  /** A view of a slot's connection, for the paths that meet one (a segment for it, a listing). */
  view(stack: TcpStack, slot: number): TimeWaitSocket {
    const b = this.blocks[slot >>> BLOCK_BITS]!;
    const j = slot & BLOCK_MASK;
    const ports = b.ports[j]!;
    return new TimeWaitSocket(stack, this, slot, b.generations[j]!, b.localIps[j]!, ports >>> 16, b.remoteIps[j]!, ports & 0xffff, b.rcvNxts[j]!, b.sndNxts[j]!);
  }

  /** The slot of the queue's first entry still current (stale ones are dropped on the way), or -1. */
  private head(): number {
    for (;;) {
      const q = this.queue[0];
      if (q === undefined || (this.queue.length === 1 && this.queueHead === this.queueTail)) return -1;
      const slot = q.slots[this.queueHead]!;
      if (this.blocks[slot >>> BLOCK_BITS]!.waits[slot & BLOCK_MASK] === q.waits[this.queueHead]) return slot;
      this.pop();
    }
  }

  private pop(): void {
    if (++this.queueHead < BLOCK) return;
    // the first block is used up: it becomes the spare
    this.spare = this.queue.shift();
    this.queueHead = 0;
    if (this.queue.length === 0) this.queueTail = BLOCK;
  }

  private bucketOf(b: SlotBlock, j: number): number {
    const ports = b.ports[j]!;
    return tupleHash(b.localIps[j]!, ports >>> 16, b.remoteIps[j]!, ports & 0xffff) & (this.buckets.length - 1);
  }

  private link(slot: number): void {
    const b = this.blocks[slot >>> BLOCK_BITS]!;
    const j = slot & BLOCK_MASK;
    const bucket = this.bucketOf(b, j);
    b.next[j] = this.buckets[bucket]!;
    this.buckets[bucket] = slot;
  }

  /** One more block of slots, freed in ascending order; the buckets double when the slots outnumber them. */
  private grow(): void {
    const first = this.blocks.length * BLOCK;
    const block = new SlotBlock();
    this.blocks.push(block);
    for (let j = BLOCK - 1; j >= 0; j--) {
      block.next[j] = this.free;
      this.free = first + j;
    }
    const slots = first + BLOCK;
    if (slots <= this.buckets.length) return;
    let buckets = this.buckets.length;
    while (buckets < slots) buckets *= 2;
    this.buckets = new Int32Array(buckets).fill(-1);
    // the taken slots (odd generation) of the blocks before, linked again
    for (let b = 0; b < this.blocks.length - 1; b++) {
      const generations = this.blocks[b]!.generations;
      for (let j = 0; j < BLOCK; j++) if (generations[j]! & 1) this.link(b * BLOCK + j);
    }
  }
}

const BLOCK_BITS = 10;
/** Slots per block (about 36 KB), and entries per block of the expiry queue. */
const BLOCK = 1 << BLOCK_BITS;
const BLOCK_MASK = BLOCK - 1;

/** BLOCK slots' columns. */
class SlotBlock {
  readonly localIps = new Uint32Array(BLOCK);
  readonly remoteIps = new Uint32Array(BLOCK);
  /** local port << 16 | remote port */
  readonly ports = new Uint32Array(BLOCK);
  /** Sequence numbers as ./seq keeps them: signed 32-bit. */
  readonly rcvNxts = new Int32Array(BLOCK);
  readonly sndNxts = new Int32Array(BLOCK);
  readonly expiries = new Float64Array(BLOCK);
  /** Bumped when a slot is taken and when it is freed, so odd while taken: a view of an older occupant is CLOSED. */
  readonly generations = new Uint32Array(BLOCK);
  /** Bumped at every start or restart of a slot's wait, and when it is freed: older queue entries are stale. */
  readonly waits = new Uint32Array(BLOCK);
  /** The next slot in the same bucket (or, for a free slot, in the free list); -1 ends. */
  readonly next = new Int32Array(BLOCK);
}

/** BLOCK entries of the expiry queue: a slot and the wait it was queued for. */
class QueueBlock {
  readonly slots = new Int32Array(BLOCK);
  readonly waits = new Uint32Array(BLOCK);
}

/**
 * A connection in TIME_WAIT as the code that meets one sees it (a segment for it, a listing): a copy of its
 * slot's fields, made then and dropped after. CLOSED once the slot was freed.
 */
export class TimeWaitSocket {
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
