import { SECOND, type Micros } from '../../sim/time';
import type { AccessLogTarget, AddHeader, ErrorPage, Expires, LocSettings } from './conf-model';
import { compileValue, type Value } from './value';

/** What one level (http, server, location) set itself; unset fields are inherited. */
export interface Level {
  root?: string;
  index?: Value[];
  errorPages?: Map<number, ErrorPage>;
  addHeaders?: AddHeader[];
  expires?: Expires;
  defaultType?: string;
  types?: Map<string, string>;
  accessLogs?: AccessLogTarget[];
  keepaliveTimeout?: Micros;
  keepaliveRequests?: number;
  keepaliveTime?: Micros;
  serverTokens?: boolean;
  proxySetHeaders?: [string, Value][];
  proxyNextUpstream?: Set<string>;
  proxyNextUpstreamTries?: number;
  proxyConnectTimeout?: Micros;
  proxyReadTimeout?: Micros;
  proxySendTimeout?: Micros;
  proxyHttpVersion?: '1.0' | '1.1';
}

/** Types known without a `types` block. */
const DEFAULT_TYPES = new Map([
  ['html', 'text/html'],
  ['gif', 'image/gif'],
  ['jpg', 'image/jpeg'],
]);

/** Defaults of nginx 1.22.1 for a prefix: root html, index index.html, access_log logs/access.log combined … */
export function defaultSettings(full: (path: string) => string): LocSettings {
  return {
    root: full('html'),
    index: [compileValue('index.html')],
    errorPages: new Map(),
    addHeaders: [],
    expires: { kind: 'off' },
    defaultType: 'text/plain',
    types: DEFAULT_TYPES,
    accessLogs: [{ path: full('logs/access.log'), format: 'combined' }],
    keepaliveTimeout: 75 * SECOND,
    keepaliveRequests: 1000,
    keepaliveTime: 3600 * SECOND,
    serverTokens: true,
    proxySetHeaders: [],
    proxyNextUpstream: new Set(['error', 'timeout']),
    proxyNextUpstreamTries: 0,
    proxyConnectTimeout: 60 * SECOND,
    proxyReadTimeout: 60 * SECOND,
    proxySendTimeout: 60 * SECOND,
    proxyHttpVersion: '1.0',
  };
}

/** nginx's merge: a level keeps what it set and inherits the rest (add_header, error_page … as whole lists). */
export function mergeSettings(parent: LocSettings, own: Level): LocSettings {
  return {
    root: own.root ?? parent.root,
    index: own.index ?? parent.index,
    errorPages: own.errorPages ?? parent.errorPages,
    addHeaders: own.addHeaders ?? parent.addHeaders,
    expires: own.expires ?? parent.expires,
    defaultType: own.defaultType ?? parent.defaultType,
    types: own.types ?? parent.types,
    accessLogs: own.accessLogs ?? parent.accessLogs,
    keepaliveTimeout: own.keepaliveTimeout ?? parent.keepaliveTimeout,
    keepaliveRequests: own.keepaliveRequests ?? parent.keepaliveRequests,
    keepaliveTime: own.keepaliveTime ?? parent.keepaliveTime,
    serverTokens: own.serverTokens ?? parent.serverTokens,
    proxySetHeaders: own.proxySetHeaders ?? parent.proxySetHeaders,
    proxyNextUpstream: own.proxyNextUpstream ?? parent.proxyNextUpstream,
    proxyNextUpstreamTries: own.proxyNextUpstreamTries ?? parent.proxyNextUpstreamTries,
    proxyConnectTimeout: own.proxyConnectTimeout ?? parent.proxyConnectTimeout,
    proxyReadTimeout: own.proxyReadTimeout ?? parent.proxyReadTimeout,
    proxySendTimeout: own.proxySendTimeout ?? parent.proxySendTimeout,
    proxyHttpVersion: own.proxyHttpVersion ?? parent.proxyHttpVersion,
  };
}
