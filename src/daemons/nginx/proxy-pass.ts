import { parseIpv4 } from '../../net/addr';
import type { TcpError, TcpHandler, TcpSocket } from '../../host/tcp/socket';
import type { Timer } from '../../sim/simulator';
import type { Exchange } from './exchange';
import type { RequestOutcome } from './handle-request';
import { respondWithError } from './handle-request';
import { UpstreamResponseReader } from './http-parse';
import {
  countsAsPeerFailure,
  nextUpstream,
  noteFailedAttempt,
  noteNoLiveUpstreams,
  notePeerDisabled,
  proxiedResponse,
  responseFailure,
  type AttemptError,
  type UpstreamFailure,
  type UpstreamRequest,
} from './proxy';
import type { Peer, UpstreamAttempt, UpstreamPeers } from './upstream-round-robin';
import type { NginxWorker } from './worker';

/** Where a proxied request's end goes: the client connection that asked. */
export interface ProxyOwner {
  /** The request is finished one way or another (a response, an error page, or another outcome). */
  proxyDone(outcome: RequestOutcome): void;
  /** Error log entries added while proxying are written at once, with the time they happened. */
  flushErrors(ex: Exchange): void;
}

function connectError(err: TcpError): AttemptError {
  switch (err) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ETIMEDOUT':
      return 'connect-timeout';
    case 'ECONNRESET':
      return 'reset';
    default:
      return 'unreachable';
  }
}

/** A peer's address as a number and as nginx names it in logs and $upstream_addr: `ip:port`, the port always written. */
interface PeerAddress {
  readonly ip: number;
  readonly name: string;
}

const peerAddresses = new WeakMap<Peer, PeerAddress>();
function peerAddress(peer: Peer): PeerAddress {
  let a = peerAddresses.get(peer);
  if (a === undefined) {
    a = { ip: parseIpv4(peer.conf.addr) ?? 0, name: `${peer.conf.addr}:${peer.conf.port}` };
    peerAddresses.set(peer, a);
  }
  return a;
}

/**
 * One proxy_pass request (ngx_http_upstream): pick a peer by round robin, connect with
 * proxy_connect_timeout, send the request, wait proxy_read_timeout for the answer; on a failure report it
 * to the peers and go to the next one as proxy_next_upstream allows, else answer 502/504 (or the error_page).
 * The object is the upstream socket's handler, one per request.
 */
export class ProxyRequest implements TcpHandler {
  private readonly attempt: UpstreamAttempt;
  private readonly upstreamName: string;
  private attempts = 0;
  private peer: Peer | undefined;
  private address: PeerAddress | undefined;
  private sock: TcpSocket | undefined;
  private reader!: UpstreamResponseReader;
  private timer: Timer | undefined;
  private sent = false;
  private over = false;

  constructor(
    private readonly worker: NginxWorker,
    private readonly owner: ProxyOwner,
    /** The request being proxied. */
    readonly ex: Exchange,
    peers: UpstreamPeers,
    private readonly request: UpstreamRequest,
  ) {
    this.attempt = peers.begin();
    this.upstreamName = peers.conf.name;
  }

  start(): void {
    this.next();
  }

  /** The client went away or the worker stops: the upstream connection is closed, nothing is answered. */
  abort(): void {
    if (this.over) return;
    this.over = true;
    this.stopTimer();
    this.sock?.close();
  }

  private next(): void {
    const w = this.worker;
    const peer = this.attempt.select(w.host.sim.now);
    if (!peer) {
      noteNoLiveUpstreams(this.ex, this.upstreamName);
      this.finish(respondWithError(this.ex, 502, w.fs, w.clock()));
      return;
    }
    this.peer = peer;
    const address = (this.address = peerAddress(peer));
    this.attempts++;
    this.sent = false;
    this.reader = new UpstreamResponseReader();
    w.nextConnection();
    this.sock = w.host.tcp.connect(
      { dst: address.ip, dport: peer.conf.port, timeout: w.host.clock.toTrue(this.ex.settings.proxyConnectTimeout) },
      this,
    );
  }

  onConnect(sock: TcpSocket): void {
    if (this.worker.stopped) return this.worker.later(() => this.onConnect(sock));
    if (this.over) return;
    sock.write(this.request.bytes());
    this.sent = true;
    const host = this.worker.host;
    this.timer = host.sim.schedule(host.clock.toTrue(this.ex.settings.proxyReadTimeout), readTimeout, this);
  }

  onData(sock: TcpSocket, data: Uint8Array): void {
    if (this.worker.stopped) {
      const copy = data.slice();
      return this.worker.later(() => this.onData(sock, copy));
    }
    if (this.over) return;
    const r = this.reader;
    const complete = r.feed(data);
    if (r.invalid) {
      sock.close();
      this.failed('invalid_header');
    } else if (complete) {
      sock.close();
      this.answered();
    }
  }

  onEnd(sock: TcpSocket): void {
    if (this.worker.stopped) return this.worker.later(() => this.onEnd(sock));
    if (this.over) return;
    sock.close();
    if (this.reader.headDone) this.answered();
    else this.failed('closed');
  }

  onError(sock: TcpSocket, err: TcpError): void {
    if (this.worker.stopped) return this.worker.later(() => this.onError(sock, err));
    if (this.over) return;
    this.failed(this.sent ? (err === 'ETIMEDOUT' ? 'read-timeout' : 'reset') : connectError(err));
  }

  /** @internal proxy_read_timeout passed */
  readTimeout(): void {
    this.timer = undefined;
    if (this.worker.stopped) return this.worker.later(() => this.readTimeout());
    if (this.over) return;
    this.sock?.close();
    this.failed('read-timeout');
  }

  private stopTimer(): void {
    if (this.timer !== undefined) this.worker.host.sim.cancel(this.timer);
    this.timer = undefined;
  }

  private answered(): void {
    this.stopTimer();
    const r = this.reader;
    const peer = this.peer!;
    const listed = responseFailure(this.ex.settings, r.status);
    if (listed !== undefined) return this.failed(listed);
    this.attempt.reportSuccess(peer);
    const w = this.worker;
    const response = proxiedResponse(this.ex, this.address!.name, { status: r.status, headers: r.headers, body: r.body }, w.clock());
    this.finish({ kind: 'response', response, exchange: this.ex });
  }

  private failed(what: AttemptError | UpstreamFailure): void {
    this.stopTimer();
    const ex = this.ex;
    const peer = this.peer!;
    const w = this.worker;
    const name = this.address!.name;
    const failure = noteFailedAttempt(ex, name, what);
    if (!countsAsPeerFailure(failure)) this.attempt.reportNext();
    else if (this.attempt.reportFailure(peer, w.host.sim.now)) notePeerDisabled(ex, name);
    this.owner.flushErrors(ex);
    const decision = nextUpstream(ex, failure, this.attempt.tries, this.attempts, this.sent);
    if (decision.next) this.next();
    else this.finish(respondWithError(ex, decision.status, w.fs, w.clock()));
  }

  private finish(outcome: RequestOutcome): void {
    this.over = true;
    this.owner.proxyDone(outcome);
  }
}

/** A module function rather than a closure per request. */
function readTimeout(r: ProxyRequest): void {
  r.readTimeout();
}
