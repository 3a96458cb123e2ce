import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/sim/simulator';
import { MemorySink } from '../../src/sim/trace';
import { SECOND } from '../../src/sim/time';
import { NeighbourTable, LINUX_ARP_DEFAULTS } from '../../src/host/neighbour';

/** A neighbour table with a fake interface that records solicitations and answers when told to. */
function table() {
  const sim = new Simulator({ seed: 5 });
  const mem = new MemorySink();
  sim.trace.attach(mem);
  const solicits: Array<[number, string]> = [];
  const t = new NeighbourTable(sim, 'h', 'eth0', sim.rng.stream('n'), {
    solicit: (_ip, to) => solicits.push([sim.now, to === undefined ? 'broadcast' : 'unicast']),
  });
  const states = () => mem.records.filter((r) => r.kind === 'neigh.state').map((r) => [r.t, (r as { state: string }).state]);
  return { sim, t, solicits, states };
}

const IP = 0x0a000002;
const MAC = 0x525400000002;

describe('NeighbourTable (Linux arp_tbl timers)', () => {
  it('resolves by broadcast and flushes the queue on the reply', () => {
    const { sim, t, solicits } = table();
    const sent: number[] = [];
    t.resolve(IP, (mac) => sent.push(mac));
    sim.runUntil(SECOND / 2);
    t.learn(IP, MAC, { create: true, confirm: true, override: false });
    expect(sent).toEqual([MAC]);
    expect(solicits).toEqual([[0, 'broadcast']]);
    expect(t.get(IP)?.state).toBe('REACHABLE');
  });

  it('REACHABLE lasts a random reachable_time in [15 s, 45 s), then STALE → DELAY 5 s → 3 unicast probes 1 s apart → FAILED', () => {
    const { sim, t, solicits, states } = table();
    t.learn(IP, MAC, { create: true, confirm: true, override: false });
    const rt = t.get(IP)!.reachableTime;
    expect(rt).toBeGreaterThanOrEqual(LINUX_ARP_DEFAULTS.baseReachableTime / 2);
    expect(rt).toBeLessThan((3 * LINUX_ARP_DEFAULTS.baseReachableTime) / 2);
    sim.runUntil(rt - 1);
    expect(t.get(IP)?.state).toBe('REACHABLE');
    sim.runUntil(rt);
    expect(t.get(IP)?.state).toBe('STALE');
    const use = 50 * SECOND;
    sim.runUntil(use);
    const failed: number[] = [];
    t.resolve(IP, () => {}, () => failed.push(sim.now));
    sim.runUntil(use + 20 * SECOND);
    expect(states().slice(-3)).toEqual([
      [use, 'DELAY'],
      [use + 5 * SECOND, 'PROBE'],
      [use + 8 * SECOND, 'FAILED'],
    ]);
    expect(solicits).toEqual([
      [use + 5 * SECOND, 'unicast'],
      [use + 6 * SECOND, 'unicast'],
      [use + 7 * SECOND, 'unicast'],
    ]);
    // The packet sent in DELAY went out at once; nothing was queued, so nothing fails.
    expect(failed).toEqual([]);
  });

  it('ignores a different MAC within locktime unless the ARP is gratuitous', () => {
    const { sim, t } = table();
    t.learn(IP, MAC, { create: true, confirm: false, override: false });
    sim.runUntil(SECOND / 2);
    t.learn(IP, MAC + 1, { create: false, confirm: false, override: false });
    expect(t.get(IP)?.mac).toBe(MAC);
    t.learn(IP, MAC + 1, { create: false, confirm: false, override: true });
    expect(t.get(IP)?.mac).toBe(MAC + 1);
  });

  it('does not create entries from unsolicited ARP (arp_accept 0)', () => {
    const { t } = table();
    t.learn(IP, MAC, { create: false, confirm: false, override: true });
    expect(t.get(IP)).toBeUndefined();
  });

  it('tells the solicitor the source of the last packet queued while INCOMPLETE, and none for PROBE', () => {
    const sim = new Simulator({ seed: 5 });
    const seen: Array<[string, number | undefined]> = [];
    const t = new NeighbourTable(sim, 'h', 'eth0', sim.rng.stream('n'), {
      solicit: (_ip, to, src) => seen.push([to === undefined ? 'broadcast' : 'unicast', src]),
    });
    t.resolve(IP, () => {}, undefined, 0x0a000050);
    t.resolve(IP, () => {}, undefined, 0x0a00000b);
    sim.runUntil(SECOND + 1);
    t.learn(IP, MAC, { create: true, confirm: true, override: false });
    // reachable_time ≤ 45 s, then STALE; a use → DELAY 5 s → PROBE.
    sim.runUntil(50 * SECOND);
    t.resolve(IP, () => {}, undefined, 0x0a000050);
    sim.runUntil(55.5 * SECOND);
    expect(seen).toEqual([
      ['broadcast', 0x0a000050],
      ['broadcast', 0x0a00000b],
      ['unicast', undefined],
    ]);
  });
});
