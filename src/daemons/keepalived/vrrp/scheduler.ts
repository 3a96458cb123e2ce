import { produce, type Draft } from 'immer';
import type { Micros } from '../../../sim/time';
import type { VrrpAction } from './actions';
import { log, trackingIndex, vrrpOf, type Ctx, type Vrrp } from './context';
import type { VrrpInput } from './inputs';
import {
  gotoMaster,
  ignoreAdvert,
  initInstanceSands,
  leaveMaster,
  masterRx,
  masterTx,
  restoreInterface,
  sendInstanceNotifies,
  sendLinkUpdate,
  setState,
  stateBackup,
} from './instance';
import type { VrrpConfig } from './params';
import { reload, reloadSignal } from './reload';
import { scriptResult } from './script';
import type { VrrpProcessState } from './state';
import { sendGroupNotifies, tsmHandle } from './sync';
import { start } from './startup';
import { updateInterface, updateScriptPriorities } from './track';

export interface VrrpStep {
  readonly state: VrrpProcessState;
  readonly actions: readonly VrrpAction[];
}

/**
 * The VRRP child process as a pure function: (state, input, now) → (next state, actions). It only reacts;
 * the daemon glue performs the actions (packets, timers, addresses, scripts, syslog) in order.
 */
export function vrrpStep(config: VrrpConfig, state: VrrpProcessState, input: VrrpInput, now: Micros): VrrpStep {
  const actions: VrrpAction[] = [];
  const next = produce(state, (draft) => {
    const ctx: Ctx = { index: trackingIndex(config), draft, now, actions };
    dispatch(ctx, config, input);
  });
  return { state: next, actions };
}

/**
 * The same transition applied in place, for the daemon, which alone owns its state object (an unfrozen
 * copy): a VRRP process steps once per advert, and immer's copy-on-write costs ~10 µs a step.
 * `vrrpStep` stays the reference the tests exercise; both run the same `dispatch`.
 */
export function vrrpStepInPlace(config: VrrpConfig, state: VrrpProcessState, input: VrrpInput, now: Micros): readonly VrrpAction[] {
  const actions: VrrpAction[] = [];
  dispatch({ index: trackingIndex(config), draft: state as Draft<VrrpProcessState>, now, actions }, config, input);
  return actions;
}

function dispatch(ctx: Ctx, config: VrrpConfig, input: VrrpInput): void {
  switch (input.kind) {
    case 'start':
      return start(ctx, config, input.interfacesDown ?? []);
    case 'advert_received':
      return advertReceived(ctx, vrrpOf(ctx, input.instance), input);
    case 'advert_rejected':
      return advertRejected(ctx, vrrpOf(ctx, input.instance), input.reason);
    case 'master_down_timer_expired':
      return sandsExpired(ctx, vrrpOf(ctx, input.instance), 'master_down');
    case 'adver_timer_expired':
      return sandsExpired(ctx, vrrpOf(ctx, input.instance), 'adver');
    case 'garp_timer_expired': {
      const v = vrrpOf(ctx, input.instance);
      const garp = v.p.garp;
      return sendLinkUpdate(ctx, v, input.timer === 'garp_master' ? garp.masterRepeat : garp.lowerPrioRepeat);
    }
    case 'interface_down':
    case 'interface_up': {
      const up = input.kind === 'interface_up';
      if (!ctx.draft.interfacesDown[input.interface] === up) return;
      if (up) delete ctx.draft.interfacesDown[input.interface];
      else ctx.draft.interfacesDown[input.interface] = true;
      return updateInterface(ctx, input.interface, up);
    }
    case 'script_result': {
      const params = ctx.index.script.get(input.script);
      const before = ctx.draft.scripts[input.script];
      if (!params || !before) throw new Error(`unknown vrrp_script ${input.script}`);
      const step = scriptResult(params, before, input.outcome);
      ctx.draft.scripts[input.script] = step.state;
      for (const text of step.logs) log(ctx, text);
      if (step.change) updateScriptPriorities(ctx, input.script, step.change.ok, step.change.wasInit);
      return;
    }
    case 'stop':
      return stop(ctx, config);
    case 'reload_signal':
      return reloadSignal(ctx, config);
    case 'reload':
      return reload(ctx, config, input.config);
  }
}

/** vrrp_dispatcher_read for one valid advert. FAULT and INIT instances ignore packets. */
function advertReceived(ctx: Ctx, v: Vrrp, ad: { srcIp: number; priority: number; adverInt: number }): void {
  const prev = v.s.state;
  if (prev === 'BACKUP') stateBackup(ctx, v, ad);
  else if (prev === 'MASTER') {
    if (masterRx(ctx, v, ad)) leaveMaster(ctx, v, false);
  } else return;
  tsmHandle(ctx, prev, v);
  if (v.s.state !== 'MASTER' || !v.p.lowerPrioNoAdvert) initInstanceSands(ctx, v);
}

/** An advert that failed vrrp_check_packet: logged; any packet still restarts a MASTER's advert timer. */
function advertRejected(ctx: Ctx, v: Vrrp, reason: string): void {
  const state = v.s.state;
  if (state !== 'BACKUP' && state !== 'MASTER') return;
  log(ctx, `(${v.p.name}) ${reason}`);
  if (state === 'BACKUP') ignoreAdvert(ctx, v);
  if (state !== 'MASTER' || !v.p.lowerPrioNoAdvert) initInstanceSands(ctx, v);
}

/** vrrp_dispatcher_read_timeout: the instance's deadline passed (stale timers are ignored). */
function sandsExpired(ctx: Ctx, v: Vrrp, timer: 'master_down' | 'adver'): void {
  if (v.s.sandsTimer !== timer || v.s.sands === null || v.s.sands > ctx.now) return;
  const prev = v.s.state;
  if (prev === 'BACKUP') {
    log(ctx, `(${v.p.name}) Receive advertisement timeout`, true);
    v.s.wantstate = 'MASTER';
    gotoMaster(ctx, v);
  } else if (prev === 'MASTER') {
    masterTx(ctx, v);
  }
  tsmHandle(ctx, prev, v);
  initInstanceSands(ctx, v);
}

/**
 * SIGTERM (vrrp_daemon.c): every MASTER sends one priority-0 advert and drops its VIPs, then every
 * instance and group notifies STOP.
 */
function stop(ctx: Ctx, config: VrrpConfig): void {
  const all = config.instances.map((p) => vrrpOf(ctx, p.name));
  for (const v of all) if (v.s.state === 'MASTER') restoreInterface(ctx, v, true);
  for (const v of all) {
    if (v.s.sandsTimer !== null) ctx.actions.push({ kind: 'cancel_timer', instance: v.p.name, timer: v.s.sandsTimer });
    v.s.sands = null;
    v.s.sandsTimer = null;
  }
  for (const v of all) {
    setState(ctx, v, 'STOP');
    sendInstanceNotifies(ctx, v);
  }
  for (const g of config.syncGroups) {
    const s = ctx.draft.groups[g.name]!;
    s.state = 'STOP';
    sendGroupNotifies(ctx, { p: g, s });
  }
}
