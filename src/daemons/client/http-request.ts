/** The bytes curl 7.76.1 sends for a request: request line, Host, User-Agent, Accept, extra headers, CRLF. */

export const CURL_USER_AGENT = 'curl/7.76.1';

export interface RequestHead {
  readonly method: string;
  /** Path and query, `/test.html`. */
  readonly path: string;
  /** The Host header's value: the URL's host, with `:port` unless it is 80. */
  readonly host: string;
  /**
   * `-H` headers in order. One named like a default header replaces it in place; an empty value
   * (`-H 'Accept:'`) removes it.
   */
  readonly extra?: ReadonlyArray<readonly [string, string]>;
  readonly userAgent?: string;
}

/** The request's header lines, each without its CRLF (curl -v prints them after `> `). */
export function requestLines(r: RequestHead): string[] {
  const headers: Array<[string, string]> = [
    ['Host', r.host],
    ['User-Agent', r.userAgent ?? CURL_USER_AGENT],
    ['Accept', '*/*'],
  ];
  for (const [name, value] of r.extra ?? []) {
    const i = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    if (i >= 0 && value === '') headers.splice(i, 1);
    else if (i >= 0) headers[i] = [headers[i]![0], value];
    else if (value !== '') headers.push([name, value]);
  }
  return [`${r.method} ${r.path} HTTP/1.1`, ...headers.map(([n, v]) => `${n}: ${v}`)];
}

export function requestText(r: RequestHead): string {
  return requestLines(r).join('\r\n') + '\r\n\r\n';
}

/** `host[:port]` as curl writes it into the Host header. */
export function hostHeader(host: string, port: number): string {
  return port === 80 ? host : `${host}:${port}`;
}
