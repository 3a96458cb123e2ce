import type { Micros } from './time';

/** A scheduled callback. Kept by the caller to cancel it; `index` is its place in the heap (-1 once gone). */
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
 */
export class EventQueue {
  private heap: Entry[] = [];
  private nextSeq = 0;
  /** Run entries of `post`, ready for reuse. */
  private readonly pool: Entry[] = [];

  get size(): number {
    return this.heap.length;
  }

  push<A>(time: Micros, fn: (arg: A) => void, arg?: A): Timer {
    const t: Entry = { time, seq: this.nextSeq++, index: this.heap.length, fn: fn as (a: unknown) => void, arg, pooled: false };
    this.heap.push(t);
    this.up(t.index);
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
      const fresh: Entry = { time, seq: this.nextSeq++, index: this.heap.length, fn: fn as (a: unknown) => void, arg, pooled: true };
      this.heap.push(fresh);
      this.up(fresh.index);
      return;
    }
    t.time = time;
    t.seq = this.nextSeq++;
    t.index = this.heap.length;
    t.fn = fn as (a: unknown) => void;
    t.arg = arg;
    this.heap.push(t);
    this.up(t.index);
  }

  /** An entry of `post` has run: back to the pool, holding nothing. */
  recycle(t: Timer): void {
    const e = t as Entry;
    e.fn = noop;
    e.arg = undefined;
    this.pool.push(e);
  }

  peek(): Timer | undefined {
    return this.heap[0];
  }

  pop(): Timer | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      last.index = 0;
      this.down(0);
    }
    top.index = -1;
    return top;
  }

  /** Removes a pending timer; false when it already ran or was cancelled. */
  cancel(t: Timer): boolean {
    const i = t.index;
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

function noop(): void {}

function less(a: Timer, b: Timer): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
