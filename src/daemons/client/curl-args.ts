import { MS, SECOND, type Micros } from '../../sim/time';

/** What a curl command line asks for (the options the simulated curl knows). */
export interface CurlOptions {
  readonly silent: boolean;
  /** -S: errors even with -s. */
  readonly showError: boolean;
  /** -I: HEAD, print the headers. */
  readonly head: boolean;
  /** -i: print the headers before the body. */
  readonly include: boolean;
  readonly verbose: boolean;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly method?: string;
  readonly userAgent?: string;
  readonly maxTime?: Micros;
  readonly connectTimeout?: Micros;
  readonly output?: string;
  readonly url: string;
}

export const CURL_HINT = "curl: try 'curl --help' or 'curl --manual' for more information\n";

const LONG: Record<string, string> = {
  '--silent': 's',
  '--show-error': 'S',
  '--head': 'I',
  '--include': 'i',
  '--verbose': 'v',
  '--header': 'H',
  '--max-time': 'm',
  '--connect-timeout': 'C',
  '--output': 'o',
  '--request': 'X',
  '--user-agent': 'A',
};
const WITH_VALUE = new Set(['H', 'm', 'C', 'o', 'X', 'A']);

/** Parses curl's arguments; a string is the error text curl prints (exit status 2). */
export function parseCurlArgs(args: readonly string[]): CurlOptions | string {
  let silent = false;
  let showError = false;
  let head = false;
  let include = false;
  let verbose = false;
  const headers: Array<[string, string]> = [];
  let method: string | undefined;
  let userAgent: string | undefined;
  let maxTime: Micros | undefined;
  let connectTimeout: Micros | undefined;
  let output: string | undefined;
  let url: string | undefined;
  const apply = (opt: string, value: string | undefined, shown: string): string | undefined => {
    switch (opt) {
      case 's':
        silent = true;
        return undefined;
      case 'S':
        showError = true;
        return undefined;
      case 'I':
        head = true;
        return undefined;
      case 'i':
        include = true;
        return undefined;
      case 'v':
        verbose = true;
        return undefined;
      case 'H': {
        const colon = value!.indexOf(':');
        if (colon > 0) headers.push([value!.slice(0, colon), value!.slice(colon + 1).trim()]);
        return undefined;
      }
      case 'm':
      case 'C': {
        const secs = Number(value);
        if (!(secs >= 0)) return `curl: option ${shown}: expected a proper numerical parameter\n`;
        // 0 means no limit, as in curl.
        const us = secs > 0 ? Math.round(secs * SECOND) : undefined;
        if (opt === 'm') maxTime = us;
        else connectTimeout = us;
        return undefined;
      }
      case 'o':
        output = value;
        return undefined;
      case 'X':
        method = value;
        return undefined;
      case 'A':
        userAgent = value;
        return undefined;
      default:
        return `curl: option ${shown}: is unknown\n`;
    }
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const opt = LONG[a];
      if (opt === undefined) return `curl: option ${a}: is unknown\n${CURL_HINT}`;
      let value: string | undefined;
      if (WITH_VALUE.has(opt)) {
        value = args[++i];
        if (value === undefined) return `curl: option ${a}: requires parameter\n${CURL_HINT}`;
      }
      const err = apply(opt, value, a);
      if (err) return err + CURL_HINT;
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const opt = a[j]!;
        let value: string | undefined;
        if (WITH_VALUE.has(opt)) {
          value = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (value === undefined) return `curl: option -${opt}: requires parameter\n${CURL_HINT}`;
          j = a.length;
        } else if (opt === 'C') return `curl: option -C: is unknown\n${CURL_HINT}`;
        const err = apply(opt, value, `-${opt}`);
        if (err) return err + CURL_HINT;
      }
    } else url ??= a;
  }
  if (url === undefined) return `curl: no URL specified!\n${CURL_HINT}`;
  return {
    silent,
    showError,
    head,
    include,
    verbose,
    headers,
    ...(method !== undefined && { method }),
    ...(userAgent !== undefined && { userAgent }),
    ...(maxTime !== undefined && { maxTime }),
    ...(connectTimeout !== undefined && { connectTimeout }),
    ...(output !== undefined && { output }),
    url,
  };
}

export interface ParsedUrl {
  readonly scheme: string;
  readonly host: string;
  readonly port: number;
  readonly path: string;
}

/** `http://host[:port][/path]` (the scheme may be left out, as curl allows); a string is curl's error. */
export function parseUrl(text: string): ParsedUrl | { code: number; message: string } {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):\/\/)?([^/:?#]*)(?::([^/?#]*))?([^#]*)/.exec(text)!;
  const scheme = (m[1] ?? 'http').toLowerCase();
  if (scheme !== 'http') return { code: 1, message: `Protocol "${scheme}" not supported or disabled in libcurl` };
  const host = m[2]!;
  const portText = m[3];
  if (host === '' || (portText !== undefined && !/^\d{1,5}$/.test(portText)) || Number(portText ?? 80) > 65535) {
    return { code: 3, message: 'URL using bad/illegal format or missing URL' };
  }
  let path = m[4] || '/';
  if (path.startsWith('?')) path = '/' + path;
  return { scheme, host, port: Number(portText ?? 80), path };
}

/** curl reports a timeout when its loop notices it: a millisecond after the limit. */
export const CURL_TIMEOUT_SLACK: Micros = MS;
