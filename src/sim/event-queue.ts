import type { Micros } from './time';

/**
 * A scheduled callback. Kept by the caller to cancel it; `index` is its place in the heap (-1 once gone,
 * IN_FIFO while it waits in the FIFO of the instant being run, FIFO_CANCELLED once cancelled there,
 * IN_LANE for a posted one in the lane).
 */
export interface Timer {
  readonly time: Micros;
  readonly seq: number;
  /** @internal */ index: number;
  /** @internal */ fn: (arg: unknown) => void;
  /** @internal */ arg: unknown;
  /** @internal nobody holds it (see `post`): it goes back to the pool once run */ pooled: boolean;
}

/** A Timer as the queue itself sees it: recycled ones get new times. */
interface Entry extends Timer {
  time: Micros;
  seq: number;
}

/**
 * Binary min-heap ordered by (time, insertion sequence), so events at the same instant run in the order
 * they were scheduled. Each entry knows its index, which makes cancel an O(log n) removal rather than a
 * tombstone: re-armed timers (VRRP down timers are re-armed on every advert) never pile up.
 *
 * Events scheduled for the instant being run (a socket's end-of-instant flush, `schedule(0, …)`) skip the
 * heap: they go to a FIFO. Everything already in the heap for that instant was scheduled before the queue
 * got there, hence earlier in sequence, so the heap's entries up to that instant run first, then the FIFO
 * in order: the same order as one heap, without two sifts through it per event.
 *
 * Events of `post` that come no earlier than the last one posted (a LAN's frame arrivals: now + a fixed
 * latency, with time only going forward) skip the heap too: they wait in the lane, a ring already in
 * (time, sequence) order. The next event is the earlier of the heap's top and the lane's head.
 */
export class EventQueue {
  private heap: Entry[] = [];
  private nextSeq = 0;
  /** Run entries of `post`, ready for reuse. */
  private readonly pool: Entry[] = [];
  /** The time of the last entry taken: entries scheduled for it go to the FIFO. */
  private instant: Micros = -1;
  /** Entries fifo[fifoHead..fifoTail) wait (or were cancelled); the array keeps its size from instant to instant. */
  private readonly fifo: (Entry | undefined)[] = [];
  private fifoHead = 0;
  private fifoTail = 0;
  /** Entries in the FIFO not cancelled. */
  private fifoLive = 0;
  /** Posted entries lane[laneHead..laneHead + laneCount) (mod its size, a power of two), in order. */
  private lane: (Entry | undefined)[] = new Array<Entry | undefined>(64).fill(undefined);
  private laneHead = 0;
  private laneCount = 0;
  /** The time of the lane's last entry: a post earlier than it goes to the heap. */
  private laneLast: Micros = 0;

  get size(): number {
    return this.heap.length + this.fifoLive + this.laneCount;
  }

  push<A>(time: Micros, fn: (arg: A) => void, arg?: A): Timer {
    const t: Entry = { time, seq: this.nextSeq++, index: -1, fn: fn as (a: unknown) => void, arg, pooled: false };
    this.insert(t);
    return t;
  }

  /**
   * Like push, for an event nobody will cancel (a frame's arrival, an end-of-instant flush): no handle is
   * returned, so the entry can be reused once it has run (`recycle`). Most events are of this kind, and an
   * object for each was most of what the queue allocated.
   */
  post<A>(time: Micros, fn: (arg: A) => void, arg: A): void {
    const t = this.pool.pop();
    if (t === undefined) {
      this.insertPosted({ time, seq: this.nextSeq++, index: -1, fn: fn as (a: unknown) => void, arg, pooled: true });
      return;
    }
    t.time = time;
    t.seq = this.nextSeq++;
    t.fn = fn as (a: unknown) => void;
    t.arg = arg;
    this.insertPosted(t);
  }

  private insertPosted(t: Entry): void {
    if (t.time === this.instant || (this.laneCount > 0 && t.time < this.laneLast)) return this.insert(t);
    let lane = this.lane;
    if (this.laneCount === lane.length) {
      // full: unroll into a ring twice the size, oldest first
      const bigger = new Array<Entry | undefined>(lane.length * 2).fill(undefined);
      for (let i = 0; i < this.laneCount; i++) bigger[i] = lane[(this.laneHead + i) & (lane.length - 1)];
      this.lane = lane = bigger;
      this.laneHead = 0;
    }
    t.index = IN_LANE;
    lane[(this.laneHead + this.laneCount++) & (lane.length - 1)] = t;
    this.laneLast = t.time;
  }

  /** An entry of `post` has run: back to the pool, holding nothing. */
  recycle(t: Timer): void {
    const e = t as Entry;
    e.fn = noop;
    e.arg = undefined;
    this.pool.push(e);
  }

  peek(): Timer | undefined {
    const first = this.earliest();
    if (this.fifoLive > 0 && (first === undefined || first.time > this.instant)) return this.fifoFront();
    return first;
  }

