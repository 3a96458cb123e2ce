import type { LocSettings } from './conf-model';
import { logRequestError } from './error-log';
import { header, type Exchange } from './exchange';
import { finishResponse, type HttpResponse } from './response';
import { compileValue, type Value } from './value';
import { variable, type VariableClock } from './variables';

/** The request nginx sends to the upstream peer; `text` is the exact bytes (latin1), body included. */
export interface UpstreamRequest {
  readonly method: string;
  readonly target: string;
  readonly version: 'HTTP/1.0' | 'HTTP/1.1';
  readonly headers: readonly (readonly [name: string, value: string])[];
  readonly text: string;
}

/** What the upstream answered, as the TCP side parsed it. */
export interface UpstreamResponse {
  readonly status: number;
  readonly headers: readonly (readonly [name: string, value: string])[];
  readonly body: string;
}

/** Why an attempt failed, in proxy_next_upstream's words. */
export type UpstreamFailure =
  | 'error'
  | 'timeout'
  | 'invalid_header'
  | 'http_500'
  | 'http_502'
  | 'http_503'
  | 'http_504'
  | 'http_403'
  | 'http_404'
  | 'http_429';

/** proxy_set_header defaults (ngx_http_proxy_headers): empty values remove the client's header. */
const DEFAULT_SET_HEADERS: readonly (readonly [string, Value])[] = (
  [
    ['Host', '$proxy_host'],
    ['Connection', 'close'],
    ['Content-Length', '$proxy_internal_body_length'],
    ['Transfer-Encoding', '$proxy_internal_chunked'],
    ['TE', ''],
    ['Keep-Alive', ''],
    ['Expect', ''],
    ['Upgrade', ''],
  ] as const
).map(([name, value]) => [name, compileValue(value)] as const);

/** Upstream headers nginx never passes on (its own Server/Date/Connection replace them). */
const HIDDEN = new Set(['server', 'date', 'content-type', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'x-pad', 'x-accel-expires', 'x-accel-redirect', 'x-accel-limit-rate', 'x-accel-buffering', 'x-accel-charset']);

/**
 * The request line and headers proxy_pass sends: proxy_set_header entries of the location (then the defaults it
 * did not override), then the client's headers whose names none of those entries claim.
 */
export function buildUpstreamRequest(ex: Exchange, clock: VariableClock): UpstreamRequest {
  const s = ex.settings;
  const pass = ex.location!.proxyPass!;
  const path = ex.request.path;
  const q = path.indexOf('?');
  const changed = ex.uri !== (q < 0 ? path : path.slice(0, q));
  const args = ex.args !== undefined ? `?${ex.args}` : '';
  let target: string;
  if (pass.uri !== undefined && !ex.location!.regex) target = pass.uri + ex.uri.slice(ex.location!.name.length) + args;
  else target = changed ? ex.uri + args : ex.request.path;
  const { entries, claimed } = headerPlan(s);
  // the body is passed on with its length (nginx buffers it, so never chunked upstream)
  const body = ex.method === ex.request.method ? (ex.request.body ?? '') : '';
  const version = s.proxyHttpVersion === '1.1' ? 'HTTP/1.1' : 'HTTP/1.0';
  const headers: [string, string][] = [];
  let text = `${ex.method} ${target} ${version}\r\n`;
  for (const [name, value] of entries) {
    let v = '';
    for (let i = 0; i < value.length; i++) {
      const part = value[i]!;
      v += typeof part === 'string' ? part : (upstreamVariable(ex, part.variable, body, clock) ?? '');
    }
    if (v === '') continue;
    headers.push([name, v]);
    text += `${name}: ${v}\r\n`;
  }
  for (const [name, value] of ex.request.headers) {
    if (claimed.has(name.toLowerCase())) continue;
    headers.push([name, value]);
    text += `${name}: ${value}\r\n`;
  }
  return { method: ex.method, target, version, headers, text: `${text}\r\n${body}` };
}

/** A variable of a proxy_set_header value: the request's, or the proxy module's internal ones. */
function upstreamVariable(ex: Exchange, name: string, body: string, clock: VariableClock): string | undefined {
  if (name === 'proxy_internal_body_length') return header(ex.request, 'Content-Length') !== undefined ? String(body.length) : undefined;
  if (name === 'proxy_internal_chunked') return undefined;
  return variable(ex, name, clock);
}

/** A location's proxy_set_header entries followed by the defaults it did not override, and the names they claim. */
interface HeaderPlan {
  readonly entries: readonly (readonly [string, Value])[];
  readonly claimed: ReadonlySet<string>;
}

const headerPlans = new WeakMap<LocSettings, HeaderPlan>();

/** Worked out once per location's settings, not per request. */
function headerPlan(s: LocSettings): HeaderPlan {
  let plan = headerPlans.get(s);
  if (plan === undefined) {
    const entries: (readonly [string, Value])[] = [...s.proxySetHeaders];
    for (const [name, value] of DEFAULT_SET_HEADERS) {
      if (!entries.some(([n]) => n.toLowerCase() === name.toLowerCase())) entries.push([name, value]);
    }
    plan = { entries, claimed: new Set(entries.map(([n]) => n.toLowerCase())) };
    headerPlans.set(s, plan);
  }
  return plan;
}

