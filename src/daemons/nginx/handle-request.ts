import type { NginxConf, RewriteOp, UpstreamConf } from './conf-model';
import { header, type Exchange, type HostFs, type HttpRequest } from './exchange';
import { logRequestError } from './error-log';
import { findLocation, NO_CAPTURES } from './location-match';
import { buildUpstreamRequest, type UpstreamRequest } from './proxy';
import { finishResponse, type HttpResponse, type ResponseParts } from './response';
import { findServer } from './server-select';
import { closesConnection, specialResponseBody } from './special-response';
import type { Value } from './value';
import { evaluateVars, hostVariable, hostWithoutPort, type VariableClock } from './variables';

/** What nginx does with a request: answer it, pass it to an upstream, or (`return 444`) close the connection. */
export type RequestOutcome =
  | { readonly kind: 'response'; readonly response: HttpResponse; readonly exchange: Exchange }
  | {
      readonly kind: 'proxy';
      readonly upstream: UpstreamConf;
      readonly request: UpstreamRequest;
      readonly exchange: Exchange;
    }
  | { readonly kind: 'close'; readonly exchange: Exchange };

const MAX_URI_CHANGES = 10;

/** `/a/./b//c/../d.html` → `/a/b/d.html` (percent-decoded, slashes merged); undefined when it climbs above `/`. */
export function normalizeUri(raw: string): string | undefined {
  // Nothing to decode, merge or resolve (most requests): the URI is already normal.
  if (raw.indexOf('%') < 0 && raw.indexOf('//') < 0 && raw.indexOf('/.') < 0) return raw;
  const decoded = raw.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  const out: string[] = [];
  const segments = decoded.split('/');
  for (let i = 1; i < segments.length; i++) {
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    if (seg === '' && !last) continue;
    if (seg === '.') {
      if (last) out.push('');
      continue;
    }
    if (seg === '..') {
      if (out.length === 0) return undefined;
      out.pop();
      if (last) out.push('');
      continue;
    }
    out.push(seg);
  }
  return `/${out.join('/')}`;
}

/**
 * Handles one parsed request on the connection `req.serverAddr:req.serverPort` (phases: server rewrite, find
 * location, rewrite, content; error_page; the header filter). `clock.nowMs` is the host's wall clock.
 * The connection must be on one of listenSockets(conf): a port no server listens on is a caller bug (throws).
 */
export function handleRequest(conf: NginxConf, request: HttpRequest, fs: HostFs, clock: VariableClock): RequestOutcome {
  const q = request.path.indexOf('?');
  const rawPath = q < 0 ? request.path : request.path.slice(0, q);
  const uri = rawPath.startsWith('/') ? normalizeUri(rawPath) : undefined;
  // a bad request line is refused before the headers are read: default server, no headers in the log
  const req = uri === undefined ? { ...request, headers: [] } : request;
  const http = conf.http;
  const host = header(req, 'Host');
  const server = http && findServer(http, req.serverAddr, req.serverPort, host === undefined ? undefined : hostWithoutPort(host));
  if (!server) throw new Error(`nginx has no server for ${req.serverAddr}:${req.serverPort}`);
  const ex: Exchange = {
    conf,
    request: req,
    server,
    method: req.method,
    location: undefined,
    settings: server.settings,
    uri: rawPath,
    args: q < 0 ? undefined : req.path.slice(q + 1),
    captures: NO_CAPTURES,
    errorStatus: undefined,
    uriChanges: MAX_URI_CHANGES + 1,
    errors: [],
    upstreamUri: undefined,
    upstreamAddrs: [],
    upstreamStatuses: [],
  };
  if (uri === undefined) return respondWithError(ex, 400, fs, clock);
  ex.uri = uri;
  return runPhases(ex, fs, clock, true);
}

function runPhases(ex: Exchange, fs: HostFs, clock: VariableClock, serverPhase: boolean): RequestOutcome {
  if (serverPhase) {
    const r = runRewrites(ex, ex.server.rewrites, 'server', fs, clock);
    if (typeof r !== 'string') return r;
  }
  for (;;) {
    const match = findLocation(ex.server, ex.uri);
    ex.location = match.location;
    ex.captures = match.captures;
    ex.settings = match.location?.settings ?? ex.server.settings;
    const r = runRewrites(ex, match.location?.rewrites ?? [], 'location', fs, clock);
    if (typeof r !== 'string') return r;
    if (r === 'changed') {
      if (--ex.uriChanges === 0) {
        logRequestError(ex, 'error', `rewrite or internal redirection cycle while processing "${ex.uri}"`);
        return respondWithError(ex, 500, fs, clock);
      }
      continue;
    }
    return content(ex, fs, clock);
  }
}

