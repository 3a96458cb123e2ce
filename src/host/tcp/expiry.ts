import type { Simulator, Timer } from '../../sim/simulator';
import type { Micros } from '../../sim/time';
import type { TcpSocket } from './socket';

/**
 * Sockets waiting out a fixed delay (TIME_WAIT's 60 s, tcp_fin_timeout's 60 s): since every wait has the
 * same length they end in the order they began, so a FIFO with one timer for its head replaces a timer per
 * socket and keeps tens of thousands of TIME_WAIT sockets out of the event queue. A socket that restarts
 * its wait is queued again; its earlier place is skipped (its `expiry` moved on).
 */
export class ExpiryQueue {
  private readonly queue: TcpSocket[] = [];
  private head = 0;
  private timer: Timer | undefined;

  constructor(
    private readonly sim: Simulator,
    /** Still waiting in the state this queue is for? */
    private readonly waiting: (s: TcpSocket) => boolean,
    private readonly expire: (s: TcpSocket) => void,
  ) {}

  /** Starts (or restarts) the wait of `s`, which ends `delay` µs from now. */
  add(s: TcpSocket, delay: Micros): void {
    s.expiry = this.sim.now + delay;
    this.queue.push(s);
    if (this.timer === undefined) this.timer = this.sim.at(s.expiry, run, this);
  }

  /** @internal */
  run(): void {
    this.timer = undefined;
    const now = this.sim.now;
    const q = this.queue;
    while (this.head < q.length) {
      const s = q[this.head]!;
      if (s.expiry > now && this.waiting(s)) break;
      this.head++;
      if (s.expiry <= now && this.waiting(s)) this.expire(s);
    }
    if (this.head === q.length) {
      q.length = 0;
      this.head = 0;
    } else {
      if (this.head > 1024 && this.head * 2 > q.length) {
        q.splice(0, this.head);
        this.head = 0;
      }
      this.timer = this.sim.at(q[this.head]!.expiry, run, this);
    }
  }

  clear(): void {
    this.queue.length = 0;
    this.head = 0;
    if (this.timer !== undefined) this.sim.cancel(this.timer);
    this.timer = undefined;
  }
}

function run(q: ExpiryQueue): void {
  q.run();
}
