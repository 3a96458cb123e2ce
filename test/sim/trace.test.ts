import { describe, it, expect } from 'vitest';
import { MemorySink, Trace } from '../../src/sim/trace';

declare module '../../src/sim/trace' {
  interface TraceEvents {
    'test.a': { n: number };
    'test.b': { n: number };
  }
}

describe('Trace', () => {
  it('gives a sink only the kinds it subscribed to, and builds no record nobody wants', () => {
    const trace = new Trace();
    const all = new MemorySink();
    const onlyA = new MemorySink();
    trace.attach(onlyA, new Set(['test.a']));
    expect(trace.wants('test.a')).toBe(true);
    expect(trace.wants('test.b')).toBe(false);
    trace.emit('test.b', { n: 1 });
    const detach = trace.attach(all);
    expect(trace.wants('test.b')).toBe(true);
    trace.emit('test.a', { n: 2 });
    trace.emit('test.b', { n: 3 });
    detach();
    trace.emit('test.b', { n: 4 });
    expect(onlyA.records.map((r) => r.kind)).toEqual(['test.a']);
    expect(all.records.map((r) => `${r.kind}`)).toEqual(['test.a', 'test.b']);
    expect(trace.wants('test.b')).toBe(false);
  });

  it('hands a record built whole to the sinks of its kind, as it is', () => {
    const trace = new Trace();
    const onlyA = new MemorySink();
    trace.attach(onlyA, new Set(['test.a']));
    const record = { t: 5, kind: 'test.a', n: 1 } as const;
    trace.emitRecord(record);
    trace.emitRecord({ t: 6, kind: 'test.b', n: 2 });
    expect(onlyA.records).toEqual([record]);
    expect(onlyA.records[0]).toBe(record);
  });
});
