import { header, type Exchange } from './exchange';
import { localCivil } from './http-date';

/** An error_log entry of a request: level and the text after nginx's `*<connection> ` prefix. */
export interface RequestLogEntry {
  readonly level: 'error' | 'warn';
  readonly text: string;
}

/**
 * Adds `message` with the request context nginx appends (ngx_http_log_error): client, server, request,
 * upstream (`http://<peer or upstream name><uri>`), host, referrer.
 */
export function logRequestError(ex: Exchange, level: RequestLogEntry['level'], message: string, upstream?: string): void {
  const req = ex.request;
  let text = `${message}, client: ${req.remoteAddr}, server: ${(ex.server.serverNames[0] ?? '').toLowerCase()}`;
  text += `, request: "${req.method} ${req.path} ${req.version ?? 'HTTP/1.1'}"`;
  if (upstream !== undefined) text += `, upstream: "http://${upstream}${ex.upstreamUri ?? ''}"`;
  const host = header(req, 'Host');
  if (host !== undefined) text += `, host: "${host}"`;
  const referrer = header(req, 'Referer');
  if (referrer !== undefined) text += `, referrer: "${referrer}"`;
  ex.errors.push({ level, text });
}

/** `2026/11/26 02:56:32 [error] 11300#11300: *15 ` for a host wall clock, zone offset, pid and connection number. */
export function errorLogPrefix(nowMs: number, tzOffsetMinutes: number, level: string, pid: number, connection?: number): string {
  const c = localCivil(nowMs, tzOffsetMinutes);
  const p = (n: number): string => String(n).padStart(2, '0');
  const when = `${c.year}/${p(c.month)}/${p(c.day)} ${p(c.hour)}:${p(c.minute)}:${p(c.second)}`;
  return `${when} [${level}] ${pid}#${pid}: ${connection !== undefined ? `*${connection} ` : ''}`;
}
