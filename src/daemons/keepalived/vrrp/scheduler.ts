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
  msDownTimer,
  removeVips,
  restoreInterface,
  sendInstanceNotifies,
  sendLinkUpdate,
  setState,
  stateBackup,
} from './instance';
import type { VrrpConfig } from './params';
import { scriptResult, scriptStatus } from './script';
import type { VrrpProcessState } from './state';
import { groupOf, sendGroupNotifies, tsmHandle } from './sync';
import { skewTime } from './timers';
import { setEffectivePriority, updateInterface, updateScriptPriorities } from './track';

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
 * Start-up: tracking initial state (vrrp_track.c initialise_tracking_priorities), fault marking
 * (vrrp_complete_init), VIP clean-up (vrrp_restore_interfaces_startup), then vrrp_init_state and
 * vrrp_init_sands. Every non-owner enters BACKUP with a full Master_Down_Interval whatever `state` says.
 */
function start(ctx: Ctx, config: VrrpConfig, interfacesDown: readonly string[]): void {
  for (const ifname of interfacesDown) ctx.draft.interfacesDown[ifname] = true;
  const all = config.instances.map((p) => vrrpOf(ctx, p.name));

  for (const v of all) {
    initialiseTracking(ctx, v);
    const g = groupOf(ctx, v);
    if (!g) continue;
    if (v.s.state === 'FAULT') {
      if (g.s.state !== 'FAULT') {
        g.s.state = 'FAULT';
        log(ctx, `VRRP_Group(${g.p.name}): Syncing ${v.p.name} to FAULT state`);
      }
      g.s.numMemberFault++;
    }
    if (v.s.numScriptInit > 0) {
      g.s.numMemberInit++;
      if (g.s.state !== 'FAULT') g.s.state = 'INIT';
    }
  }

  for (const v of all) {
    if (v.s.state === 'FAULT' || groupOf(ctx, v)?.s.state === 'FAULT') {
      setState(ctx, v, 'FAULT');
      log(ctx, `(${v.p.name}) entering FAULT state`);
      sendInstanceNotifies(ctx, v);
    }
  }

  // keepalived marks VIPs of an existing interface as set, to force their removal at start-up.
  for (const v of all) removeVips(ctx, v);

  for (const g of config.syncGroups) {
    const s = ctx.draft.groups[g.name]!;
    if (s.state === 'FAULT' || s.state === 'BACKUP') sendGroupNotifies(ctx, { p: g, s });
  }
  for (const v of all) initState(ctx, v);
  for (const v of all) initInstanceSands(ctx, v);
}

function initialiseTracking(ctx: Ctx, v: Vrrp): void {
  const toFault = (why: string) => {
    log(ctx, `(${v.p.name}): entering FAULT state ${why}`);
    setState(ctx, v, 'FAULT');
    v.s.numScriptIfFault++;
  };
  const zeroWeightIfs = [
    ...(v.p.dontTrackPrimary ? [] : [{ name: v.p.interface, reverse: false }]),
    ...v.p.trackInterfaces.filter((t) => t.weight === 0),
  ];
  for (const t of zeroWeightIfs) {
    const up = !ctx.draft.interfacesDown[t.name];
    if (up !== !t.reverse) toFault(`(interface ${t.name} down)`);
  }
  for (const t of v.p.trackScripts) {
    const params = ctx.index.script.get(t.name);
    const script = ctx.draft.scripts[t.name];
    if (t.weight !== 0 || !params || !script) continue;
    const status = scriptStatus(params, script);
    if (status === 'init') v.s.numScriptInit++;
    else if ((status === 'good') === t.reverse) toFault(`due to script ${t.name}`);
  }
  setEffectivePriority(ctx, v);
}

/** vrrp_init_state for one instance. */
function initState(ctx: Ctx, v: Vrrp): void {
  const begin = v.s.state;
  if (v.s.state === 'FAULT') v.s.wantstate = 'FAULT';
  const g = groupOf(ctx, v);
  const newState = g ? g.s.state : v.s.wantstate;
  const isUp = v.s.numScriptIfFault === 0;
  const noneInit = v.s.numScriptInit === 0 && (!g || g.s.numMemberInit === 0);
  if (isUp && newState === 'MASTER' && noneInit && v.s.basePriority === 255 && v.s.wantstate === 'MASTER') {
    // The owner "times out" of BACKUP 1 µs later: MASTER at the first scheduler pass, no (init) line.
    setState(ctx, v, 'BACKUP');
    v.s.msDownTimer = 1;
    return;
  }
  v.s.msDownTimer =
    newState === 'BACKUP' && v.s.wantstate === 'MASTER'
      ? v.s.masterAdverInt + skewTime(v.p.version, 255, v.s.masterAdverInt)
      : msDownTimer(v);
  restoreInterface(ctx, v, false);
  if (isUp && newState !== 'FAULT' && noneInit) {
    if (v.s.state !== 'BACKUP') {
      log(ctx, `(${v.p.name}) Entering BACKUP STATE (init)`);
      setState(ctx, v, 'BACKUP');
    }
  } else {
    setState(ctx, v, 'FAULT');
  }
  if (begin !== v.s.state && (v.s.state !== 'FAULT' || v.s.numScriptIfFault > 0)) sendInstanceNotifies(ctx, v);
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
