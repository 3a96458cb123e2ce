import { ICMP_DEST_UNREACH, type IcmpMessage, type Ipv4Packet } from '../../net/packets';
import { IPPROTO_TCP } from '../../net/packets';
import type { TcpError } from './socket';
import type { TcpStack } from './stack';
import { TimeWaitSocket } from './time-wait';

/** ICMP destination-unreachable codes and the errno Linux turns them into (icmp_err_convert). */
function errnoOf(code: number): TcpError | undefined {
  switch (code) {
    case 0: // net unreachable
    case 6: // destination network unknown
    case 9: // network administratively prohibited
    case 11: // network unreachable for TOS
      return 'ENETUNREACH';
    case 1: // host unreachable
    case 7: // destination host unknown
    case 10: // host administratively prohibited
    case 12: // host unreachable for TOS
    case 13: // communication administratively prohibited
      return 'EHOSTUNREACH';
    case 2: // protocol unreachable
    case 3: // port unreachable (IPVS with no real server sends it)
      return 'ECONNREFUSED';
    default:
      return undefined; // fragmentation needed and the rest: no socket error
  }
}

/**
 * tcp_v4_err: an ICMP destination-unreachable quoting one of our segments. While connecting it is fatal
 * (the connect fails at once: IPVS's port unreachable reads as "Connection refused"); on an established
 * connection it is only remembered, and reported if the connection later times out.
 */
export function tcpIcmpError(stack: TcpStack, pkt: Ipv4Packet): void {
  const msg = pkt.payload as IcmpMessage;
  if (msg.type !== ICMP_DEST_UNREACH) return;
  const err = errnoOf(msg.code);
  const q = msg.data;
  if (err === undefined || q.length < 20) return;
  const ihl = (q[0]! & 0x0f) * 4;
  if (q[9] !== IPPROTO_TCP || q.length < ihl + 8) return;
  const local = ((q[12]! << 24) | (q[13]! << 16) | (q[14]! << 8) | q[15]!) >>> 0;
  const remote = ((q[16]! << 24) | (q[17]! << 16) | (q[18]! << 8) | q[19]!) >>> 0;
  const localPort = (q[ihl]! << 8) | q[ihl + 1]!;
  const remotePort = (q[ihl + 2]! << 8) | q[ihl + 3]!;
  const seq = (q[ihl + 4]! << 24) | (q[ihl + 5]! << 16) | (q[ihl + 6]! << 8) | q[ihl + 7]!; // signed, as ./seq keeps them
  const s = stack.connections.find(local, localPort, remote, remotePort);
  // A connection in TIME_WAIT has nobody left to tell.
  if (s === undefined || s instanceof TimeWaitSocket) return;
  if (s.state === 'SYN_SENT') {
    // Only an error about our SYN counts (a forged or stale one quotes another sequence number).
    if (seq === s.iss) stack.fail(s, err);
  } else if (s.state !== 'SYN_RECV') s.softError = err;
}
