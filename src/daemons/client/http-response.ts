import { latin1 } from '../../net/latin1';
import { ChunkedDecoder, type BodySink } from './chunked';
import { headerValue, responseHead, type ResponseHead } from './response-head';

/**
 * An HTTP/1.1 response read from a byte stream as it arrives: status line, headers, then a body framed by
 * Content-Length, chunked transfer coding, or the end of the connection (RFC 9112 §6.3). Interim 1xx
 * responses are skipped; HEAD answers and 204/304 have no body.
 */
export type BodyFraming = 'none' | 'length' | 'chunked' | 'close';

const MAX_HEAD = 64 * 1024;
const NO_HEADERS: ReadonlyArray<readonly [string, string]> = [];
const NO_FIELDS: Readonly<Record<string, string>> = Object.freeze({});
const NO_TOKENS: readonly string[] = [];

export class HttpResponseParser implements BodySink {
  /** The final response's head, once received (interim 1xx heads are skipped). */
  private responseHead: ResponseHead | undefined;
  status = 0;
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
  /** The head's bytes so far, when it comes in pieces (it rarely does): `pendingLength` bytes of `pending`. */
  private pending: Uint8Array | undefined;
  private pendingLength = 0;
  private remaining = 0;
  /** Made when a chunked body comes (most responses have a Content-Length). */
  private chunked: ChunkedDecoder | undefined;

  constructor(
    private readonly keepBody: boolean,
    private readonly head: boolean,
  ) {}

  /** The status line and headers as received, CRLFs included (curl -i prints them as they are). */
  get headText(): string {
    return this.responseHead?.text ?? '';
  }

  get version(): string {
    return this.responseHead?.version ?? '';
  }

  get reason(): string {
    return this.responseHead?.reason ?? '';
  }

  /** Header fields in order, names as sent. */
  get headers(): ReadonlyArray<readonly [string, string]> {
    return this.responseHead?.headers ?? NO_HEADERS;
  }

  /** The Connection field's tokens, lower-cased. */
  get connection(): readonly string[] {
    return this.responseHead?.connection ?? NO_TOKENS;
  }

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

  /**
   * Lower-case names, repeated fields joined with ", " (what expectations read). Shared by every response with
   * the same head, hence read-only.
   */
  headerMap(): Readonly<Record<string, string>> {
    return this.responseHead?.map ?? NO_FIELDS;
  }

  header(name: string): string | undefined {
    return this.responseHead === undefined ? undefined : headerValue(this.responseHead, name.toLowerCase());
  }

  /** Reads head bytes from `data[off]` on; returns where the head ended, or the end of `data`. */
  private readHead(data: Uint8Array, off: number): number {
    // Most heads come whole in one segment: found and decoded in place, with no copy.
    if (this.pendingLength === 0) {
      const end = headEnd(data, off);
      if (end >= 0) {
        this.parseHead(latin1(data, off, end));
        return end;
      }
    }
    const before = this.pendingLength;
    const pending = this.gather(data, off);
    const end = headEnd(pending.subarray(0, this.pendingLength), Math.max(0, before - 3));
    if (end < 0) {
      if (this.pendingLength > MAX_HEAD) this.malformed = true;
      return data.length;
    }
    this.pendingLength = 0;
    this.parseHead(latin1(pending, 0, end));
    return off + end - before;
  }

  /** Appends `data[off..]` to the pending head bytes, growing their buffer by doubling. */
  private gather(data: Uint8Array, off: number): Uint8Array {
    const length = this.pendingLength + data.length - off;
    let pending = this.pending;
    if (pending === undefined || pending.length < length) {
      const grown = new Uint8Array(Math.max(length, 2 * (pending?.length ?? 256)));
      if (pending !== undefined) grown.set(pending.subarray(0, this.pendingLength));
      this.pending = pending = grown;
    }
    pending.set(data.subarray(off), this.pendingLength);
    this.pendingLength = length;
    return pending;
  }

  private parseHead(text: string): void {
    const head = responseHead(text);
    if (head === undefined) {
      this.malformed = true;
      return;
    }
    const status = head.status;
    if (status >= 100 && status < 200) return; // interim response: the real one follows
    this.responseHead = head;
    this.status = status;
    this.inHead = false;
    this.contentLength = head.contentLength;
    if (this.head || status === 204 || status === 304) this.framing = 'none';
    else if (head.chunked) this.framing = 'chunked';
    else if (head.contentLength >= 0) {
      this.framing = 'length';
      this.remaining = head.contentLength;
    } else this.framing = 'close';
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

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');

/** Where the blank line ending a head finishes in `data`, searching from `from`: just after its CRLFCRLF, or -1. */
function headEnd(data: Uint8Array, from: number): number {
  // servers' segments are Buffers: the native search, rather than four comparisons a byte
  if (Buffer.isBuffer(data)) {
    const at = data.indexOf(CRLFCRLF, from);
    return at < 0 ? -1 : at + 4;
  }
  for (let i = from + 3; i < data.length; i++) {
    if (data[i] === 10 && data[i - 1] === 13 && data[i - 2] === 10 && data[i - 3] === 13) return i + 1;
  }
  return -1;
}
