import type { CheckerAction } from '../../../../src/daemons/keepalived/check';

/** What a checker did, with the fake clock's time in seconds. */
export interface Seen {
  readonly t: number;
  readonly what: string;
}

export const S = 1_000_000;

/**
 * A fake clock driving one checker machine: `arm` schedules the next timer input, `attempt` is answered
 * by `answer(start)` after `duration` µs; logs and verdicts are recorded with their time.
 */
export function drive<R>(
  step: (input: { kind: 'timer' } | { kind: 'result'; result: R }, now: number) => CheckerAction[],
  answer: (start: number, url: number) => R,
  opts: { first: number; until: number; duration: number },
): Seen[] {
  const seen: Seen[] = [];
  const queue: Array<{ at: number; input: { kind: 'timer' } | { kind: 'result'; result: R } }> = [{ at: opts.first, input: { kind: 'timer' } }];
  while (queue.length) {
    queue.sort((a, b) => a.at - b.at);
    const ev = queue.shift()!;
    if (ev.at > opts.until) break;
    for (const a of step(ev.input, ev.at)) {
      const t = ev.at / S;
      if (a.kind === 'attempt') {
        seen.push({ t, what: 'attempt' });
        queue.push({ at: ev.at + opts.duration, input: { kind: 'result', result: answer(ev.at, a.url ?? 0) } });
      } else if (a.kind === 'arm') queue.push({ at: ev.at + a.delay, input: { kind: 'timer' } });
      else if (a.kind === 'log') seen.push({ t, what: a.text });
      else if (a.kind === 'verdict') seen.push({ t, what: `verdict ${a.up ? 'up' : 'down'}${a.changed ? '' : ' (unchanged)'}` });
      else seen.push({ t, what: `weight ${a.delta}${a.silent ? ' silent' : ''}` });
    }
  }
  return seen;
}

/** Rounds seconds to the microsecond so float sums compare exactly. */
export function us(t: number): number {
  return Math.round(t * S) / S;
}
