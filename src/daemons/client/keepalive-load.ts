import type { Host } from '../../host/host';
import type { Simulator, Timer } from '../../sim/simulator';
import type { HttpFailure } from './http-exchange';
import type { HttpResponseParser } from './http-response';
import { failureWord } from './failure-word';
import { PersistentConnection, type ConnectionOwner, type PooledRequest } from './persistent-connection';
import { dueAt, requestBytes, type LoadAction } from './load-action';
import './trace-events';

/** A request of the load with its time limit: the timer's argument, so no closure per request. */
class LoadRequest implements PooledRequest {
  conn: PersistentConnection | undefined = undefined;
  timer: Timer | undefined = undefined;

  constructor(
    readonly load: KeepAliveLoad,
    readonly sent: number,
  ) {}
}

/**
 * An HTTP load over `connections` persistent connections (ab -k -c N, wrk -c N): requests fall due at the
 * load's rate; each goes on an idle connection, taking the connections in turn, and waits for one when
 * all are busy (its latency and its time limit count from when it fell due). A connection is opened when
 * a request needs one: at the start, and again after the server closed it or it broke, as load tools do.
 * A request on a connection that breaks fails with that connection's error (reset, timeout …); one whose
 * time limit passes gives its connection up. Each request is recorded as `http.request` with the local
 * port and opening instant of its connection. When the last request has ended the connections are closed.
 */
export class KeepAliveLoad implements ConnectionOwner {
  readonly address: number;
  readonly port: number;
  readonly request: Uint8Array;
  private readonly slots: Array<PersistentConnection | undefined>;
  /** Requests due and waiting for a connection, oldest first, from index `head`. */
  private readonly waiting: LoadRequest[] = [];
  private head = 0;
  /** Where the search for an idle connection starts: the one after the last used. */
  private nextSlot = 0;
  private sent = 0;
  /** Requests due and not yet ended. */
  inFlight = 0;

  constructor(
    private readonly sim: Simulator,
    readonly host: Host,
    private readonly action: LoadAction,
    connections: number,
  ) {
    this.address = action.url.address.value;
    this.port = action.url.port;
    this.request = requestBytes(action);
    this.slots = new Array<PersistentConnection | undefined>(connections).fill(undefined);
  }

  start(): void {
    this.sim.at(Math.max(this.sim.now, this.action.from), tick, this);
  }

  /** Request number `sent` falls due; the next one is scheduled. */
  fire(): void {
    const a = this.action;
    if (this.host.powered) {
      this.inFlight++;
      const req = new LoadRequest(this, this.sim.now);
      req.timer = this.sim.schedule(a.timeout, onRequestTimeout, req);
      this.waiting.push(req);
      this.dispatch();
    }
    this.sent++;
    const next = dueAt(a, this.sent);
    if (next < a.to) this.sim.at(next, tick, this);
    else this.finishIfDone();
  }

  requestDone(req: PooledRequest, failure: HttpFailure | undefined, response: HttpResponseParser, conn: PersistentConnection): void {
    const r = req as LoadRequest;
    this.sim.cancel(r.timer);
    r.timer = undefined;
    this.inFlight--;
    const trace = this.sim.trace;
    if (!trace.wants('http.request')) return;
    const t = this.sim.now;
    const host = this.host.name;
    const url = this.action.url.text;
    const sent = r.sent;
    const latency = t - sent;
    const port = conn.localPort;
    const opened = conn.opened;
    // The record built whole, one literal per outcome: no copies, and each outcome's shape stays the same.
    if (failure === undefined) {
      const headers = response.headerMap();
      trace.emitRecord({ t, kind: 'http.request', host, url, sent, status: response.status, headers, latency, port, opened });
    } else {
      trace.emitRecord({ t, kind: 'http.request', host, url, sent, error: failureWord(failure), headers: {}, latency, port, opened });
    }
  }

  connectionFree(conn: PersistentConnection): void {
    if (conn.closed) {
      const i = this.slots.indexOf(conn);
      if (i >= 0) this.slots[i] = undefined;
    }
    this.dispatch();
    this.finishIfDone();
  }

  /**
   * The request's time limit. It has a connection by then: a waiting request is preceded only by requests
   * due no later than itself, and each gives its connection up at the latest when its own limit passes.
   */
  timedOut(req: LoadRequest): void {
    req.timer = undefined;
    req.conn!.timeout();
  }

  /** Waiting requests go to idle connections, or to new ones in empty slots. */
  private dispatch(): void {
    const n = this.slots.length;
    while (this.head < this.waiting.length) {
      let slot = -1;
      for (let i = 0; i < n && slot < 0; i++) {
        const s = (this.nextSlot + i) % n;
        const c = this.slots[s];
        if (c === undefined || c.idle) slot = s;
      }
      if (slot < 0) break;
      this.nextSlot = (slot + 1) % n;
      const req = this.waiting[this.head++]!;
      let c = this.slots[slot];
      if (c === undefined) this.slots[slot] = c = new PersistentConnection(this);
      c.assign(req);
    }
    // The queue empties most of the time (emptied in place); under a lasting backlog, drop what was served
    // now and then.
    if (this.head === this.waiting.length) {
      this.waiting.length = 0;
      this.head = 0;
    } else if (this.head >= 1024) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
  }

  /** After the last request: the connections are closed, as a load tool does when it exits. */
  private finishIfDone(): void {
    if (this.inFlight > 0 || this.nextDue() < this.action.to) return;
    for (const c of this.slots) c?.close();
  }

  private nextDue(): number {
    const a = this.action;
    return a.from + Math.floor((this.sent * a.rate.per) / a.rate.count);
  }
}

function tick(load: KeepAliveLoad): void {
  load.fire();
}

function onRequestTimeout(req: LoadRequest): void {
  req.load.timedOut(req);
}
