import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/sim/event-queue';
import { Rng } from '../../src/sim/rng';

describe('EventQueue', () => {
  it('pops in time order', () => {
    const q = new EventQueue();
    for (const t of [50, 10, 40, 30, 20]) q.push(t, () => {}, t);
    const out: number[] = [];
    for (let e = q.pop(); e; e = q.pop()) out.push(e.time);
    expect(out).toEqual([10, 20, 30, 40, 50]);
  });

  it('breaks ties by insertion order', () => {
    const q = new EventQueue();
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (const n of names) q.push(7, () => {}, n);
    q.push(3, () => {}, 'first');
    const out: unknown[] = [];
    for (let e = q.pop(); e; e = q.pop()) out.push(e.arg);
    expect(out).toEqual(['first', ...names]);
  });

  it('cancels without leaving tombstones, from any place in the heap', () => {
    const q = new EventQueue();
    const timers = Array.from({ length: 100 }, (_, i) => q.push((i * 37) % 101, () => {}, i));
    const cancelled = new Set<number>();
    for (let i = 0; i < 100; i += 3) {
      expect(q.cancel(timers[i]!)).toBe(true);
      cancelled.add(i);
    }
    expect(q.size).toBe(100 - cancelled.size);
    expect(q.cancel(timers[0]!)).toBe(false);
    const out: number[] = [];
    for (let e = q.pop(); e; e = q.pop()) {
      expect(cancelled.has(e.arg as number)).toBe(false);
      out.push(e.time);
    }
    expect(out).toEqual([...out].sort((a, b) => a - b));
    expect(out.length).toBe(100 - cancelled.size);
  });

  /**
   * Random pushes and posts (at `nextTime(now)`), cancellations and pops against a reference model: every pop
   * must take the pending event that is least by (time, seq), and every cancel must answer as the model does.
   * Posted events cannot be cancelled; once run they go back to the queue's pool, as the simulator does.
   */
  function checkAgainstModel(seed: string, nextTime: (rng: Rng, now: number) => number, cancelShare: number, postShare = 0): void {
    const rng = new Rng(seed);
    const q = new EventQueue();
    // every pending event by id: its time and sequence, and the handle of a pushed one
    const live = new Map<number, { time: number; seq: number; timer?: ReturnType<EventQueue['push']> }>();
    let id = 0;
    let seq = 0;
    let now = 0;
    for (let step = 0; step < 5000; step++) {
      const r = rng.next();
      if (r < 0.5) {
        const time = nextTime(rng, now);
        if (rng.chance(postShare)) {
          q.post(time, () => {}, id);
          live.set(id, { time, seq: seq++ });
        } else {
          const timer = q.push(time, () => {}, id);
          expect(timer.seq).toBe(seq++);
          live.set(id, { time, seq: timer.seq, timer });
        }
        id++;
      } else if (r < 0.5 + cancelShare && live.size > 0) {
        const pushed = [...live].filter(([, e]) => e.timer !== undefined);
        if (pushed.length === 0) continue;
        const [k, e] = pushed[rng.int(pushed.length)]!;
        expect(q.cancel(e.timer!)).toBe(true);
        expect(q.cancel(e.timer!)).toBe(false);
        live.delete(k);
      } else {
        const e = q.pop();
        if (!e) continue;
        const min = [...live].reduce((a, b) => (b[1].time < a[1].time || (b[1].time === a[1].time && b[1].seq < a[1].seq) ? b : a));
        expect(e.arg).toBe(min[0]);
        expect(e.time).toBe(min[1].time);
        now = e.time;
        live.delete(e.arg as number);
        if (e.pooled) q.recycle(e);
      }
      expect(q.size).toBe(live.size);
    }
  }

  it('stays ordered under random push/cancel/pop against a reference model', () => {
    // any time at all, also before what was popped last
    checkAgainstModel('heap-model', (rng) => rng.int(50), 0.2);
  });

  it('keeps one order for events of the running instant, cancelled ones included, against a reference model', () => {
    // the simulator's pattern: time only goes forward, and half of what is scheduled is for the instant being run
    checkAgainstModel('fifo-model', (rng, now) => now + (rng.chance(0.5) ? 0 : rng.int(5)), 0.1);
  });

  it('keeps one order with posted events in the lane, in order or not, against a reference model', () => {
    // frame arrivals at now + a fixed latency (the lane), flushes at now (the FIFO), timers and other latencies
    // now and then (the heap), half of them posted
    checkAgainstModel('lane-model', (rng, now) => now + [0, 0, 100, 100, 100, 100, 37, rng.int(300)][rng.int(8)]!, 0.1, 0.5);
    // posts at any time, also before what was popped last
    checkAgainstModel('lane-any-model', (rng) => rng.int(50), 0.1, 0.5);
  });

  it('pop(until) takes nothing due later, from the heap or from the running instant', () => {
    const q = new EventQueue();
    q.push(10, () => {}, 'a');
    expect(q.pop(5)).toBeUndefined();
    expect(q.pop(10)?.arg).toBe('a');
    q.push(10, () => {}, 'b'); // the running instant: the FIFO
    q.push(20, () => {}, 'c');
    expect(q.pop(9)).toBeUndefined();
    expect(q.size).toBe(2);
    expect(q.pop(10)?.arg).toBe('b');
    expect(q.pop(19)).toBeUndefined();
    expect(q.pop()?.arg).toBe('c');
    expect(q.pop()).toBeUndefined();
  });
});
