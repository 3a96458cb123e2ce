import type { Ipv4 } from '../../net/addr';
import { IPPROTO_ICMP, IPPROTO_TCP, type Ipv4Packet, type TcpSegment } from '../../net/packets';
import type { Rng } from '../../sim/rng';
import type { Simulator, Timer } from '../../sim/simulator';
import type { Micros } from '../../sim/time';
import type { AddressTable } from '../addresses';
import type { IpStack, SendError } from '../ip';
import type { Nic } from '../nic';
import type { RouteTable } from '../routes';
import { connect, type ConnectOptions } from './connect';
import { tcpIcmpError } from './icmp-errors';
import { tcpInput } from './input';
import { ListenerTable, type AcceptFn, type BindError, type TcpListener } from './listen';
import { consume, output, sendActiveReset, sendSyn } from './output';
import { EPHEMERAL_HIGH, EPHEMERAL_LOW, TCP_FIN_TIMEOUT, TCP_MSS_ETHERNET, TCP_MSS_LOOPBACK, TCP_MSS_DEFAULT, TCP_TIMEWAIT_LEN } from './params';
import { seqAdd, seqDiff } from './seq';
import { ExpiryQueue } from './expiry';
import { ConnectionTable, type TcpConnection } from './table';
import { TcpSocket, type TcpError, type TcpHandler } from './socket';
import { TimeWaitSocket } from './time-wait';
import { armRetransmit, cancelRetransmit, currentRto, gaveUp } from './timers';

/** What the TCP layer needs of its host. */
export interface TcpEnvironment {
  readonly name: string;
  readonly sim: Simulator;
  readonly ip: IpStack;
  readonly addresses: AddressTable;
  readonly routes: RouteTable;
  readonly sysctl: ReadonlyMap<string, string>;
  readonly clock: { toTrue(hostDelay: Micros): Micros };
  readonly powered: boolean;
  nic(name: string): Nic | undefined;
}

/** The way to a peer: interface, next hop (whose ARP entry TCP confirms) and our source address. */
export interface Path {
  readonly dev: Nic;
  readonly nextHop: Ipv4;
  readonly src: Ipv4 | undefined;
}

/** routeTo's answer: one per stack, filled in by each call (a connect or passive open allocates no path). */
class RouteAnswer implements Path {
  dev!: Nic;
  nextHop: Ipv4 = 0;
  src: Ipv4 | undefined = undefined;
}

const encoder = new TextEncoder();

/**
 * A host's TCP: listening sockets, the connection table, and the socket calls. It sits on the IP stack's
 * local delivery, after the LOCAL_IN hooks (IPVS takes its packets before TCP sees them). Segment
 * handling is in ./input, sending in ./output, timers in ./timers, the active open in ./connect.
 */
export class TcpStack {
  readonly connections = new ConnectionTable(this);
  readonly listeners = new ListenerTable();
  readonly ip: IpStack;
  private readonly rng: Rng;
  /** Fires at the end of the earliest TIME_WAIT (one timer for them all, see ./time-wait). */
  private timeWaitTimer: Timer | undefined;
  private readonly finWait2: ExpiryQueue<TcpSocket>;
  /** Where the next ephemeral port search starts, in the even-then-odd cycle of ./connect. */
  portHint: number;
  /** The destination of the last port search that found every port taken (./connect). */
  exhausted: { src: Ipv4; dst: Ipv4; dport: number; removals: number } | undefined;
  private readonly path = new RouteAnswer();

  constructor(readonly env: TcpEnvironment) {
    this.ip = env.ip;
    this.finWait2 = new ExpiryQueue(env.sim, (s) => s.state === 'FIN_WAIT2' && s.orphan, (s) => this.forget(s));
    this.rng = env.sim.rng.stream(`tcp:${env.name}`);
    this.portHint = this.rng.int((EPHEMERAL_HIGH - EPHEMERAL_LOW + 1) / 2);
    env.ip.register(IPPROTO_TCP, (pkt) => {
      // TCP is unicast only: a segment sent to a broadcast or group address is not for any socket.
      if (env.addresses.isLocal(pkt.dst)) tcpInput(this, pkt);
    });
    env.ip.register(IPPROTO_ICMP, (pkt) => tcpIcmpError(this, pkt));
  }

