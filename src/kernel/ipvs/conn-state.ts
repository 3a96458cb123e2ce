import type { Conn } from './conn';
import { tcpNextState, tcpStateActive, type ProtoTimeouts, type TcpFlags, type TcpState } from './tcp-state';

/**
 * ip_vs_set_state for one packet of an entry: the protocol state machine, the move between ActiveConn and
 * InActConn, the template's ASSURED mark, and the timeout of the (new) state. Replies (output) clear
 * NOOUTPUT; until one is seen, client packets of DR/TUN entries use the input-only table.
 */
export function setConnState(cp: Conn, dir: 'input' | 'output', flags: TcpFlags | undefined, timeouts: ProtoTimeouts): void {
  if (cp.protocol === 'UDP') {
    cp.timeout = timeouts.udp;
    if (dir === 'output') assure(cp);
    return;
  }
  let table: 'input' | 'output' | 'input-only' = dir;
  if (cp.noOutput) {
    if (dir === 'output') cp.noOutput = false;
    else table = 'input-only';
  }
  const old = cp.state as TcpState;
  const next = tcpNextState(old, table, flags ?? {});
  if (next !== old) {
    const d = cp.dest;
    if (d) {
      if (!cp.inactive && !tcpStateActive(next)) {
        d.activeConns--;
        d.inactConns++;
        cp.inactive = true;
      } else if (cp.inactive && tcpStateActive(next)) {
        d.activeConns++;
        d.inactConns--;
        cp.inactive = false;
      }
    }
    if (next === 'ESTABLISHED') assure(cp);
  }
  cp.state = next;
  cp.timeout = timeouts.tcp[next];
}

/** A template whose controlled connection got established (ip_vs_control_assure_ct). */
function assure(cp: Conn): void {
  const ct = cp.control;
  if (ct && ct.template) ct.state = 'ASSURED';
}
