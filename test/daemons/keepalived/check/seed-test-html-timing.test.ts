import { describe, expect, it } from 'vitest';
import { runScenarioFile } from '../../../../src/index';
import type { TraceRecord } from '../../../../src/sim/trace';
import { SECOND } from '../../../../src/sim/time';
import type { Line } from './recording';
import { CHECKING, EVENTS, eventInstants, expectSameChildLines, INTERVALS, loadRealRuns, spread, type Refs } from './seed-runs';

/**
 * Issue #7: the checker instants of the test.html experiment against several real runs of keepalived
 * 2.2.7 + IPVS in user-mode-linux (fixtures/keepalived/check/README.md has the figures). The simulated
 * scenario uses the recordings' clock: the checker child starts at 0, test.html goes at 30 s, returns at 60 s.
 */
const REFS: Refs = { removal: 30, restore: 60 };
/**
 * What one check attempt costs in UML (every syscall trapped, one CPU shared with the web servers), as
 * these runs measured it: a failed attempt ends 3 s + 9–150 ms after the previous one. The simulation
 * spends 0.4 ms (LAN round trips).
 */
const ATTEMPT = 0.15;

const runs = loadRealRuns().filter((r) => r.kind === 'test-html');
const real = runs.map((r) => ({ run: r, refs: { removal: r.mark('removed'), restore: r.mark('restored') }, at: eventInstants(r.lines, { removal: r.mark('removed'), restore: r.mark('restored') }) }));

const run = runScenarioFile('test/fixtures/scenarios/seed-test-html-removed.yaml');
const logs = run.records.filter((r): r is TraceRecord<'log'> => r.kind === 'log' && r.host === 'dir');
/** The simulated C: the parent's "Starting Healthcheck child process", as in the recordings. */
const childStart = logs.find((r) => r.text.startsWith('Starting Healthcheck child process'))!.t / SECOND;
const childLines: Line[] = logs.filter((r) => r.ident === 'Keepalived_healthcheckers').map((r) => ({ t: r.t / SECOND - childStart, text: r.text }));
const sim = eventInstants(childLines, REFS);


describe('the test.html experiment against real keepalived 2.2.7 runs in UML', () => {
  it('the recordings took the same actions at the same offsets from the checker child start', () => {
    expect(childStart).toBe(0);
    expect(runs.length).toBeGreaterThanOrEqual(5);
    // The recording script's sleeps woke 7–93 ms late in UML (HZ=100, one busy CPU); the figures use the actual marks.
    for (const r of real) {
      expect(Math.abs(r.refs.removal - REFS.removal)).toBeLessThan(0.1);
      expect(Math.abs(r.refs.restore - REFS.restore)).toBeLessThan(0.1);
    }
  });

  it('logs the same lines as every real run, in the same order per real server', () => {
    // Without checker_log_all_failures keepalived keeps the failed attempts to itself (check_http.c timeout_epilog).
    const attempt = /^HTTP status code error to server /;
    const got = childLines.map((l) => l.text).filter((x) => CHECKING.test(x));
    for (const r of runs) {
      const want = r.lines.map((l) => l.text).filter((x) => CHECKING.test(x));
      expectSameChildLines(r.logAll ? got : got.filter((x) => !attempt.test(x)), want, r.name);
    }
  });

  it('every checker event happens in the simulation', () => {
    for (const e of EVENTS) expect(sim.has(e.name), e.name).toBe(true);
  });

  /**
   * Where each checker's cycle falls depends on its random warmup (the simulation's come from seed 1); the
   * real runs spread over most of delay_loop, and every simulated instant falls inside their spread.
   */
  for (const e of EVENTS) {
    for (const ref of ['child start', 'removal', ...(e.afterRestore ? ['restore' as const] : [])] as const) {
      it(`${e.name}, from the ${ref}: inside the real spread`, () => {
        const base = (r: Refs) => (ref === 'child start' ? 0 : ref === 'removal' ? r.removal : r.restore);
        const s = spread(real.filter((r) => r.run.logAll || !e.logAllOnly).map((r) => r.at.get(e.name)! - base(r.refs)));
        const v = sim.get(e.name)! - base(REFS);
        expect(v).toBeGreaterThanOrEqual(s.min);
        expect(v).toBeLessThanOrEqual(s.max);
      });
    }
  }

  /**
   * Intervals that do not depend on the warmup. The simulated one is the nominal delay (plus 0.4 ms per
   * attempt); the real ones are longer by what their attempts cost in UML, so the simulated interval may
   * be short of the real minimum by at most ATTEMPT per attempt in between.
   */
  for (const iv of INTERVALS) {
    it(`${iv.name}: within the real spread, or short of it by at most the UML attempt cost`, () => {
      const s = spread(real.filter((r) => r.run.logAll || !iv.logAllOnly).map((r) => r.at.get(iv.to)! - r.at.get(iv.from)!));
      const v = sim.get(iv.to)! - sim.get(iv.from)!;
      const attempts = iv.name.endsWith('→ removed') ? 3 : 1;
      expect(v).toBeLessThanOrEqual(s.max);
      expect(s.min - v).toBeLessThanOrEqual(attempts * ATTEMPT);
    });
  }

  it('the simulated intervals are the nominal delays: delay_before_retry 3 s, delay_loop 6 s, no lag for the sorry server', () => {
    const d = (a: string, b: string) => sim.get(b)! - sim.get(a)!;
    for (const w of ['web1', 'web2']) {
      for (const k of [1, 2, 3]) expect(d(`${w} failed attempt ${k}`, `${w} failed attempt ${k + 1}`)).toBeCloseTo(3, 2);
      expect(d(`${w} first good check`, `${w} second good check`)).toBeCloseTo(6, 2);
    }
    expect(d('last removal', 'sorry server added')).toBe(0);
    expect(d('first added back', 'sorry server removed')).toBe(0);
  });
});