  // ---- the socket API ----

  /**
   * listen() on an address (0: every address of the host, now and later) and port. A specific address must
   * be local unless net.ipv4.ip_nonlocal_bind = 1 (a VIP that the host does not hold yet).
   */
  listen(address: Ipv4, port: number, accept: AcceptFn): TcpListener | BindError {
    if (address !== 0 && !this.canBind(address)) return 'EADDRNOTAVAIL';
    return this.listeners.add(address, port, accept);
  }

  /** connect(): the socket at once, in SYN_SENT; the outcome through the handler. */
  connect(opts: ConnectOptions, handler: TcpHandler): TcpSocket {
    return connect(this, opts, handler);
  }

  write(s: TcpSocket, data: Uint8Array | string): void {
    const st = s.state;
    if (s.finQueued || (st !== 'SYN_SENT' && st !== 'ESTABLISHED' && st !== 'CLOSE_WAIT')) return;
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    if (bytes.length === 0) return;
    if (s.chunks.length === 0) s.chunks = [bytes];
    else s.chunks.push(bytes);
    s.queued += bytes.length;
    if (st !== 'SYN_SENT') this.scheduleFlush(s);
  }

  end(s: TcpSocket): void {
    if (s.finQueued) return;
    switch (s.state) {
      case 'SYN_SENT':
        s.finQueued = true; // sent once connected
        return;
      case 'ESTABLISHED':
        s.state = 'FIN_WAIT1';
        break;
      case 'CLOSE_WAIT':
        s.state = 'LAST_ACK';
        break;
      default:
        return;
    }
    s.finQueued = true;
    this.scheduleFlush(s);
  }

  close(s: TcpSocket): void {
    if (s.orphan) return;
    s.orphan = true;
    s.handler = undefined;
    if (s.state === 'SYN_SENT') return this.forget(s);
    this.end(s);
    if (s.state === 'FIN_WAIT2') this.armFinTimeout(s);
  }

  destroy(s: TcpSocket): void {
    const st = s.state;
    s.handler = undefined;
    if (st === 'CLOSED' || st === 'TIME_WAIT') return;
    if (st !== 'SYN_SENT') sendActiveReset(s);
    this.forget(s);
  }

  // ---- used by input, output, timers ----

  /** A SYN for a listener: a connection in SYN_RECV and the SYN-ACK. */
  passiveOpen(l: TcpListener, pkt: Ipv4Packet, seg: TcpSegment): void {
    const path = this.routeTo(pkt.src);
    // tcp_conn_request routes the SYN-ACK first: no route, no request socket; the SYN is dropped and only
    // the client's retransmissions try again.
    if (path === undefined) return this.ip.noRoute(pkt.dst, pkt.src, 'tcp');
    const s = new TcpSocket(this, pkt.dst, seg.dstPort, pkt.src, seg.srcPort, 'SYN_RECV', this.mssFor(path.dev));
    s.listener = l;
    s.dev = path.dev;
    s.nextHop = path.nextHop;
    s.rcvNxt = seqAdd(seg.seq, 1);
    s.sndWnd = seg.window;
    s.sndMss = Math.min(s.advMss, seg.mss ?? TCP_MSS_DEFAULT);
    s.iss = this.isn();
    s.sndUna = s.iss;
    s.rttTime = this.env.sim.now;
    this.connections.add(s);
    sendSyn(s);
  }

  retransmitTimeout(s: TcpSocket): void {
    const now = this.env.sim.now;
    if (!this.env.powered) return this.powerLoss();
    if (gaveUp(s, now)) {
      if (s.state === 'SYN_RECV') return this.forget(s);
      return this.fail(s, s.softError ?? 'ETIMEDOUT');
    }
    if (s.retransStamp < 0) s.retransStamp = now - this.trueDelay(currentRto(s));
    s.retransmits++;
    s.rttTimed = false;
    if (s.state === 'SYN_SENT' || s.state === 'SYN_RECV') return sendSyn(s);
    // Go back to the oldest unacknowledged byte; its acknowledgment lets the rest follow.
    s.sndNxt = s.sndUna;
    output(s, 1);
    armRetransmit(s);
  }

