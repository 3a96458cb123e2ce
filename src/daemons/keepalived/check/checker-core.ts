import type { Micros } from '../../../sim/time';

/**
 * What every checker machine (HTTP_GET, TCP_CHECK, MISC_CHECK) tells its driver to do, in order. The
 * driver performs them one after the other: a `log` before a `verdict` lands in syslog before the lines
 * the IPVS wrapper writes for that verdict, as keepalived logs them.
 */
export type CheckerAction =
  /** Start one attempt now (HTTP: GET of urls[url]; TCP: connect; MISC: run the script). */
  | { readonly kind: 'attempt'; readonly url?: number }
  /** The next attempt starts after `delay` (thread_add_timer). */
  | { readonly kind: 'arm'; readonly delay: Micros }
  | { readonly kind: 'log'; readonly text: string }
  /**
   * update_svr_checker_state: the checker goes up or down (`changed`), or, on its first run in alpha
   * mode, stays as it started and only the real server's notify runs (`changed: false`).
   */
  | { readonly kind: 'verdict'; readonly up: boolean; readonly changed: boolean }
  /** misc_dynamic: the checker's share of the real server's weight moves by `delta` (silently: no log, no IPVS edit). */
  | { readonly kind: 'weight'; readonly delta: number; readonly silent: boolean };

/** The state keepalived keeps in checker_t for every kind: is_up, has_run, retry_it. */
export interface CheckerCore {
  isUp: boolean;
  hasRun: boolean;
  retryIt: number;
}

export interface CheckerTiming {
  readonly delayLoop: Micros;
  readonly delayBeforeRetry: Micros;
  readonly retry: number;
  readonly alpha: boolean;
  /** log_all_failures of the checker or checker_log_all_failures of global_defs. */
  readonly logAllFailures: boolean;
}

/**
 * Start-up state (validate_check_config): an alpha checker starts down; every checker starts with its
 * retries used up, so that a first failed attempt is enough to mark the real server down.
 */
export function initialCore(t: CheckerTiming): CheckerCore {
  return { isUp: !t.alpha, hasRun: false, retryIt: t.retry };
}

/** update_svr_checker_state, the checker's half: has_run and is_up, and what the IPVS wrapper must hear. */
export function verdict(core: CheckerCore, alpha: boolean, up: boolean, out: CheckerAction[]): void {
  const firstRun = !core.hasRun;
  core.hasRun = true;
  if (core.isUp === up) {
    if (firstRun && (alpha || !up)) out.push({ kind: 'verdict', up, changed: false });
    return;
  }
  core.isUp = up;
  out.push({ kind: 'verdict', up, changed: true });
}
