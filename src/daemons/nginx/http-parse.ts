import { latin1 } from '../../net/latin1';
import { sameFieldName } from './exchange';

/**
 * Reading HTTP/1.x off a connection, as nginx's parsers do before the request or upstream modules see it.
 * Bytes are kept as latin1 strings (one char per byte), the form the nginx core works in.
 */

/** A request as received: request line parts, header fields in order, and the body. */
export interface ReceivedRequest {
  readonly method: string;
  readonly target: string;
  readonly version: 'HTTP/1.0' | 'HTTP/1.1';
  /** The request line as received (nginx's request_line, what $request logs), when it is HTTP. */
  readonly line: string | undefined;
  readonly headers: (readonly [string, string])[];
  /** Content-Length of the body (0 when none). */
  readonly bodyLength: number;
  readonly body: string;
}

/** What String.prototype.trim removes, among latin1 characters (tab, line breaks, space, no-break space). */
function isTrimmed(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0;
}

type Field = readonly [string, string];

/**
 * Fields met lately, in slots chosen by their lengths and first and last characters: a field received again,
 * as most are (the same client, the same upstream), is the pair already made, and compares at once with the
 * fields of the message it is passed on in. A slot keeps the field's line as received (name to the end of the
 * value), which one native comparison tells apart. Pairs are never changed.
 */
class RecentFields {
  private readonly lines = new Array<string | undefined>(FIELD_SLOTS).fill(undefined);
  private readonly fields = new Array<Field | undefined>(FIELD_SLOTS).fill(undefined);

  /** The field of the line whose name is [start, colon) and (trimmed) value [from, to). */
  field(text: string, start: number, colon: number, from: number, to: number): Field {
    const slot = ((colon - start) * 7 + (to - from) * 13 + text.charCodeAt(start) + text.charCodeAt(to - 1)) & (FIELD_SLOTS - 1);
    const line = text.slice(start, to);
    // the same line has its colon and its value's ends where the one before had them
    if (this.lines[slot] === line) return this.fields[slot]!;
    this.lines[slot] = line;
    return (this.fields[slot] = [text.slice(start, colon), text.slice(from, to)]);
  }
}

/** A power of two. */
const FIELD_SLOTS = 64;
/** Requests and upstream responses keep apart: their fields differ. */
const requestFields = new RecentFields();
const responseFields = new RecentFields();

/**
 * The `name: value` fields of the lines from `start` to `end` (`end` is where the head's blank line begins),
 * in order; a line without a colon after its first character is skipped. Works on indices into the received
 * text, so that a field costs its two strings and nothing else, or nothing when it was received lately.
 */
function parseFields(text: string, start: number, end: number, fields: Field[], recent: RecentFields): void {
  while (start <= end) {
    let stop = text.indexOf('\r\n', start);
    if (stop > end) stop = end;
    let colon = text.indexOf(':', start);
    if (colon >= stop) colon = -1;
    if (colon > start) {
      let from = colon + 1;
      let to = stop;
      while (from < to && isTrimmed(text.charCodeAt(from))) from++;
      while (to > from && isTrimmed(text.charCodeAt(to - 1))) to--;
      fields.push(recent.field(text, start, colon, from, to));
    }
    start = stop + 2;
  }
}

/** The last Content-Length field's value as a number (NaN when not a number), or `absent` without one. */
function contentLength(fields: readonly (readonly [string, string])[], absent: number): number {
  let length = absent;
  for (let i = 0; i < fields.length; i++) {
    if (sameFieldName(fields[i]![0], 'Content-Length')) length = Number(fields[i]![1]);
  }
  return length;
}

/** Whether `text` holds `HTTP/1.0` or `HTTP/1.1` from `at` to `end`. */
function isHttp1(text: string, at: number, end: number): boolean {
  if (end - at !== 8 || !text.startsWith('HTTP/1.', at)) return false;
  const minor = text.charCodeAt(at + 7);
  return minor === 0x30 || minor === 0x31;
}

/**
 * Heads parsed lately and what they parsed to: a client sends the same request head again and again, and
 * an upstream the same few response heads (its Date changes once a second). A head equal to one of them (a
 * length check, then one native comparison) is the same parse again; what the readers hand out is never
 * changed, so it is shared. Request heads are kept when no body follows, response heads when they give
 * the body's length.
 */
class RecentHeads<T> {
  private readonly heads: string[] = [];
  /** The whole text each head was last found in (with what followed it in the same read). */
  private readonly texts: string[] = [];
  private readonly parsed: T[] = [];
  private next = 0;

