import type { AppendFile } from '../../host/append-file';
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
  const values: (string | undefined)[] = [];
  readValues(format, ex, response, clock, values);
  writeValues(format, values, sink);
}

/** What the format's variables read for the request (its literal parts have none). */
function readValues(format: Value, ex: Exchange, response: HttpResponse, clock: VariableClock, values: (string | undefined)[]): void {
  const parts = compiled(format);
  // setting an array's length is a call into the runtime, even to the same length
  if (values.length !== parts.length) values.length = parts.length;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    values[i] = typeof part === 'string' ? undefined : part(ex, clock, response);
  }
}

function writeValues(format: Value, values: readonly (string | undefined)[], sink: LineSink): void {
  const parts = compiled(format);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (typeof part === 'string') {
      sink.write(part);
      continue;
    }
    const value = values[i];
    sink.write(value === undefined || value === '' ? '-' : escapeDefault(value));
  }
}

function sameValues(a: readonly (string | undefined)[], b: readonly (string | undefined)[], n: number): boolean {
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The access_log lines written into one file: a line whose variables read as those of the line before, still
 * the file's last, is that line again, and the file only counts it (a client asking for the same page within
 * a second), without the line's bytes being made and compared again.
 */
export class AccessLogWriter {
  private format: Value | undefined;
  private last: (string | undefined)[] = [];
  private next: (string | undefined)[] = [];
  private file: AppendFile | undefined;
  /** The file's line count after the line before. */
  private lines = -1;

  write(file: AppendFile, format: Value, ex: Exchange, response: HttpResponse, clock: VariableClock): void {
    const values = this.next;
    readValues(format, ex, response, clock, values);
    const again = file === this.file && file.lineCount === this.lines && format === this.format && sameValues(values, this.last, values.length);
    if (!again || !file.repeatLine()) {
      writeValues(format, values, file);
      file.endLine();
      this.next = this.last;
      this.last = values;
      this.format = format;
      this.file = file;
    }
    this.lines = file.lineCount;
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
