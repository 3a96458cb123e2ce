import type { Host } from '../../host/host';
import type { TcpError } from '../../host/tcp/socket';
import type { Simulator } from '../../sim/simulator';
import type { Micros } from '../../sim/time';
import { HttpExchange, type HttpExchangeListener, type HttpFailure } from './http-exchange';
import { hostHeader, requestText } from './http-request';
import './trace-events';

/** The timeline's `load` action, as the scenario spec gives it (structurally: the scenario layer is above). */
export interface LoadAction {
  readonly kind: 'load';
  readonly from: Micros;
  readonly to: Micros;
  readonly host: string;
  readonly url: { readonly text: string; readonly address: { readonly text: string; readonly value: number }; readonly port: number; readonly path: string };
  readonly rate: { readonly count: number; readonly per: Micros };
  /** A request with no complete answer after this long counts as failed. */
  readonly timeout: Micros;
}

/** What the load needs of the world. */
export interface LoadWorld {
  readonly sim: Simulator;
  readonly hosts: ReadonlyMap<string, Host>;
}

/** The trace's words for how a request failed. */
export function failureWord(f: HttpFailure): string {
  switch (f.stage) {
    case 'timeout':
      return 'timeout';
    case 'closed':
      return f.empty ? 'empty' : 'closed';
    case 'connect':
    case 'recv':
      return errnoWord(f.errno);
  }
}

function errnoWord(e: TcpError): string {
  switch (e) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
      return 'reset';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'unreachable';
    case 'EADDRNOTAVAIL':
      return 'no-port';
  }
}

/**
 * An HTTP load from one host: `rate.count` requests every `rate.per`, evenly spaced, from `from` until
 * before `to`; each on a new connection (curl in a loop, ab without keep-alive), each recorded as an
 * `http.request` trace event when it ends (answered, failed, or timed out).
 */
export class HttpLoad implements HttpExchangeListener {
  private readonly request: Uint8Array;
  private sent = 0;
  /** Requests started and not yet ended. */
  inFlight = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly host: Host,
    private readonly action: LoadAction,
  ) {
    const url = action.url;
    this.request = new TextEncoder().encode(requestText({ method: 'GET', path: url.path, host: hostHeader(url.address.text, url.port) }));
  }

  start(): void {
    this.sim.at(Math.max(this.sim.now, this.action.from), tick, this);
  }

  /** Sends request number `sent` and schedules the next one. */
  fire(): void {
    const a = this.action;
    if (this.host.powered) {
      this.inFlight++;
      new HttpExchange(
        this.host,
        { address: a.url.address.value, port: a.url.port, request: this.request, maxTime: a.timeout },
        this,
      );
    }
    this.sent++;
    const next = a.from + Math.floor((this.sent * a.rate.per) / a.rate.count);
    if (next < a.to) this.sim.at(next, tick, this);
  }

  httpDone(x: HttpExchange): void {
    this.inFlight--;
    const trace = this.sim.trace;
    if (!trace.enabled) return;
    const r = x.response;
    trace.emit('http.request', {
      host: this.host.name,
      url: this.action.url.text,
      sent: x.started,
      ...(x.failure === undefined ? { status: r.status } : { error: failureWord(x.failure) }),
      headers: x.failure === undefined ? r.headerMap() : {},
      latency: x.finished! - x.started,
    });
  }
}

function tick(load: HttpLoad): void {
  load.fire();
}

/** Starts a load now (the timeline calls it at `from`). */
export function startLoad(world: LoadWorld, action: LoadAction): HttpLoad {
  const host = world.hosts.get(action.host);
  if (!host) throw new Error(`load: no host ${action.host}`);
  const load = new HttpLoad(world.sim, host, action);
  load.start();
  return load;
}

/** The runner's `handleExtra` for timeline actions of the daemons layer: true when it took the action. */
export function handleLoadAction(world: LoadWorld, action: { readonly kind: string }): boolean {
  if (action.kind !== 'load') return false;
  startLoad(world, action as LoadAction);
  return true;
}
