import type { Micros } from '../../../sim/time';
import type { VrrpConfig } from './params';

/** How a vrrp_script run ended (vrrp_scheduler.c `vrrp_script_child_thread`). */
export type ScriptOutcome =
  | { readonly kind: 'exited'; readonly status: number }
  | { readonly kind: 'signaled'; readonly signal: number }
  /** Killed by keepalived after `timeout` (SIGTERM, SIGKILL 2 s later): a failure logged `timed_out`. */
  | { readonly kind: 'timed_out' };

/**
 * What the VRRP process reacts to. The daemon glue turns packets, carrier changes, script exits and its
 * timers into these; instance names are the `vrrp_instance` names.
 */
export type VrrpInput =
  /** The VRRP child starts (after config load). Interfaces without carrier at that moment are listed. */
  | { readonly kind: 'start'; readonly interfacesDown?: readonly string[] }
  /**
   * An advert for this instance's VRID that passed `vrrp_check_packet` (the glue's validator). `adverInt` is
   * the advert's interval field in µs (v3: centiseconds × 10,000; v2: seconds × 1,000,000).
   */
  | {
      readonly kind: 'advert_received';
      readonly instance: string;
      readonly srcIp: number;
      readonly priority: number;
      readonly adverInt: Micros;
    }
  /**
   * An advert for this instance's VRID that failed validation. `reason` is keepalived's message after the
   * `(VI) ` prefix (`received an invalid passwd!`); it is logged, and a MASTER still re-arms its advert timer.
   */
  | { readonly kind: 'advert_rejected'; readonly instance: string; readonly reason: string }
  | { readonly kind: 'master_down_timer_expired'; readonly instance: string }
  | { readonly kind: 'adver_timer_expired'; readonly instance: string }
  /** The one-shot `garp_master_delay` or `garp_lower_prio_delay` timer. */
  | { readonly kind: 'garp_timer_expired'; readonly instance: string; readonly timer: 'garp_master' | 'garp_lower_prio' }
  /** Carrier (IFF_UP && IFF_RUNNING) of an interface changed, as netlink reports it. */
  | { readonly kind: 'interface_down'; readonly interface: string }
  | { readonly kind: 'interface_up'; readonly interface: string }
  /** A run of a `vrrp_script` ended. */
  | { readonly kind: 'script_result'; readonly script: string; readonly outcome: ScriptOutcome }
  /** SIGTERM: graceful stop. */
  | { readonly kind: 'stop' }
  /** SIGHUP reached the VRRP child: every MASTER advertises once more, then `Reloading`. */
  | { readonly kind: 'reload_signal' }
  /**
   * The reloaded configuration (through `vrrpCompleteTracking`), right after `reload_signal`. Before it the
   * glue cancels every pending timer (keepalived's thread_cleanup_master) and stops the scripts; after it the
   * glue steps with `config` and restarts the scripts. Instances are matched by VRID, interface and
   * unicast/multicast, not by name (vrrp_exist).
   */
  | { readonly kind: 'reload'; readonly config: VrrpConfig };
