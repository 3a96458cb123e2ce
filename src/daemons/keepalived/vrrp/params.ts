import type { Micros } from '../../../sim/time';

/**
 * The configuration the VRRP state machine reads: a minimal, already-defaulted view of one keepalived.conf
 * `vrrp_instance` (keepalived's own defaults applied, as `vrrp_complete_instance` leaves them), plus the
 * `vrrp_script` and `vrrp_sync_group` blocks it refers to. The config parser maps onto these.
 */
export interface VirtualIp {
  /** As written in the config (`172.16.23.80/24 dev eth0`): for messages. */
  readonly text: string;
  /** Host-order IPv4 address. */
  readonly address: number;
  readonly prefixLength: number;
  /** `dev X`, else the instance's interface. */
  readonly dev: string;
}

/** `track_script` / `track_interface` entry: weight −253..253, 0 means failure ⇒ FAULT. */
export interface TrackedObject {
  readonly name: string;
  readonly weight: number;
  readonly reverse: boolean;
}

export interface GarpParams {
  /** `garp_master_delay`: second burst this long after becoming MASTER; 0 = none. Default 5 s. */
  readonly masterDelay: Micros;
  /** `garp_master_repeat`: GARPs per VIP per burst. Default 5. */
  readonly masterRepeat: number;
  /** `garp_master_refresh`: while MASTER, refresh burst at the first advert after this long; 0 = off. */
  readonly masterRefresh: Micros;
  /** `garp_master_refresh_repeat`. Default 1. */
  readonly masterRefreshRepeat: number;
  /** `garp_lower_prio_repeat`: burst when a MASTER hears a lower priority. Default = masterRepeat. */
  readonly lowerPrioRepeat: number;
  /** `garp_lower_prio_delay`: second lower-priority burst after this long. Default = masterDelay. */
  readonly lowerPrioDelay: Micros;
}

/** Command lines of the `notify*` keywords, as configured (undefined when absent). */
export interface NotifyScripts {
  readonly master?: string;
  readonly backup?: string;
  readonly fault?: string;
  readonly stop?: string;
  /** `notify_deleted`: report an instance a reload removes as DELETED (not FAULT); '' when given without a script. */
  readonly deleted?: string;
  /** Generic `notify`: run with `INSTANCE name STATE priority` appended. */
  readonly generic?: string;
}

export interface VrrpInstanceParams {
  readonly name: string;
  readonly interface: string;
  /** `virtual_router_id`. */
  readonly vrid: number;
  /** Base priority 1..255, keepalived's default already applied (255 for `state MASTER` without priority). */
  readonly priority: number;
  /** `state`: only decides the owner's start (see vrrp_init_state); MASTER never shortens a non-owner's start. */
  readonly initialState: 'MASTER' | 'BACKUP';
  /** `advert_int` in µs (v2: whole seconds). */
  readonly advertInt: Micros;
  readonly version: 2 | 3;
  readonly nopreempt: boolean;
  /** `preempt_delay` in µs; 0 = none. */
  readonly preemptDelay: Micros;
  /** `down_timer_adverts` (global `vrrp_down_timer_adverts`), default 3. */
  readonly downTimerAdverts: number;
  /** Own primary address (`unicast_src_ip` / `mcast_src_ip`, else the interface's first address): the tie-break. */
  readonly primaryIp: number;
  readonly vips: readonly VirtualIp[];
  readonly garp: GarpParams;
  readonly trackScripts: readonly TrackedObject[];
  readonly trackInterfaces: readonly TrackedObject[];
  /** `dont_track_primary`: the own interface going down does not mean FAULT. */
  readonly dontTrackPrimary: boolean;
  readonly notify: NotifyScripts;
  /** `lower_prio_no_advert` (default false). */
  readonly lowerPrioNoAdvert: boolean;
  /** `higher_prio_send_advert` (default false). */
  readonly higherPrioSendAdvert: boolean;
  /** `unicast_peer` addresses: where the glue sends adverts (empty = multicast 224.0.0.18). */
  readonly unicastPeers: readonly number[];
}

export interface VrrpScriptParams {
  readonly name: string;
  /** Interval between runs (the scheduler's business; kept here for the glue). */
  readonly interval: Micros;
  readonly rise: number;
  readonly fall: number;
  /** `init_fail`: start failed instead of "init". */
  readonly initFail: boolean;
}

export interface VrrpSyncGroupParams {
  readonly name: string;
  /** Member instance names, in config order. */
  readonly members: readonly string[];
  /** `sync_group_tracking_weight`: keep members' weighted tracking. */
  readonly trackingWeight: boolean;
  readonly notify: NotifyScripts;
}

export interface VrrpConfig {
  /** In config order: keepalived processes instances in this order. */
  readonly instances: readonly VrrpInstanceParams[];
  readonly scripts: readonly VrrpScriptParams[];
  readonly syncGroups: readonly VrrpSyncGroupParams[];
}

/** keepalived 2.2.7 defaults (core/global_data.c `set_vrrp_defaults`). */
export const GARP_DEFAULTS: GarpParams = {
  masterDelay: 5_000_000,
  masterRepeat: 5,
  masterRefresh: 0,
  masterRefreshRepeat: 1,
  lowerPrioRepeat: 5,
  lowerPrioDelay: 5_000_000,
};

export const VRRP_PRIO_OWNER = 255;
