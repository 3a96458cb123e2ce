import { describe, expect, it } from 'vitest';
import { runScenarioFile } from '../../../../src/index';
import type { TraceRecord } from '../../../../src/sim/trace';
import { SECOND } from '../../../../src/sim/time';
import { loadReloadRuns, type ReloadRun } from './reload-runs';

/**
 * keepalived's checker child reloaded by SIGHUP, against real keepalived 2.2.7 + IPVS recorded in
 * user-mode-linux (fixtures/keepalived/check/reload/README.md). Each case is a scenario
 * (fixtures/scenarios/checker-reload-CASE.yaml) on the recording's clock: the checker child starts at 0,
 * and `cp new.conf keepalived.conf && systemctl reload keepalived` falls where the recording sent SIGHUP.
 */
const WEB1 = '[192.168.23.80]:tcp:80';
const WEB1_ADDR = '192.168.23.80:80';
const SERVERS = [WEB1, '[192.168.23.81]:tcp:8080', '[192.168.23.82]:tcp:8080'];
const PARENT = 'Keepalived';
const CHILD = 'Keepalived_healthcheckers';
/** BOOTSTRAP_DELAY: no checker runs in the first second after a (re)load (check_api.c register_checkers_thread). */
const BOOTSTRAP = 1;
/** warmup defaults to delay_loop (6 s); UML's attempts and wake-ups add up to 0.15 s (../README.md). */
const LAST_FIRST_CHECK = BOOTSTRAP + 6 + 0.15;

interface Line {
  readonly t: number;
  readonly ident: string;
  readonly text: string;
}

interface Side {
  readonly reload: number;
  /** keepalived's lines (info level: the debug ones, "Reinitializing ipvs", are not written by a default syslog). */
  readonly lines: readonly Line[];
  /** Requests reaching a real server (recorded: `192.168.23.80:80`; simulated: the host, web1 as above) with their status. */
  readonly reqs: ReadonlyArray<{ readonly t: number; readonly server: string; readonly status: number }>;
  readonly snapshots: readonly string[];
  /** keepalived's (the parent's) exit status. */
  readonly exitStatus: number;
}

function realSide(r: ReloadRun): Side {
  const lines: Line[] = [];
  const reqs: Array<{ t: number; server: string; status: number }> = [];
  for (const x of r.recs) {
    if (x.kind === 'log' && x.level === 'info') lines.push({ t: x.t, ident: x.ident, text: x.text });
    if (x.kind === 'req') reqs.push({ t: x.t, server: x.server, status: x.status });
  }
  const end = r.mark('end status=');
  const status = r.recs.flatMap((x) => (x.kind === 'mark' && x.t === end ? [/^end status=(\d+)$/.exec(x.text)] : []))[0];
  return { reload: r.mark('reload'), lines, reqs, snapshots: [...r.snapshots.values()], exitStatus: Number(status![1]) };
}

function simulatedSide(kase: string, reload: number): Side {
  const run = runScenarioFile(`test/fixtures/scenarios/checker-reload-${kase}.yaml`, { keepAllRecords: true });
  const lines: Line[] = [];
  const reqs: Array<{ t: number; server: string; status: number }> = [];
  const snapshots: string[] = [];
  const exits = new Map<number, number>();
  let parentPid = -1;
  for (const r of run.records) {
    if (r.kind === 'log') {
      const l = r as TraceRecord<'log'>;
      if (l.host === 'dir') lines.push({ t: r.t / SECOND, ident: l.ident, text: l.text });
      if (l.host === 'dir' && l.ident === PARENT && parentPid < 0) parentPid = l.pid;
    } else if (r.kind === 'nginx.access') {
      const a = r as TraceRecord<'nginx.access'>;
      // nginx's main format: … "GET /test.html HTTP/1.0" 200 …
      const m = /"GET \S+ HTTP\/1\.\d" (\d+) /.exec(a.line);
      if (m) reqs.push({ t: r.t / SECOND, server: a.host === 'web1' ? WEB1_ADDR : a.host, status: Number(m[1]) });
    } else if (r.kind === 'process.exit') {
      const e = r as TraceRecord<'process.exit'>;
      if (e.host === 'dir') exits.set(e.pid, e.code);
    } else if (r.kind === 'snapshot') {
      const s = r as TraceRecord<'snapshot'>;
      if (s.host === 'dir') snapshots.push(s.output);
    }
  }
  return { reload, lines, reqs, snapshots, exitStatus: exits.get(parentPid) ?? -1 };
}

/** CPU times and pids are the real process's own. */
const normal = (s: string): string =>
  s
    .replace(/used [\d.]+ user time, [\d.]+ system time/, 'used N user time, N system time')
    .replace(/user: [\d./]+ system: [\d./]+/, 'user: N system: N')
    .replace(/^pid \d+ /, 'pid N ');

/** One process's lines in [from, to), CPU times and pids blanked. */
const of = (side: Side, ident: string, from: number, to = Infinity): string[] =>
  side.lines.filter((l) => l.ident === ident && l.t >= from && l.t < to).map((l) => normal(l.text));

/**
 * The child's lines from `from` on: the same lines, in the same order for each real server and for the
 * virtual server's own lines. Which server's first check comes first after the reload depends on the
 * random warmup of each checker, so how their lines interleave is not compared.
 */