  /** The earlier of the heap's top and the lane's head. */
  private earliest(): Entry | undefined {
    const top = this.heap[0];
    if (this.laneCount === 0) return top;
    const head = this.lane[this.laneHead]!;
    return top === undefined || less(head, top) ? head : top;
  }

  /** Takes the next entry, if there is one due at `until` or earlier. */
  pop(until: Micros = Infinity): Timer | undefined {
    const top = this.earliest();
    if (this.fifoLive > 0 && (top === undefined || top.time > this.instant)) {
      const e = this.fifoFront();
      if (e.time > until) return undefined;
      this.fifo[this.fifoHead++] = undefined;
      if (--this.fifoLive === 0) this.fifoHead = this.fifoTail = 0;
      e.index = -1;
      return e;
    }
    if (top === undefined || top.time > until) return undefined;
    if (top.index === IN_LANE) {
      this.lane[this.laneHead] = undefined;
      this.laneHead = (this.laneHead + 1) & (this.lane.length - 1);
      this.laneCount--;
    } else this.removeTop();
    top.index = -1;
    // (with the FIFO holding entries, the next one can only be of the same instant or, for a caller that
    // goes back in time, earlier: the instant stays)
    if (this.fifoLive === 0) this.instant = top.time;
    return top;
  }

  private removeTop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      last.index = 0;
      this.down(0);
    }
  }

  /** The FIFO's first entry still waiting (there is one: fifoLive > 0), past cancelled ones. */
  private fifoFront(): Entry {
    const fifo = this.fifo;
    for (;;) {
      const e = fifo[this.fifoHead]!;
      if (e.index === IN_FIFO) return e;
      fifo[this.fifoHead++] = undefined;
    }
  }

  /**
   * What `cancel(t)` then `push(time, fn, arg)` do, in the same order (the entry takes the next sequence
   * number), reusing t's entry where it can: moved within the heap, or put back if it already ran or was
   * cancelled. A connection's retransmission timer is moved this way at nearly every segment it sends.
   */
  reschedule<A>(t: Timer | undefined, time: Micros, fn: (arg: A) => void, arg: A): Timer {
    const e = t as Entry | undefined;
    // (an entry in the FIFO, or cancelled there and still in its array, cannot be reused)
    if (e === undefined || e.index === IN_FIFO || e.index === FIFO_CANCELLED || e.pooled) {
      if (e !== undefined) this.cancel(e);
      return this.push(time, fn, arg);
    }
    e.fn = fn as (a: unknown) => void;
    e.arg = arg;
    const i = e.index;
    if (i >= 0 && this.heap[i] === e && time !== this.instant) {
      e.time = time;
      e.seq = this.nextSeq++;
      if (i > 0 && less(e, this.heap[(i - 1) >> 1]!)) this.up(i);
      else this.down(i);
      return e;
    }
    if (i >= 0) this.cancel(e);
    e.time = time;
    e.seq = this.nextSeq++;
    this.insert(e);
    return e;
  }

  /** Removes a pending timer; false when it already ran or was cancelled. */
  cancel(t: Timer): boolean {
    const i = t.index;
    if (i === IN_FIFO) {
      // left in place, skipped when reached: the FIFO empties within the instant anyway
      const e = t as Entry;
      e.index = FIFO_CANCELLED;
      e.fn = noop;
      e.arg = undefined;
      if (--this.fifoLive === 0) this.fifoHead = this.fifoTail = 0;
      return true;
    }
    const heap = this.heap;
    if (i < 0 || heap[i] !== t) return false;
    const last = heap.pop()!;
    t.index = -1;
    if (i < heap.length) {
      heap[i] = last;
      last.index = i;
      if (i > 0 && less(last, heap[(i - 1) >> 1]!)) this.up(i);
      else this.down(i);
    }
    return true;
  }

  private insert(t: Entry): void {
    if (t.time === this.instant) {
      t.index = IN_FIFO;
      this.fifo[this.fifoTail++] = t;
      this.fifoLive++;
      return;
    }
    t.index = this.heap.length;
    this.heap.push(t);
    this.up(t.index);
  }

  private up(i: number): void {
    const heap = this.heap;
    const item = heap[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = heap[p]!;
      if (!less(item, parent)) break;
      heap[i] = parent;
      parent.index = i;
      i = p;
    }
    heap[i] = item;
    item.index = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const item = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && less(heap[r]!, heap[l]!) ? r : l;
      const child = heap[c]!;
      if (!less(child, item)) break;
      heap[i] = child;
      child.index = i;
      i = c;
    }
    heap[i] = item;
    item.index = i;
  }
}

/** `index` of an entry waiting in the FIFO of the current instant. */
const IN_FIFO = -2;
/** `index` of an entry cancelled while in the FIFO, whose array still holds it until the FIFO passes. */
const FIFO_CANCELLED = -4;
/** `index` of a posted entry waiting in the lane. */
const IN_LANE = -3;

function noop(): void {}

function less(a: Timer, b: Timer): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
