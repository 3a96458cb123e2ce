import type { Micros } from '../../sim/time';
import type { ConfDirective } from './conf-parser';
import type { Value } from './value';

/** The typed result of a valid nginx.conf: plain readonly data; behaviour lives in the request code. */

export interface Listen {
  /** `*` when the listen gave no address. */
  readonly addr: string;
  readonly port: number;
  readonly defaultServer: boolean;
}

export interface AddHeader {
  readonly name: string;
  readonly value: Value;
  readonly always: boolean;
}

/** `expires`: off (default), epoch, max, or a signed offset in seconds from the request time. */
export type Expires =
  | { readonly kind: 'off' }
  | { readonly kind: 'epoch' }
  | { readonly kind: 'max' }
  | { readonly kind: 'access'; readonly seconds: number };

/** `error_page 500 502 /50x.html;` (`=code` overrides the status; an http(s) target redirects with 302). */
export interface ErrorPage {
  readonly uri: Value;
  readonly overwrite?: number;
}

export type RewriteFlag = 'last' | 'break' | 'redirect' | 'permanent';

export type RewriteOp =
  | { readonly kind: 'rewrite'; readonly regex: RegExp; readonly replacement: Value; readonly flag?: RewriteFlag }
  | { readonly kind: 'return'; readonly code: number; readonly text?: Value };

export interface ProxyPass {
  /** Upstream block name, or `host:port` of an implicit single-server upstream. */
  readonly upstream: string;
  /** URI part of the proxy_pass URL (`http://u/x/` → `/x/`), undefined when none was given. */
  readonly uri?: string;
  /** Host as written, for `$proxy_host` (the default Host header). */
  readonly proxyHost: string;
}

/** Settings that nginx merges from http to server to location (each level inherits what it does not set). */
export interface LocSettings {
  readonly root: string;
  readonly index: readonly Value[];
  readonly errorPages: ReadonlyMap<number, ErrorPage>;
  readonly addHeaders: readonly AddHeader[];
  readonly expires: Expires;
  readonly defaultType: string;
  readonly types: ReadonlyMap<string, string>;
  readonly accessLogs: readonly AccessLogTarget[];
  readonly keepaliveTimeout: Micros;
  /** A connection serves at most this many requests (the last one says `Connection: close`). */
  readonly keepaliveRequests: number;
  /** A connection older than this is closed after its current request. */
  readonly keepaliveTime: Micros;
  readonly serverTokens: boolean;
  readonly proxySetHeaders: readonly (readonly [name: string, value: Value])[];
  readonly proxyNextUpstream: ReadonlySet<string>;
  readonly proxyNextUpstreamTries: number;
  readonly proxyConnectTimeout: Micros;
  readonly proxyReadTimeout: Micros;
  readonly proxySendTimeout: Micros;
  readonly proxyHttpVersion: '1.0' | '1.1';
}

export interface AccessLogTarget {
  readonly path: string;
  readonly format: string;
}

export interface LocationConf {
  readonly modifier: '=' | '^~' | '~' | '~*' | '';
  readonly name: string;
  readonly regex?: RegExp;
  readonly rewrites: readonly RewriteOp[];
  readonly proxyPass?: ProxyPass;
  readonly settings: LocSettings;
  readonly locations: readonly LocationConf[];
  readonly file: string;
  readonly line: number;
}

export interface ServerConf {
  readonly listens: readonly Listen[];
  readonly serverNames: readonly string[];
  readonly rewrites: readonly RewriteOp[];
  /** The server's own location-level settings: used when no location matches. */
  readonly settings: LocSettings;
  readonly locations: readonly LocationConf[];
  readonly file: string;
  readonly line: number;
}

export interface UpstreamServerConf {
  /** As written in the config, e.g. `192.168.23.80` or `127.0.0.1:8080` (nginx logs `upstream: "http://…"`). */
  readonly name: string;
  readonly addr: string;
  readonly port: number;
  readonly weight: number;
  readonly maxFails: number;
  readonly failTimeout: Micros;
  readonly backup: boolean;
  readonly down: boolean;
}

export interface UpstreamConf {
  readonly name: string;
  readonly servers: readonly UpstreamServerConf[];
  /** Made by proxy_pass to a host (not an upstream block): never marks its single peer failed. */
  readonly implicit: boolean;
}

export interface LogFormat {
  readonly name: string;
  readonly value: Value;
}

export interface HttpConf {
  readonly servers: readonly ServerConf[];
  readonly upstreams: ReadonlyMap<string, UpstreamConf>;
  readonly logFormats: ReadonlyMap<string, LogFormat>;
}

/** nginx's log levels, most severe first (ngx_log.h). */
export const ERROR_LOG_LEVELS = ['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug'] as const;
export type ErrorLogLevel = (typeof ERROR_LOG_LEVELS)[number];

export interface NginxConf {
  readonly prefix: string;
  readonly confPath: string;
  readonly user?: { readonly user: string; readonly group: string };
  readonly workerProcesses: number | 'auto';
  readonly errorLog: string;
  /** The error_log level: lines of this severity and worse are written (default `error`). */
  readonly errorLogLevel: ErrorLogLevel;
  readonly pid: string;
  readonly workerConnections: number;
  readonly http?: HttpConf;
  /** Directives nginx accepts whose effect the simulator does not reproduce (warn the user about them). */
  readonly unsupported: readonly ConfDirective[];
}
