import { SECOND, type Micros } from '../../sim/time';
import { NginxConfError } from './conf-error';
import type { Expires, Listen, ProxyPass, RewriteFlag, RewriteOp, UpstreamServerConf } from './conf-model';
import type { ConfDirective } from './conf-parser';
import { compileValue } from './value';

// The values of single directives (listen, upstream server, proxy_pass, rewrite, return, expires, times).

/** What argument parsing needs from the loader: name resolution and the not-simulated list. */
export interface ArgContext {
  resolve(host: string): readonly string[];
  unsupported(d: ConfDirective): void;
}

/** Throws nginx's error for directive `d` at its place. */
export function fail(d: ConfDirective, detail: string): never {
  throw new NginxConfError(detail, d.file, d.line);
}

/** nginx time values: `30d`, `1h`, `90`, `1m30s`; ms allowed; seconds when no unit. */
export function parseNginxTime(text: string): Micros | undefined {
  const units: Record<string, number> = { ms: 1_000, s: SECOND, m: 60 * SECOND, h: 3600 * SECOND, d: 86400 * SECOND, w: 7 * 86400 * SECOND, M: 30 * 86400 * SECOND, y: 365 * 86400 * SECOND };
  if (!/^(\d+(ms|[smhdwMy])?)+$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+)(ms|[smhdwMy])?/g)) total += Number(m[1]) * units[m[2] ?? 's']!;
  return total;
}

/** A literal IPv4 address needs no resolution. */
export function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** `listen [addr:]port|addr [default_server] …`: port 80 when only an address is given. */
export function parseListen(d: ConfDirective, cx: ArgContext): Listen {
  const [addrPort, ...params] = d.args as [string, ...string[]];
  let addr = '*';
  let portText = addrPort;
  const colon = addrPort.lastIndexOf(':');
  if (colon >= 0) {
    addr = addrPort.slice(0, colon);
    portText = addrPort.slice(colon + 1);
  } else if (!/^\d+$/.test(addrPort)) {
    addr = addrPort;
    portText = '80';
  }
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) fail(d, `invalid port in "${addrPort}" of the "listen" directive`);
  if (addr !== '*') {
    const ips = cx.resolve(addr);
    if (ips.length === 0) fail(d, `host not found in "${addrPort}" of the "listen" directive`);
    addr = ips[0]!;
  }
  let defaultServer = false;
  for (const p of params) {
    if (p === 'default_server' || p === 'default') defaultServer = true;
    else if (['http2', 'ssl', 'proxy_protocol'].includes(p)) cx.unsupported(d);
    else if (!/^(backlog|rcvbuf|sndbuf|so_keepalive|fastopen)=/.test(p) && !['reuseport', 'deferred', 'bind'].includes(p)) {
      fail(d, `invalid parameter "${p}"`);
    }
  }
  return { addr, port, defaultServer };
}

/** `server addr[:port] [weight=] [max_fails=] [fail_timeout=] [backup] [down]` inside upstream; resolves the host. */
export function parseUpstreamServer(d: ConfDirective, cx: ArgContext): UpstreamServerConf {
  const [name, ...params] = d.args as [string, ...string[]];
  let weight = 1;
  let maxFails = 1;
  let failTimeout = 10 * SECOND;
  let backup = false;
  let down = false;
  for (const p of params) {
    const num = (prefix: string): number => {
      const v = p.slice(prefix.length);
      if (!/^\d+$/.test(v)) fail(d, `invalid parameter "${p}"`);
      return Number(v);
    };
    if (p.startsWith('weight=')) {
      weight = num('weight=');
      if (weight === 0) fail(d, `invalid parameter "${p}"`);
    } else if (p.startsWith('max_fails=')) maxFails = num('max_fails=');
    else if (p.startsWith('max_conns=')) {
      num('max_conns=');
      cx.unsupported(d);
    }
    else if (p.startsWith('fail_timeout=')) {
      failTimeout = parseNginxTime(p.slice('fail_timeout='.length)) ?? fail(d, `invalid parameter "${p}"`);
    } else if (p === 'backup') backup = true;
    else if (p === 'down') down = true;
    else fail(d, `invalid parameter "${p}"`);
  }
  const colon = name.lastIndexOf(':');
  const host = colon >= 0 ? name.slice(0, colon) : name;
  const port = colon >= 0 ? Number(name.slice(colon + 1)) : 80;
  if (colon >= 0 && !/^\d+$/.test(name.slice(colon + 1))) fail(d, `invalid port in upstream "${name}"`);
  const ips = cx.resolve(host);
  if (ips.length === 0) fail(d, `host not found in upstream "${name}"`);
  return { name, addr: ips[0]!, port, weight, maxFails, failTimeout, backup, down };
}

/** `proxy_pass http://name[:port][/uri]`: the upstream name (or host:port) and the optional URI part. */
export function parseProxyPass(d: ConfDirective): ProxyPass {
  const url = d.args[0]!;
  const m = /^https?:\/\/([^/]+)(\/.*)?$/.exec(url);
  if (!m) fail(d, `invalid URL prefix in "${url}"`);
  return { upstream: m![1]!, proxyHost: m![1]!, ...(m![2] !== undefined ? { uri: m![2] } : {}) };
}

/** `rewrite regex replacement [last|break|redirect|permanent]` (PCRE taken as a JS RegExp). */
export function parseRewrite(d: ConfDirective): RewriteOp {
  const [pattern, replacement, flagText] = d.args as [string, string, string?];
  let flag: RewriteFlag | undefined;
  if (flagText !== undefined) {
    if (!['last', 'break', 'redirect', 'permanent'].includes(flagText)) fail(d, `invalid parameter "${flagText}"`);
    flag = flagText as RewriteFlag;
  }
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch {
    return fail(d, `pcre2_compile() failed in "${pattern}"`);
  }
  return { kind: 'rewrite', regex, replacement: compileValue(replacement), ...(flag ? { flag } : {}) };
}

/** `return code [text|URL]` or `return URL` (302). */
export function parseReturn(d: ConfDirective): RewriteOp {
  const [first, second] = d.args as [string, string?];
  if (/^\d+$/.test(first)) {
    const code = Number(first);
    if (code > 999) fail(d, `invalid return code "${first}"`);
    return { kind: 'return', code, ...(second !== undefined ? { text: compileValue(second) } : {}) };
  }
  if (second !== undefined || !/^(https?:\/\/|\$scheme)/.test(first)) fail(d, `invalid return code "${first}"`);
  return { kind: 'return', code: 302, text: compileValue(first) };
}

/** `expires [modified] time|epoch|max|off` (`modified` is reported as not simulated). */
export function parseExpires(d: ConfDirective, cx: ArgContext): Expires {
  const v = d.args.at(-1)!;
  if (d.args.length === 2 && d.args[0] !== 'modified') fail(d, `"expires" directive invalid value`);
  if (d.args.length === 2) cx.unsupported(d);
  if (v === 'off') return { kind: 'off' };
  if (v === 'epoch') return { kind: 'epoch' };
  if (v === 'max') return { kind: 'max' };
  const negative = v.startsWith('-');
  const body = v.replace(/^[+-]/, '');
  const us = parseNginxTime(body);
  if (us === undefined) return fail(d, `"expires" directive invalid value`);
  const seconds = Math.floor(us / SECOND);
  return { kind: 'access', seconds: negative ? -seconds : seconds };
}

