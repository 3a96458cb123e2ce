import { latin1 } from './chunked';

/** One request as a server reads it off a connection (the shape nginx's request handling takes). */
export interface ReadRequest {
  readonly method: string;
  /** The request target as sent, `/a/b.html?x=1`. */
  readonly path: string;
  readonly version: 'HTTP/1.0' | 'HTTP/1.1';
  /** In arrival order, names as sent. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** The body as a byte string (latin1), when there is one (Content-Length or chunked). */
  readonly body?: string;
}

/**
 * The server side of HTTP/1.1 framing: bytes from a connection in, whole requests out, one after another
 * on a kept-alive connection (pipelined ones included). Text is handled as latin1, one character per byte.
 * What to answer to a bad request is the server's business (nginx: 400).
 */
export class HttpRequestReader {
  private buffer = '';

  feed(data: Uint8Array): void {
    this.buffer += latin1(data, 0, data.length);
  }

  /** Bytes received and not yet part of a returned request. */
  get pending(): number {
    return this.buffer.length;
  }

  /** The next complete request, `incomplete` (wait for more bytes) or `bad-request`. */
  next(): ReadRequest | 'incomplete' | 'bad-request' {
    const buf = this.buffer;
    const m = /\r?\n\r?\n/.exec(buf);
    if (!m) return 'incomplete';
    const headEnd = m.index + m[0].length;
    const lines = buf.slice(0, m.index).split(/\r?\n/);
    const line = /^([A-Z]+) (\S+) HTTP\/(1\.[01])$/.exec(lines[0]!);
    if (!line) return 'bad-request';
    const headers: Array<[string, string]> = [];
    for (const l of lines.slice(1)) {
      const colon = l.indexOf(':');
      if (colon <= 0) return 'bad-request';
      headers.push([l.slice(0, colon), l.slice(colon + 1).trim()]);
    }
    const get = (n: string) => headers.find(([k]) => k.toLowerCase() === n)?.[1];
    const te = get('transfer-encoding');
    const cl = get('content-length');
    let body: string | undefined;
    let end = headEnd;
    if (te !== undefined) {
      if (!/^chunked$/i.test(te)) return 'bad-request';
      const r = dechunk(buf, headEnd);
      if (r === 'incomplete' || r === 'bad-request') return r;
      [body, end] = r;
    } else if (cl !== undefined) {
      if (!/^\d+$/.test(cl)) return 'bad-request';
      end = headEnd + Number(cl);
      if (buf.length < end) return 'incomplete';
      body = buf.slice(headEnd, end);
    }
    this.buffer = buf.slice(end);
    return {
      method: line[1]!,
      path: line[2]!,
      version: line[3] === '1.0' ? 'HTTP/1.0' : 'HTTP/1.1',
      headers,
      ...(body !== undefined && { body }),
    };
  }
}

/** A chunked body starting at `at`: the body and where the message ends. */
function dechunk(buf: string, at: number): [string, number] | 'incomplete' | 'bad-request' {
  let body = '';
  for (;;) {
    const eol = buf.indexOf('\n', at);
    if (eol < 0) return 'incomplete';
    const size = parseInt(buf.slice(at, eol), 16);
    if (Number.isNaN(size)) return 'bad-request';
    at = eol + 1;
    if (size === 0) {
      // trailer lines up to an empty one
      for (;;) {
        const e = buf.indexOf('\n', at);
        if (e < 0) return 'incomplete';
        const empty = buf.slice(at, e).replace(/\r$/, '') === '';
        at = e + 1;
        if (empty) return [body, at];
      }
    }
    if (buf.length < at + size) return 'incomplete';
    body += buf.slice(at, at + size);
    const crlf = buf.indexOf('\n', at + size);
    if (crlf < 0) return 'incomplete';
    at = crlf + 1;
  }
}
