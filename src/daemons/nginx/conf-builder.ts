import { SECOND, type Micros } from '../../sim/time';
import { formatEmerg, NginxConfError } from './conf-error';
import {
  ERROR_LOG_LEVELS,
  type ErrorLogLevel,
  type HttpConf,
  type Listen,
  type LocationConf,
  type LocSettings,
  type LogFormat,
  type NginxConf,
  type ProxyPass,
  type RewriteOp,
  type ServerConf,
  type UpstreamConf,
  type UpstreamServerConf,
} from './conf-model';
import { parseConf, type ConfContext, type ConfDirective, type ConfReader } from './conf-parser';
import {
  fail,
  isIPv4,
  parseExpires,
  parseListen,
  parseNginxTime,
  parseProxyPass,
  parseReturn,
  parseRewrite,
  parseUpstreamServer,
  type ArgContext,
} from './directive-args';
import { defaultSettings, mergeSettings, type Level } from './loc-settings';
import { compileValue } from './value';

/** The host facts nginx consults while reading its configuration. */
export interface ConfEnvironment extends ConfReader {
  /** getpwnam/getgrnam; absent = every name exists. */
  userExists?(name: string): boolean;
  groupExists?(name: string): boolean;
  /** Name resolution for proxy_pass / upstream hosts (the host's /etc/hosts); absent = only literal IPv4. */
  resolve?(host: string): readonly string[];
}

export interface LoadOptions {
  readonly confPath: string;
  /** `-p` prefix, with trailing slash: relative root/log paths start here. */
  readonly prefix: string;
}

export type LoadResult =
  | { readonly ok: true; readonly conf: NginxConf }
  | { readonly ok: false; readonly error: NginxConfError; readonly syntaxOk: boolean };

/** Directives accepted whose effect is invisible in the simulation (performance knobs, process setup). */
const INERT = new Set([
  'worker_processes', 'worker_connections', 'use', 'multi_accept', 'accept_mutex', 'accept_mutex_delay',
  'worker_rlimit_nofile', 'worker_cpu_affinity', 'worker_priority', 'pcre_jit', 'daemon', 'master_process',
  'sendfile', 'sendfile_max_chunk', 'tcp_nopush', 'tcp_nodelay', 'types_hash_max_size',
  'types_hash_bucket_size', 'server_names_hash_bucket_size', 'server_names_hash_max_size', 'client_max_body_size',
  'client_body_buffer_size', 'client_header_buffer_size', 'large_client_header_buffers', 'reset_timedout_connection',
  'open_file_cache', 'open_file_cache_valid', 'open_file_cache_min_uses', 'open_file_cache_errors',
  'proxy_buffering', 'proxy_buffers', 'proxy_buffer_size', 'proxy_busy_buffers_size', 'proxy_temp_path',
  'client_body_temp_path', 'fastcgi_temp_path', 'uwsgi_temp_path', 'scgi_temp_path', 'output_buffers', 'aio',
  'directio', 'log_not_found', 'access_log_buffer', 'rewrite_log', 'worker_shutdown_timeout', 'lock_file',
  'gzip', 'gzip_vary', 'gzip_comp_level', 'gzip_min_length', 'gzip_types', 'gzip_proxied', 'gzip_disable',
  'gzip_http_version', 'gzip_buffers', 'lingering_close', 'lingering_time', 'lingering_timeout', 'send_lowat',
  'postpone_output', 'epoll_events', 'worker_aio_requests', 'server_name_in_redirect', 'port_in_redirect',
  'absolute_redirect', 'client_body_timeout', 'client_header_timeout', 'send_timeout', 'resolver_timeout',
]);

interface LocationDraft {
  modifier: LocationConf['modifier'];
  name: string;
  regex?: RegExp;
  rewrites: RewriteOp[];
  proxyPass?: ProxyPass;
  level: Level;
  locations: LocationDraft[];
  file: string;
  line: number;
}

interface ServerDraft {
  listens: Listen[];
  serverNames: string[];
  rewrites: RewriteOp[];
  level: Level;
  locations: LocationDraft[];
  file: string;
  line: number;
}

const COMBINED =
  '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"';

