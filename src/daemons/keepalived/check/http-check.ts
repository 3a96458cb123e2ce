import type { HttpUrl } from '../config';
import { initialCore, verdict, type CheckerAction, type CheckerCore, type CheckerTiming } from './checker-core';
import type { HttpReply } from './http-reply';

/**
 * HTTP_GET / SSL_GET as keepalived 2.2.7 runs it (check_http.c: http_connect_thread … http_read_thread,
 * http_handle_response, epilog, timeout_epilog), as a pure machine. One attempt = connect, send the GET of
 * the current url, read to the end of the connection; the driver reports how it ended.
 */
export interface HttpCheckParams extends CheckerTiming {
  /** `[ip]:tcp:port` of the real server (FMT_CHK). */
  readonly rs: string;
  /** `[ip]:tcp:port` of the virtual server (FMT_VS). */
  readonly vs: string;
  readonly urls: readonly HttpUrl[];
  readonly fastRecovery: boolean;
}

export interface HttpCheckState extends CheckerCore {
  /** url_it: the url of the next attempt; undefined once past the last (NULL). */
  urlIt: number | undefined;
  /** failed_url: the url whose failure took the checker down, until it answers again. */
  failedUrl: number | undefined;
  /** url->len_mismatch per url: the Content-Length difference last reported. */
  lenMismatch: number[];
}

/** How one attempt ended, in the terms of keepalived's socket states. */
export type HttpAttemptResult =
  /** The connection could not be made: refused or unreachable after the SYN (connect_fail). */
  | { readonly kind: 'connect_fail' }
  /** connect() failed at once (no route): tcp_bind_connect's connect_fail. */
  | { readonly kind: 'unreachable' }
  /** connect_timeout passed before the handshake completed. */
  | { readonly kind: 'connect_timeout' }
  /** connect_timeout passed without a byte after the request (`bytes: false`) or between two reads. */
  | { readonly kind: 'read_timeout'; readonly bytes: boolean }
  /** The connection broke while reading (read() == -1). */
  | { readonly kind: 'read_error' }
  /** The server closed the connection: what it sent, read as keepalived does. */
  | { readonly kind: 'eof'; readonly reply: HttpReply };

export type HttpCheckInput = { readonly kind: 'timer' } | { readonly kind: 'result'; readonly result: HttpAttemptResult };

type Method = 'new' | 'retry' | 'failed';

export function httpInitialState(p: HttpCheckParams): HttpCheckState {
  return { ...initialCore(p), urlIt: p.urls.length ? 0 : undefined, failedUrl: undefined, lenMismatch: p.urls.map(() => 0) };
}

/** Steps the machine in place and returns what to do, in order. */
export function httpStep(p: HttpCheckParams, s: HttpCheckState, input: HttpCheckInput): CheckerAction[] {
  const out: CheckerAction[] = [];
  if (input.kind === 'timer') {
    // No url at all: the server is declared up without a check.
    if (s.urlIt === undefined) epilog(p, s, 'new', out);
    else out.push({ kind: 'attempt', url: s.urlIt });
    return out;
  }
  const r = input.result;
  switch (r.kind) {
    case 'connect_fail':
      timeoutEpilog(p, s, 'Connection failed', out);
      break;
    case 'unreachable':
      timeoutEpilog(p, s, 'HTTP_CHECK - network unreachable', out);
      break;
    case 'connect_timeout':
      timeoutEpilog(p, s, 'Timeout connecting', out);
      break;
    case 'read_timeout':
      timeoutEpilog(p, s, r.bytes ? 'Timeout HTTP read' : 'Timeout WEB read', out);
      break;
    case 'read_error':
      timeoutEpilog(p, s, 'Read error with', out);
      break;
    case 'eof':
      handleResponse(p, s, r.reply, out);
      break;
  }
  return out;
}

function inSet(url: HttpUrl, code: number): boolean {
  return code >= 100 && code <= 599 && url.statusCode.some((r) => code >= r.from && code <= r.to);
}

