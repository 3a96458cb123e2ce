import type { Micros } from '../../sim/time';
import { reusedBytes } from '../../net/latin1';
import { hostHeader, requestText } from './http-request';

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
  /** Requests over persistent HTTP/1.1 connections instead of a new connection each. */
  readonly keepalive?: boolean;
  /** How many persistent connections (keep-alive only); default 1. */
  readonly connections?: number;
}

/**
 * The request every load sends: curl's GET for the URL, UTF-8 encoded. A Buffer, as the daemons' own output
 * is: the server decodes each segment it receives, and a Buffer's bytes decode without a view made per call.
 */
export function requestBytes(action: LoadAction): Uint8Array {
  const url = action.url;
  return reusedBytes(Buffer.from(requestText({ method: 'GET', path: url.path, host: hostHeader(url.address.text, url.port) }), 'utf8'));
}

/** When request number `n` (from 0) of the load falls due: `rate` spread evenly from `from`, integer µs. */
export function dueAt(action: LoadAction, n: number): Micros {
  return action.from + Math.floor((n * action.rate.per) / action.rate.count);
}
