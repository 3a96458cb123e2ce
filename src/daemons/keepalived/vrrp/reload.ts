import type { Draft } from 'immer';
import { log, trackingIndex, vrrpOf, type Ctx, type Vrrp } from './context';
import { inetNtoa } from './inet';
import { restoreInterface, sendAdv, sendLinkUpdate } from './instance';
import type { VirtualIp, VrrpConfig, VrrpInstanceParams } from './params';
import { scriptOnReload, type VrrpScriptState } from './script';
import { vrrpInitialState, type VrrpInstanceState, type VrrpStateName } from './state';
import { completeInit, initStates } from './startup';

/**
 * keepalived 2.2.7's reload of the VRRP child (vrrp_daemon.c sigreload_vrrp, reload_vrrp_thread,
 * start_vrrp; vrrp.c vrrp_complete_init, clear_diff_vrrp, restore_vrrp_state): the process keeps running,
 * every instance is rebuilt from the new config, and an instance that matches an old one takes over its
 * state — a MASTER stays MASTER without any priority-0 advert and advertises at once with its new priority.
 */

/** sigreload_vrrp: each MASTER sends one more advert (old priority) before the reload proper. */
export function reloadSignal(ctx: Ctx, config: VrrpConfig): void {
  for (const p of config.instances) {
    const v = vrrpOf(ctx, p.name);
    if (v.s.state === 'MASTER') sendAdv(ctx, v, v.s.effectivePriority);
  }
  log(ctx, 'Reloading');
}

/** vrrp_exist: the same virtual router — VRID, interface, unicast or not and, for unicast, source address. */
function sameRouter(a: VrrpInstanceParams, b: VrrpInstanceParams): boolean {
  const unicast = a.unicastPeers.length > 0;
  if (a.vrid !== b.vrid || a.interface !== b.interface || unicast !== b.unicastPeers.length > 0) return false;
  return !unicast || a.primaryIp === b.primaryIp;
}

function sameVip(a: VirtualIp, b: VirtualIp): boolean {
  return a.address === b.address && a.prefixLength === b.prefixLength && a.dev === b.dev;
}

interface Old {
  readonly p: VrrpInstanceParams;
  readonly s: VrrpInstanceState;
}

/** The reload proper, after `reloadSignal`: the state is rebuilt for `next` (the glue has cancelled every timer). */
export function reload(ctx: Ctx, config: VrrpConfig, next: VrrpConfig): void {
  const draft = ctx.draft;
  const old: Old[] = config.instances.map((p) => ({ p, s: { ...draft.instances[p.name]! } }));
  const oldGroups = new Map(config.syncGroups.map((g) => [g.name, draft.groups[g.name]!.state]));
  const fresh = vrrpInitialState(next);

  const scripts: Record<string, VrrpScriptState> = {};
  for (const s of next.scripts) {
    const before = config.scripts.find((o) => o.name === s.name);
    const state = draft.scripts[s.name];
    if (!before || !state) {
      scripts[s.name] = fresh.scripts[s.name]!;
      continue;
    }
    const carried = scriptOnReload(before, state, s);
    scripts[s.name] = carried.state;
    if (carried.log !== null) log(ctx, carried.log);
  }
  ctx.actions.push({ kind: 'config_completed' });

  draft.instances = { ...fresh.instances } as Draft<typeof draft.instances>;
  draft.scripts = scripts;
  draft.groups = { ...fresh.groups } as Draft<typeof draft.groups>;
  const nctx: Ctx = { ...ctx, index: trackingIndex(next) };

  const match = new Map<string, Old>();
  const previous = new Map<string, VrrpStateName>();
  for (const o of old) {
    const p = next.instances.find((n) => sameRouter(o.p, n));
    if (!p || match.has(p.name)) continue;
    match.set(p.name, o);
    previous.set(p.name, o.s.state);
  }
  const rebuilt = ctx.actions.length;
  completeInit(nctx, next, { previous, reloadMasters: new Set(), sameGroups: new Set() });

  // clear_diff_vrrp: the instances the new config no longer has go first.
  const kept = new Set(match.values());
  for (const o of old) {
    if (kept.has(o)) continue;
    const v: Vrrp = { p: o.p, s: o.s as Draft<VrrpInstanceState> };
    if (o.s.state === 'MASTER') restoreInterface(nctx, v, true);
    deleted(nctx, v);
  }
  const reloadMasters = new Set<string>();
  for (const [name, o] of match) {
    const v = vrrpOf(nctx, name);
    restoreVips(nctx, o, v);
    if (v.s.state === 'MASTER') reloadMasters.add(name);
  }
  const sameGroups = new Set(next.syncGroups.filter((g) => oldGroups.get(g.name) === draft.groups[g.name]!.state).map((g) => g.name));
  initStates(nctx, next, { previous, reloadMasters, sameGroups });
  continueTrace(ctx, rebuilt, previous);
}

