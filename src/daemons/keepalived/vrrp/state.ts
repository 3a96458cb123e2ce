import type { Micros } from '../../../sim/time';
import type { VrrpConfig } from './params';
import { initialScriptState, type VrrpScriptState } from './script';

/**
 * keepalived's VRRP_STATE_* (include/vrrp.h); FAULT, STOP and DELETED (an instance a reload removed, only
 * ever reported) are keepalived's own, not RFC states.
 */
export type VrrpStateName = 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT' | 'STOP' | 'DELETED';

/** One `vrrp_instance` at run time: keepalived's `vrrp_t` fields that decide behaviour. */
export interface VrrpInstanceState {
  readonly state: VrrpStateName;
  /** The state it would be in disregarding its sync group. */
  readonly wantstate: VrrpStateName;
  readonly basePriority: number;
  readonly effectivePriority: number;
  /** v2: own advert_int; v3 BACKUP: the interval of the last accepted advert. */
  readonly masterAdverInt: Micros;
  readonly msDownTimer: Micros;
  /** The one VRRP deadline: next advert (MASTER) or master down (BACKUP); null when disabled. */
  readonly sands: Micros | null;
  /** Which timer `sands` is armed as, so the glue's timer can be moved or cancelled. */
  readonly sandsTimer: 'master_down' | 'adver' | null;
  /** preempt_delay end, started by the first lower-priority advert; null when not running. */
  readonly preemptTime: Micros | null;
  readonly vipSet: boolean;
  /** garp_master_refresh deadline, checked at each advert sent while MASTER. */
  readonly garpRefreshTimer: Micros | null;
  /** Failed weight-0 tracked objects (scripts, interfaces): > 0 means FAULT. */
  readonly numScriptIfFault: number;
  /** Weight-0 scripts that have not returned a first result. */
  readonly numScriptInit: number;
  /** Source and priority of the last advert heard as BACKUP: the validator's `skip_check_adv_addr` and reports. */
  readonly masterSaddr: number | null;
  readonly masterPriority: number;
  readonly notifiesSent: boolean;
}

export interface VrrpSyncGroupState {
  readonly state: VrrpStateName;
  readonly numMemberFault: number;
  readonly numMemberInit: number;
}

/** The whole VRRP child process: every instance, script and sync group, and interface carrier. */
export interface VrrpProcessState {
  readonly instances: Readonly<Record<string, VrrpInstanceState>>;
  readonly scripts: Readonly<Record<string, VrrpScriptState>>;
  readonly groups: Readonly<Record<string, VrrpSyncGroupState>>;
  /** Carrier per interface name; absent means up. */
  readonly interfacesDown: Readonly<Record<string, true>>;
}

/** The state right after config load, before `start`. */
export function vrrpInitialState(config: VrrpConfig): VrrpProcessState {
  // vrrp_complete_init: inside a sync group with any non-owner member, nobody starts wanting MASTER.
  const heldBack = new Set<string>();
  for (const g of config.syncGroups) {
    const ps = config.instances.filter((p) => g.members.includes(p.name));
    if (ps.some((p) => p.priority !== 255)) for (const p of ps) heldBack.add(p.name);
  }
  const instances: Record<string, VrrpInstanceState> = {};
  for (const p of config.instances) {
    const owner = p.priority === 255 && p.initialState === 'MASTER' && !heldBack.has(p.name);
    instances[p.name] = {
      state: 'INIT',
      wantstate: owner ? 'MASTER' : 'BACKUP',
      basePriority: p.priority,
      effectivePriority: p.priority,
      masterAdverInt: p.advertInt,
      msDownTimer: 0,
      sands: null,
      sandsTimer: null,
      preemptTime: null,
      vipSet: false,
      garpRefreshTimer: null,
      numScriptIfFault: 0,
      numScriptInit: 0,
      masterSaddr: null,
      masterPriority: 0,
      notifiesSent: false,
    };
  }
  const scripts: Record<string, VrrpScriptState> = {};
  for (const s of config.scripts) scripts[s.name] = initialScriptState(s);
  const groups: Record<string, VrrpSyncGroupState> = {};
  for (const g of config.syncGroups) {
    // vrrp_sync_set_group: MASTER only when every member is an owner that starts MASTER.
    const allOwners = g.members.every((m) => instances[m]?.wantstate === 'MASTER');
    groups[g.name] = { state: allOwners ? 'MASTER' : 'BACKUP', numMemberFault: 0, numMemberInit: 0 };
  }
  return { instances, scripts, groups, interfacesDown: {} };
}
