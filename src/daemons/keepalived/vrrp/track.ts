import { log, vrrpOf, type Ctx, type Vrrp } from './context';
import { armTimer, initInstanceSands, leaveFault, leaveMaster, msDownTimer } from './instance';
import type { TrackedObject } from './params';
import { scriptStatus, type ScriptStatus } from './script';
import { canGotoMaster, groupOf, syncBackup, syncFault, syncMaster } from './sync';

/**
 * Tracking (vrrp_track.c): weighted objects move the effective priority, weight-0 objects put the instance
 * in FAULT while failed.
 */

/** What a weighted object adds while in `status`: +w while good (w > 0), −|w| while failed (w < 0). */
function contribution(t: TrackedObject, status: ScriptStatus): number {
  const m = t.reverse ? -1 : 1;
  if (t.weight === 0 || status === 'init') return 0;
  if (status === 'good') return t.weight > 0 ? t.weight * m : 0;
  return t.weight < 0 ? t.weight * m : 0;
}

/** keepalived's total_priority: base plus the weights of every tracked object in its current state. */
function totalPriority(ctx: Ctx, v: Vrrp): number {
  let total = v.s.basePriority;
  for (const t of v.p.trackScripts) {
    const params = ctx.index.script.get(t.name);
    const state = ctx.draft.scripts[t.name];
    if (params && state) total += contribution(t, scriptStatus(params, state));
  }
  for (const t of v.p.trackInterfaces) total += contribution(t, ctx.draft.interfacesDown[t.name] ? 'failed' : 'good');
  return total;
}

/** vrrp_set_effective_priority: clamp to 1..254 (owners never change); a BACKUP's deadline moves with its skew. */
export function setEffectivePriority(ctx: Ctx, v: Vrrp): void {
  if (v.s.basePriority === 255) return;
  const newPrio = Math.min(254, Math.max(1, totalPriority(ctx, v)));
  if (newPrio === v.s.effectivePriority) return;
  log(ctx, `(${v.p.name}) Changing effective priority from ${v.s.effectivePriority} to ${newPrio}`);
  v.s.effectivePriority = newPrio;
  const old = v.s.msDownTimer;
  v.s.msDownTimer = msDownTimer(v);
  if (v.s.state === 'BACKUP' && v.s.sands !== null) {
    v.s.sands += v.s.msDownTimer - old;
    armTimer(ctx, v, 'master_down', v.s.sands - ctx.now);
  }
}

/** down_instance: the first failed weight-0 object takes the instance (and its sync group) to FAULT. */
export function downInstance(ctx: Ctx, v: Vrrp): void {
  const first = v.s.numScriptIfFault === 0;
  v.s.numScriptIfFault++;
  if (!first && v.s.state !== 'INIT') return;
  v.s.wantstate = 'FAULT';
  if (v.s.state === 'MASTER') leaveMaster(ctx, v, true);
  else leaveFault(ctx, v);
  const g = groupOf(ctx, v);
  if (g && g.s.numMemberFault++ === 0) syncFault(ctx, v);
}

/** try_up_instance: the last fault cleared (or the last pending script answered): BACKUP, or MASTER for an owner. */
export function tryUpInstance(ctx: Ctx, v: Vrrp, leavingInit: boolean): void {
  const g = groupOf(ctx, v);
  if (leavingInit) {
    if (v.s.numScriptIfFault > 0) return;
  } else {
    v.s.numScriptIfFault--;
    if (v.s.numScriptIfFault > 0 || v.s.numScriptInit > 0) {
      if (v.s.numScriptIfFault === 0) {
        if (g) {
          g.s.numMemberFault--;
          g.s.state = 'INIT';
        }
        v.s.wantstate = 'BACKUP';
      }
      return;
    }
  }
  const owner = v.s.wantstate === 'MASTER' && v.s.basePriority === 255;
  if (!owner) v.s.wantstate = 'BACKUP';
  v.s.masterAdverInt = v.p.advertInt;
  v.s.msDownTimer = msDownTimer(v);
  if (g) {
    if (leavingInit) {
      if (g.s.numMemberFault > 0) return;
    } else {
      g.s.numMemberFault--;
      if (g.s.numMemberFault > 0 || g.s.numMemberInit > 0) return;
    }
  }
  const wantstate = v.s.wantstate;
  if (g && v.s.wantstate === 'MASTER' && !canGotoMaster(ctx, v)) v.s.wantstate = 'BACKUP';
  leaveFault(ctx, v);
  initInstanceSands(ctx, v);
  v.s.wantstate = wantstate;
  if (g) {
    if (v.s.state === 'MASTER') syncMaster(ctx, v);
    else syncBackup(ctx, v);
  }
}

/** Before start, start-up reads tracked objects' states itself; after stop nothing reacts. */
function running(v: Vrrp): boolean {
  return v.s.state !== 'INIT' && v.s.state !== 'STOP';
}

/**
 * A script became good or failed (`wasInit`: its first result). Weight 0 ⇒ FAULT / up; otherwise the
 * effective priority is recomputed.
 */
export function updateScriptPriorities(ctx: Ctx, script: string, ok: boolean, wasInit: boolean): void {
  for (const [name, t] of ctx.index.scriptTrackers.get(script) ?? []) {
    const v = vrrpOf(ctx, name);
    if (!running(v)) continue;
    if (t.weight !== 0) {
      setEffectivePriority(ctx, v);
      continue;
    }
    let leftInit = false;
    if (wasInit) {
      v.s.numScriptInit--;
      if (v.s.numScriptInit === 0) {
        leftInit = true;
        const g = groupOf(ctx, v);
        if (g) g.s.numMemberInit--;
      }
    }
    const g = groupOf(ctx, v);
    if (ok !== !t.reverse) downInstance(ctx, v);
    else if (v.s.numScriptInit === 0 && (!g || g.s.numMemberInit === 0)) tryUpInstance(ctx, v, leftInit);
  }
}

/** Netlink reported a carrier change on `ifname`; `up` is its new state. */
export function updateInterface(ctx: Ctx, ifname: string, up: boolean): void {
  const trackers = ctx.index.interfaceTrackers.get(ifname) ?? [];
  if (trackers.length === 0) return;
  log(ctx, `Netlink reports ${ifname} ${up ? 'up' : 'down'}`);
  for (const [name, t] of trackers) {
    const v = vrrpOf(ctx, name);
    if (!running(v)) continue;
    if (t.weight !== 0) setEffectivePriority(ctx, v);
    else if (up === !t.reverse) tryUpInstance(ctx, v, false);
    else downInstance(ctx, v);
  }
}
