import { Simulator } from '../src/sim/simulator';

/**
 * The bare kernel: `pending` self-rescheduling timers with pseudo-random delays, so the heap holds as
 * many entries as a busy cluster keeps (timers + frames in flight). Returns events per wall second.
 */
export function benchQueue(events: number, pending = 200): { events: number; seconds: number; rate: number } {
  const sim = new Simulator({ seed: 1 });
  const delays = Array.from({ length: 1024 }, (_, i) => 1 + ((i * 7919) % 1000));
  let k = 0;
  const tick = (): void => {
    sim.schedule(delays[k++ & 1023]!, tick);
  };
  for (let i = 0; i < pending; i++) sim.schedule(delays[i & 1023]!, tick);
  const start = process.hrtime.bigint();
  while (sim.eventsProcessed < events) sim.step();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { events: sim.eventsProcessed, seconds, rate: sim.eventsProcessed / seconds };
}