  /** A segment could not leave (no route, ARP failed). Fatal while connecting, remembered afterwards. */
  sendFailed(s: TcpSocket, e: SendError): void {
    if (s.state === 'CLOSED' || s.state === 'TIME_WAIT' || s.state === 'SYN_RECV') return;
    if (s.state === 'SYN_SENT') this.fail(s, e);
    else s.softError = e;
  }

  /** The connection ends in error: the application hears it (unless it closed the socket already). */
  fail(s: TcpSocket, err: TcpError): void {
    const h = s.orphan ? undefined : s.handler;
    this.forget(s);
    h?.onError?.(s, err);
  }

  /** Reports an error found while starting a connection, after the call that started it returned. */
  failSoon(s: TcpSocket, err: TcpError): void {
    s.state = 'CLOSED';
    s.softError = err;
    this.env.sim.schedule(0, reportFailure, s);
  }

  /** An RST to the peer and the connection is gone; nobody is told (the application closed it). */
  abort(s: TcpSocket): void {
    sendActiveReset(s);
    this.forget(s);
  }

  /** Both sides closed (LAST_ACK acknowledged). */
  closed(s: TcpSocket): void {
    const h = s.orphan ? undefined : s.handler;
    this.forget(s);
    h?.onClose?.(s);
  }

  /**
   * The connection waits out 2MSL: in the table its socket gives way to a TIME_WAIT record, and the
   * application hears the close (the socket it holds stays in TIME_WAIT, with nothing more to do).
   */
  enterTimeWait(s: TcpSocket): void {
    const h = s.orphan ? undefined : s.handler;
    s.state = 'TIME_WAIT';
    cancelRetransmit(s);
    this.clearStateTimer(s);
    this.finWait2.remove(s);
    this.connections.enterTimeWait(s, this.env.sim.now + this.trueDelay(TCP_TIMEWAIT_LEN));
    this.armTimeWait();
    consume(s, s.queued);
    s.handler = undefined;
    s.sendError = undefined;
    s.listener = undefined;
    h?.onClose?.(s);
  }

  /** The full 2MSL again, from now: the peer retransmitted its FIN. */
  restartTimeWait(tw: TimeWaitSocket): void {
    this.connections.timeWait.restart(tw.slot, this.env.sim.now + this.trueDelay(TCP_TIMEWAIT_LEN));
    this.armTimeWait();
  }

  /** The timer for the earliest end of a TIME_WAIT, when there is none (it re-arms itself while any waits). */
  private armTimeWait(): void {
    if (this.timeWaitTimer !== undefined) return;
    const next = this.connections.timeWait.nextExpiry();
    if (next !== undefined) this.timeWaitTimer = this.env.sim.at(next, onTimeWaitTimer, this);
  }

  /** @internal the timer of ./time-wait's waits */
  timeWaitEnded(): void {
    this.timeWaitTimer = undefined;
    this.connections.expireTimeWait(this.env.sim.now);
    this.armTimeWait();
  }

  /** Out of the table, timers stopped, CLOSED. */
  forget(s: TcpConnection): void {
    if (s instanceof TimeWaitSocket) return this.connections.remove(s);
    if (s.state !== 'CLOSED') this.connections.remove(s);
    s.state = 'CLOSED';
    this.finWait2.remove(s);
    cancelRetransmit(s);
    this.clearStateTimer(s);
    s.handler = undefined;
    consume(s, s.queued);
  }

  /** A closed socket in FIN_WAIT2 waits tcp_fin_timeout for the peer's FIN, then goes. */
  armFinTimeout(s: TcpSocket): void {
    this.finWait2.add(s, this.trueDelay(TCP_FIN_TIMEOUT));
  }

