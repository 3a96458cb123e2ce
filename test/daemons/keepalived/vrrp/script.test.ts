import { describe, expect, it } from 'vitest';
import {
  initialScriptState,
  scriptResult,
  scriptStatus,
  type ScriptOutcome,
  type VrrpScriptParams,
  type VrrpScriptState,
} from '../../../../src/daemons/keepalived/vrrp';
import { script } from './harness';

const ok: ScriptOutcome = { kind: 'exited', status: 0 };
const fail: ScriptOutcome = { kind: 'exited', status: 1 };

function runAll(params: VrrpScriptParams, outcomes: ScriptOutcome[]) {
  let state: VrrpScriptState = initialScriptState(params);
  return outcomes.map((o) => {
    const step = scriptResult(params, state, o);
    state = step.state;
    return { logs: step.logs, change: step.change, status: scriptStatus(params, state) };
  });
}

describe('vrrp_script tracker (vrrp_script_child_thread)', () => {
  it('starts in init, neither good nor failed; the first success logs succeeded (exit 0 is not "now returning")', () => {
    const p = script({ rise: 2, fall: 2 });
    expect(scriptStatus(p, initialScriptState(p))).toBe('init');
    const [first] = runAll(p, [ok]);
    expect(first).toEqual({ logs: ['VRRP_Script(chk_nginx) succeeded'], change: { ok: true, wasInit: true }, status: 'good' });
  });

  it('a first failure decides at once, fall ignored', () => {
    const [first] = runAll(script({ rise: 2, fall: 3 }), [fail]);
    expect(first!.logs).toEqual(['Script `chk_nginx` now returning 1', 'VRRP_Script(chk_nginx) failed (exited with status 1)']);
    expect(first!.change).toEqual({ ok: false, wasInit: true });
    expect(first!.status).toBe('failed');
  });

  it('fall 2 rise 1: second consecutive failure fails it, one success brings it back', () => {
    const steps = runAll(script({ rise: 1, fall: 2 }), [ok, fail, fail, fail, ok, ok]);
    expect(steps.map((s) => s.logs)).toEqual([
      ['VRRP_Script(chk_nginx) succeeded'],
      ['Script `chk_nginx` now returning 1'],
      ['VRRP_Script(chk_nginx) failed (exited with status 1)'],
      [],
      ['Script `chk_nginx` now returning 0', 'VRRP_Script(chk_nginx) succeeded'],
      [],
    ]);
    expect(steps.map((s) => s.status)).toEqual(['good', 'good', 'failed', 'failed', 'good', 'good']);
    expect(steps.map((s) => s.change?.ok)).toEqual([true, undefined, false, undefined, true, undefined]);
  });

  it('rise 3 needs three consecutive successes from failed; a failure in between restarts the count', () => {
    const steps = runAll(script({ rise: 3, fall: 1 }), [fail, ok, ok, fail, ok, ok, ok]);
    expect(steps.map((s) => s.status)).toEqual(['failed', 'failed', 'failed', 'failed', 'failed', 'failed', 'good']);
    expect(steps[6]!.logs).toEqual(['VRRP_Script(chk_nginx) succeeded']);
  });

  it('a run killed at its timeout is a failure logged timed_out, and leaves the last status alone', () => {
    const steps = runAll(script(), [ok, { kind: 'timed_out' }, ok]);
    expect(steps[1]!.logs).toEqual(['VRRP_Script(chk_nginx) timed_out']);
    expect(steps[1]!.status).toBe('failed');
    expect(steps[2]!.logs).toEqual(['VRRP_Script(chk_nginx) succeeded']);
  });

  it('a script killed by a signal fails "due to signal"', () => {
    const [first] = runAll(script(), [{ kind: 'signaled', signal: 9 }]);
    expect(first!.logs).toEqual(['VRRP_Script(chk_nginx) failed (due to signal 9)']);
  });

  it('init_fail starts failed: a first failure is silent, success needs rise', () => {
    const p = script({ initFail: true, rise: 2 });
    expect(scriptStatus(p, initialScriptState(p))).toBe('failed');
    const steps = runAll(p, [fail, ok, ok]);
    expect(steps.map((s) => s.change)).toEqual([null, null, { ok: true, wasInit: false }]);
    expect(steps[0]!.logs).toEqual(['Script `chk_nginx` now returning 1']);
  });
});
