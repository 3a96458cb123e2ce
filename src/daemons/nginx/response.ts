import { latin1 } from '../../net/latin1';
import type { LocSettings } from './conf-model';
import { header, sameFieldName, type Exchange } from './exchange';
import { httpDate } from './http-date';
import { messageBytes } from './http-message';
import { addsHeaders, statusLine } from './special-response';
import { evaluateVars, type VariableClock } from './variables';

/** A response as nginx 1.22.1 writes it: headers in its exact order, body as a byte string (latin1). */
export interface HttpResponse {
  readonly status: number;
  readonly statusLine: string;
  readonly headers: readonly (readonly [name: string, value: string])[];
  /** Empty for HEAD, although Content-Length tells the full size. */
  readonly body: string;
  /** Whether nginx keeps the connection open afterwards (`Connection: keep-alive`). */
  readonly keepAlive: boolean;
}

/** What a handler produced, before the header filter adds Server/Date/Connection, expires and add_header. */
export interface ResponseParts {
  readonly status: number;
  readonly contentType?: string;
  readonly contentLength?: number;
  readonly lastModifiedMs?: number;
  readonly location?: string;
  /** Headers of the generic list before expires/add_header (ETag of a file, an upstream's passed headers). */
  readonly generic?: readonly (readonly [string, string])[];
  /** Static files get `Accept-Ranges: bytes` from the range filter on 200. */
  readonly ranges?: boolean;
  readonly body: string;
  /** false forces `Connection: close` (special responses for 400/413/414/500/501). */
  readonly keepAliveAllowed?: boolean;
}

/** Whether the client asked to keep the connection (HTTP/1.1 unless `close`; HTTP/1.0 only with `keep-alive`). */
export function clientWantsKeepAlive(ex: Exchange): boolean {
  const conn = header(ex.request, 'Connection');
  // compared without case, as a lowercased copy would be (latin1 text keeps its length when lowercased)
  if ((ex.request.version ?? 'HTTP/1.1') === 'HTTP/1.0') return conn !== undefined && sameFieldName(conn, 'keep-alive');
  return conn === undefined || !sameFieldName(conn, 'close');
}

function expiresHeaders(settings: LocSettings, nowMs: number): [string, string][] {
  const e = settings.expires;
  switch (e.kind) {
    case 'off':
      return [];
    case 'epoch':
      return [['Expires', 'Thu, 01 Jan 1970 00:00:01 GMT'], ['Cache-Control', 'no-cache']];
    case 'max':
      return [['Expires', 'Thu, 31 Dec 2037 23:55:55 GMT'], ['Cache-Control', 'max-age=315360000']];
    case 'access': {
      const nowS = Math.floor(nowMs / 1000);
      const expires = httpDate((nowS + e.seconds) * 1000);
      return [['Expires', expires], ['Cache-Control', e.seconds < 0 ? 'no-cache' : `max-age=${e.seconds}`]];
    }
  }
}

/** Fields that never vary, shared by every response that has them (a response's fields are never changed). */
const SERVER_VERSION = ['Server', 'nginx/1.22.1'] as const;
const SERVER = ['Server', 'nginx'] as const;
const KEEP_ALIVE = ['Connection', 'keep-alive'] as const;
const CLOSE = ['Connection', 'close'] as const;
const ACCEPT_RANGES = ['Accept-Ranges', 'bytes'] as const;

/**
 * The field of a name last made, shared by the responses that have the same value (the Date of a second, the
 * type, length and Last-Modified of a page served over and over): a pair less per field and response, and
 * a head that compares at once with the one sent before.
 */
class SharedField {
  private field: readonly [string, string];

  constructor(private readonly name: string) {
    this.field = [name, ''];
  }

  of(value: string): readonly [string, string] {
    if (this.field[1] !== value) this.field = [this.name, value];
    return this.field;
  }
}

const DATE = new SharedField('Date');
const CONTENT_TYPE = new SharedField('Content-Type');
const CONTENT_LENGTH = new SharedField('Content-Length');
const LAST_MODIFIED = new SharedField('Last-Modified');

/** The header filter chain: nginx's fixed header order, then the generic list, expires, add_header, ranges. */
export function finishResponse(ex: Exchange, parts: ResponseParts, clock: VariableClock): HttpResponse {
  const settings = ex.settings;
  const status = parts.status;
  // ngx_http_update_location_config: keepalive_timeout 0, keepalive_requests reached, keepalive_time passed.
  const keepAlive =
    parts.keepAliveAllowed !== false &&
    settings.keepaliveTimeout > 0 &&
    ex.request.connectionRequests < settings.keepaliveRequests &&
    clock.nowMs - ex.request.connectionStartMs <= settings.keepaliveTime / 1000 &&
    clientWantsKeepAlive(ex);
  const headers: (readonly [string, string])[] = [settings.serverTokens ? SERVER_VERSION : SERVER, DATE.of(httpDate(clock.nowMs))];
  if (parts.contentType !== undefined) headers.push(CONTENT_TYPE.of(parts.contentType));
  if (parts.contentLength !== undefined) headers.push(CONTENT_LENGTH.of(String(parts.contentLength)));
  if (parts.lastModifiedMs !== undefined && (status === 200 || status === 206 || status === 304)) {
    headers.push(LAST_MODIFIED.of(httpDate(parts.lastModifiedMs)));
  }
  if (parts.location !== undefined) headers.push(['Location', parts.location]);
  headers.push(keepAlive ? KEEP_ALIVE : CLOSE);
  const generic = parts.generic;
  if (generic !== undefined) for (let i = 0; i < generic.length; i++) headers.push(generic[i]!);
  const listed = addsHeaders(status);
  if (listed && settings.expires.kind !== 'off') headers.push(...expiresHeaders(settings, clock.nowMs));
  const sent = settings.addHeaders.length > 0 ? { status, headers, body: '' } : undefined;
  for (const h of settings.addHeaders) {
    if (!listed && !h.always) continue;
    const value = evaluateVars(h.value, ex, clock, sent);
    // an empty value means "do not add" in nginx
    if (value !== '') headers.push([h.name, value]);
  }
  if (parts.ranges && status === 200) headers.push(ACCEPT_RANGES);
  const head = ex.request.method === 'HEAD';
  return { status, statusLine: statusLine(status), headers, body: head ? '' : parts.body, keepAlive };
}

/** The bytes on the wire: status line, headers, blank line, body. */
export function responseBytes(res: HttpResponse): Uint8Array {
  return messageBytes(res.statusLine, res.headers, res.body);
}

/** The bytes on the wire as a latin1 string. */
export function serializeResponse(res: HttpResponse): string {
  return latin1(responseBytes(res));
}
