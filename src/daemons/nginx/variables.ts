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

/** Looks up a variable of nginx's http core/proxy/upstream modules; undefined = not set. */
export function variable(ex: Exchange, name: string, clock: VariableClock, sent?: SentResponse): string | undefined {
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
  switch (name) {
    case 'server_addr':
      return req.serverAddr;
    case 'server_port':
      return String(req.serverPort);
    case 'remote_addr':
      return req.remoteAddr;
    case 'remote_port':
      return String(req.remotePort);
    case 'remote_user':
      return undefined;
    case 'request':
      return `${req.method} ${req.path} ${req.version ?? 'HTTP/1.1'}`;
    case 'request_method':
      return req.method;
    case 'request_uri':
      return req.path;
    case 'uri':
    case 'document_uri':
      return ex.uri;
    case 'args':
    case 'query_string':
      return ex.args;
    case 'is_args':
      return ex.args !== undefined ? '?' : '';
    case 'scheme':
      return 'http';
    case 'server_protocol':
      return req.version ?? 'HTTP/1.1';
    case 'host':
      return hostVariable(ex);
    case 'server_name':
      return ex.server.serverNames[0];
    case 'document_root':
      return ex.settings.root;
    case 'request_filename':
      return ex.settings.root + ex.uri;
    case 'nginx_version':
      return '1.22.1';
    case 'time_local':
      return timeLocal(clock.nowMs, clock.tzOffsetMinutes);
    case 'msec':
      return (clock.nowMs / 1000).toFixed(3);
    case 'proxy_add_x_forwarded_for': {
      const xff = header(req, 'X-Forwarded-For');
      return xff ? `${xff}, ${req.remoteAddr}` : req.remoteAddr;
    }
    case 'proxy_host':
      return ex.location?.proxyPass?.proxyHost;
    case 'upstream_addr':
      return ex.upstreamAddrs.length ? ex.upstreamAddrs.join(', ') : undefined;
    case 'upstream_status':
      return ex.upstreamStatuses.length ? ex.upstreamStatuses.join(', ') : undefined;
    case 'status':
      return sent ? String(sent.status).padStart(3, '0') : '000';
    case 'body_bytes_sent':
      return sent ? String(sent.bodyBytes) : '0';
    default:
      return undefined;
  }
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
