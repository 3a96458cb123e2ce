import type { Simulator, Timer } from '../../sim/simulator';
import type { Micros } from '../../sim/time';

/**
 * Sockets waiting out a fixed delay (TIME_WAIT's 60 s, tcp_fin_timeout's 60 s): since every wait has the
 * same length they end in the order they began, so a FIFO with one timer for its head replaces a timer per
 * socket and keeps tens of thousands of TIME_WAIT sockets out of the event queue. A socket that restarts
 * its wait is queued again; its earlier place is skipped (its `expiry` moved on). One that leaves early
 * gives its place up (`remove`), so the queue does not keep it alive for the rest of the wait.
 */
export class ExpiryQueue<S extends Waiting> {
  private readonly queue: (S | undefined)[] = [];
  private head = 0;
  /** The absolute position of queue[0]: places stay valid while the queue drops its front. */
  private base = 0;
  private timer: Timer | undefined;

  constructor(
    private readonly sim: Simulator,
    /** Still waiting in the state this queue is for? */
    private readonly waiting: (s: S) => boolean,
    private readonly expire: (s: S) => void,
  ) {}

  /** Starts (or restarts) the wait of `s`, which ends `delay` µs from now. */
  add(s: S, delay: Micros): void {
    s.expiry = this.sim.now + delay;
    s.expiryPlace = this.base + this.queue.length;
    this.queue.push(s);
    if (this.timer === undefined) this.timer = this.sim.at(s.expiry, run, this);
  }

  /** `s` stopped waiting before its time. */
  remove(s: S): void {
    const i = s.expiryPlace - this.base;
    if (i >= this.head && i < this.queue.length && this.queue[i] === s) this.queue[i] = undefined;
    s.expiryPlace = -1;
  }

  /** @internal */
  run(): void {
    this.timer = undefined;
    const now = this.sim.now;
    const q = this.queue;
    while (this.head < q.length) {
      const s = q[this.head];
      // a place given up, or left behind by a restarted wait, or a socket that moved on to another state
      if (s === undefined || s.expiryPlace !== this.base + this.head || !this.waiting(s)) {
        this.head++;
        continue;
      }
      if (s.expiry > now) break;
      this.head++;
      s.expiryPlace = -1;
      this.expire(s);
    }
    if (this.head === q.length) {
      this.base += q.length;
      q.length = 0;
      this.head = 0;
    } else {
      if (this.head > 1024 && this.head * 2 > q.length) {
        q.splice(0, this.head);
        this.base += this.head;
        this.head = 0;
      }
      this.timer = this.sim.at(q[this.head]!.expiry, run, this);
    }
  }

  clear(): void {
    this.base += this.queue.length;
    this.queue.length = 0;
    this.head = 0;
    if (this.timer !== undefined) this.sim.cancel(this.timer);
    this.timer = undefined;
  }
}

/** What waits in an ExpiryQueue: its deadline and its place in the queue (-1: not waiting). */
export interface Waiting {
  expiry: Micros;
  expiryPlace: number;
}

function run<S extends Waiting>(q: ExpiryQueue<S>): void {
  q.run();
}
