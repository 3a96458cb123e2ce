import type { Exchange } from './exchange';
import type { HttpResponse } from './response';
import type { Value } from './value';
import { variable, type VariableClock } from './variables';

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

/** One log_format line: every variable unset or empty is written `-`. */
export function formatLogLine(format: Value, ex: Exchange, response: HttpResponse, clock: VariableClock): string {
  const bodyBytes = response.body.length;
  const sent = { status: response.status, headers: response.headers, bodyBytes };
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const part = format[i]!;
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const value = variable(ex, part.variable, clock, sent);
    out += value === undefined || value === '' ? '-' : escapeDefault(value);
  }
  return out;
}

/** The access_log lines of the location that finished the request: one per access_log target (path, line). */
export function accessLogLines(
  ex: Exchange,
  response: HttpResponse,
  clock: VariableClock,
): readonly { readonly path: string; readonly line: string }[] {
  const formats = ex.conf.http?.logFormats;
  return ex.settings.accessLogs.map((target) => ({
    path: target.path,
    line: formatLogLine(formats!.get(target.format)!.value, ex, response, clock),
  }));
}
