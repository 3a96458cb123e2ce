import { timeLocal } from './http-date';
import type { Value } from './value';
import { header, type Exchange } from './exchange';

/** What only the response knows: for $status, $body_bytes_sent, $sent_http_* (an HttpResponse is one). */
export interface SentResponse {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  /** The body sent so far (empty while the headers are made). */
  readonly body: string;
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
  if (h) return hostWithoutPort(h).toLowerCase();
  return ex.server.serverNames[0] ?? '';
}

/** A Host value without a trailing `:port` (what /:\d+$/ removes), scanned rather than matched per request. */
export function hostWithoutPort(host: string): string {
  let i = host.length;
  for (let c = host.charCodeAt(i - 1); c >= 0x30 && c <= 0x39; c = host.charCodeAt(i - 1)) i--;
  return i < host.length && host.charCodeAt(i - 1) === 0x3a ? host.slice(0, i - 1) : host;
}

/** A variable: what it reads of the request, the clock, and the response when there is one. */
export type Getter = (ex: Exchange, clock: VariableClock, sent: SentResponse | undefined) => string | undefined;

/** The variables of a fixed name; variableGetter adds those of a family (`http_*` …) the first time one is named. */
const GETTERS = new Map<string, Getter>([
  ['server_addr', (ex) => ex.request.serverAddr],
  ['server_port', (ex) => String(ex.request.serverPort)],
  ['remote_addr', (ex) => ex.request.remoteAddr],
  ['remote_port', (ex) => String(ex.request.remotePort)],
  ['remote_user', () => undefined],
  ['request', (ex) => ex.request.line ?? `${ex.request.method} ${ex.request.path} ${ex.request.version ?? 'HTTP/1.1'}`],
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
  ['body_bytes_sent', (_ex, _clock, sent) => (sent ? String(sent.body.length) : '0')],
]);

const unset: Getter = () => undefined;

/** The getter of a variable name, worked out once per name (a configuration names few). */
export function variableGetter(name: string): Getter {
  let get = GETTERS.get(name);
  if (get === undefined) {
    get = familyGetter(name);
    GETTERS.set(name, get);
  }
  return get;
}

/** Regex captures `$1`..`$9` and the families named by a prefix: request headers, arguments, response headers. */
function familyGetter(name: string): Getter {
  if (name.length === 1 && name >= '1' && name <= '9') {
    const index = name.charCodeAt(0) - 49;
    return (ex) => ex.captures[index];
  }
  if (name.startsWith('http_')) {
    const field = name.slice(5).replace(/_/g, '-');
    return (ex) => header(ex.request, field);
  }
  if (name.startsWith('arg_')) {
    const arg = name.slice(4).toLowerCase();
    return (ex) => {
      for (const pair of (ex.args ?? '').split('&')) {
        const [k, v = ''] = pair.split('=');
        if (k!.toLowerCase() === arg) return v;
      }
      return undefined;
    };
  }
  if (name.startsWith('sent_http_')) {
    const field = name.slice(10).replace(/_/g, '-').toLowerCase();
    return (_ex, _clock, sent) => sent?.headers.find(([n]) => n.toLowerCase() === field)?.[1];
  }
  return unset;
}

/** Looks up a variable of nginx's http core/proxy/upstream modules; undefined = not set. */
export function variable(ex: Exchange, name: string, clock: VariableClock, sent?: SentResponse): string | undefined {
  return variableGetter(name)(ex, clock, sent);
}

/** A value with the getter of each of its variables: literal text, or what reads the variable. */
export type CompiledValue = readonly (string | Getter)[];

const compiledValues = new WeakMap<Value, CompiledValue>();

/** Compiled once per configured value (as nginx compiles its complex values), not per request. */
export function compiled(value: Value): CompiledValue {
  let c = compiledValues.get(value);
  if (c === undefined) {
    c = value.map((part) => (typeof part === 'string' ? part : variableGetter(part.variable)));
    compiledValues.set(value, c);
  }
  return c;
}

/**
 * What a configured value last came to, from which values of its variables: a value whose variables read
 * the same as last time (the connection's address and port in an add_header) is the very same string again,
 * not a new concatenation, and a response head carrying it compares at once with the one sent before.
 */
interface LastEvaluation {
  readonly inputs: (string | undefined)[];
  result: string | undefined;
}

const lastEvaluations = new WeakMap<Value, LastEvaluation>();

/** evaluate() with the request's variables (an unset one is empty). */
export function evaluateVars(value: Value, ex: Exchange, clock: VariableClock, sent?: SentResponse): string {
  const parts = compiled(value);
  let last = lastEvaluations.get(value);
  if (last === undefined) lastEvaluations.set(value, (last = { inputs: new Array<string | undefined>(parts.length).fill(undefined), result: undefined }));
  const inputs = last.inputs;
  let same = last.result !== undefined;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (typeof part === 'string') continue;
    const v = part(ex, clock, sent);
    if (v !== inputs[i]) {
      inputs[i] = v;
      same = false;
    }
  }
  if (same) return last.result!;
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    out += typeof part === 'string' ? part : (inputs[i] ?? '');
  }
  last.result = out;
  return out;
}
