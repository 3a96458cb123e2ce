import { latin1 } from '../../net/latin1';
import type { LocSettings } from './conf-model';
import { logRequestError } from './error-log';
import { header, sameFieldName, type Exchange } from './exchange';
import { messageBytes } from './http-message';
import { finishResponse, type HttpResponse } from './response';
import { compileValue, type Value } from './value';
import { variableGetter, type CompiledValue, type Getter, type VariableClock } from './variables';

/** The request nginx sends to the upstream peer. */
export class UpstreamRequest {
  constructor(
    readonly method: string,
    readonly target: string,
    readonly version: 'HTTP/1.0' | 'HTTP/1.1',
    readonly headers: readonly (readonly [name: string, value: string])[],
    /** The client's body, passed on with its length (nginx buffers it, so never chunked upstream). */
    readonly body: string,
  ) {}

  /** The exact bytes sent, body included. */
  bytes(): Uint8Array {
    return messageBytes(`${this.method} ${this.target} ${this.version}`, this.headers, this.body);
  }

  /** The bytes sent as latin1 text. */
  get text(): string {
    return latin1(this.bytes());
  }
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
const HIDDEN = ['server', 'date', 'content-type', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'x-pad', 'x-accel-expires', 'x-accel-redirect', 'x-accel-limit-rate', 'x-accel-buffering', 'x-accel-charset'];

/** Whether a field name is one of `names` (lowercase), compared without a lowercased copy per field. */
function isOneOf(name: string, names: readonly string[]): boolean {
  for (let i = 0; i < names.length; i++) if (sameFieldName(name, names[i]!)) return true;
  return false;
}

/** The body the upstream gets: the client's, unless an error_page redirect turned the request into a GET. */
function upstreamBody(ex: Exchange): string {
  return ex.method === ex.request.method ? (ex.request.body ?? '') : '';
}

/** The proxy module's internal variables, which only its default headers use. */
const PROXY_INTERNAL: ReadonlyMap<string, Getter> = new Map<string, Getter>([
  ['proxy_internal_body_length', (ex) => (header(ex.request, 'Content-Length') !== undefined ? String(upstreamBody(ex).length) : undefined)],
  ['proxy_internal_chunked', () => undefined],
]);

/** A proxy_set_header entry: its value compiled, or the field itself when the value has no variable. */
interface SetHeader {
  readonly name: string;
  readonly value: CompiledValue;
  readonly fixed: readonly [string, string] | undefined;
}

/** A location's proxy_set_header entries followed by the defaults it did not override, and the names they claim. */
interface HeaderPlan {
  /** Entries whose value can be non-empty. */
  readonly entries: readonly SetHeader[];
  /** Lowercase names of all entries: a client's field of one of these names is not passed. */
  readonly claimed: readonly string[];
}

const headerPlans = new WeakMap<LocSettings, HeaderPlan>();

/** Worked out once per location's settings, not per request. */
function headerPlan(s: LocSettings): HeaderPlan {
  let plan = headerPlans.get(s);
  if (plan === undefined) {
    const all: (readonly [string, Value])[] = [...s.proxySetHeaders];
    for (const [name, value] of DEFAULT_SET_HEADERS) {
      if (!all.some(([n]) => n.toLowerCase() === name.toLowerCase())) all.push([name, value]);
    }
    const entries: SetHeader[] = [];
    for (const [name, value] of all) {
      if (value.length === 0) continue; // always empty: the entry only removes the client's field
      const parts = value.map((part) => (typeof part === 'string' ? part : (PROXY_INTERNAL.get(part.variable) ?? variableGetter(part.variable))));
      const fixed = value.every((part) => typeof part === 'string') ? ([name, value.join('')] as const) : undefined;
      entries.push({ name, value: parts, fixed });
    }
    plan = { entries, claimed: all.map(([n]) => n.toLowerCase()) };
    headerPlans.set(s, plan);
  }
  return plan;
}

/**
 * The request line and headers proxy_pass sends: proxy_set_header entries of the location (then the defaults it
 * did not override), then the client's headers whose names none of those entries claim.
 */
export function buildUpstreamRequest(ex: Exchange, clock: VariableClock): UpstreamRequest {
  const s = ex.settings;
  const pass = ex.location!.proxyPass!;
  const path = ex.request.path;
  const q = path.indexOf('?');
  // whether rewrites changed the URI (the path without its arguments), compared in place
  const changed = q < 0 ? ex.uri !== path : ex.uri.length !== q || !path.startsWith(ex.uri);
  const args = ex.args !== undefined ? `?${ex.args}` : '';
  let target: string;
  if (pass.uri !== undefined && !ex.location!.regex) target = pass.uri + ex.uri.slice(ex.location!.name.length) + args;
  else target = changed ? ex.uri + args : ex.request.path;
  const plan = headerPlan(s);
  const headers: (readonly [string, string])[] = [];
  const entries = plan.entries;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (entry.fixed !== undefined) {
      headers.push(entry.fixed);
      continue;
    }
    let v = '';
    const parts = entry.value;
    for (let j = 0; j < parts.length; j++) {
      const part = parts[j]!;
      v += typeof part === 'string' ? part : (part(ex, clock, undefined) ?? '');
    }
    if (v !== '') headers.push([entry.name, v]);
  }
  const own = ex.request.headers;
  for (let i = 0; i < own.length; i++) if (!isOneOf(own[i]![0], plan.claimed)) headers.push(own[i]!);
  const version = s.proxyHttpVersion === '1.1' ? 'HTTP/1.1' : 'HTTP/1.0';
  return new UpstreamRequest(ex.method, target, version, headers, upstreamBody(ex));
}

