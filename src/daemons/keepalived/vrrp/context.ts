import type { Draft } from 'immer';
import type { Micros } from '../../../sim/time';
import type { VrrpAction } from './actions';
import type { TrackedObject, VrrpConfig, VrrpInstanceParams, VrrpScriptParams, VrrpSyncGroupParams } from './params';
import type { VrrpInstanceState, VrrpProcessState } from './state';

/** Who tracks what, built once per config (keepalived's `tracking_vrrp` lists). */
export interface TrackingIndex {
  readonly instance: ReadonlyMap<string, VrrpInstanceParams>;
  readonly script: ReadonlyMap<string, VrrpScriptParams>;
  readonly group: ReadonlyMap<string, VrrpSyncGroupParams>;
  /** Instance name → its sync group name. */
  readonly groupOf: ReadonlyMap<string, string>;
  /** Script name → (instance, track entry), in config order. */
  readonly scriptTrackers: ReadonlyMap<string, readonly (readonly [string, TrackedObject])[]>;
  /** Interface name → (instance, track entry); the own interface appears with weight 0. */
  readonly interfaceTrackers: ReadonlyMap<string, readonly (readonly [string, TrackedObject])[]>;
}

const indexes = new WeakMap<VrrpConfig, TrackingIndex>();

export function trackingIndex(config: VrrpConfig): TrackingIndex {
  const cached = indexes.get(config);
  if (cached) return cached;
  const groupOf = new Map<string, string>();
  for (const g of config.syncGroups) for (const m of g.members) groupOf.set(m, g.name);
  const scriptTrackers = new Map<string, [string, TrackedObject][]>();
  const interfaceTrackers = new Map<string, [string, TrackedObject][]>();
  const add = (map: Map<string, [string, TrackedObject][]>, key: string, entry: [string, TrackedObject]) => {
    const list = map.get(key);
    if (list) list.push(entry);
    else map.set(key, [entry]);
  };
  for (const p of config.instances) {
    for (const t of p.trackScripts) add(scriptTrackers, t.name, [p.name, t]);
    if (!p.dontTrackPrimary) add(interfaceTrackers, p.interface, [p.name, { name: p.interface, weight: 0, reverse: false }]);
    for (const t of p.trackInterfaces) add(interfaceTrackers, t.name, [p.name, t]);
  }
  const index: TrackingIndex = {
    instance: new Map(config.instances.map((p) => [p.name, p])),
    script: new Map(config.scripts.map((s) => [s.name, s])),
    group: new Map(config.syncGroups.map((g) => [g.name, g])),
    groupOf,
    scriptTrackers,
    interfaceTrackers,
  };
  indexes.set(config, index);
  return index;
}

/** One step in progress: the draft being changed, the clock, and the actions in emission order. */
export interface Ctx {
  readonly index: TrackingIndex;
  readonly draft: Draft<VrrpProcessState>;
  readonly now: Micros;
  readonly actions: VrrpAction[];
}

/** An instance under change: its params and its draft state, as keepalived's `vrrp_t *`. */
export interface Vrrp {
  readonly p: VrrpInstanceParams;
  readonly s: Draft<VrrpInstanceState>;
}

export function vrrpOf(ctx: Ctx, name: string): Vrrp {
  const p = ctx.index.instance.get(name);
  const s = ctx.draft.instances[name];
  if (!p || !s) throw new Error(`unknown vrrp_instance ${name}`);
  return { p, s };
}

export function log(ctx: Ctx, text: string, detail = false): void {
  ctx.actions.push({ kind: 'log', text, detail });
}