/** http_handle_response: data, then status code, then (logged only) length, then digest. */
function handleResponse(p: HttpCheckParams, s: HttpCheckState, reply: HttpReply, out: CheckerAction[]): void {
  const i = s.urlIt ?? 0;
  const url = p.urls[i]!;
  if (!reply.extracted) return timeoutEpilog(p, s, 'Read, no data received from ', out);
  if (!inSet(url, reply.statusCode)) return timeoutEpilog(p, s, 'HTTP status code error to', out);
  if (reply.contentLength !== undefined && reply.contentLength !== reply.rxBytes) {
    const diff = reply.contentLength - reply.rxBytes;
    if (s.lenMismatch[i] !== diff) {
      const vhost = url.virtualhost ?? '';
      out.push({
        kind: 'log',
        text: `http_check for RS ${p.rs} VS ${p.vs} url ${vhost}${url.path ?? ''}: content_length (${reply.contentLength}) does not match received bytes (${reply.rxBytes})`,
      });
      s.lenMismatch[i] = diff;
    }
  } else s.lenMismatch[i] = 0;
  let what = 'HTTP status code';
  if (url.digest !== undefined) {
    if (url.digest !== reply.digest) return timeoutEpilog(p, s, 'MD5 digest error to', out);
    what = 'MD5 digest';
  }
  if (!s.isUp) out.push({ kind: 'log', text: `${what} success to ${p.rs} url(${url.path ?? ''})` });
  epilog(p, s, 'new', out);
}

/** A failed attempt: counted as a retry while the checker is up (or has not run), else just rescheduled. */
function timeoutEpilog(p: HttpCheckParams, s: HttpCheckState, what: string, out: CheckerAction[]): void {
  if (s.isUp || !s.hasRun) {
    if (p.logAllFailures) out.push({ kind: 'log', text: `${what} server ${p.rs}.` });
    s.hasRun = true;
    epilog(p, s, 'retry', out);
  } else epilog(p, s, 'failed', out);
}

function epilog(p: HttpCheckParams, s: HttpCheckState, method: Method, out: CheckerAction[]): void {
  if (method === 'new') {
    s.urlIt = s.urlIt === undefined || s.urlIt + 1 >= p.urls.length ? undefined : s.urlIt + 1;
    s.retryIt = 0;
  } else if (method === 'retry') s.retryIt++;

  if (method === 'new' && s.urlIt === undefined && s.failedUrl === undefined) {
    // Every url answered: the server is up (logged when it was down, or on the very first run).
    if (!s.isUp || !s.hasRun) {
      out.push({ kind: 'log', text: `Remote Web server ${p.rs} succeed on service.` });
      verdict(s, p.alpha, true, out);
      s.hasRun = true;
    }
    s.urlIt = p.urls.length ? 0 : undefined;
    s.retryIt = 0;
  } else if (method === 'retry' && s.retryIt > p.retry) {
    if (s.isUp || !s.hasRun) {
      // SSL_GET logs as HTTP_CHECK too in 2.2.7.
      const text = s.hasRun && p.retry
        ? `HTTP_CHECK on service ${p.rs} failed after ${s.retryIt - 1} retries.`
        : `HTTP_CHECK on service ${p.rs} failed.`;
      out.push({ kind: 'log', text });
      verdict(s, p.alpha, false, out);
    }
    s.failedUrl = s.urlIt;
  } else if (method === 'new' && s.failedUrl !== undefined) {
    // The failed url answers again: one more full round is needed before the server is up.
    s.failedUrl = undefined;
    s.urlIt = 0;
    s.retryIt = 0;
  }

  let delay: number;
  if (method === 'new') {
    delay = p.delayLoop;
    if (!s.hasRun) s.retryIt = p.retry;
  } else if (s.failedUrl !== undefined) delay = Math.max(p.delayBeforeRetry, p.delayLoop);
  else delay = p.delayBeforeRetry;

  const fast = p.fastRecovery && (!s.hasRun || (!s.isUp && s.failedUrl === undefined));
  out.push({ kind: 'arm', delay: fast ? 0 : delay });
}