/** The upstream response as nginx passes it to the client (status, its headers re-ordered, add_header …). */
export function proxiedResponse(ex: Exchange, peerName: string, upstream: UpstreamResponse, clock: VariableClock): HttpResponse {
  ex.upstreamAddrs.push(peerName);
  ex.upstreamStatuses.push(String(upstream.status));
  let length: string | undefined;
  let contentType: string | undefined;
  const generic: (readonly [string, string])[] = [];
  for (const h of upstream.headers) {
    const lower = h[0].toLowerCase();
    if (length === undefined && lower === 'content-length') length = h[1];
    else if (contentType === undefined && lower === 'content-type') contentType = h[1];
    if (!HIDDEN.has(lower)) generic.push(h);
  }
  return finishResponse(
    ex,
    {
      status: ex.errorStatus ?? upstream.status,
      ...(contentType !== undefined ? { contentType } : {}),
      contentLength: length !== undefined ? Number(length) : upstream.body.length,
      generic,
      body: upstream.body,
    },
    clock,
  );
}

/** How a connection to a peer went wrong, as the TCP side saw it. */
export type AttemptError = 'refused' | 'unreachable' | 'connect-timeout' | 'reset' | 'closed' | 'read-timeout';

const ATTEMPT_ERRORS: Record<AttemptError, { readonly failure: UpstreamFailure; readonly text: string }> = {
  refused: { failure: 'error', text: 'connect() failed (111: Connection refused) while connecting to upstream' },
  unreachable: { failure: 'error', text: 'connect() failed (113: No route to host) while connecting to upstream' },
  'connect-timeout': { failure: 'timeout', text: 'upstream timed out (110: Connection timed out) while connecting to upstream' },
  reset: { failure: 'error', text: 'recv() failed (104: Connection reset by peer) while reading response header from upstream' },
  closed: { failure: 'error', text: 'upstream prematurely closed connection while reading response header from upstream' },
  'read-timeout': { failure: 'timeout', text: 'upstream timed out (110: Connection timed out) while reading response header from upstream' },
};

/**
 * Records a failed attempt on `peerName` (error log line, $upstream_addr / $upstream_status) and says which
 * proxy_next_upstream failure it is. A listed bad status (`http_502` …) logs nothing.
 */
export function noteFailedAttempt(ex: Exchange, peerName: string, what: AttemptError | UpstreamFailure): UpstreamFailure {
  ex.upstreamAddrs.push(peerName);
  if (what in ATTEMPT_ERRORS) {
    const { failure, text } = ATTEMPT_ERRORS[what as AttemptError];
    logRequestError(ex, 'error', text, peerName);
    ex.upstreamStatuses.push(failure === 'timeout' ? '504' : '502');
    return failure;
  }
  const failure = what as UpstreamFailure;
  ex.upstreamStatuses.push(failure.startsWith('http_') ? failure.slice(5) : '502');
  return failure;
}

/** The warning nginx writes when a peer reaches max_fails (shown only with error_log level warn or lower). */
export function notePeerDisabled(ex: Exchange, peerName: string): void {
  logRequestError(ex, 'warn', 'upstream server temporarily disabled while connecting to upstream', peerName);
}

/** No peer left (NGX_BUSY): the error line; answer with respondWithError(ex, 502, …). */
export function noteNoLiveUpstreams(ex: Exchange, upstreamName: string): void {
  logRequestError(ex, 'error', 'no live upstreams while connecting to upstream', upstreamName);
}

/** The upstream's status as a proxy_next_upstream failure, when the location lists it; else the response passes. */
export function responseFailure(settings: LocSettings, status: number): UpstreamFailure | undefined {
  const name = `http_${status}`;
  return settings.proxyNextUpstream.has(name) ? (name as UpstreamFailure) : undefined;
}

/** Whether the failure counts toward max_fails (http_403/404 only move on). */
export function countsAsPeerFailure(failure: UpstreamFailure): boolean {
  return failure !== 'http_403' && failure !== 'http_404';
}

/** The status nginx answers when it gives up after `failure` (ngx_http_upstream_next). */
export function giveUpStatus(failure: UpstreamFailure): number {
  switch (failure) {
    case 'timeout':
    case 'http_504':
      return 504;
    case 'http_500':
      return 500;
    case 'http_503':
      return 503;
    case 'http_403':
      return 403;
    case 'http_404':
      return 404;
    case 'http_429':
      return 429;
    default:
      return 502;
  }
}

/**
 * After an attempt failed (and was reported to the UpstreamAttempt): try the next peer, or give up with a status.
 * `attemptsMade` counts this one (proxy_next_upstream_tries). `requestSent`: the request already went out (matters for POST/LOCK/PATCH without `non_idempotent`).
 */
export function nextUpstream(
  ex: Exchange,
  failure: UpstreamFailure,
  triesLeft: number,
  attemptsMade: number,
  requestSent: boolean,
): { readonly next: true } | { readonly next: false; readonly status: number } {
  const s = ex.settings;
  const status = giveUpStatus(failure);
  if (triesLeft === 0 || !s.proxyNextUpstream.has(failure)) return { next: false, status };
  if (s.proxyNextUpstreamTries > 0 && attemptsMade >= s.proxyNextUpstreamTries) return { next: false, status };
  const nonIdempotent = ['POST', 'LOCK', 'PATCH'].includes(ex.method);
  if (nonIdempotent && requestSent && !s.proxyNextUpstream.has('non_idempotent')) return { next: false, status };
  return { next: true };
}
