import type { AccessLogTarget } from './conf-model';
import type { Exchange } from './exchange';
import type { HttpResponse } from './response';
import type { Value } from './value';
import { compiled, type VariableClock } from './variables';

/**
 * Escaping of ngx_http_log_module's default `escape=default`: `"`, `\`, control bytes and bytes >= 0x7f
 * become `\xHH`.
 */
function needsEscape(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f || c === 0x22 || c === 0x5c) return true;
  }
  return false;
}

function escapeDefault(text: string): string {
  if (!needsEscape(text)) return text;
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    out += ch === '"' || ch === '\\' || code < 0x20 || code >= 0x7f ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : ch;
  }
  return out;
}

/** Where a log line goes, piece by piece: a string being built, or the log file itself. */
export interface LineSink {
  write(text: string): void;
}

/** One log_format line, written to `sink` piece by piece: every variable unset or empty is written `-`. */
export function writeLogLine(format: Value, ex: Exchange, response: HttpResponse, clock: VariableClock, sink: LineSink): void {
  const parts = compiled(format);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (typeof part === 'string') {
      sink.write(part);
      continue;
    }
    const value = part(ex, clock, response);
    sink.write(value === undefined || value === '' ? '-' : escapeDefault(value));
  }
}

/** Builds a line as one string. */
class LineText implements LineSink {
  text = '';
  write(text: string): void {
    this.text += text;
  }
}

/** One log_format line as a string. */
export function formatLogLine(format: Value, ex: Exchange, response: HttpResponse, clock: VariableClock): string {
  const line = new LineText();
  writeLogLine(format, ex, response, clock, line);
  return line.text;
}

/** The log_format an access_log target names (the builder checked that every access_log names a known one). */
export function accessLogFormat(ex: Exchange, target: AccessLogTarget): Value {
  return ex.conf.http!.logFormats.get(target.format)!.value;
}

/** The line an access_log target of the location that finished the request gets. */
export function accessLogLine(ex: Exchange, target: AccessLogTarget, response: HttpResponse, clock: VariableClock): string {
  return formatLogLine(accessLogFormat(ex, target), ex, response, clock);
}

/** The access_log lines of the location that finished the request: one per access_log target (path, line). */
export function accessLogLines(
  ex: Exchange,
  response: HttpResponse,
  clock: VariableClock,
): readonly { readonly path: string; readonly line: string }[] {
  return ex.settings.accessLogs.map((target) => ({ path: target.path, line: accessLogLine(ex, target, response, clock) }));
}
