import type { Host } from '../../host/host';
import type { Simulator } from '../../sim/simulator';
import { failureWord } from './failure-word';
import { HttpExchange, type HttpExchangeListener, type HttpExchangeOptions } from './http-exchange';
import { KeepAliveLoad } from './keepalive-load';
import { AnsweredRequest, FailedRequest } from './request-record';
import { dueAt, requestBytes, type LoadAction } from './load-action';
import './trace-events';

export type { LoadAction } from './load-action';

/** What the load needs of the world. */
export interface LoadWorld {
  readonly sim: Simulator;
  readonly hosts: ReadonlyMap<string, Host>;
}

/**
 * An HTTP load from one host: `rate.count` requests every `rate.per`, evenly spaced, from `from` until
 * before `to`; each on a new connection (curl in a loop, ab without keep-alive), each recorded as an
 * `http.request` trace event when it ends (answered, failed, or timed out).
 */
export class HttpLoad implements HttpExchangeListener {
  /** Every request of the load is the same: its exchange options (request bytes included) are made once. */
  private readonly exchange: HttpExchangeOptions;
  private sent = 0;
  /** Requests started and not yet ended. */
  inFlight = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly host: Host,
    private readonly action: LoadAction,
  ) {
    this.exchange = { address: action.url.address.value, port: action.url.port, request: requestBytes(action), maxTime: action.timeout };
  }

  start(): void {
    this.sim.at(Math.max(this.sim.now, this.action.from), tick, this);
  }

  /** Sends request number `sent` and schedules the next one. */
  fire(): void {
    const a = this.action;
    if (this.host.powered) {
      this.inFlight++;
      new HttpExchange(this.host, this.exchange, this);
    }
    this.sent++;
    const next = dueAt(a, this.sent);
    if (next < a.to) this.sim.at(next, tick, this);
  }

  httpDone(x: HttpExchange): void {
    this.inFlight--;
    const trace = this.sim.trace;
    if (!trace.wants('http.request')) return;
    const t = this.sim.now;
    const host = this.host.name;
    const url = this.action.url.text;
    const sent = x.started;
    const latency = x.finished! - sent;
    // The record built whole, one class per outcome: no copies, and each outcome's shape stays the same.
    if (x.failure === undefined) trace.emitRecord(new AnsweredRequest(t, host, url, sent, x.response.status, x.response.headerMap(), latency));
    else trace.emitRecord(new FailedRequest(t, host, url, sent, failureWord(x.failure), latency));
  }
}

function tick(load: HttpLoad): void {
  load.fire();
}

/** Starts a load now (the timeline calls it at `from`). */
export function startLoad(world: LoadWorld, action: LoadAction): HttpLoad | KeepAliveLoad {
  const host = world.hosts.get(action.host);
  if (!host) throw new Error(`load: no host ${action.host}`);
  const load = action.keepalive ? new KeepAliveLoad(world.sim, host, action, action.connections ?? 1) : new HttpLoad(world.sim, host, action);
  load.start();
  return load;
}

/** The runner's `handleExtra` for timeline actions of the daemons layer: true when it took the action. */
export function handleLoadAction(world: LoadWorld, action: { readonly kind: string }): boolean {
  if (action.kind !== 'load') return false;
  startLoad(world, action as LoadAction);
  return true;
}
