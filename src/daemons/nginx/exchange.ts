import type { RequestLogEntry } from './error-log';
import type { LocSettings, LocationConf, NginxConf, ServerConf } from './conf-model';

/** A request as the TCP side parsed it. `path` is the request target as sent (`/a/b.html?x=1`). */
export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  /** Default `HTTP/1.1`. */
  readonly version?: 'HTTP/1.0' | 'HTTP/1.1';
  /**
   * The request line as received, when the TCP side has it. A head received again shares its parse, and so
   * this very string: an access log line compares it at once with the line before.
   */
  readonly line?: string;
  /** In arrival order, names as sent. */
  readonly headers: readonly (readonly [name: string, value: string])[];
  /** The request body (latin1), when the client sent one (Content-Length). */
  readonly body?: string;
  readonly remoteAddr: string;
  readonly remotePort: number;
  /** The local address and port of the accepted connection. */
  readonly serverAddr: string;
  readonly serverPort: number;
  /** This request's number on its connection ($connection_requests), from 1. */
  readonly connectionRequests: number;
  /** When the connection was accepted, on the host's clock (ms), for keepalive_time. */
  readonly connectionStartMs: number;
}

/**
 * The host's files as the static module sees them (the host VFS): the file or directory at `root + uri`, a
 * location's root and a URI under it; data is a byte string (latin1).
 */
export interface HostFs {
  stat(root: string, uri: string): { readonly kind: 'file' | 'dir'; readonly size: number; readonly mtimeMs: number } | undefined;
  read(root: string, uri: string): string | undefined;
}

/**
 * Everything known about one request while nginx works on it: where it went (server, location, URI after
 * rewrites and internal redirects) and what the log needs. Mutable only inside the request functions.
 */
export interface Exchange {
  readonly conf: NginxConf;
  readonly request: HttpRequest;
  readonly server: ServerConf;
  /** GET after an error_page redirect of another method. */
  method: string;
  location: LocationConf | undefined;
  settings: LocSettings;
  uri: string;
  args: string | undefined;
  captures: readonly string[];
  /** Status forced by error_page for the internal redirect target. */
  errorStatus: number | undefined;
  /** Remaining URI changes (nginx allows 10 rewrites/internal redirects). */
  uriChanges: number;
  /** Error log entries nginx would write for this request (the time/pid/connection prefix is the caller's). */
  readonly errors: RequestLogEntry[];
  /** URI sent upstream, for the `upstream: "http://peer/uri"` of error log lines. */
  upstreamUri: string | undefined;
  upstreamAddrs: string[];
  upstreamStatuses: string[];
}

export function header(req: HttpRequest, name: string): string | undefined {
  const headers = req.headers;
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    if (sameFieldName(h[0], name)) return h[1];
  }
  return undefined;
}

/** Header names compare without case (what toLowerCase on both would say), here without a string per call. */
export function sameFieldName(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0x80 || y >= 0x80) return a.toLowerCase() === b.toLowerCase();
    const lx = x >= 0x41 && x <= 0x5a ? x + 32 : x;
    const ly = y >= 0x41 && y <= 0x5a ? y + 32 : y;
    if (lx !== ly) return false;
  }
  return true;
}
