import type { Ipv4 } from '../../net/addr';
import type { Micros } from '../../sim/time';
import { EPHEMERAL_HIGH, EPHEMERAL_LOW } from './params';
import { sendSyn } from './output';
import { TcpSocket, type TcpError, type TcpHandler } from './socket';
import type { TcpStack } from './stack';

export interface ConnectOptions {
  readonly dst: Ipv4;
  readonly dport: number;
  /** bind() before connect(); default: the source address of the route. */
  readonly src?: Ipv4;
  /**
   * The application's own limit on the handshake (curl --connect-timeout, nginx proxy_connect_timeout):
   * when it passes first, the connect fails with ETIMEDOUT and the socket goes away without a segment.
   */
  readonly timeout?: Micros;
}

const RANGE = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
const HALF = Math.ceil(RANGE / 2);

/**
 * Active open: route and source address, an ephemeral port, the ISN, the SYN. Failures known at once
 * (no route, no port left) come through `onError` a moment later, as a non-blocking connect() reports them.
 */
export function connect(stack: TcpStack, opts: ConnectOptions, handler: TcpHandler): TcpSocket {
  const path = stack.routeTo(opts.dst);
  let error: TcpError | undefined;
  const src = opts.src ?? path?.src ?? 0;
  if (path === undefined) error = 'ENETUNREACH';
  else if (src === 0 || !stack.canBind(src)) error = 'EADDRNOTAVAIL';
  const port = error === undefined ? ephemeralPort(stack, src, opts.dst, opts.dport) : 0;
  if (error === undefined && port === 0) error = 'EADDRNOTAVAIL';
  const s = new TcpSocket(stack, src, port, opts.dst, opts.dport, 'SYN_SENT', stack.mssFor(path?.dev));
  s.handler = handler;
  if (error !== undefined) {
    stack.failSoon(s, error);
    return s;
  }
  s.dev = path!.dev;
  s.nextHop = path!.nextHop;
  s.iss = stack.isn();
  s.sndUna = s.iss;
  s.sendError = s; // the socket hears its own send errors
  stack.connections.add(s);
  s.rttTime = stack.env.sim.now;
  sendSyn(s);
  if (opts.timeout !== undefined) stack.armConnectTimeout(s, opts.timeout);
  return s;
}

/**
 * inet_hash_connect: ports in a cycle, even ones first (Linux leaves odd ones to bind()) then odd ones,
 * from where the last search stopped (Linux's per-bucket perturbation makes the same sweep), taking the first
 * whose 4-tuple is free (a connection in TIME_WAIT keeps its tuple) and that no listener holds. Since
 * TIME_WAIT frees ports in the order they were taken, the next one is almost always free. 0 when none is
 * left: connect() fails with EADDRNOTAVAIL, as on a client that opens connections to one server faster
 * than TIME_WAIT lets them go (about 470 per second).
 */
function ephemeralPort(stack: TcpStack, src: Ipv4, dst: Ipv4, dport: number): number {
  // The last search for this destination found nothing and no connection has gone since: nor would this one.
  const f = stack.exhausted;
  if (f !== undefined && f.src === src && f.dst === dst && f.dport === dport && f.removals === stack.connections.removals) return 0;
  for (let i = 0; i < RANGE; i++) {
    const idx = (stack.portHint + i) % RANGE;
    const port = idx < HALF ? EPHEMERAL_LOW + 2 * idx : EPHEMERAL_LOW + 2 * (idx - HALF) + 1;
    const table = stack.connections;
    if (stack.listeners.hasPort(port) || (table.mayUsePort(port) && table.has(src, port, dst, dport))) continue;
    stack.portHint = (idx + 1) % RANGE;
    return port;
  }
  stack.exhausted = { src, dst, dport, removals: stack.connections.removals };
  return 0;
}