/**
 * Reads nginx.conf (and its includes) and builds the typed model, failing like `nginx -t` would:
 * the first error in document order wins, with nginx's wording and place.
 */
export function loadNginxConf(options: LoadOptions, env: ConfEnvironment): LoadResult {
  const { prefix, confPath } = options;
  const full = (path: string): string => (path.startsWith('/') ? path : prefix + path);
  const resolve = (host: string): readonly string[] =>
    isIPv4(host) ? [host] : (env.resolve?.(host) ?? (host === 'localhost' ? ['127.0.0.1'] : []));

  let user: NginxConf['user'];
  let workerProcesses: NginxConf['workerProcesses'] = 1;
  let workerConnections = 512;
  let errorLog = full('logs/error.log');
  let errorLogLevel: ErrorLogLevel = 'error';
  let pid = full('logs/nginx.pid');
  let sawEvents = false;
  let http: { level: Level; servers: ServerDraft[]; upstreams: Map<string, UpstreamConf>; formats: Map<string, LogFormat>; proxyPasses: { pass: ProxyPass; d: ConfDirective }[] } | undefined;
  const unsupported: ConfDirective[] = [];

  // The block being read: levels for settings, plus what directives attach to.
  let server: ServerDraft | undefined;
  const locationStack: LocationDraft[] = [];
  let upstream: { name: string; servers: UpstreamServerConf[] } | undefined;
  let typesTarget: Map<string, string> | undefined;
  const setOnce = new Map<Level, Set<string>>();
  let opaqueDepth = 0;

  const currentLevel = (): Level => locationStack.at(-1)?.level ?? server?.level ?? http!.level;
  const currentRewrites = (): RewriteOp[] => locationStack.at(-1)?.rewrites ?? server!.rewrites;
  const once = (d: ConfDirective, level: Level): void => {
    const names = setOnce.get(level) ?? new Set<string>();
    if (names.has(d.name)) fail(d, `"${d.name}" directive is duplicate`);
    names.add(d.name);
    setOnce.set(level, names);
  };
  const argContext: ArgContext = { resolve, unsupported: (d) => unsupported.push(d) };
  const time = (d: ConfDirective, text: string): Micros =>
    parseNginxTime(text) ?? fail(d, `"${d.name}" directive invalid value`);

  function levelDirective(d: ConfDirective, level: Level): boolean {
    const a = d.args;
    switch (d.name) {
      case 'root':
        once(d, level);
        level.root = full(a[0]!);
        return true;
      case 'index':
        (level.index ??= []).push(...a.map(compileValue));
        return true;
      case 'error_page': {
        const uriText = a.at(-1)!;
        let codes = a.slice(0, -1);
        let overwrite: number | undefined;
        const last = codes.at(-1);
        if (last !== undefined && last.startsWith('=')) {
          overwrite = last === '=' ? 0 : Number(last.slice(1));
          codes = codes.slice(0, -1);
        }
        const pages = (level.errorPages ??= new Map());
        for (const code of codes) {
          const n = Number(code);
          if (!/^\d+$/.test(code)) fail(d, `invalid value "${code}"`);
          if (n < 300 || n > 599) fail(d, `value "${code}" must be between 300 and 599`);
          pages.set(n, { uri: compileValue(uriText), ...(overwrite !== undefined ? { overwrite } : {}) });
        }
        return true;
      }
      case 'add_header': {
        if (a.length === 3 && a[2] !== 'always') fail(d, `invalid parameter "${a[2]}"`);
        (level.addHeaders ??= []).push({ name: a[0]!, value: compileValue(a[1]!), always: a.length === 3 });
        return true;
      }
      case 'expires':
        once(d, level);
        level.expires = parseExpires(d, argContext);
        return true;
      case 'default_type':
        once(d, level);
        level.defaultType = a[0]!;
        return true;
      case 'access_log': {
        const logs = (level.accessLogs ??= []);
        if (a[0] === 'off') return true;
        const format = a[1] ?? 'combined';
        if (!http!.formats.has(format)) fail(d, `unknown log format "${format}"`);
        logs.push({ path: full(a[0]!), format });
        if (a.length > 2) unsupported.push(d);
        return true;
      }
      case 'keepalive_requests':
        once(d, level);
        level.keepaliveRequests = /^\d+$/.test(a[0]!) ? Number(a[0]) : fail(d, `"${d.name}" directive invalid number`);
        return true;
      case 'keepalive_time':
        once(d, level);
        level.keepaliveTime = time(d, a[0]!);
        return true;
      case 'keepalive_timeout':
        once(d, level);
        level.keepaliveTimeout = time(d, a[0]!);
        if (a.length > 1) unsupported.push(d);
        return true;
      case 'server_tokens':
        once(d, level);
        if (a[0] !== 'on' && a[0] !== 'off') {
          if (a[0] !== 'build') fail(d, `invalid value "${a[0]}"`);
          unsupported.push(d);
        }
        level.serverTokens = a[0] !== 'off';
        return true;
      case 'proxy_set_header':
        (level.proxySetHeaders ??= []).push([a[0]!, compileValue(a[1]!)]);
        return true;
      case 'proxy_next_upstream': {
        const allowed = ['error', 'timeout', 'invalid_header', 'http_500', 'http_502', 'http_503', 'http_504', 'http_403', 'http_404', 'http_429', 'non_idempotent', 'off'];
        for (const v of a) if (!allowed.includes(v)) fail(d, `invalid value "${v}"`);
        level.proxyNextUpstream = new Set(a.includes('off') ? [] : a);
        return true;
      }
      case 'proxy_next_upstream_tries':
        once(d, level);
        level.proxyNextUpstreamTries = /^\d+$/.test(a[0]!) ? Number(a[0]) : fail(d, `"${d.name}" directive invalid number`);
        return true;
      case 'proxy_connect_timeout':
        once(d, level);
        level.proxyConnectTimeout = time(d, a[0]!);
        return true;
      case 'proxy_read_timeout':
        once(d, level);
        level.proxyReadTimeout = time(d, a[0]!);
        return true;
      case 'proxy_send_timeout':
        once(d, level);
        level.proxySendTimeout = time(d, a[0]!);
        return true;
      case 'proxy_http_version':
        once(d, level);
        if (a[0] !== '1.0' && a[0] !== '1.1') fail(d, `invalid value "${a[0]}" in "${d.name}" directive, it must be "1.0" or "1.1"`);
        level.proxyHttpVersion = a[0] as '1.0' | '1.1';
        return true;
      default:
        return false;
    }
  }

  function directive(d: ConfDirective, ctx: ConfContext): void {
    const a = d.args;
    if (opaqueDepth > 0) return;
    if (ctx === 'raw') {
      if (typesTarget === undefined) return;
      for (const ext of a) typesTarget.set(ext.toLowerCase(), d.name);
      return;
    }
    switch (d.name) {
      case 'user': {
        const group = a[1] ?? a[0]!;
        if (env.userExists && !env.userExists(a[0]!)) fail(d, `getpwnam("${a[0]}") failed`);
        if (env.groupExists && !env.groupExists(group)) fail(d, `getgrnam("${group}") failed`);
        user = { user: a[0]!, group };
        return;
      }
      case 'worker_processes':
        if (a[0] === 'auto') workerProcesses = 'auto';
        else if (/^\d+$/.test(a[0]!)) workerProcesses = Number(a[0]);
        else fail(d, `invalid value "${a[0]}" in "worker_processes" directive`);
        return;
      case 'worker_connections':
        workerConnections = /^\d+$/.test(a[0]!) ? Number(a[0]) : fail(d, `invalid number "${a[0]}"`);
        return;
      case 'error_log':
        if (ctx !== 'main') {
          unsupported.push(d);
          return;
        }
        errorLog = full(a[0]!);
        if (a[1] !== undefined) {
          if (!(ERROR_LOG_LEVELS as readonly string[]).includes(a[1])) fail(d, `invalid log level "${a[1]}"`);
          errorLogLevel = a[1] as ErrorLogLevel;
        }
        if (a.length > 2) unsupported.push(d);
        return;
      case 'pid':
        pid = full(a[0]!);
        return;
      case 'log_format': {
        if (http!.formats.has(a[0]!)) fail(d, `duplicate "log_format" name "${a[0]}"`);
        const escape = a[1]!.startsWith('escape=') ? a[1]! : undefined;
        if (escape !== undefined) unsupported.push(d);
        http!.formats.set(a[0]!, { name: a[0]!, value: compileValue(a.slice(escape ? 2 : 1).join('')) });
        return;
      }
      case 'listen': {
        const listen = parseListen(d, argContext);
        if (server!.listens.some((l) => l.addr === listen.addr && l.port === listen.port)) {
          fail(d, `a duplicate listen ${listen.addr === '*' ? '0.0.0.0' : listen.addr}:${listen.port}`);
        }
        server!.listens.push(listen);
        return;
      }
      case 'server_name':
        // nginx lowercases names in place (regex names keep their case)
        server!.serverNames.push(...a.map((n) => (n.startsWith('~') ? n : n.toLowerCase())));
        return;
      case 'server':
        upstream!.servers.push(parseUpstreamServer(d, argContext));
        return;
      case 'rewrite':
        currentRewrites().push(parseRewrite(d));
        return;
      case 'return':
        currentRewrites().push(parseReturn(d));
        return;
      case 'proxy_pass': {
        const loc = locationStack.at(-1)!;
        if (loc.proxyPass) fail(d, `"proxy_pass" directive is duplicate`);
        loc.proxyPass = parseProxyPass(d);
        http!.proxyPasses.push({ pass: loc.proxyPass, d });
        return;
      }
      default:
        if (ctx === 'events' || ctx === 'main' || ctx === 'upstream' ? false : levelDirective(d, currentLevel())) return;
        if (!INERT.has(d.name)) unsupported.push(d);
    }
  }

  function blockStart(d: ConfDirective): void {
    if (opaqueDepth > 0) {
      opaqueDepth++;
      return;
    }
    const a = d.args;
    switch (d.name) {
      case 'events':
        if (sawEvents) fail(d, `"events" directive is duplicate`);
        sawEvents = true;
        return;
      case 'http':
        if (http) fail(d, `"http" directive is duplicate`);
        http = { level: {}, servers: [], upstreams: new Map(), formats: new Map(), proxyPasses: [] };
        http.formats.set('combined', { name: 'combined', value: compileValue(COMBINED) });
        return;
      case 'server':
        server = { listens: [], serverNames: [], rewrites: [], level: {}, locations: [], file: d.file, line: d.line };
        http!.servers.push(server);
        return;
      case 'upstream':
        if (http!.upstreams.has(a[0]!)) fail(d, `duplicate upstream "${a[0]}"`);
        upstream = { name: a[0]!, servers: [] };
        return;
      case 'location': {
        let modifier: LocationConf['modifier'] = '';
        let name = a[0]!;
        if (a.length === 2) {
          if (!['=', '^~', '~', '~*'].includes(a[0]!)) fail(d, `invalid location modifier "${a[0]}"`);
          modifier = a[0] as LocationConf['modifier'];
          name = a[1]!;
        } else if (/^(=|\^~|~\*|~)./.test(name)) {
          const m = /^(=|\^~|~\*|~)(.*)$/.exec(name)!;
          modifier = m[1] as LocationConf['modifier'];
          name = m[2]!;
        }
        const parent = locationStack.at(-1);
        if (parent?.modifier === '=') fail(d, `location "${name}" cannot be inside the exact location "${parent.name}"`);
        let regex: RegExp | undefined;
        if (modifier === '~' || modifier === '~*') {
          try {
            regex = new RegExp(name, modifier === '~*' ? 'i' : '');
          } catch {
            fail(d, `pcre2_compile() failed in "${name}"`);
          }
        }
        const siblings = parent?.locations ?? server!.locations;
        if (!regex && siblings.some((l) => !l.regex && l.name === name && (l.modifier === '=') === (modifier === '='))) {
          fail(d, `duplicate location "${name}"`);
        }
        const loc: LocationDraft = { modifier, name, ...(regex ? { regex } : {}), rewrites: [], level: {}, locations: [], file: d.file, line: d.line };
        siblings.push(loc);
        locationStack.push(loc);
        return;
      }
      case 'types':
        typesTarget = new Map();
        currentLevel().types = typesTarget;
        return;
      default:
        // if, limit_except, map, geo …: reported, and their insides are not applied to the enclosing level
        unsupported.push(d);
        opaqueDepth++;
        return;
    }
  }

  function blockEnd(d: ConfDirective): void {
    if (opaqueDepth > 0) {
      opaqueDepth--;
      return;
    }
    switch (d.name) {
      case 'server':
        if (server!.listens.length === 0) server!.listens.push({ addr: '*', port: 80, defaultServer: false });
        server = undefined;
        return;
      case 'upstream':
        if (upstream!.servers.length === 0) fail(d, `no servers are inside upstream`);
        http!.upstreams.set(upstream!.name, { name: upstream!.name, servers: upstream!.servers, implicit: false });
        upstream = undefined;
        return;
      case 'location':
        locationStack.pop();
        return;
      case 'types':
        typesTarget = undefined;
        return;
      case 'http':
        // nginx resolves proxy_pass hosts that name no upstream block when the http block is done
        for (const { pass, d: pd } of http!.proxyPasses) {
          if (http!.upstreams.has(pass.upstream)) continue;
          const colon = pass.upstream.lastIndexOf(':');
          const host = colon >= 0 ? pass.upstream.slice(0, colon) : pass.upstream;
          const port = colon >= 0 ? Number(pass.upstream.slice(colon + 1)) : 80;
          const ips = resolve(host);
          if (ips.length === 0) throw new NginxConfError(`host not found in upstream "${pass.upstream}"`, pd.file, pd.line);
          http!.upstreams.set(pass.upstream, {
            name: pass.upstream,
            implicit: true,
            servers: ips.map((addr) => ({ name: pass.upstream, addr, port, weight: 1, maxFails: 1, failTimeout: 10 * SECOND, backup: false, down: false })),
          });
        }
        return;
      default:
        return;
    }
  }

  try {
    parseConf(confPath, env, { directive, blockStart, blockEnd });
  } catch (err) {
    if (err instanceof NginxConfError) return { ok: false, error: err, syntaxOk: false };
    throw err;
  }
  if (!sawEvents) return { ok: false, error: new NginxConfError('no "events" section in configuration'), syntaxOk: true };

  const defaults = defaultSettings(full);
  const finishLocation = (draft: LocationDraft, parent: LocSettings): LocationConf => {
    const settings = mergeSettings(parent, draft.level);
    return {
      modifier: draft.modifier,
      name: draft.name,
      ...(draft.regex ? { regex: draft.regex } : {}),
      rewrites: draft.rewrites,
      ...(draft.proxyPass ? { proxyPass: draft.proxyPass } : {}),
      settings,
      locations: draft.locations.map((l) => finishLocation(l, settings)),
      file: draft.file,
      line: draft.line,
    };
  };
  let httpConf: HttpConf | undefined;
  if (http) {
    const httpSettings = mergeSettings(defaults, http.level);
    const servers: ServerConf[] = http.servers.map((s) => {
      const settings = mergeSettings(httpSettings, s.level);
      return {
        listens: s.listens,
        serverNames: s.serverNames.length ? s.serverNames : [''],
        rewrites: s.rewrites,
        settings,
        locations: s.locations.map((l) => finishLocation(l, settings)),
        file: s.file,
        line: s.line,
      };
    });
    httpConf = { servers, upstreams: http.upstreams, logFormats: http.formats };
  }
  return {
    ok: true,
    conf: {
      prefix,
      confPath,
      ...(user ? { user } : {}),
      workerProcesses,
      errorLog,
      errorLogLevel,
      pid,
      workerConnections,
      ...(httpConf ? { http: httpConf } : {}),
      unsupported,
    },
  };
}

/** What `nginx -t` prints on stderr for a load result, and its exit status. */
export function nginxTestOutput(result: LoadResult, confPath: string): { readonly stderr: string; readonly exitCode: number } {
  const ok = `nginx: the configuration file ${confPath} syntax is ok\n`;
  if (result.ok) return { stderr: `${ok}nginx: configuration file ${confPath} test is successful\n`, exitCode: 0 };
  return {
    stderr: `${result.syntaxOk ? ok : ''}${formatEmerg(result.error)}\nnginx: configuration file ${confPath} test failed\n`,
    exitCode: 1,
  };
}
