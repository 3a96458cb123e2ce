import type { Micros } from '../../sim/time';

/*
 * The records of a load, fields in the order of the trace's records (t, kind, then the event's), each set
 * in the constructor so that the order does not depend on how class fields are compiled. Classes rather
 * than object literals: V8 sees that every record made at a literal survives and then allocates them
 * straight into the old generation, which cost 4-6 % of an HTTP run more than young objects promoted by
 * the scavenger.
 */
export class AnsweredRequest {
  readonly t: Micros;
  readonly kind: 'http.request';
  readonly host: string;
  readonly url: string;
  readonly sent: Micros;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly latency: Micros;

  constructor(t: Micros, host: string, url: string, sent: Micros, status: number, headers: Readonly<Record<string, string>>, latency: Micros) {
    this.t = t;
    this.kind = 'http.request';
    this.host = host;
    this.url = url;
    this.sent = sent;
    this.status = status;
    this.headers = headers;
    this.latency = latency;
  }
}

export class FailedRequest {
  readonly t: Micros;
  readonly kind: 'http.request';
  readonly host: string;
  readonly url: string;
  readonly sent: Micros;
  readonly error: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly latency: Micros;

  constructor(t: Micros, host: string, url: string, sent: Micros, error: string, latency: Micros) {
    this.t = t;
    this.kind = 'http.request';
    this.host = host;
    this.url = url;
    this.sent = sent;
    this.error = error;
    this.headers = NO_HEADERS;
    this.latency = latency;
  }
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});