function expectSameChildLines(got: readonly string[], want: readonly string[], what: string): void {
  expect([...got].sort(), what).toEqual([...want].sort());
  const mine = (rs: string | undefined) => (x: string) => (rs === undefined ? !SERVERS.some((s) => x.includes(s)) : x.includes(rs));
  for (const rs of [...SERVERS, undefined]) expect(got.filter(mine(rs)), `${what} ${rs ?? 'VS'}`).toEqual(want.filter(mine(rs)));
}

/** When the checker child took the SIGHUP (its `Reloading` line). */
function childReloading(side: Side): number {
  return side.lines.find((l) => l.t >= side.reload && l.ident === CHILD && l.text === 'Reloading')!.t;
}

/** The instant of the child's first line containing `text` at or after `from` (seconds). */
function firstAfter(side: Side, text: string, from: number): number | undefined {
  return side.lines.find((x) => x.t >= from && x.ident === CHILD && x.text.includes(text))?.t;
}

const CASES = [
  'a-unchanged',
  'b-replaced-refused',
  'b-replaced-listening',
  'c-no-vs',
  'd-weight-wlc',
  'e-down-unchanged',
  'f-down-url-changed',
  'g-sorry-changed',
  'h-missing-param',
  'i-alpha-url',
  'j-fails-after-reload',
  'k-rs-added-sorry',
  'l-weight-while-down',
] as const;

describe.each(CASES)('checker child reload %s, against the real one', (kase) => {
  const runs = loadReloadRuns(kase);
  const real = runs.map(realSide);
  const sim = simulatedSide(kase, Math.round(real[0]!.reload));

  it('was recorded, and the scenario reloads at the recording\'s instant', () => {
    expect(runs.length).toBeGreaterThan(0);
    for (const r of real) expect(Math.abs(r.reload - sim.reload), 'reload mark').toBeLessThan(0.05);
  });

  // Everything a reload writes comes within BOOTSTRAP_DELAY of the signal, before any check can run.
  it('the parent writes the same reload lines, in order', () => {
    for (const [i, r] of real.entries()) expect(of(sim, PARENT, sim.reload, sim.reload + BOOTSTRAP), runs[i]!.name).toEqual(of(r, PARENT, r.reload, r.reload + BOOTSTRAP));
  });

  it('the checker child writes the same reload lines, in order', () => {
    for (const [i, r] of real.entries()) {
      const [s0, r0] = [childReloading(sim), childReloading(r)];
      expect(of(sim, CHILD, s0, s0 + BOOTSTRAP), runs[i]!.name).toEqual(of(r, CHILD, r0, r0 + BOOTSTRAP));
    }
  });

  it('from the reload to the end, the child writes the same lines (per real server in order), the parent the same lines in order', () => {
    for (const [i, r] of real.entries()) {
      expectSameChildLines(of(sim, CHILD, childReloading(sim)), of(r, CHILD, childReloading(r)), runs[i]!.name);
      expect(of(sim, PARENT, sim.reload), runs[i]!.name).toEqual(of(r, PARENT, r.reload));
    }
  });

  it('ipvsadm -L -n before, 2 s after the reload and later: byte for byte', () => {
    for (const [i, r] of real.entries()) expect(sim.snapshots, runs[i]!.name).toEqual(r.snapshots);
  });

  it('keepalived exits with the same status (2, KEEPALIVED_EXIT_CONFIG, after the child\'s permanent error)', () => {
    for (const [i, r] of real.entries()) expect(sim.exitStatus, runs[i]!.name).toBe(r.exitStatus);
  });

  it('every checker of the new configuration starts again BOOTSTRAP_DELAY + warmup after the reload (old timers gone)', () => {
    for (const side of [...real, sim]) {
      // In UML a check started just before the child took the signal can reach its server after the mark.
      const from = childReloading(side);
      const servers = new Set(side.reqs.filter((q) => q.t >= from).map((q) => q.server));
      for (const s of servers) {
        const first = side.reqs.find((q) => q.server === s && q.t >= from)!.t - from;
        expect(first, s).toBeGreaterThanOrEqual(BOOTSTRAP);
        expect(first, s).toBeLessThanOrEqual(LAST_FIRST_CHECK);
      }
    }
  });
});

/**
 * e and f: web1 is down at the reload (test.html away since 0.5 s) and test.html is back 0.5 s after it,
 * before any check can run. When web1 comes back (e) or leaves again (f) is measured from the reload.
 */
describe.each([
  ['e-down-unchanged', `Adding service ${WEB1}`, 200, 'comes back at its first good check after the reload (the checker migrated down, with no failed url)'],
  ['f-down-url-changed', `Removing service ${WEB1}`, 404, 'is put back at the reload, then leaves at the first failure of the new url (one failure is enough)'],
] as const)('%s: web1 %s', (kase, event, status, what) => {
  const real = loadReloadRuns(kase).map(realSide);
  const sim = simulatedSide(kase, Math.round(real[0]!.reload));

  it(`${what}: the first check of web1 after the reload decides, in the real runs and the simulation`, () => {
    for (const side of [...real, sim]) {
      const from = childReloading(side);
      const at = firstAfter(side, event, from + BOOTSTRAP)! - from;
      expect(at).toBeGreaterThanOrEqual(BOOTSTRAP);
      expect(at).toBeLessThanOrEqual(LAST_FIRST_CHECK);
      const checks = side.reqs.filter((q) => q.server === WEB1_ADDR && q.t >= from && q.t <= from + at);
      expect(checks.map((q) => q.status)).toEqual([status]);
    }
  });
});
