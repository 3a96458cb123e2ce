import type { Conn } from '../conn';
import type { IpvsSysctls } from '../ipvs';
import { stateIndex } from './conn-record';

/** TCP states in which an entry is worth syncing (ESTABLISHED, FIN_WAIT, CLOSE, CLOSE_WAIT, TIME_WAIT). */
const SYNCED_TCP_STATES = new Set<Conn['state']>(['ESTABLISHED', 'FIN_WAIT', 'CLOSE', 'CLOSE_WAIT', 'TIME_WAIT']);

/** cp->old_state: the state last synced (0 for a fresh entry; set to the received one on a backup). */
const oldStates = new WeakMap<Conn, number>();

export function setOldState(cp: Conn): void {
  oldStates.set(cp, stateIndex(cp));
}

/**
 * ip_vs_sync_conn_needed with sync_refresh_period 0 (the default): a template every time it is asked; a TCP
 * entry only in the states above, at once on a change into any of them but ESTABLISHED, otherwise (and for
 * UDP) when its packet count hits sync_threshold modulo sync_period.
 */
export function syncNeeded(cp: Conn, pkts: number, sysctl: IpvsSysctls): boolean {
  let force = false;
  if (!cp.template && cp.protocol === 'TCP') {
    if (!SYNCED_TCP_STATES.has(cp.state)) return false;
    force = stateIndex(cp) !== (oldStates.get(cp) ?? 0);
    if (force && cp.state !== 'ESTABLISHED') {
      setOldState(cp);
      return true;
    }
  }
  if (sysctl.syncPeriod > 0) {
    if (!cp.template && pkts % sysctl.syncPeriod !== sysctl.syncThreshold) return false;
  } else if (pkts !== sysctl.syncThreshold) return false;
  setOldState(cp);
  return true;
}

/**
 * ip_vs_sync_conn's walk: the entry itself (never a one-packet one), then its controlling template, whose
 * own packet count goes up by one each time it is looked at this way.
 */
export function entriesToSync(cp: Conn, pkts: number, sysctl: IpvsSysctls): Conn[] {
  const out: Conn[] = [];
  let c: Conn | undefined = cp;
  let n = pkts;
  let first = true;
  while (c) {
    if (!(first && c.onePacket) && syncNeeded(c, n, sysctl)) out.push(c);
    first = false;
    c = c.control;
    if (c) n = c.template ? ++c.inPkts : sysctl.syncThreshold;
  }
  return out;
}
