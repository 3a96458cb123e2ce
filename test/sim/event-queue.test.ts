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
  function checkAgainstModel(seed: string, nextTime: (rng: Rng, now: number) => number, cancelShare: number, postShare = 0, rescheduleShare = 0): void {
    const rng = new Rng(seed);
    const q = new EventQueue();
    // every pending event by id: its time and sequence, and the handle of a pushed one
    const live = new Map<number, { time: number; seq: number; timer?: ReturnType<EventQueue['push']> }>();
    // handles of pushed events that ran or were cancelled: a reschedule may bring them back
    const gone: ReturnType<EventQueue['push']>[] = [];
    let id = 0;
    let seq = 0;
    let now = 0;
    for (let step = 0; step < 5000; step++) {
      const r = rng.next();
      if (r < rescheduleShare) {
        // moves a pending pushed event, or brings back one that ran or was cancelled, under a new id
        const pushed = [...live].filter(([, e]) => e.timer !== undefined);
        const pick = rng.chance(0.5) && pushed.length > 0 ? pushed[rng.int(pushed.length)]! : undefined;
        const old = pick ? pick[1].timer! : gone.length > 0 ? gone.splice(rng.int(gone.length), 1)[0]! : undefined;
        if (pick) live.delete(pick[0]);
        const time = nextTime(rng, now);
        const timer = q.reschedule(old, time, () => {}, id);
        expect([timer.time, timer.seq]).toEqual([time, seq]);
        live.set(id++, { time, seq: seq++, timer });
      } else if (r < 0.5) {
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
        gone.push(e.timer!);
      } else {
        const e = q.pop();
        if (!e) continue;
        const min = [...live].reduce((a, b) => (b[1].time < a[1].time || (b[1].time === a[1].time && b[1].seq < a[1].seq) ? b : a));
        expect(e.arg).toBe(min[0]);
        expect(e.time).toBe(min[1].time);
        now = e.time;
        if (!e.pooled) gone.push(live.get(e.arg as number)!.timer!);
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

  it('a rescheduled timer takes the place cancel and push would give it, in the heap, the FIFO or back from the dead', () => {
    checkAgainstModel('reschedule-model', (rng, now) => now + [0, 0, 100, 1000, rng.int(300)][rng.int(5)]!, 0.1, 0.3, 0.2);
    checkAgainstModel('reschedule-any-model', (rng) => rng.int(50), 0.1, 0.2, 0.2);
  });

  it('a timer cancelled in the FIFO and rescheduled into it runs after what was queued since, once', () => {
    const q = new EventQueue();
    q.push(10, () => {}, 'a');
    q.pop(); // the instant is 10: what is scheduled for it goes to the FIFO
    const b = q.push(10, () => {}, 'b');
    q.push(10, () => {}, 'c');
    q.cancel(b);
    q.reschedule(b, 10, () => {}, 'b again');
    expect([q.pop()?.arg, q.pop()?.arg, q.pop()]).toEqual(['c', 'b again', undefined]);
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
