import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../../src/sim/time';
import { lab } from './lab';

/**
 * Real keepalived 2.2.7 (Debian 12) recorded in user-mode-linux namespaces with the seed's virtual_server
 * (fixtures/keepalived/check/seed-test-html.*): python http.server real servers, test.html moved away on
 * both at MARK removed, back on web1 at MARK restored, SIGTERM at MARK stop. Times are seconds from the
 * parent's "Starting Healthcheck child process".
 */
const FIXTURE = join(__dirname, '../../../fixtures/keepalived/check/seed-test-html.log');
const recorded = readFileSync(FIXTURE, 'utf8')
  .trimEnd()
  .split('\n')
  .map((l) => ({ t: Number(l.slice(0, 9)), text: l.slice(10) }));

/** Lines of the parent process and of the configuration pass, which the checker child's glue does not write. */
const NOT_CHILD = /^(MARK|Starting|Running on|Command line| {2}|Opening file|Configuration file|NOTICE|Startup complete|Stopping|CPU usage|Stopped Keepalived|\(\/tmp|Initializing ipvs)/;

const mark = (name: string) => recorded.find((r) => r.text === `MARK ${name}`)!.t;

describe('checker child against the 2.2.7 recording of seed experiment 6', () => {
  const l = lab({ detail: true });
  l.sim.runUntil(mark('removed') * SECOND);
  l.files1.delete('/test.html');
  l.files2.delete('/test.html');
  l.sim.runUntil(mark('restored web1') * SECOND);
  l.files1.set('/test.html', 'Just test for WEB1\n');
  l.sim.runUntil(mark('stop') * SECOND);
  l.checker.terminate();
  const simulated = l.logs();
  const cpu = (s: string) => s.replace(/used [\d.]+ user time, [\d.]+ system time/, 'used N user time, N system time');

  // Which real server's first check comes first depends on the random warmup draws: compare each real
  // server's own lines in order, and the virtual server's lines in order.
  const want = recorded.filter((r) => !NOT_CHILD.test(r.text)).map((r) => cpu(r.text));
  const got = simulated.map((s) => cpu(s.text));
  const about = (lines: string[], re: RegExp) => lines.filter((x) => re.test(x));
  const WEB1 = /\[192\.168\.23\.80\]:tcp:80 (?!for VS)/;
  const WEB2 = /\[192\.168\.23\.81\]:tcp:8080 (?!for VS)/;

  it('writes the same lines', () => {
    expect([...got].sort()).toEqual([...want].sort());
  });

  it('in the same order for each real server and for the virtual server', () => {
    expect(about(got, WEB1)).toEqual(about(want, WEB1));
    expect(about(got, WEB2)).toEqual(about(want, WEB2));
    const rest = (lines: string[]) => lines.filter((x) => !WEB1.test(x) && !WEB2.test(x));
    expect(rest(got)).toEqual(rest(want));
  });

  it('removes the real servers 9–15 s (plus attempt times) after test.html goes, as recorded (15.4 s)', () => {
    const removedAt = (rs: string) => simulated.find((s) => s.text.startsWith(`Removing service ${rs}`))!.t - mark('removed');
    const real = recorded.find((r) => r.text.startsWith('Removing service [192.168.23.80]'))!.t - mark('removed');
    expect(real).toBeGreaterThan(9);
    expect(real).toBeLessThan(15.5);
    for (const rs of ['[192.168.23.80]', '[192.168.23.81]']) {
      expect(removedAt(rs)).toBeGreaterThan(9);
      expect(removedAt(rs)).toBeLessThan(15.1);
    }
  });

  it('re-adds web1 one delay_loop after its first good answer, as recorded (6.06 s)', () => {
    const gap = (lines: readonly { t: number; text: string }[]) => {
      const ok = lines.filter((x) => x.text.startsWith('MD5 digest success to [192.168.23.80]')).map((x) => x.t);
      return ok[1]! - ok[0]!;
    };
    expect(gap(recorded)).toBeGreaterThan(6);
    expect(gap(recorded)).toBeLessThan(6.1);
    expect(gap(simulated)).toBeGreaterThan(6);
    expect(gap(simulated)).toBeLessThan(6.01);
  });
});
