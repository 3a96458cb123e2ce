import type { Micros } from '../../../sim/time';

/**
 * keepalived's VRRP timer arithmetic (include/vrrp.h), integer microseconds. Truncating division matters:
 * priority 99 gives a skew of 613,281 µs, not 613,281.25.
 */

const TIMER_HZ = 1_000_000;
const TIMER_CENTI_HZ = 10_000;

/**
 * Skew_Time for a priority. VRRPv2: (256 − prio) / 256 s, not scaled by advert_int. VRRPv3:
 * (256 − prio) × Master_Adver_Interval / 256, computed in centiseconds × 625 / 16.
 */
export function skewTime(version: 2 | 3, priority: number, masterAdverInt: Micros): Micros {
  const p = 256 - priority;
  if (version === 3) return Math.floor((p * Math.floor(masterAdverInt / TIMER_CENTI_HZ) * 625) / 16);
  return Math.floor((p * TIMER_HZ) / 256);
}

/** Master_Down_Interval = down_timer_adverts × Master_Adver_Interval + Skew_Time. */
export function masterDownInterval(
  version: 2 | 3,
  priority: number,
  masterAdverInt: Micros,
  downTimerAdverts: number,
): Micros {
  return downTimerAdverts * masterAdverInt + skewTime(version, priority, masterAdverInt);
}
