import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Line } from './recording';

/**
 * The real runs of fixtures/keepalived/check/seed-runs/ (README.md there): keepalived 2.2.7's checker child
 * on the seed's virtual server in user-mode-linux, every line in seconds from the parent's "Starting
 * Healthcheck child process" (the child's start), MARK lines for the recording script's actions.
 */
export interface RealRun {
  readonly name: string;
  /** `phases`: test.html away on web1, then on web2 too, then back; `test-html`: away on both at once, then back. */
  readonly kind: 'phases' | 'test-html';
  /** Run with checker_log_all_failures (every failed attempt logged). */
  readonly logAll: boolean;
  readonly lines: readonly Line[];
  /** The ipvsadm -L -n snapshots, by phase name, as printed. */
  readonly snapshots: ReadonlyMap<string, string>;
  mark(prefix: string): number;
}

const DIR = join(__dirname, '../../../fixtures/keepalived/check/seed-runs');

export function parseLog(text: string): Line[] {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => ({ t: Number(l.slice(0, 9)), text: l.slice(10) }));
}

/** `# phase NAME (C+x s)` headers, each followed by ipvsadm's exact output. */
export function parseSnapshots(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let phase: string | undefined;
  for (const line of text.split(/(?<=\n)/)) {
    const m = /^# phase (.+?)(?: \(C\+[\d.]+ s\))?\n$/.exec(line);
    if (m) {
      phase = m[1]!;
      out.set(phase, '');
    } else if (phase !== undefined) out.set(phase, out.get(phase)! + line);
  }
  return out;
}

export function loadRealRuns(): RealRun[] {
  const names = readdirSync(DIR)
    .filter((f) => /^run\d+\.log$/.test(f))
    .map((f) => f.slice(0, -4))
    .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
  return names.map((name) => {
    const lines = parseLog(readFileSync(join(DIR, `${name}.log`), 'utf8'));
    const mark = (prefix: string) => lines.find((l) => l.text.startsWith(`MARK ${prefix}`))!.t;
    return {
      name,
      kind: lines.some((l) => l.text === 'MARK removed web1 web2') ? 'test-html' : 'phases',
      logAll: lines.some((l) => l.text.includes('seed-test-html-logall.conf')),
      lines,
      snapshots: parseSnapshots(readFileSync(join(DIR, `${name}.ipvsadm`), 'utf8')),
      mark,
    };
  });
}

export const WEB = { web1: '[192.168.23.80]:tcp:80', web2: '[192.168.23.81]:tcp:8080' } as const;
const VS = '[172.16.23.80]:tcp:80';
const SORRY = '[192.168.23.121]:tcp:8080';

/** The references the instants are measured from: the checker child's start (0), test.html removed, restored. */
export interface Refs {
  readonly removal: number;
  readonly restore: number;
}

export interface CheckerEvent {
  readonly name: string;
  /** Only runs with checker_log_all_failures print it. */
  readonly logAllOnly: boolean;
  /** Also measured from the restore. */
  readonly afterRestore: boolean;
  at(lines: readonly Line[], refs: Refs): number | undefined;
}

const nth = (text: string, n: number, from: number, to = Infinity) => (lines: readonly Line[]) =>
  lines.filter((l) => l.text === text && l.t >= from && l.t < to)[n - 1]?.t;

