import { timeLocal } from './http-date';
import type { Value } from './value';
import { header, type Exchange } from './exchange';

/** What only the response knows: for $status, $body_bytes_sent, $sent_http_*. */
export interface SentResponse {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly bodyBytes: number;
}

export interface VariableClock {
  /** Host wall clock, ms since the epoch. */
  readonly nowMs: number;
  /** Host zone offset from UTC in minutes (+480 for +0800). */
  readonly tzOffsetMinutes: number;
}

/** `$host`: Host header without port, lowercased; else the server's first name. */
export function hostVariable(ex: Exchange): string {
  const h = header(ex.request, 'Host');
  if (h) return h.replace(/:\d+$/, '').toLowerCase();
  return ex.server.serverNames[0] ?? '';
}

const headerNames = new Map<string, string>();

/** `http_user_agent` → `user-agent`: computed once per variable name, not per request. */
function headerName(variableName: string): string {
  let n = headerNames.get(variableName);
  if (n === undefined) {
    n = variableName.slice(5).replace(/_/g, '-');
    headerNames.set(variableName, n);
  }
  return n;
}

/** A variable of a fixed name: what it reads of the request, the clock, and the response when there is one. */
type Getter = (ex: Exchange, clock: VariableClock, sent: SentResponse | undefined) => string | undefined;

/** The variables of a fixed name, found by one map look-up rather than a string comparison per name. */
const GETTERS = new Map<string, Getter>([
  ['server_addr', (ex) => ex.request.serverAddr],
  ['server_port', (ex) => String(ex.request.serverPort)],
  ['remote_addr', (ex) => ex.request.remoteAddr],
  ['remote_port', (ex) => String(ex.request.remotePort)],
  ['remote_user', () => undefined],
  ['request', (ex) => `${ex.request.method} ${ex.request.path} ${ex.request.version ?? 'HTTP/1.1'}`],
  ['request_method', (ex) => ex.request.method],
  ['request_uri', (ex) => ex.request.path],
  ['uri', (ex) => ex.uri],
  ['document_uri', (ex) => ex.uri],
  ['args', (ex) => ex.args],
  ['query_string', (ex) => ex.args],
  ['is_args', (ex) => (ex.args !== undefined ? '?' : '')],
  ['scheme', () => 'http'],
  ['server_protocol', (ex) => ex.request.version ?? 'HTTP/1.1'],
  ['host', (ex) => hostVariable(ex)],
  ['server_name', (ex) => ex.server.serverNames[0]],
  ['document_root', (ex) => ex.settings.root],
  ['request_filename', (ex) => ex.settings.root + ex.uri],
  ['nginx_version', () => '1.22.1'],
  ['time_local', (_ex, clock) => timeLocal(clock.nowMs, clock.tzOffsetMinutes)],
  ['msec', (_ex, clock) => (clock.nowMs / 1000).toFixed(3)],
  [
    'proxy_add_x_forwarded_for',
    (ex) => {
      const xff = header(ex.request, 'X-Forwarded-For');
      return xff ? `${xff}, ${ex.request.remoteAddr}` : ex.request.remoteAddr;
    },
  ],
  ['proxy_host', (ex) => ex.location?.proxyPass?.proxyHost],
  ['upstream_addr', (ex) => (ex.upstreamAddrs.length ? ex.upstreamAddrs.join(', ') : undefined)],
  ['upstream_status', (ex) => (ex.upstreamStatuses.length ? ex.upstreamStatuses.join(', ') : undefined)],
  ['status', (_ex, _clock, sent) => (sent ? String(sent.status).padStart(3, '0') : '000')],
  ['body_bytes_sent', (_ex, _clock, sent) => (sent ? String(sent.bodyBytes) : '0')],
]);

/** Looks up a variable of nginx's http core/proxy/upstream modules; undefined = not set. */
export function variable(ex: Exchange, name: string, clock: VariableClock, sent?: SentResponse): string | undefined {
  const get = GETTERS.get(name);
  if (get !== undefined) return get(ex, clock, sent);
  const req = ex.request;
  if (name.length === 1 && name >= '1' && name <= '9') return ex.captures[name.charCodeAt(0) - 49];
  if (name.startsWith('http_')) return header(req, headerName(name));
  if (name.startsWith('arg_')) {
    for (const pair of (ex.args ?? '').split('&')) {
      const [k, v = ''] = pair.split('=');
      if (k!.toLowerCase() === name.slice(4).toLowerCase()) return v;
    }
    return undefined;
  }
  if (name.startsWith('sent_http_') && sent) {
    const want = name.slice(10).replace(/_/g, '-').toLowerCase();
    return sent.headers.find(([n]) => n.toLowerCase() === want)?.[1];
  }
  return undefined;
}

/** evaluate() with the request's variables, without a look-up closure per call (the request hot path). */
export function evaluateVars(value: Value, ex: Exchange, clock: VariableClock, sent?: SentResponse): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const part = value[i]!;
    out += typeof part === 'string' ? part : (variable(ex, part.variable, clock, sent) ?? '');
  }
  return out;
}
