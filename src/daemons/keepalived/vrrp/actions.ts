import type { Micros } from '../../../sim/time';
import type { VirtualIp } from './params';
import type { VrrpStateName } from './state';

/** Each instance has one VRRP deadline (keepalived's `sands`): the advert timer or the master-down timer. */
export type VrrpTimer = 'master_down' | 'adver' | 'garp_master' | 'garp_lower_prio';

/** The notify states keepalived passes to scripts (DELETED: removed by a reload, with `notify_deleted`). */
export type NotifyState = 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP' | 'DELETED';

/** What the daemon must do, in this order, at the instant of the input. */
export type VrrpAction =
  /** Send one advert; `priority` is the effective priority, 0 when leaving MASTER for FAULT/STOP. */
  | { readonly kind: 'send_advert'; readonly instance: string; readonly priority: number; readonly adverInt: Micros }
  /** (Re)arm a timer `delay` µs from now, replacing any pending one of the same name for this instance. */
  | { readonly kind: 'arm_timer'; readonly instance: string; readonly timer: VrrpTimer; readonly delay: Micros }
  | { readonly kind: 'cancel_timer'; readonly instance: string; readonly timer: VrrpTimer }
  | { readonly kind: 'add_vips'; readonly instance: string; readonly vips: readonly VirtualIp[] }
  | { readonly kind: 'remove_vips'; readonly instance: string; readonly vips: readonly VirtualIp[] }
  /**
   * `repeat` rounds of one gratuitous ARP per VIP, back to back: round 1 over all `vips`, round 2 … (each on
   * the VIP's `dev`). The matching log lines precede this action.
   */
  | { readonly kind: 'send_garp'; readonly instance: string; readonly vips: readonly VirtualIp[]; readonly repeat: number }
  /**
   * Run the instance's notifies for its new state: `script` (notify_master …) as configured, then the generic
   * `notify` script with `genericArgs` appended, then the FIFO line. Asynchronous in keepalived.
   */
  | {
      readonly kind: 'notify';
      readonly instance: string;
      readonly state: NotifyState;
      readonly priority: number;
      readonly script: string | undefined;
      readonly generic: string | undefined;
      readonly genericArgs: readonly string[];
    }
  /** The sync group's notifies (`GROUP name STATE 0`). */
  | {
      readonly kind: 'notify_group';
      readonly group: string;
      readonly state: NotifyState;
      readonly script: string | undefined;
      readonly generic: string | undefined;
      readonly genericArgs: readonly string[];
    }
  /** One line of Keepalived_vrrp's log; `detail` lines appear only with `-D` (CentOS passes it, Debian not). */
  | { readonly kind: 'log'; readonly text: string; readonly detail: boolean }
  /**
   * Reload only: the new configuration's scripts are carried over; what keepalived reports while completing
   * the config (script warnings, SECURITY VIOLATION, `Assigned address …`) is logged here, before what follows.
   */
  | { readonly kind: 'config_completed' }
  /** For the trace: the instance changed state. */
  | {
      readonly kind: 'state_changed';
      readonly instance: string;
      readonly from: VrrpStateName;
      readonly to: VrrpStateName;
      readonly priority: number;
    };
