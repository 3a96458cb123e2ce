import type { Ipv4 } from '../../net/addr';
import type { Host } from '../../host/host';
import type { TcpError, TcpHandler, TcpSocket } from '../../host/tcp/socket';
import type { Timer } from '../../sim/simulator';
import type { Micros } from '../../sim/time';
import { HttpResponseParser } from './http-response';

/** How an exchange ended without a complete response. */
export type HttpFailure =
  /** The connection could not be made (errno from connect). */
  | { readonly stage: 'connect'; readonly errno: TcpError }
  /** The application's own time limit passed, while connecting or after. */
  | { readonly stage: 'timeout'; readonly connected: boolean }
  /** The connection broke while waiting for the response. */
  | { readonly stage: 'recv'; readonly errno: TcpError }
  /** The server closed before a complete response: nothing at all, or part of it. */
  | { readonly stage: 'closed'; readonly empty: boolean };

export interface HttpExchangeOptions {
  readonly address: Ipv4;
  readonly port: number;
  /** The request's bytes (kept, not copied: a load shares one array between its requests). */
  readonly request: Uint8Array | string;
  /** A HEAD request: the response has no body. */
  readonly head?: boolean;
  /** curl --connect-timeout. */
  readonly connectTimeout?: Micros;
  /** curl -m: the whole exchange. */
  readonly maxTime?: Micros;
  /** Keep the body's bytes (curl prints them; a load generator only counts them). */
  readonly keepBody?: boolean;
}

/** What the owner of an exchange hears once, at its end. */
export interface HttpExchangeListener {
  httpDone(x: HttpExchange): void;
}

/**
 * One request on one new connection, the way curl (or ab without keep-alive) does it: connect, send the
 * request, read the response, close. One object per request, no closures: it is the socket's handler.
 */
export class HttpExchange implements TcpHandler {
  readonly started: Micros;
  connectedAt: Micros | undefined;
  finished: Micros | undefined;
  readonly response: HttpResponseParser;
  failure: HttpFailure | undefined;
  readonly socket: TcpSocket;
  private timer: Timer | undefined;

  constructor(
    readonly host: Host,
    readonly opts: HttpExchangeOptions,
    private readonly listener: HttpExchangeListener,
  ) {
    this.started = host.sim.now;
    this.response = new HttpResponseParser(opts.keepBody ?? false, opts.head ?? false);
    const limit = opts.maxTime !== undefined && opts.connectTimeout !== undefined
      ? Math.min(opts.maxTime, opts.connectTimeout)
      : (opts.maxTime ?? opts.connectTimeout);
    this.socket = host.tcp.connect({ dst: opts.address, dport: opts.port }, this);
    if (limit !== undefined) this.timer = host.sim.schedule(limit, onTimeout, this);
  }

  get done(): boolean {
    return this.finished !== undefined;
  }

  onConnect(sock: TcpSocket): void {
    this.connectedAt = this.host.sim.now;
    sock.write(this.opts.request);
    if (this.opts.connectTimeout !== undefined) {
      this.host.sim.cancel(this.timer);
      this.timer = this.opts.maxTime !== undefined ? this.host.sim.at(this.started + this.opts.maxTime, onTimeout, this) : undefined;
    }
  }

  onData(sock: TcpSocket, data: Uint8Array): void {
    const r = this.response;
    r.feed(data);
    if (r.done) {
      sock.close();
      this.finish(undefined);
    } else if (r.malformed) {
      sock.close();
      this.finish({ stage: 'closed', empty: false });
    }
  }

  onEnd(sock: TcpSocket): void {
    const r = this.response;
    r.eof();
    sock.close();
    this.finish(r.done ? undefined : { stage: 'closed', empty: r.received === 0 });
  }

  onError(_sock: TcpSocket, err: TcpError): void {
    this.finish(this.connectedAt === undefined ? { stage: 'connect', errno: err } : { stage: 'recv', errno: err });
  }

  /** The time limit: curl closes the socket (no RST, no more callbacks). */
  timeout(): void {
    this.timer = undefined;
    if (this.done) return;
    this.socket.close();
    this.finish({ stage: 'timeout', connected: this.connectedAt !== undefined });
  }

  private finish(failure: HttpFailure | undefined): void {
    if (this.done) return;
    this.finished = this.host.sim.now;
    this.failure = failure;
    this.host.sim.cancel(this.timer);
    this.timer = undefined;
    this.listener.httpDone(this);
  }
}

function onTimeout(x: HttpExchange): void {
  x.timeout();
}
