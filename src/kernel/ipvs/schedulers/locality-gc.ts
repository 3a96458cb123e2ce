import { HOUR, SECOND, type Micros } from '../../../sim/time';

/** lblc/lblcr entries untouched this long are dropped by the full check (sysctl lblc[r]_expiration). */
export const LOCALITY_EXPIRATION = 24 * HOUR;

/** The garbage timer runs every 60 s; every 30th run is a full check (COUNT_FOR_FULL_EXPIRATION). */
const FULL_CHECK_PERIOD = 30 * 60 * SECOND;

/**
 * Whether the periodic full check, which runs at `created` + k × 30 min, has removed an entry last used at
 * `lastUse` by `now`. Evaluated lazily at lookup instead of with a timer: the outcome is the same.
 * (The partial collection only acts above 16384 entries per service, which no simulation reaches.)
 */
export function collected(created: Micros, lastUse: Micros, now: Micros): boolean {
  const due = lastUse + LOCALITY_EXPIRATION;
  const k = Math.max(1, Math.ceil((due - created) / FULL_CHECK_PERIOD));
  return created + k * FULL_CHECK_PERIOD <= now;
}
