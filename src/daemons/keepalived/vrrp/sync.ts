import type { Draft } from 'immer';
import { log, vrrpOf, type Ctx, type Vrrp } from './context';
import { gotoMaster, initInstanceSands, leaveFault, leaveMaster, lowerPrioGarp, msDownTimer, setState } from './instance';
import type { VrrpSyncGroupParams } from './params';
import type { VrrpStateName, VrrpSyncGroupState } from './state';

/**
 * `vrrp_sync_group` (vrrp_sync.c): members move together. A member may only go MASTER once every other
 * member wants MASTER too; one member dropping to BACKUP or FAULT drags the others along.
 */

export interface SyncGroup {
  readonly p: VrrpSyncGroupParams;
  readonly s: Draft<VrrpSyncGroupState>;
}

export function groupOf(ctx: Ctx, v: Vrrp): SyncGroup | undefined {
  const name = ctx.index.groupOf.get(v.p.name);
  if (name === undefined) return undefined;
  return { p: ctx.index.group.get(name)!, s: ctx.draft.groups[name]! };
}

function members(ctx: Ctx, g: SyncGroup): Vrrp[] {
  return g.p.members.filter((m) => ctx.index.instance.has(m)).map((m) => vrrpOf(ctx, m));
}

/** vrrp_sync_can_goto_master; when refused, the member waits another Master_Down_Interval. */
export function canGotoMaster(ctx: Ctx, v: Vrrp): boolean {
  const g = groupOf(ctx, v)!;
  if (g.s.state === 'MASTER') return true;
  for (const other of members(ctx, g)) {
    if (other.p.name !== v.p.name && other.s.wantstate !== 'MASTER') {
      v.s.msDownTimer = msDownTimer(v);
      initInstanceSands(ctx, v);
      return false;
    }
  }
  return true;
}

export function sendGroupNotifies(ctx: Ctx, g: SyncGroup): void {
  const state = g.s.state;
  if (state !== 'MASTER' && state !== 'BACKUP' && state !== 'FAULT' && state !== 'STOP') return;
  const key = state === 'MASTER' ? 'master' : state === 'BACKUP' ? 'backup' : state === 'FAULT' ? 'fault' : 'stop';
  ctx.actions.push({
    kind: 'notify_group',
    group: g.p.name,
    state,
    script: g.p.notify[key],
    generic: g.p.notify.generic,
    genericArgs: ['GROUP', g.p.name, state, '0'],
  });
}

export function syncBackup(ctx: Ctx, v: Vrrp): void {
  const g = groupOf(ctx, v)!;
  if (g.s.state === 'BACKUP') return;
  log(ctx, `VRRP_Group(${g.p.name}) Syncing instances to BACKUP state`);
  for (const other of members(ctx, g)) {
    if (other.p.name === v.p.name || other.s.state === 'BACKUP') continue;
    other.s.wantstate = 'BACKUP';
    if (other.s.state === 'FAULT' || other.s.state === 'INIT') leaveFault(ctx, other);
    else leaveMaster(ctx, other, false);
  }
  g.s.state = 'BACKUP';
  sendGroupNotifies(ctx, g);
}

export function syncMaster(ctx: Ctx, v: Vrrp): void {
  const g = groupOf(ctx, v)!;
  if (g.s.state === 'MASTER') return;
  if (!canGotoMaster(ctx, v)) return;
  log(ctx, `VRRP_Group(${g.p.name}) Syncing instances to MASTER state`);
  for (const other of members(ctx, g)) {
    if (other.p.name === v.p.name || other.s.state === 'MASTER') continue;
    other.s.wantstate = 'MASTER';
    gotoMaster(ctx, other);
  }
  g.s.state = 'MASTER';
  sendGroupNotifies(ctx, g);
}

export function syncFault(ctx: Ctx, v: Vrrp): void {
  const g = groupOf(ctx, v)!;
  if (g.s.state === 'FAULT') return;
  log(ctx, `VRRP_Group(${g.p.name}) Syncing instances to FAULT state`);
  for (const other of members(ctx, g)) {
    if (other.p.name === v.p.name || other.s.state === 'FAULT') continue;
    other.s.wantstate = 'FAULT';
    if (other.s.state === 'MASTER') {
      leaveMaster(ctx, other, false);
    } else if (other.s.state === 'BACKUP' || other.s.state === 'INIT') {
      // keepalived marks it FAULT first, so leaving "fault" to FAULT logs nothing and just notifies.
      setState(ctx, other, 'FAULT');
      leaveFault(ctx, other);
    }
  }
  g.s.state = 'FAULT';
  sendGroupNotifies(ctx, g);
}

/** VRRP_TSM_HANDLE: the group hook for a member's transition prev → current. */
export function tsmHandle(ctx: Ctx, prev: VrrpStateName, v: Vrrp): void {
  if (!groupOf(ctx, v)) return;
  const cur = v.s.state;
  if (cur === 'MASTER' && (prev === 'BACKUP' || prev === 'MASTER' || prev === 'FAULT')) syncMaster(ctx, v);
  else if (prev === 'MASTER' && cur === 'BACKUP') syncBackup(ctx, v);
}

/** A MASTER hearing a lower priority also refreshes ARP for the other members that want it. */
export function lowerPrioGarpForGroup(ctx: Ctx, v: Vrrp): void {
  const g = groupOf(ctx, v);
  if (!g) return;
  for (const other of members(ctx, g)) if (other.p.name !== v.p.name) lowerPrioGarp(ctx, other);
}
