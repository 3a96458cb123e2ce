import { describe, it, expect } from 'vitest';
import { TimeWaitTable } from '../../../src/host/tcp/time-wait';
import { Rng } from '../../../src/sim/rng';

const IP = 0xc0a81750; // 192.168.23.80: above V8's small integers, as most addresses are
const PEER = 0xac101701;
const noop = (): void => {};

describe('TimeWaitTable', () => {
  it('finds a connection by its 4-tuple and ends the waits in the order they end, restarted ones later', () => {
    const t = new TimeWaitTable();
    const a = t.add(IP, 80, PEER, 40000, 1, 2, 100);
    const b = t.add(IP, 80, PEER, 40001, 3, 4, 150);
    const c = t.add(IP, 80, PEER + 1, 40000, 5, 6, 200);
    expect([t.find(IP, 80, PEER, 40000), t.find(IP, 80, PEER, 40001), t.find(IP, 80, PEER + 1, 40000)]).toEqual([a, b, c]);
    expect(t.find(IP, 81, PEER, 40000)).toBe(-1);
    t.restart(a, 250); // a retransmitted FIN: a's wait now ends last
    expect(t.nextExpiry()).toBe(150);
    const freed: number[] = [];
    expect(t.expire(149, (p) => freed.push(p))).toBe(0);
    expect(t.expire(200, (p) => freed.push(p))).toBe(2);
    expect(freed).toEqual([80, 80]); // the local ports given back
    expect([t.find(IP, 80, PEER, 40001), t.find(IP, 80, PEER + 1, 40000)]).toEqual([-1, -1]);
    expect(t.nextExpiry()).toBe(250);
    expect(t.expire(250, noop)).toBe(1);
    expect(t.size).toBe(0);
    expect(t.nextExpiry()).toBeUndefined();
  });

  it('a connection that leaves early gives its slot to the next one, whose wait the old entry cannot end', () => {
    const t = new TimeWaitTable();
    const a = t.add(IP, 80, PEER, 40000, 1, 2, 100);
    const view = t.view({} as never, a);
    t.remove(a); // an RST at the right sequence
    expect(view.state).toBe('CLOSED');
    const b = t.add(IP, 80, PEER, 40001, 1, 2, 100); // the same slot, the same end as the old entry
    expect(b).toBe(a);
    expect(t.expire(100, noop)).toBe(1); // once: the old entry is skipped
    expect(t.size).toBe(0);
  });

  it('stays consistent with a model through growth, restarts and early removals', () => {
    const rng = new Rng('time-wait-model');
    const t = new TimeWaitTable();
    const model = new Map<string, { slot: number; expiry: number }>();
    let now = 0;
    let most = 0;
    for (let step = 0; step < 20_000; step++) {
      const r = rng.next();
      const port = 1024 + rng.int(6000);
      const peer = PEER + rng.int(3);
      const key = `${peer}:${port}`;
      const had = model.get(key);
      if (r < 0.5 && had === undefined) {
        model.set(key, { slot: t.add(IP, 80, peer, port, port, peer, now + 12_000), expiry: now + 12_000 });
      } else if (r < 0.6 && had !== undefined) {
        t.restart(had.slot, now + 12_000);
        had.expiry = now + 12_000;
      } else if (r < 0.7 && had !== undefined) {
        t.remove(had.slot);
        model.delete(key);
      } else if (r < 0.8) {
        now += rng.int(20);
        const due = [...model].filter(([, e]) => e.expiry <= now);
        expect(t.expire(now, noop)).toBe(due.length);
        for (const [k] of due) model.delete(k);
      } else {
        expect(t.find(IP, 80, peer, port)).toBe(had?.slot ?? -1);
      }
      expect(t.size).toBe(model.size);
      most = Math.max(most, model.size);
    }
    for (const [k, e] of model) {
      const [peer, port] = k.split(':').map(Number) as [number, number];
      expect(t.find(IP, 80, peer, port)).toBe(e.slot);
      const v = t.view({} as never, e.slot);
      expect([v.localIp, v.localPort, v.remoteIp, v.remotePort, v.rcvNxt, v.sndNxt, v.state]).toEqual([IP, 80, peer, port, port, peer | 0, 'TIME_WAIT']);
    }
    const next = Math.min(...[...model.values()].map((e) => e.expiry));
    expect(t.nextExpiry()).toBe(next);
    expect(t.slots()).toEqual([...model.values()].map((e) => e.slot).sort((a, b) => a - b));
    expect(most).toBeGreaterThan(2048); // the table grew twice
  });
});
