import { latin1 } from '../../net/latin1';

/**
 * Reading HTTP/1.x off a connection, as nginx's parsers do before the request or upstream modules see it.
 * Bytes are kept as latin1 strings (one char per byte), the form the nginx core works in.
 */

/** A request head as received: request line parts and header fields in order. */
export interface RequestHead {
  readonly method: string;
  readonly target: string;
  readonly version: 'HTTP/1.0' | 'HTTP/1.1';
  readonly headers: (readonly [string, string])[];
  /** Content-Length of the body (0 when none). */
  readonly bodyLength: number;
}

function parseHead(block: string): RequestHead {
  let eol = block.indexOf('\r\n');
  if (eol < 0) eol = block.length;
  const first = block.slice(0, eol);
  const sp1 = first.indexOf(' ');
  const sp2 = first.lastIndexOf(' ');
  const proto = first.slice(sp2 + 1);
  const bad = sp1 <= 0 || sp2 <= sp1 || (proto !== 'HTTP/1.0' && proto !== 'HTTP/1.1');
  const headers: (readonly [string, string])[] = [];
  let bodyLength = 0;
  for (let start = eol + 2; start <= block.length; ) {
    let end = block.indexOf('\r\n', start);
    if (end < 0) end = block.length;
    const colon = block.indexOf(':', start);
    if (colon > start && colon < end) {
      const name = block.slice(start, colon);
      const value = block.slice(colon + 1, end).trim();
      headers.push([name, value]);
      if (name.length === 14 && name.toLowerCase() === 'content-length') bodyLength = Number(value) || 0;
    }
    start = end + 2;
  }
  return {
    method: bad ? first.slice(0, Math.max(sp1, 0)) : first.slice(0, sp1),
    // a request line that is not HTTP gets no target: the core answers 400 as nginx does
    target: bad ? '' : first.slice(sp1 + 1, sp2),
    version: proto === 'HTTP/1.0' ? 'HTTP/1.0' : 'HTTP/1.1',
    headers,
    bodyLength,
  };
}

/**
 * Requests arriving on one client connection, one after the other (keep-alive; pipelined bytes wait for
 * their turn).
 */
export class RequestReader {
  private pending = '';

  push(data: Uint8Array): void {
    this.pending = this.pending === '' ? latin1(data) : this.pending + latin1(data);
  }

  /** The next request received in full, if any. */
  next(): { head: RequestHead; body: string } | undefined {
    const text = this.pending;
    const end = text.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const head = parseHead(text.slice(0, end));
    const bodyEnd = end + 4 + head.bodyLength;
    if (text.length < bodyEnd) return undefined;
    this.pending = text.length === bodyEnd ? '' : text.slice(bodyEnd);
    return { head, body: text.slice(end + 4, bodyEnd) };
  }
}

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})/;

/** A response from an upstream server: head, then a body framed by Content-Length or by the connection's end. */
export class UpstreamResponseReader {
  private text = '';
  private headEnd = -1;
  status = 0;
  headers: (readonly [string, string])[] = [];
  private bodyLength = -1;
  /** Whether the status line and headers arrived. */
  get headDone(): boolean {
    return this.headEnd >= 0;
  }
  /** The response is not HTTP (nginx: `upstream sent no valid HTTP/1.0 header`). */
  invalid = false;

  /** Returns true when the response is complete. */
  feed(data: Uint8Array): boolean {
    this.text = this.text === '' ? latin1(data) : this.text + latin1(data);
    if (this.headEnd < 0) {
      const end = this.text.indexOf('\r\n\r\n');
      if (end < 0) return false;
      this.headEnd = end + 4;
      const text = this.text;
      let eol = text.indexOf('\r\n');
      if (eol > end) eol = end;
      const m = STATUS_LINE.exec(text.slice(0, eol));
      if (!m) {
        this.invalid = true;
        return false;
      }
      this.status = Number(m[1]);
      for (let start = eol + 2; start <= end; ) {
        let stop = text.indexOf('\r\n', start);
        if (stop > end) stop = end;
        const colon = text.indexOf(':', start);
        if (colon > start && colon < stop) {
          const name = text.slice(start, colon);
          const value = text.slice(colon + 1, stop).trim();
          this.headers.push([name, value]);
          if (name.length === 14 && name.toLowerCase() === 'content-length') this.bodyLength = Number(value);
        }
        start = stop + 2;
      }
    }
    return this.bodyLength >= 0 && this.text.length - this.headEnd >= this.bodyLength;
  }

  get body(): string {
    const b = this.text.slice(this.headEnd);
    return this.bodyLength >= 0 ? b.slice(0, this.bodyLength) : b;
  }
}
