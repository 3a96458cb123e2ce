import type { TcpError, TcpHandler, TcpSocket } from '../../host/tcp/socket';
import type { Timer } from '../../sim/simulator';
import { errorLogPrefix } from './error-log';
import type { Exchange, HttpRequest } from './exchange';
import { handleRequest, type RequestOutcome } from './handle-request';
import { RequestReader } from './http-parse';
import { ProxyRequest } from './proxy-pass';
import { responseBytes, type HttpResponse } from './response';
import { logsAt, type NginxWorker } from './worker';

/** What `return 444` leaves in the access log: status 444, nothing sent. */
const CLOSED_RESPONSE: HttpResponse = { status: 444, statusLine: '', headers: [], body: '', keepAlive: false };
/** A client that closed while its request was proxied: nginx logs 499 and sends nothing. */
const CLIENT_CLOSED: HttpResponse = { status: 499, statusLine: '', headers: [], body: '', keepAlive: false };

/**
 * One accepted client connection in a worker (ngx_http_request's connection side): read a request, run it
 * through the core (handleRequest), send the response or proxy it, log it, then keep the connection for
 * keepalive_timeout or close it.
 */
export class ClientConnection implements TcpHandler {
  private readonly reader = new RequestReader();
  private readonly remoteAddr: string;
  private readonly serverAddr: string;
  /** A request is being served (proxied requests take simulated time). */
  private busy = false;
  private proxy: ProxyRequest | undefined;
  private keepalive: Timer | undefined;
  private closed = false;
  /** The client's FIN arrived. */
  private ended = false;
  /** Error log entries of the current exchange already written. */
  private errorsWritten = 0;
  /** Requests read on this connection (c->requests), and when it was accepted (c->start_time). */
  private requests = 0;
  private readonly startMs: number;
  /** The worker's neighbours of this connection in its list of open connections. */
  older: ClientConnection | undefined;
  newer: ClientConnection | undefined;

  constructor(
    private readonly worker: NginxWorker,
    private readonly sock: TcpSocket,
    private readonly number: number,
  ) {
    this.remoteAddr = worker.addressText(sock.remoteIp);
    this.serverAddr = worker.addressText(sock.localIp);
    this.startMs = worker.clock().nowMs;
  }

  onData(sock: TcpSocket, data: Uint8Array): void {
    const w = this.worker;
    if (w.stopped) {
      const copy = data.slice();
      return w.later(() => this.onData(sock, copy));
    }
    this.reader.push(data);
    if (!this.busy) this.serveNext();
  }

  onEnd(): void {
    if (this.worker.stopped) return this.worker.later(() => this.onEnd());
    this.ended = true;
    if (this.proxy) {
      // nginx notices the close while waiting for the upstream (proxy_ignore_client_abort off): 499
      const request = this.proxy;
      this.proxy = undefined;
      request.abort();
      this.log(request.ex, CLIENT_CLOSED);
      this.close();
    } else if (!this.busy) this.close();
  }

  onClose(): void {
    if (this.worker.stopped) return this.worker.later(() => this.gone());
    this.gone();
  }

  onError(_sock: TcpSocket, _err: TcpError): void {
    if (this.worker.stopped) return this.worker.later(() => this.gone());
    this.gone();
  }

  /** Graceful shutdown: a connection waiting for its next request is closed. */
  closeIfIdle(): void {
    if (!this.busy) this.close();
  }

  /** The worker is gone: the kernel closes the socket. */
  drop(): void {
    if (this.closed) return;
    this.proxy?.abort();
    this.stopKeepalive();
    this.closed = true;
    this.sock.close();
  }

  private serveNext(): void {
    const next = this.reader.next();
    if (!next) return;
    this.stopKeepalive();
    this.busy = true;
    const w = this.worker;
    const sock = this.sock;
    const request: HttpRequest = {
      method: next.method,
      path: next.target,
      version: next.version,
      line: next.line,
      headers: next.headers,
      // one shape for every request (a conditional spread costs a copy per request)
      body: next.bodyLength > 0 ? next.body : undefined,
      remoteAddr: this.remoteAddr,
      remotePort: sock.remotePort,
      serverAddr: this.serverAddr,
      serverPort: sock.localPort,
      connectionRequests: ++this.requests,
      connectionStartMs: this.startMs,
    };
    this.errorsWritten = 0;
    this.dispatch(handleRequest(w.conf, request, w.fs, w.clock()));
  }

  private dispatch(outcome: RequestOutcome): void {
    switch (outcome.kind) {
      case 'response':
        this.respond(outcome.exchange, outcome.response);
        return;
      case 'close':
        this.log(outcome.exchange, CLOSED_RESPONSE);
        this.close();
        return;
      case 'proxy': {
        const w = this.worker;
        const request = new ProxyRequest(w, this, outcome.exchange, w.upstream(outcome.upstream), outcome.request);
        this.proxy = request;
        request.start();
        return;
      }
    }
  }

  proxyDone(outcome: RequestOutcome): void {
    this.proxy = undefined;
    this.dispatch(outcome);
  }

  /** Writes the error log entries the exchange gained since the last call, those error_log's level lets through. */
  flushErrors(ex: Exchange): void {
    const errors = ex.errors;
    if (this.errorsWritten === errors.length) return;
    const w = this.worker;
    const clock = w.clock();
    for (let i = this.errorsWritten; i < errors.length; i++) {
      const e = errors[i]!;
      if (!logsAt(w.conf, e.level)) continue;
      w.ctx.log('error', w.conf.errorLog, errorLogPrefix(clock.nowMs, clock.tzOffsetMinutes, e.level, w.proc.pid, this.number) + e.text);
    }
    this.errorsWritten = errors.length;
  }

  private log(ex: Exchange, response: HttpResponse): void {
    this.flushErrors(ex);
    const w = this.worker;
    const targets = ex.settings.accessLogs;
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i]!;
      w.ctx.accessLog(target, ex, response, w.clock());
    }
  }

  private respond(ex: Exchange, response: HttpResponse): void {
    if (this.closed) return;
    const w = this.worker;
    this.sock.write(responseBytes(response));
    this.log(ex, response);
    this.busy = false;
    if (!response.keepAlive || w.quitting || this.ended) {
      this.close();
      return;
    }
    const host = w.host;
    this.keepalive = host.sim.schedule(host.clock.toTrue(ex.settings.keepaliveTimeout), idleTimeout, this);
    this.serveNext();
  }

  /** @internal keepalive_timeout passed */
  idleTimeout(): void {
    this.keepalive = undefined;
    if (this.worker.stopped) return this.worker.later(() => this.idleTimeout());
    this.close();
  }

  private stopKeepalive(): void {
    if (this.keepalive !== undefined) this.worker.host.sim.cancel(this.keepalive);
    this.keepalive = undefined;
  }

  private close(): void {
    if (this.closed) return;
    this.stopKeepalive();
    this.closed = true;
    this.sock.close();
    this.worker.connectionDone(this);
  }

  private gone(): void {
    if (this.closed) return;
    this.proxy?.abort();
    this.proxy = undefined;
    this.stopKeepalive();
    this.closed = true;
    this.worker.connectionDone(this);
  }
}

/** A module function rather than a closure per response. */
function idleTimeout(c: ClientConnection): void {
  c.idleTimeout();
}