/** What the proxy does with an upstream field, by its name: takes its value, or passes it on, or neither. */
const enum FieldUse {
  Pass,
  Length,
  Type,
  Hidden,
}

/** The use of each field name met lately (an upstream sends the same few names, as the very same strings). */
const fieldUses = new Map<string, FieldUse>();

function fieldUse(name: string): FieldUse {
  let use = fieldUses.get(name);
  if (use === undefined) {
    use = sameFieldName(name, 'content-length')
      ? FieldUse.Length
      : sameFieldName(name, 'content-type')
        ? FieldUse.Type
        : isOneOf(name, HIDDEN)
          ? FieldUse.Hidden
          : FieldUse.Pass;
    if (fieldUses.size >= 1024) fieldUses.clear();
    fieldUses.set(name, use);
  }
  return use;
}

/** An upstream response's fields sorted out: Content-Length and Content-Type apart, the fields passed on. */
interface SortedFields {
  readonly fields: readonly (readonly [string, string])[];
  readonly length: string | undefined;
  readonly contentType: string | undefined;
  /** Read only: shared by every response whose fields are the same array. */
  readonly generic: readonly (readonly [string, string])[];
}

function sortFields(fields: readonly (readonly [string, string])[]): SortedFields {
  let length: string | undefined;
  let contentType: string | undefined;
  const generic: (readonly [string, string])[] = [];
  for (let i = 0; i < fields.length; i++) {
    const h = fields[i]!;
    const use = fieldUse(h[0]);
    // Content-Length and Content-Type are hidden as well: nginx sends its own
    if (use === FieldUse.Length) length ??= h[1];
    else if (use === FieldUse.Type) contentType ??= h[1];
    else if (use === FieldUse.Pass) generic.push(h);
  }
  return { fields, length, contentType, generic };
}

/**
 * The fields of the last few upstream responses, sorted out: a head received again is the same parse (./http-parse),
 * with the same array of fields, whose sorting is then the one made before.
 */
const sortedLately: (SortedFields | undefined)[] = new Array<SortedFields | undefined>(4).fill(undefined);
let nextSorted = 0;

function sortedFields(fields: readonly (readonly [string, string])[]): SortedFields {
  for (let i = 0; i < sortedLately.length; i++) if (sortedLately[i]?.fields === fields) return sortedLately[i]!;
  const sorted = sortFields(fields);
  sortedLately[nextSorted] = sorted;
  nextSorted = (nextSorted + 1) % sortedLately.length;
  return sorted;
}

/** The upstream response as nginx passes it to the client (status, its headers re-ordered, add_header …). */
export function proxiedResponse(ex: Exchange, peerName: string, upstream: UpstreamResponse, clock: VariableClock): HttpResponse {
  ex.upstreamAddrs.push(peerName);
  ex.upstreamStatuses.push(String(upstream.status));
  const { length, contentType, generic } = sortedFields(upstream.headers);
  return finishResponse(
    ex,
    {
      status: ex.errorStatus ?? upstream.status,
      contentType,
      contentLength: length !== undefined ? Number(length) : upstream.body.length,
      generic,
      body: upstream.body,
    },
    clock,
  );
}

/** `http_NNN` by status: made once each, not for every response. */
const STATUS_FAILURES: (string | undefined)[] = [];

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
  const name = (STATUS_FAILURES[status] ??= `http_${status}`);
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