/** The checker's events of the test.html experiment (removal of the file on both web servers, then back). */
export const EVENTS: readonly CheckerEvent[] = [
  ...(['web1', 'web2'] as const).flatMap((w): CheckerEvent[] => [
    ...[1, 2, 3, 4].map((k) => ({
      name: `${w} failed attempt ${k}`,
      logAllOnly: true,
      afterRestore: false,
      at: (lines: readonly Line[], r: Refs) => nth(`HTTP status code error to server ${WEB[w]}.`, k, r.removal, r.restore)(lines),
    })),
    { name: `${w} failed after 3 retries`, logAllOnly: false, afterRestore: false, at: (l, r) => nth(`HTTP_CHECK on service ${WEB[w]} failed after 3 retries.`, 1, r.removal)(l) },
    { name: `${w} removed`, logAllOnly: false, afterRestore: false, at: (l, r) => nth(`Removing service ${WEB[w]} from VS ${VS}`, 1, r.removal)(l) },
  ]),
  { name: 'sorry server added', logAllOnly: false, afterRestore: false, at: (l, r) => nth(`Adding sorry server ${SORRY} to VS ${VS}`, 1, r.removal)(l) },
  ...(['web1', 'web2'] as const).flatMap((w): CheckerEvent[] => [
    { name: `${w} first good check`, logAllOnly: false, afterRestore: true, at: (l, r) => nth(`MD5 digest success to ${WEB[w]} url(/test.html)`, 1, r.restore)(l) },
    { name: `${w} second good check`, logAllOnly: false, afterRestore: true, at: (l, r) => nth(`MD5 digest success to ${WEB[w]} url(/test.html)`, 2, r.restore)(l) },
    { name: `${w} succeed on service`, logAllOnly: false, afterRestore: true, at: (l, r) => nth(`Remote Web server ${WEB[w]} succeed on service.`, 1, r.restore)(l) },
    { name: `${w} added back`, logAllOnly: false, afterRestore: true, at: (l, r) => nth(`Adding service ${WEB[w]} to VS ${VS}`, 1, r.restore)(l) },
  ]),
  { name: 'sorry server removed', logAllOnly: false, afterRestore: true, at: (l, r) => nth(`Removing sorry server ${SORRY} from VS ${VS}`, 1, r.restore)(l) },
];

export interface Spread {
  readonly n: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

export function spread(xs: readonly number[]): Spread {
  return { n: xs.length, min: Math.min(...xs), max: Math.max(...xs), mean: xs.reduce((a, b) => a + b, 0) / xs.length };
}

/**
 * Intervals that do not depend on where the random warmup put each checker's cycle: from one failed
 * attempt to the next (delay_before_retry), from the first failed attempt to the removal, from the first
 * good check after the restore to the second one (delay_loop), which re-adds the real server, and the
 * sorry server's moves after the real server's that trigger them.
 */
export const INTERVALS: ReadonlyArray<{ readonly name: string; readonly from: string; readonly to: string; readonly logAllOnly: boolean }> = [
  ...(['web1', 'web2'] as const).flatMap((w) => [
    ...[1, 2, 3].map((k) => ({ name: `${w} attempt ${k} → ${k + 1}`, from: `${w} failed attempt ${k}`, to: `${w} failed attempt ${k + 1}`, logAllOnly: true })),
    { name: `${w} attempt 1 → removed`, from: `${w} failed attempt 1`, to: `${w} removed`, logAllOnly: true },
    { name: `${w} first → second good check`, from: `${w} first good check`, to: `${w} second good check`, logAllOnly: false },
  ]),
  { name: 'last removal → sorry server added', from: 'last removal', to: 'sorry server added', logAllOnly: false },
  { name: 'first added back → sorry server removed', from: 'first added back', to: 'sorry server removed', logAllOnly: false },
];

/** The instants of every event in one run's lines (seconds from the child's start). */
export function eventInstants(lines: readonly Line[], refs: Refs): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of EVENTS) {
    const t = e.at(lines, refs);
    if (t !== undefined) out.set(e.name, t);
  }
  const removed = Math.max(out.get('web1 removed')!, out.get('web2 removed')!);
  out.set('last removal', removed);
  out.set('first added back', Math.min(out.get('web1 added back')!, out.get('web2 added back')!));
  return out;
}

/** The checker child's lines after its configuration pass, to its exit. */
export const CHECKING = /^(Gained quorum|Lost quorum|Activating|Remote Web|HTTP|MD5|Removing|Adding|Shutting down|Stopped - used)/;

/** The CPU time a real process reports at exit is its own. */
const cpu = (s: string) => s.replace(/used [\d.]+ user time, [\d.]+ system time/, 'used N user time, N system time');

/**
 * The same lines; in the same order for each real server, and for the virtual server's own lines. How
 * the two servers' lines interleave depends on the random warmup of each checker, so it is not compared.
 */
export function expectSameChildLines(got0: readonly string[], want0: readonly string[], what: string): void {
  const got = got0.map(cpu);
  const want = want0.map(cpu);
  expect([...got].sort(), what).toEqual([...want].sort());
  const of = (rs: string | undefined) => (x: string) => (rs === undefined ? !Object.values(WEB).some((w) => x.includes(w)) : x.includes(rs));
  for (const rs of [...Object.values(WEB), undefined]) expect(got.filter(of(rs)), `${what} ${rs ?? 'VS'}`).toEqual(want.filter(of(rs)));
}
