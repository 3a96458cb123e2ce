import { log, vrrpOf, type Ctx, type Vrrp } from './context';
import { armTimer, initInstanceSands, msDownTimer, removeVips, restoreInterface, sendInstanceNotifies, setState } from './instance';
import type { VrrpConfig } from './params';
import { scriptStatus } from './script';
import type { VrrpStateName } from './state';
import { groupOf, sendGroupNotifies } from './sync';
import { skewTime } from './timers';
import { setEffectivePriority } from './track';

/** What a reload hands to vrrp_complete_init and vrrp_init_state (keepalived's `reload` flag). */
export interface Carried {
  /** New instance name → the state of the old instance it matches (vrrp_exist), in the old config's order. */
  readonly previous: ReadonlyMap<string, VrrpStateName>;
  /** Instances restored as MASTER (`reload_master`): they stay MASTER and advertise at once. */
  readonly reloadMasters: ReadonlySet<string>;
  /** Sync groups whose state the reload left unchanged (`state_same_at_reload`): no repeated notifies. */
  readonly sameGroups: ReadonlySet<string>;
}

/**
 * Start-up: tracking initial state (vrrp_track.c initialise_tracking_priorities), fault marking
 * (vrrp_complete_init), VIP clean-up (vrrp_restore_interfaces_startup), then vrrp_init_state and
 * vrrp_init_sands. Every non-owner enters BACKUP with a full Master_Down_Interval whatever `state` says.
 */
export function start(ctx: Ctx, config: VrrpConfig, interfacesDown: readonly string[]): void {
  for (const ifname of interfacesDown) ctx.draft.interfacesDown[ifname] = true;
  completeInit(ctx, config);
  // keepalived marks VIPs of an existing interface as set, to force their removal at start-up.
  for (const p of config.instances) removeVips(ctx, vrrpOf(ctx, p.name));
  initStates(ctx, config);
}

/**
 * The state part of vrrp_complete_init: tracking, FAULT marking and, on reload, the old states of matched
 * instances that are neither faulty nor waiting for a first script result.
 */
export function completeInit(ctx: Ctx, config: VrrpConfig, carried?: Carried): void {
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
    if (v.s.state !== 'FAULT' && groupOf(ctx, v)?.s.state !== 'FAULT') continue;
    setState(ctx, v, 'FAULT');
    // An instance already in FAULT before the reload is not announced again.
    if (carried?.previous.get(v.p.name) === 'FAULT') continue;
    log(ctx, `(${v.p.name}) entering FAULT state`);
    sendInstanceNotifies(ctx, v);
  }
  if (!carried) return;

  for (const [name, state] of carried.previous) {
    const v = vrrpOf(ctx, name);
    if (state === 'FAULT' || v.s.state === 'FAULT' || v.s.numScriptInit > 0) continue;
    v.s.state = state;
    v.s.wantstate = state;
  }
  for (const g of config.syncGroups) {
    const s = ctx.draft.groups[g.name]!;
    if (s.numMemberFault > 0 || s.numMemberInit > 0) continue;
    if (g.members.every((m) => ctx.draft.instances[m]?.state === 'MASTER')) s.state = 'MASTER';
  }
}

/** vrrp_init_state then vrrp_init_sands, for every instance in config order. */
export function initStates(ctx: Ctx, config: VrrpConfig, carried?: Carried): void {
  for (const g of config.syncGroups) {
    const s = ctx.draft.groups[g.name]!;
    if ((s.state === 'FAULT' || s.state === 'BACKUP') && !carried?.sameGroups.has(g.name)) sendGroupNotifies(ctx, { p: g, s });
  }
  const all = config.instances.map((p) => vrrpOf(ctx, p.name));
  for (const v of all) initState(ctx, v, carried?.reloadMasters.has(v.p.name) ?? false);
  for (const v of all) {
    if (v.s.state === 'MASTER' && carried?.reloadMasters.has(v.p.name)) {
      // sands = now: the first scheduler pass sends an advert with the new config's priority.
      v.s.sands = ctx.now;
      v.s.sandsTimer = 'adver';
      armTimer(ctx, v, 'adver', 0);
    } else initInstanceSands(ctx, v);
  }
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

/** vrrp_init_state for one instance; `reloadMaster`: it was MASTER before the reload and stays so. */
function initState(ctx: Ctx, v: Vrrp, reloadMaster: boolean): void {
  const begin = v.s.state;
  if (v.s.state === 'FAULT') v.s.wantstate = 'FAULT';
  const g = groupOf(ctx, v);
  const newState = g ? g.s.state : v.s.wantstate;
  const isUp = v.s.numScriptIfFault === 0;
  const noneInit = v.s.numScriptInit === 0 && (!g || g.s.numMemberInit === 0);
  if (isUp && newState === 'MASTER' && noneInit && (v.s.basePriority === 255 || reloadMaster) && v.s.wantstate === 'MASTER') {
    if (reloadMaster) return;
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