type RewriteResult = 'done' | 'changed' | RequestOutcome;

/**
 * ngx_http_rewrite_module for one level: rewrite / return in order. A changed URI at location level means a new
 * location search (`changed`); at server level the search comes next anyway.
 */
function runRewrites(
  ex: Exchange,
  ops: readonly RewriteOp[],
  scope: 'server' | 'location',
  fs: HostFs,
  clock: VariableClock,
): RewriteResult {
  let changed = false;
  for (const op of ops) {
    if (op.kind === 'return') return returnOutcome(ex, op.code, op.text, fs, clock);
    const m = op.regex.exec(ex.uri);
    if (!m) continue;
    ex.captures = m.slice(1).map((c) => c ?? '');
    const target = evaluateVars(op.replacement, ex, clock);
    if (/^https?:\/\//.test(target) || op.flag === 'redirect' || op.flag === 'permanent') {
      const code = op.flag === 'permanent' ? 301 : 302;
      // the request's arguments follow unless the replacement has its own (a final `?` drops them)
      const withArgs = target.endsWith('?')
        ? target.slice(0, -1)
        : ex.args !== undefined
          ? `${target}${target.includes('?') ? '&' : '?'}${ex.args}`
          : target;
      return redirect(ex, code, /^https?:\/\//.test(withArgs) ? withArgs : absoluteLocation(ex, withArgs), clock);
    }
    const q = target.indexOf('?');
    if (q >= 0) {
      const own = target.slice(q + 1);
      ex.args = own.endsWith('?') || ex.args === undefined ? own.replace(/\?$/, '') : `${own}&${ex.args}`;
      ex.uri = target.slice(0, q);
    } else ex.uri = target;
    changed = true;
    if (op.flag === 'break') return 'done';
    if (op.flag === 'last') return scope === 'server' ? 'done' : 'changed';
  }
  return changed && scope === 'location' ? 'changed' : 'done';
}

function returnOutcome(
  ex: Exchange,
  code: number,
  text: Value | undefined,
  fs: HostFs,
  clock: VariableClock,
): RequestOutcome {
  if (code === 444) return { kind: 'close', exchange: ex };
  const value = text && evaluateVars(text, ex, clock);
  if ([301, 302, 303, 307, 308].includes(code) && value !== undefined) {
    return redirect(ex, code, value.startsWith('/') ? absoluteLocation(ex, value) : value, clock);
  }
  if (value !== undefined) {
    return respond(ex, { status: code, contentType: contentTypeOf(ex, ex.uri), contentLength: value.length, body: value }, clock);
  }
  return respondWithError(ex, code, fs, clock);
}

/**
 * `http://host[:port]/uri` (absolute_redirect on, server_name_in_redirect off): the Host header's name, or
 * without one the connection's local address; the connection's port unless 80.
 */
function absoluteLocation(ex: Exchange, uri: string): string {
  const port = ex.request.serverPort === 80 ? '' : `:${ex.request.serverPort}`;
  const host = header(ex.request, 'Host') !== undefined ? hostVariable(ex) : ex.request.serverAddr;
  return `http://${host}${port}${uri}`;
}

function redirect(ex: Exchange, code: number, location: string, clock: VariableClock): RequestOutcome {
  const body = specialResponseBody(code, ex.settings.serverTokens) ?? '';
  return respond(ex, { status: code, contentType: 'text/html', contentLength: body.length, location, body }, clock);
}

function respond(ex: Exchange, parts: ResponseParts, clock: VariableClock): RequestOutcome {
  return { kind: 'response', response: finishResponse(ex, parts, clock), exchange: ex };
}

/** Internal redirect (index file, error_page): new URI, server rewrites run again; 10 at most. */
function internalRedirect(ex: Exchange, target: string, fs: HostFs, clock: VariableClock): RequestOutcome {
  if (--ex.uriChanges === 0) {
    logRequestError(ex, 'error', `rewrite or internal redirection cycle while internally redirecting to "${target}"`);
    return respondWithError(ex, 500, fs, clock);
  }
  const q = target.indexOf('?');
  ex.uri = q < 0 ? target : target.slice(0, q);
  if (q >= 0) ex.args = target.slice(q + 1);
  return runPhases(ex, fs, clock, true);
}

/**
 * Finishes the request with an error status: the error_page of the current location if it has one (once per
 * request, as without recursive_error_pages), else nginx's built-in page.
 */
export function respondWithError(ex: Exchange, status: number, fs: HostFs, clock: VariableClock): RequestOutcome {
  const page = ex.errorStatus === undefined ? ex.settings.errorPages.get(status) : undefined;
  if (page) {
    const target = evaluateVars(page.uri, ex, clock);
    if (target.startsWith('/')) {
      ex.errorStatus = page.overwrite || status;
      if (ex.method !== 'HEAD') ex.method = 'GET';
      return internalRedirect(ex, target, fs, clock);
    }
    ex.errorStatus = 302;
    return redirect(ex, page.overwrite && page.overwrite >= 301 ? page.overwrite : 302, target, clock);
  }
  const body = specialResponseBody(status, ex.settings.serverTokens);
  if (body === undefined) return respond(ex, { status, contentLength: 0, body: '' }, clock);
  return respond(
    ex,
    { status, contentType: 'text/html', contentLength: body.length, body, keepAliveAllowed: !closesConnection(status) },
    clock,
  );
}

/** The type of the last path segment's extension (after its last dot), else default_type. */
function contentTypeOf(ex: Exchange, uri: string): string {
  const dot = uri.lastIndexOf('.');
  if (dot <= uri.lastIndexOf('/')) return ex.settings.defaultType;
  return ex.settings.types.get(uri.slice(dot + 1).toLowerCase()) ?? ex.settings.defaultType;
}

/** The ETag field of a file version, shared by the responses for the version served last (fields are never changed). */
let lastETag: { readonly mtimeS: number; readonly size: number; readonly fields: readonly (readonly [string, string])[] } = {
  mtimeS: -1,
  size: -1,
  fields: [],
};

function etagFields(mtimeS: number, size: number): readonly (readonly [string, string])[] {
  if (lastETag.mtimeS !== mtimeS || lastETag.size !== size) {
    lastETag = { mtimeS, size, fields: [['ETag', `"${mtimeS.toString(16)}-${size.toString(16)}"`]] };
  }
  return lastETag.fields;
}

/** The content phase: proxy_pass, index module, static module. */
function content(ex: Exchange, fs: HostFs, clock: VariableClock): RequestOutcome {
  const pass = ex.location?.proxyPass;
  if (pass) {
    // the builder made an upstream (explicit or implicit) for every proxy_pass
    const upstream = ex.conf.http!.upstreams.get(pass.upstream)!;
    const request = buildUpstreamRequest(ex, clock);
    ex.upstreamUri = request.target;
    return { kind: 'proxy', upstream, request, exchange: ex };
  }
  if (ex.method !== 'GET' && ex.method !== 'HEAD') return respondWithError(ex, 405, fs, clock);
  const root = ex.settings.root;
  if (ex.uri.endsWith('/')) {
    for (const index of ex.settings.index) {
      const name = evaluateVars(index, ex, clock);
      if (name.startsWith('/')) return internalRedirect(ex, name, fs, clock);
      const target = ex.uri + name;
      if (fs.stat(root, target)) return internalRedirect(ex, target, fs, clock);
    }
    if (fs.stat(root, ex.uri)?.kind === 'dir') {
      logRequestError(ex, 'error', `directory index of "${root}${ex.uri}" is forbidden`);
      return respondWithError(ex, 403, fs, clock);
    }
    const first = ex.settings.index[0];
    const firstName = first ? evaluateVars(first, ex, clock) : '';
    logRequestError(ex, 'error', `"${root}${ex.uri}${firstName}" is not found (2: No such file or directory)`);
    return respondWithError(ex, 404, fs, clock);
  }
  const st = fs.stat(root, ex.uri);
  if (!st) {
    logRequestError(ex, 'error', `open() "${root}${ex.uri}" failed (2: No such file or directory)`);
    return respondWithError(ex, 404, fs, clock);
  }
  if (st.kind === 'dir') {
    const location = absoluteLocation(ex, `${ex.uri}/${ex.args !== undefined ? `?${ex.args}` : ''}`);
    return redirect(ex, 301, location, clock);
  }
  const data = fs.read(root, ex.uri) ?? '';
  const mtimeS = Math.floor(st.mtimeMs / 1000);
  return respond(
    ex,
    {
      status: ex.errorStatus ?? 200,
      contentType: contentTypeOf(ex, ex.uri),
      contentLength: st.size,
      lastModifiedMs: mtimeS * 1000,
      generic: etagFields(mtimeS, st.size),
      ranges: true,
      body: data,
    },
    clock,
  );
}
