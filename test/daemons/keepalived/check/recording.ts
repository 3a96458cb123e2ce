import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

export interface Line {
  readonly t: number;
  readonly text: string;
}

/**
 * A real keepalived 2.2.7 recording (fixtures/keepalived/check/NAME.log): seconds from the parent's
 * "Starting Healthcheck child process", then the line; `MARK x` lines are the recording script's actions.
 */
export function loadRecording(name: string): { lines: Line[]; mark(name: string): number } {
  const lines = readFileSync(join(__dirname, `../../../fixtures/keepalived/check/${name}.log`), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => ({ t: Number(l.slice(0, 9)), text: l.slice(10) }));
  return { lines, mark: (m) => lines.find((r) => r.text === `MARK ${m}`)!.t };
}

/** Lines of the parent process and of the configuration pass, which the checker child's glue does not write. */
const NOT_CHILD =
  /^(MARK|Starting (Keepalived|Healthcheck)|Running on|Command line| {2}|Opening file|Configuration file|NOTICE|Startup complete|Stopping|CPU usage|Stopped Keepalived|\(\/tmp|Initializing ipvs)/;

const cpu = (s: string) => s.replace(/used [\d.]+ user time, [\d.]+ system time/, 'used N user time, N system time');

/**
 * The checker child's lines must be the recorded ones. Which real server's first check comes first
 * depends on the random warmup draws, so each real server's own lines are compared in order, and the
 * remaining (virtual server) lines in order.
 */
export function expectSameLines(simulated: readonly Line[], recorded: readonly Line[], servers: readonly string[]): void {
  const want = recorded.filter((r) => !NOT_CHILD.test(r.text)).map((r) => cpu(r.text));
  const got = simulated.map((s) => cpu(s.text));
  expect([...got].sort()).toEqual([...want].sort());
  const mine = (rs: string) => (x: string) => x.includes(`${rs} `) && !x.includes(`${rs} for VS`);
  for (const rs of servers) expect(got.filter(mine(rs))).toEqual(want.filter(mine(rs)));
  const rest = (lines: string[]) => lines.filter((x) => !servers.some((rs) => mine(rs)(x)));
  expect(rest(got)).toEqual(rest(want));
}
