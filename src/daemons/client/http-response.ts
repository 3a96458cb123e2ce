import { latin1 } from '../../net/latin1';
import { ChunkedDecoder, type BodySink } from './chunked';

/**
 * An HTTP/1.1 response read from a byte stream as it arrives: status line, headers, then a body framed by
 * Content-Length, chunked transfer coding, or the end of the connection (RFC 9112 §6.3). Interim 1xx
 * responses are skipped; HEAD answers and 204/304 have no body.
 */
export type BodyFraming = 'none' | 'length' | 'chunked' | 'close';

const MAX_HEAD = 64 * 1024;
const STATUS_LINE = /^(HTTP\/\d(?:\.\d)?) (\d{3})(?: (.*))?$/;

/**
 * One string per distinct header value across the header maps a load records (Server, Content-Type, an ETag,
 * the Date of the current second): a value sliced out of the received head keeps the whole head alive for as
 * long as the record lives, and a copy per response would still cost its bytes. Emptied when full, as Date
 * brings a new value every second.
 */
const sharedValues = new Map<string, string>();
const SHARED_VALUES_MAX = 1024;

function sharedValue(v: string): string {
  const known = sharedValues.get(v);
  if (known !== undefined) return known;
  if (sharedValues.size >= SHARED_VALUES_MAX) sharedValues.clear();
  sharedValues.set(v, v);
  return v;
}

export class HttpResponseParser implements BodySink {
  /** The status line and headers as received, CRLFs included (curl -i prints them as they are). */
  headText = '';
  version = '';
  status = 0;
  reason = '';
  /** Header fields in order, names as sent. */
  readonly headers: Array<[string, string]> = [];
  /** The names of `headers` lower-cased, index for index: lower-cased once, not at every look-up. */
  private readonly lowerNames: string[] = [];
  framing: BodyFraming = 'none';
  /** Body bytes received (after dechunking). */
  bodyLength = 0;
  /** Content-Length, when given. */
  contentLength = -1;
  /** Body pieces, when kept. */
  readonly body: Uint8Array[] = [];
  /** Any byte received at all. */
  received = 0;
  done = false;
  /** The response is not HTTP (a broken status line or header block). */
  malformed = false;

  private inHead = true;
  private pendingHead = '';
  private remaining = 0;
  /** Made when a chunked body comes (most responses have a Content-Length). */
  private chunked: ChunkedDecoder | undefined;

  constructor(
    private readonly keepBody: boolean,
    private readonly head: boolean,
  ) {}

  feed(data: Uint8Array): void {
    this.received += data.length;
    let off = 0;
    while (off < data.length && !this.done && !this.malformed) {
      if (this.inHead) off = this.readHead(data, off);
      else if (this.framing === 'chunked') {
        const chunked = (this.chunked ??= new ChunkedDecoder());
        off = chunked.read(data, off, this);
        this.done = chunked.done;
        this.malformed = chunked.malformed;
      }
      else off = this.readBody(data, off, data.length - off);
    }
  }

  /** The connection's end: completes a close-delimited body. */
  eof(): void {
    if (!this.inHead && this.framing === 'close') this.done = true;
  }

  /** Lower-case names, repeated fields joined with ", " (what expectations read). */
  headerMap(): Record<string, string> {
    const out: Record<string, string> = {};
    const headers = this.headers;
    const names = this.lowerNames;
    for (let i = 0; i < headers.length; i++) {
      const k = names[i]!;
      const v = sharedValue(headers[i]![1]);
      const seen = out[k];
      out[k] = seen === undefined ? v : `${seen}, ${v}`;
    }
    return out;
  }

  header(name: string): string | undefined {
    const k = name.toLowerCase();
    const names = this.lowerNames;
    for (let i = 0; i < names.length; i++) if (names[i] === k) return this.headers[i]![1];
    return undefined;
  }

  private readHead(data: Uint8Array, off: number): number {
    const text = latin1(data, off, data.length);
    const all = this.pendingHead + text;
    const end = all.indexOf('\r\n\r\n');
    if (end < 0) {
      this.pendingHead = all;
      if (all.length > MAX_HEAD) this.malformed = true;
      return data.length;
    }
    const consumed = end + 4 - this.pendingHead.length;
    this.pendingHead = '';
    this.parseHead(all.slice(0, end + 4));
    return off + consumed;
  }

  private parseHead(block: string): void {
    const headEnd = block.length - 4;
    let eol = block.indexOf('\r\n');
    if (eol < 0 || eol > headEnd) eol = headEnd;
    const m = STATUS_LINE.exec(block.slice(0, eol));
    if (!m) {
      this.malformed = true;
      return;
    }
    const status = Number(m[2]);
    if (status >= 100 && status < 200) return; // interim response: the real one follows
    this.headText = block;
    this.version = m[1]!;
    this.status = status;
    this.reason = m[3] ?? '';
    for (let start = eol + 2; start < headEnd; ) {
      let end = block.indexOf('\r\n', start);
      if (end < 0 || end > headEnd) end = headEnd;
      const colon = block.indexOf(':', start);
      if (colon > start && colon < end) {
        const name = block.slice(start, colon);
        this.headers.push([name, block.slice(colon + 1, end).trim()]);
        this.lowerNames.push(name.toLowerCase());
      }
      start = end + 2;
    }
    this.inHead = false;
    const te = this.header('transfer-encoding');
    const cl = this.header('content-length');
    if (this.head || status === 204 || status === 304) this.framing = 'none';
    else if (te !== undefined && /chunked/i.test(te)) this.framing = 'chunked';
    else if (cl !== undefined && /^\d+$/.test(cl)) {
      this.framing = 'length';
      this.contentLength = this.remaining = Number(cl);
    } else this.framing = 'close';
    if (cl !== undefined && /^\d+$/.test(cl)) this.contentLength = Number(cl);
    if (this.framing === 'none' || (this.framing === 'length' && this.remaining === 0)) this.done = true;
  }

  private readBody(data: Uint8Array, off: number, available: number): number {
    const n = this.framing === 'length' ? Math.min(this.remaining, available) : available;
    this.take(data, off, n);
    if (this.framing === 'length') {
      this.remaining -= n;
      if (this.remaining === 0) this.done = true;
    }
    return off + n;
  }

  /** @internal body bytes, from the framing in use */
  take(data: Uint8Array, off: number, n: number): void {
    this.bodyLength += n;
    if (this.keepBody && n > 0) this.body.push(data.slice(off, off + n));
  }
}
