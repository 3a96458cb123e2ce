import { initialCore, verdict, type CheckerAction, type CheckerCore, type CheckerTiming } from './checker-core';

/**
 * TCP_CHECK as keepalived 2.2.7 runs it (check_tcp.c tcp_check_thread, tcp_epilog): an attempt is a
 * connect; success closes it at once.
 */
export interface TcpCheckParams extends CheckerTiming {
  readonly rs: string;
}

export type TcpCheckState = CheckerCore;

/** success; timeout = connect_timeout passed; failed = refused, unreachable, any socket error. */
export type TcpAttemptResult = 'success' | 'timeout' | 'failed';

export type TcpCheckInput = { readonly kind: 'timer' } | { readonly kind: 'result'; readonly result: TcpAttemptResult };

export function tcpInitialState(p: TcpCheckParams): TcpCheckState {
  return initialCore(p);
}

export function tcpStep(p: TcpCheckParams, s: TcpCheckState, input: TcpCheckInput): CheckerAction[] {
  if (input.kind === 'timer') return [{ kind: 'attempt' }];
  const out: CheckerAction[] = [];
  const ok = input.result === 'success';
  // Per-attempt lines only while the checker is up, and only when asked for.
  if (!ok && s.isUp && p.logAllFailures) {
    out.push({ kind: 'log', text: `TCP connection to ${p.rs} ${input.result === 'timeout' ? 'timeout' : 'failed'}.` });
  }
  let delay: number;
  if (ok || s.retryIt >= p.retry) {
    delay = p.delayLoop;
    s.retryIt = 0;
    if (ok && (!s.isUp || !s.hasRun)) {
      out.push({ kind: 'log', text: `TCP connection to ${p.rs} success.` });
      verdict(s, p.alpha, true, out);
    } else if (!ok && (s.isUp || !s.hasRun)) {
      out.push({
        kind: 'log',
        text: p.retry && s.hasRun ? `TCP_CHECK on service ${p.rs} failed after ${p.retry} retries.` : `TCP_CHECK on service ${p.rs} failed.`,
      });
      verdict(s, p.alpha, false, out);
    }
  } else {
    delay = p.delayBeforeRetry;
    s.retryIt++;
  }
  s.hasRun = true;
  out.push({ kind: 'arm', delay });
  return out;
}
