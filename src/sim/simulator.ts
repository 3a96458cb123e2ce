import { EventQueue, type Timer } from './event-queue';
import type { Micros } from './time';
import { RngStreams } from './rng';
import { Trace } from './trace';

export type { Timer } from './event-queue';

/**
 * The simulation kernel: a clock and an event queue, nothing about packets or daemons. Everything else
 * schedules callbacks and reads `now` (SimPy's shape).
 */
export class Simulator {
  private readonly queue = new EventQueue();
  private _now: Micros = 0;
  private stopped = false;
  /** Events run so far: the figure `npm run bench` reports. */
  eventsProcessed = 0;
  readonly rng: RngStreams;
  readonly trace: Trace;

  constructor(opts: { seed?: number | string; trace?: Trace } = {}) {
    this.rng = new RngStreams(opts.seed ?? 1);
    this.trace = opts.trace ?? new Trace();
    this.trace.clock = () => this._now;
  }

  get now(): Micros {
    return this._now;
  }

  get pending(): number {
    return this.queue.size;
  }

  /** Runs `fn(arg)` after `delay` µs (0 = later in this instant, after what is already queued for it). */
  schedule<A>(delay: Micros, fn: (arg: A) => void, arg?: A): Timer {
    if (!(delay >= 0)) throw new RangeError(`negative or invalid delay ${delay}`);
    return this.queue.push(this._now + Math.round(delay), fn, arg);
  }

  /** Runs `fn(arg)` at absolute time `time` (not earlier than now). */
  at<A>(time: Micros, fn: (arg: A) => void, arg?: A): Timer {
    if (!(time >= this._now)) throw new RangeError(`cannot schedule in the past: ${time} < ${this._now}`);
    return this.queue.push(Math.round(time), fn, arg);
  }

  /**
   * Runs `fn(arg)` at `time` (not earlier than now), for a caller that will never cancel it: cheaper than
   * `at`, and the same order (one sequence of events for both).
   */
  post<A>(time: Micros, fn: (arg: A) => void, arg: A): void {
    if (!(time >= this._now)) throw new RangeError(`cannot schedule in the past: ${time} < ${this._now}`);
    this.queue.post(Math.round(time), fn, arg);
  }

  /**
   * `cancel(timer)` then `at(time, fn, arg)`, in one step and the same order: the timer's entry is reused
   * (moved in the queue, or put back once it has run). Returns the timer to keep.
   */
  reschedule<A>(timer: Timer | undefined, time: Micros, fn: (arg: A) => void, arg: A): Timer {
    if (!(time >= this._now)) throw new RangeError(`cannot schedule in the past: ${time} < ${this._now}`);
    return this.queue.reschedule(timer, Math.round(time), fn, arg);
  }

  cancel(timer: Timer | undefined | null): boolean {
    return timer ? this.queue.cancel(timer) : false;
  }

  /** Runs every event up to and including `until`, then leaves the clock at `until`. */
  runUntil(until: Micros): void {
    this.stopped = false;
    const q = this.queue;
    while (!this.stopped) {
      const next = q.pop(until);
      if (next === undefined) break;
      this._now = next.time;
      this.eventsProcessed++;
      next.fn(next.arg);
      if (next.pooled) q.recycle(next);
    }
    if (!this.stopped && until > this._now) this._now = until;
  }

  /** Runs one event; false when the queue is empty. */
  step(): boolean {
    const next = this.queue.pop();
    if (!next) return false;
    this._now = next.time;
    this.eventsProcessed++;
    next.fn(next.arg);
    if (next.pooled) this.queue.recycle(next);
    return true;
  }

  /** Makes the running `runUntil` return after the current event. */
  stop(): void {
    this.stopped = true;
  }
}