  armConnectTimeout(s: TcpSocket, timeout: Micros): void {
    this.clearStateTimer(s);
    s.stateTimer = this.env.sim.schedule(timeout, onConnectTimeout, s);
  }

  clearStateTimer(s: TcpSocket): void {
    if (s.stateTimer !== undefined) this.env.sim.cancel(s.stateTimer);
    s.stateTimer = undefined;
  }

  /** Sends what is owed at the end of this instant, so that writes and ACKs of one instant share segments. */
  scheduleFlush(s: TcpSocket): void {
    if (s.flushScheduled) return;
    const unsent = s.queued - seqDiff(s.sndNxt, s.sndUna);
    if (!s.ackPending && unsent <= 0 && !(s.finQueued && s.sndNxt === seqAdd(s.sndUna, s.queued))) return;
    s.flushScheduled = true;
    const sim = this.env.sim;
    sim.post(sim.now, flush, s);
  }

  /** Forward progress proves the next hop reachable, as Linux's dst_confirm does. */
  confirmNeighbour(s: TcpSocket): void {
    const dev = s.dev;
    if (dev !== undefined && !dev.isLoopback) dev.neighbours.confirm(s.nextHop);
  }

  /** The way to `dst`; the answer is the stack's one Path, valid until the next call (read it at once). */
  routeTo(dst: Ipv4): Path | undefined {
    const env = this.env;
    const path = this.path;
    if (env.addresses.isLocal(dst)) {
      const lo = env.nic('lo');
      if (lo === undefined) return undefined;
      path.dev = lo;
      path.nextHop = dst;
      path.src = dst;
      return path;
    }
    const route = env.routes.lookup(dst);
    const dev = route && env.nic(route.dev);
    if (!route || !dev || !dev.running) return undefined;
    path.dev = dev;
    path.nextHop = route.via ?? dst;
    path.src = route.src ?? env.addresses.sourceFor(dev.name, dst);
    return path;
  }

  mssFor(dev: Nic | undefined): number {
    return dev?.isLoopback ? TCP_MSS_LOOPBACK : TCP_MSS_ETHERNET;
  }

  canBind(address: Ipv4): boolean {
    return this.env.addresses.isLocal(address) || this.env.sysctl.get('net.ipv4.ip_nonlocal_bind') === '1';
  }

  /** An initial sequence number from the host's own random stream (signed, as ./seq keeps them). */
  isn(): number {
    return this.rng.int(0x1_0000_0000) | 0;
  }

  /** A delay on the host's monotonic clock (its drift applies), as true simulated time. */
  trueDelay(d: Micros): Micros {
    return this.env.clock.toTrue(d);
  }

  /** Power loss: every connection and listener vanishes without a segment, as the kernel's memory does. */
  powerLoss(): void {
    for (const s of this.connections.all()) {
      if (s instanceof TimeWaitSocket) continue;
      s.state = 'CLOSED';
      cancelRetransmit(s);
      this.clearStateTimer(s);
      s.handler = undefined;
    }
    this.connections.clear();
    this.listeners.clear();
    if (this.timeWaitTimer !== undefined) this.env.sim.cancel(this.timeWaitTimer);
    this.timeWaitTimer = undefined;
    this.finWait2.clear();
  }

  /** `ss -tan`-like lines, for tests and snapshots. */
  describe(): string[] {
    return [
      ...this.listeners.all().map((l) => `LISTEN ${l}`),
      ...this.connections.all().map((s) => `${s}`),
    ];
  }
}

function flush(s: TcpSocket): void {
  s.flushScheduled = false;
  if (s.state !== 'CLOSED') output(s);
}

function reportFailure(s: TcpSocket): void {
  const h = s.handler;
  s.handler = undefined;
  if (!s.orphan) h?.onError?.(s, s.softError!);
}

function onTimeWaitTimer(stack: TcpStack): void {
  stack.timeWaitEnded();
}

function onConnectTimeout(s: TcpSocket): void {
  s.stateTimer = undefined;
  if (s.state === 'SYN_SENT') s.stack.fail(s, 'ETIMEDOUT');
}