  /** What the head `text[0, end)` parsed to, if it was parsed lately. */
  find(text: string, end: number): T | undefined {
    // A message sent again is mostly the very same string (src/net/latin1's reused bytes): one pointer
    // comparison, where texts that merely differ stop at their lengths or first differing bytes.
    const texts = this.texts;
    for (let i = 0; i < texts.length; i++) if (texts[i] === text) return this.parsed[i];
    // The head sliced once and compared whole: string equality is a native memory comparison, where
    // startsWith goes character by character (three times slower on a head of 250 bytes).
    const heads = this.heads;
    let head: string | undefined;
    for (let i = 0; i < heads.length; i++) {
      if (heads[i]!.length === end && (head ??= text.slice(0, end)) === heads[i]) {
        texts[i] = text;
        return this.parsed[i];
      }
    }
    return undefined;
  }

  remember(text: string, end: number, parsed: T): void {
    this.heads[this.next] = text.slice(0, end);
    this.texts[this.next] = text;
    this.parsed[this.next] = parsed;
    this.next = (this.next + 1) % RECENT_HEADS;
  }
}

const RECENT_HEADS = 4;
const recentRequests = new RecentHeads<ReceivedRequest>();
const recentResponses = new RecentHeads<{ readonly status: number; readonly headers: (readonly [string, string])[]; readonly bodyLength: number }>();

/** The request whose head ends (blank line) at `end`, its body `bodyLength` bytes after. */
function parseRequest(text: string, end: number): ReceivedRequest {
  const known = recentRequests.find(text, end);
  if (known !== undefined) return known;
  const request = parseNewRequest(text, end);
  if (request.bodyLength === 0) recentRequests.remember(text, end, request);
  return request;
}

function parseNewRequest(text: string, end: number): ReceivedRequest {
  // the first CRLF of the text is at the latest the blank line's
  const eol = text.indexOf('\r\n');
  let sp1 = text.indexOf(' ');
  if (sp1 >= eol) sp1 = -1;
  const sp2 = eol > 0 ? text.lastIndexOf(' ', eol - 1) : -1;
  const good = sp1 > 0 && sp2 > sp1 && isHttp1(text, sp2 + 1, eol);
  const headers: (readonly [string, string])[] = [];
  parseFields(text, eol + 2, end, headers, requestFields);
  const bodyLength = contentLength(headers, 0) || 0;
  const bodyStart = end + 4;
  return {
    method: text.slice(0, Math.max(sp1, 0)),
    // a request line that is not HTTP gets no target: the core answers 400 as nginx does
    target: good ? text.slice(sp1 + 1, sp2) : '',
    version: text.startsWith('HTTP/1.0', sp2 + 1) && eol - sp2 - 1 === 8 ? 'HTTP/1.0' : 'HTTP/1.1',
    line: good ? text.slice(0, eol) : undefined,
    headers,
    bodyLength,
    body: bodyLength > 0 ? text.slice(bodyStart, bodyStart + bodyLength) : '',
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
  next(): ReceivedRequest | undefined {
    const text = this.pending;
    const end = text.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const request = parseRequest(text, end);
    const bodyEnd = end + 4 + request.bodyLength;
    if (text.length < bodyEnd) return undefined;
    this.pending = text.length === bodyEnd ? '' : text.slice(bodyEnd);
    return request;
  }
}

/** The code of a status line `HTTP/1.x NNN …` ending at `eol`, undefined when the line is not one. */
function statusCode(text: string, eol: number): number | undefined {
  if (eol < 12 || !isHttp1(text, 0, 8) || text.charCodeAt(8) !== 0x20) return undefined;
  let code = 0;
  for (let i = 9; i < 12; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    code = code * 10 + digit;
  }
  return code;
}

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
      const known = recentResponses.find(text, end);
      if (known !== undefined) {
        this.status = known.status;
        this.headers = known.headers;
        this.bodyLength = known.bodyLength;
        return this.text.length - this.headEnd >= this.bodyLength;
      }
      let eol = text.indexOf('\r\n');
      if (eol > end) eol = end;
      const status = statusCode(text, eol);
      if (status === undefined) {
        this.invalid = true;
        return false;
      }
      this.status = status;
      parseFields(text, eol + 2, end, this.headers, responseFields);
      this.bodyLength = contentLength(this.headers, -1);
      // a body framed by the connection's end is read to that end: such a head is parsed each time
      if (this.bodyLength >= 0) recentResponses.remember(text, end, { status, headers: this.headers, bodyLength: this.bodyLength });
    }
    return this.bodyLength >= 0 && this.text.length - this.headEnd >= this.bodyLength;
  }

  get body(): string {
    const start = this.headEnd;
    return this.bodyLength >= 0 ? this.text.slice(start, start + this.bodyLength) : this.text.slice(start);
  }
}
