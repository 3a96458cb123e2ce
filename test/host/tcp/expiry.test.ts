import { describe, it, expect } from 'vitest';
import { Simulator } from '../../../src/sim/simulator';
import { SECOND } from '../../../src/sim/time';
import { ExpiryQueue } from '../../../src/host/tcp/expiry';

interface Sock {
  name: string;
  expiry: number;
  expiryPlace: number;
  waiting: boolean;
}

function setup() {
  const sim = new Simulator({ seed: 1 });
  const expired: string[] = [];
  const q = new ExpiryQueue<Sock>(
    sim,
    (s) => s.waiting,
    (s) => expired.push(`${s.name}@${sim.now / SECOND}`),
  );
  const sock = (name: string): Sock => ({ name, expiry: 0, expiryPlace: -1, waiting: true });
  return { sim, q, expired, sock };
}

describe('ExpiryQueue', () => {
  it('ends waits in the order they began, each after its delay', () => {
    const { sim, q, expired, sock } = setup();
    q.add(sock('a'), 60 * SECOND);
    sim.runUntil(1 * SECOND);
    q.add(sock('b'), 60 * SECOND);
    sim.runUntil(200 * SECOND);
    expect(expired).toEqual(['a@60', 'b@61']);
  });

  it('a restarted wait does not hold back the waits queued after its first start', () => {
    const { sim, q, expired, sock } = setup();
    const a = sock('a');
    q.add(a, 60 * SECOND);
    sim.runUntil(1 * SECOND);
    q.add(sock('b'), 60 * SECOND);
    sim.runUntil(2 * SECOND);
    q.add(a, 60 * SECOND); // the peer's FIN again: the full wait from now
    sim.runUntil(200 * SECOND);
    expect(expired).toEqual(['b@61', 'a@62']);
  });

  it('a socket removed before its time never expires and is not kept', () => {
    const { sim, q, expired, sock } = setup();
    const a = sock('a');
    q.add(a, 60 * SECOND);
    q.add(sock('b'), 60 * SECOND);
    q.remove(a);
    expect(a.expiryPlace).toBe(-1);
    sim.runUntil(200 * SECOND);
    expect(expired).toEqual(['b@60']);
  });

  it('skips sockets that left the state it waits for', () => {
    const { sim, q, expired, sock } = setup();
    const a = sock('a');
    q.add(a, 60 * SECOND);
    q.add(sock('b'), 60 * SECOND);
    a.waiting = false;
    sim.runUntil(200 * SECOND);
    expect(expired).toEqual(['b@60']);
  });
});
