import type { ScriptOutcome } from './inputs';
import type { VrrpScriptParams } from './params';

/**
 * A `vrrp_script` tracker (vrrp_scheduler.c `vrrp_script_child_thread`): a counter `result` in
 * [0, rise + fall − 1]; the script is good when result ≥ rise. It runs on its own interval, shared by every
 * instance that tracks it; instances consume its good/failed transitions.
 */
export interface VrrpScriptState {
  readonly result: number;
  /** Exit status of the previous run; 0 before the first, so a first failure logs `now returning 1`. */
  readonly lastStatus: number;
  /** 'init' until the first run ends (neither good nor failed); 'init_fail' for `init_fail` scripts. */
  readonly initState: 'init' | 'init_fail' | 'done';
}

export type ScriptStatus = 'init' | 'good' | 'failed';

export interface ScriptResultStep {
  readonly state: VrrpScriptState;
  readonly logs: readonly string[];
  /** Set when the script became good (ok) or failed; `wasInit` when that was its first result. */
  readonly change: { readonly ok: boolean; readonly wasInit: boolean } | null;
}

export function initialScriptState(params: VrrpScriptParams): VrrpScriptState {
  return params.initFail
    ? { result: 0, lastStatus: 0, initState: 'init_fail' }
    : { result: params.rise - 1, lastStatus: 0, initState: 'init' };
}

export function scriptStatus(params: VrrpScriptParams, state: VrrpScriptState): ScriptStatus {
  if (state.initState === 'init') return 'init';
  return state.result >= params.rise ? 'good' : 'failed';
}

/** One run ended: count it. The first result of a script in 'init' decides at once (rise/fall ignored). */
export function scriptResult(
  params: VrrpScriptParams,
  state: VrrpScriptState,
  outcome: ScriptOutcome,
): ScriptResultStep {
  const logs: string[] = [];
  const name = params.name;
  let lastStatus = state.lastStatus;
  let success = false;
  let failureText = `VRRP_Script(${name}) timed_out`;
  if (outcome.kind === 'exited') {
    if (outcome.status !== state.lastStatus) logs.push(`Script \`${name}\` now returning ${outcome.status}`);
    lastStatus = outcome.status;
    success = outcome.status === 0;
    failureText = `VRRP_Script(${name}) failed (exited with status ${outcome.status})`;
  } else if (outcome.kind === 'signaled') {
    failureText = `VRRP_Script(${name}) failed (due to signal ${outcome.signal})`;
  }

  const top = params.rise + params.fall - 1;
  const wasInit = state.initState === 'init';
  let result = state.result;
  let change: ScriptResultStep['change'] = null;
  if (success) {
    if (result < params.rise - 1) result++;
    else if (result !== top) {
      if (result < params.rise) {
        logs.push(`VRRP_Script(${name}) succeeded`);
        change = { ok: true, wasInit };
      }
      result = top;
    }
  } else if (result > params.rise) {
    result--;
  } else {
    if (result === params.rise || wasInit) {
      logs.push(failureText);
      change = { ok: false, wasInit };
    }
    result = 0;
  }
  return { state: { result, lastStatus, initState: 'done' }, logs, change };
}

/**
 * A script kept across a reload (vrrp.c clear_diff_script): one still in its initial state starts over;
 * otherwise its counter keeps its distance from `rise` under the new rise/fall, and keepalived says which
 * side it is on. `log` is null when nothing is logged.
 */
export function scriptOnReload(
  before: VrrpScriptParams,
  state: VrrpScriptState,
  after: VrrpScriptParams,
): { readonly state: VrrpScriptState; readonly log: string | null } {
  if (state.initState === 'init') return { state: initialScriptState(after), log: null };
  const top = after.rise + after.fall - 1;
  let result: number;
  let verdict: string;
  if (state.result < before.rise) {
    result = state.result === 0 ? 0 : Math.max(0, after.rise - (before.rise - state.result));
    verdict = 'unsuccessful';
  } else {
    result = state.result === before.rise + before.fall - 1 ? top : Math.min(top, after.rise + (state.result - before.rise));
    verdict = 'successful';
  }
  return {
    state: { result, lastStatus: state.lastStatus, initState: 'done' },
    log: `VRRP_Script(${after.name}) considered ${verdict} on reload`,
  };
}
