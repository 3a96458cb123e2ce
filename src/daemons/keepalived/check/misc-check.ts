import type { Micros } from '../../../sim/time';
import { initialCore, verdict, type CheckerAction, type CheckerCore, type CheckerTiming } from './checker-core';

/**
 * MISC_CHECK as keepalived 2.2.7 runs it (check_misc.c misc_check_thread, misc_check_child_thread): the
 * script's exit status decides; with misc_dynamic, 2..255 is a success that sets the checker's share of
 * the weight to status − 2 − the configured weight. The next run is timed from the start of the last one.
 */
export interface MiscCheckParams extends CheckerTiming {
  readonly rs: string;
  readonly vs: string;
  /** The script's first word, as keepalived names it in its log. */
  readonly program: string;
  readonly dynamic: boolean;
  /** The real server's configured weight (rs->iweight). */
  readonly weight: number;
}

export interface MiscCheckState extends CheckerCore {
  lastRan: Micros;
  lastExitCode: number;
  /** The checker's share of the real server's effective weight (cur_weight). */
  curWeight: number;
}

export type MiscOutcome =
  | { readonly kind: 'exited'; readonly status: number }
  | { readonly kind: 'signaled'; readonly signal: number }
  /** misc_timeout passed: keepalived's SIGTERM ended the script. */
  | { readonly kind: 'timed_out' };

export type MiscCheckInput =
  | { readonly kind: 'timer'; readonly now: Micros }
  | { readonly kind: 'result'; readonly now: Micros; readonly outcome: MiscOutcome };

export function miscInitialState(p: MiscCheckParams): MiscCheckState {
  return { ...initialCore(p), lastRan: 0, lastExitCode: 0, curWeight: 0 };
}

export function miscStep(p: MiscCheckParams, s: MiscCheckState, input: MiscCheckInput): CheckerAction[] {
  if (input.kind === 'timer') {
    s.lastRan = input.now;
    return [{ kind: 'attempt' }];
  }
  const out: CheckerAction[] = [];
  const o = input.outcome;
  let exitType: string | undefined;
  let success = false;
  let reason: string | undefined;
  let code = 0;
  let messageOnly = false;
  const retryStep = (): void => {
    if (s.retryIt < p.retry) {
      s.retryIt++;
      if (p.logAllFailures) messageOnly = true;
      else exitType = undefined;
    } else s.retryIt = 0;
  };

  if (o.kind === 'exited') {
    const status = o.status;
    if (status === 0 || (p.dynamic && status >= 2 && status <= 255)) {
      if (status !== s.lastExitCode) {
        const before = s.curWeight;
        s.curWeight = status ? status - 2 - p.weight : 0;
        if (s.curWeight !== before) out.push({ kind: 'weight', delta: s.curWeight - before, silent: false });
        s.lastExitCode = status;
      }
      if (!s.isUp || !s.hasRun) {
        exitType = 'succeeded';
        success = true;
      }
      s.retryIt = 0;
    } else if (s.isUp || !s.hasRun) {
      exitType = 'failed';
      reason = 'exited with status';
      code = status;
      const wasRetrying = s.retryIt < p.retry;
      retryStep();
      if (!wasRetrying) {
        if (s.curWeight) out.push({ kind: 'weight', delta: -s.curWeight, silent: true });
        s.curWeight = 0;
        s.lastExitCode = status;
      }
    }
  } else if (s.isUp || !s.hasRun) {
    if (o.kind === 'timed_out') exitType = 'timed out';
    else {
      exitType = 'failed';
      reason = 'due to signal';
      code = o.signal;
    }
    retryStep();
  }

  if (exitType !== undefined) {
    let message = '';
    if (!success) {
      if (!p.retry) message = ' with retry disabled';
      else if (s.retryIt === 1) message = `, will do ${p.retry} ${p.retry === 1 ? 'retry' : 'retries'}`;
      else if (s.retryIt > 1) message = ` on retry ${s.retryIt - 1}/${p.retry}`;
      else message = ` after ${p.retry} ${p.retry === 1 ? 'retry' : 'retries'}`;
    }
    const head = `Misc check for [${p.rs} VS ${p.vs}] by [${p.program}] ${exitType}${message}`;
    out.push({ kind: 'log', text: reason === undefined ? `${head}.` : `${head} (${reason} ${code}).` });
    if (!messageOnly) {
      verdict(s, p.alpha, success, out);
      if (!success) s.curWeight = 0;
    }
  }

  const next = s.lastRan + (s.retryIt ? p.delayBeforeRetry : p.delayLoop) - input.now;
  out.push({ kind: 'arm', delay: Math.max(next, 1) });
  s.hasRun = true;
  return out;
}
