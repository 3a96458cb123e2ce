import { describe, expect, it } from 'vitest';
import { SECOND } from '../../src/sim/time';
import { holderAt } from '../../src/index';
import { runHashed } from './helpers';

const DEMO = 'scenarios/basics/arp-and-ping.yaml';
const LOSSY = 'test/fixtures/scenarios/lossy-ping.yaml';

describe('scenario: basics/arp-and-ping', () => {
  it('meets its expectations', () => {
    const { run } = runHashed(DEMO);
    for (const r of run.results) expect(r.ok, `${r.what}: ${r.detail}`).toBe(true);
    expect(holderAt(run, '10.0.0.80', 12 * SECOND)).toBe('r1');
    expect(holderAt(run, '10.0.0.80', 16 * SECOND)).toBe('r2');
  });

  it('gives a byte-identical trace for the same seed', () => {
    const a = runHashed(DEMO);
    const b = runHashed(DEMO);
    expect(a.lines).toBeGreaterThan(20);
    expect(b.hash).toBe(a.hash);
  });

  it('with loss on, the same seed repeats and another seed differs', () => {
    const a = runHashed(LOSSY);
    const b = runHashed(LOSSY);
    const c = runHashed(LOSSY, { seed: 2 });
    expect(b.hash).toBe(a.hash);
    expect(c.hash).not.toBe(a.hash);
    const lost = runHashed(LOSSY, { keepAllRecords: true }).run.records.filter((r) => r.kind === 'frame.lost');
    expect(lost.length).toBeGreaterThan(3);
  });
});
