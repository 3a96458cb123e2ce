import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/sim/simulator';
import { MemorySink } from '../../src/sim/trace';
import { RngStreams } from '../../src/sim/rng';

declare module '../../src/sim/trace' {
  interface TraceEvents {
    'test.tick': { n: number };
  }
}

describe('Simulator', () => {
  it('runs events in order, advances now, and stops at the horizon', () => {
    const sim = new Simulator();
    const seen: Array<[number, string]> = [];
    sim.schedule(300, (s: string) => seen.push([sim.now, s]), 'c');
    sim.schedule(100, (s: string) => seen.push([sim.now, s]), 'a');
    sim.at(200, (s: string) => {
      seen.push([sim.now, s]);
      sim.schedule(0, () => seen.push([sim.now, 'b2']));
    }, 'b');
    sim.runUntil(250);
    expect(seen).toEqual([[100, 'a'], [200, 'b'], [200, 'b2']]);
    expect(sim.now).toBe(250);
    sim.runUntil(1000);
    expect(seen.at(-1)).toEqual([300, 'c']);
    expect(sim.now).toBe(1000);
  });

  it('cancelled timers never fire', () => {
    const sim = new Simulator();
    let fired = false;
    const t = sim.schedule(10, () => (fired = true));
    expect(sim.cancel(t)).toBe(true);
    sim.runUntil(100);
    expect(fired).toBe(false);
  });

  it('posted events keep their place among timers of the same instant, also when their entries are reused', () => {
    const sim = new Simulator();
    const seen: string[] = [];
    const note = (s: string) => seen.push(`${sim.now}:${s}`);
    // each round posts and schedules at the same instant, reusing the entries the previous round ran
    for (let round = 0; round < 3; round++) {
      const t = round * 10;
      sim.post(t, note, `p${round}a`);
      sim.at(t, note, `t${round}`);
      sim.post(t, (s: string) => {
        note(s);
        sim.post(sim.now, note, `p${round}c`);
        sim.schedule(0, note, `t${round}b`);
      }, `p${round}b`);
      sim.runUntil(t);
    }
    expect(seen).toEqual([
      '0:p0a', '0:t0', '0:p0b', '0:p0c', '0:t0b',
      '10:p1a', '10:t1', '10:p1b', '10:p1c', '10:t1b',
      '20:p2a', '20:t2', '20:p2b', '20:p2c', '20:t2b',
    ]);
    expect(() => sim.post(5, note, 'late')).toThrow(RangeError);
  });

  it('refuses to schedule in the past', () => {
    const sim = new Simulator();
    sim.runUntil(100);
    expect(() => sim.at(50, () => {})).toThrow(RangeError);
    expect(() => sim.schedule(-1, () => {})).toThrow(RangeError);
  });

  it('stamps trace records with simulated time', () => {
    const sim = new Simulator();
    const mem = new MemorySink();
    sim.trace.attach(mem);
    sim.schedule(42, () => sim.trace.emit('test.tick', { n: 1 }));
    sim.runUntil(100);
    expect(mem.records).toEqual([{ t: 42, kind: 'test.tick', n: 1 }]);
  });
});

describe('RngStreams', () => {
  it('gives the same draws for the same seed and name, independent of other streams', () => {
    const a = new RngStreams(7);
    const b = new RngStreams(7);
    b.stream('other').next();
    const xs = Array.from({ length: 5 }, () => a.stream('lan:ext').next());
    const ys = Array.from({ length: 5 }, () => b.stream('lan:ext').next());
    expect(xs).toEqual(ys);
    expect(new RngStreams(8).stream('lan:ext').next()).not.toBe(xs[0]);
  });
});