/**
 * keepalived rebuilds every instance from INIT; for the trace a kept instance goes on from its old state:
 * its changes start there, and one back to the old state is no change at all.
 */
function continueTrace(ctx: Ctx, from: number, previous: ReadonlyMap<string, VrrpStateName>): void {
  const seen = new Set<string>();
  for (let i = from; i < ctx.actions.length; i++) {
    const a = ctx.actions[i]!;
    const before = a.kind === 'state_changed' && !seen.has(a.instance) ? previous.get(a.instance) : undefined;
    if (a.kind !== 'state_changed' || before === undefined) continue;
    seen.add(a.instance);
    if (a.to === before) ctx.actions.splice(i--, 1);
    else ctx.actions[i] = { ...a, from: before };
  }
}

/**
 * A removed instance is reported DELETED. Without `notify_deleted` (then only if it was not FAULT) keepalived
 * passes FAULT to the generic `notify` but picks the (unset) deleted script, so notify_fault does not run [obs].
 */
function deleted(ctx: Ctx, v: Vrrp): void {
  ctx.actions.push({ kind: 'state_changed', instance: v.p.name, from: v.s.state, to: 'DELETED', priority: v.s.effectivePriority });
  const flagged = v.p.notify.deleted !== undefined;
  if (!flagged && v.s.state === 'FAULT') return;
  const state = flagged ? 'DELETED' : 'FAULT';
  const script = v.p.notify.deleted || undefined;
  if (script === undefined && v.p.notify.generic === undefined) return;
  ctx.actions.push({
    kind: 'notify',
    instance: v.p.name,
    state,
    priority: v.s.effectivePriority,
    script,
    generic: v.p.notify.generic,
    genericArgs: ['INSTANCE', v.p.name, state, String(v.s.effectivePriority)],
  });
}

/**
 * clear_diff_vrrp_vip and restore_vrrp_state for a kept instance: VIPs it had set that the new config
 * drops are deleted, the new ones are added while the VIPs are up, and any addition sends a GARP burst.
 */
function restoreVips(ctx: Ctx, o: Old, v: Vrrp): void {
  if (o.s.vipSet) {
    const gone = o.p.vips.filter((a) => !v.p.vips.some((b) => sameVip(a, b)));
    for (const a of gone) log(ctx, `(${v.p.name}) ip address ${inetNtoa(a.address)}/${a.prefixLength} dev ${a.dev}, no longer exist`);
    if (gone.length > 0) ctx.actions.push({ kind: 'remove_vips', instance: v.p.name, vips: gone });
  }
  v.s.vipSet = o.s.vipSet;
  if (!v.s.vipSet || v.p.vips.length === 0) return;
  log(ctx, `(${v.p.name}) setting VIPs.`, true);
  const added = v.p.vips.filter((b) => !o.p.vips.some((a) => sameVip(a, b)));
  if (added.length === 0) return;
  ctx.actions.push({ kind: 'add_vips', instance: v.p.name, vips: added });
  sendLinkUpdate(ctx, v, v.p.garp.masterRepeat);
  if (v.p.garp.masterRefresh > 0) v.s.garpRefreshTimer = ctx.now + v.p.garp.masterRefresh;
}
