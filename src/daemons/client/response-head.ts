/**
 * A response's status line and header fields (RFC 9112 §4, §5), parsed from the head's text. A server answers
 * a load with the same few heads over and over (only Date changes, once a second), so each distinct head is
 * parsed once and shared by every response that brought it: a load's responses then cost no strings, arrays
 * or header maps of their own, and the records of a load share a handful of header maps (whose values, sliced
 * from the head's text, keep only that one text alive).
 */
export interface ResponseHead {
  /** The status line and headers as received, CRLFs and the blank line included (curl -i prints them so). */
  readonly text: string;
  readonly version: string;
  readonly status: number;
  readonly reason: string;
  /** Header fields in order, names as sent. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** The names of `headers` lower-cased, index for index: lower-cased once, not at every look-up. */
  readonly lowerNames: readonly string[];
  /**
   * Lower-case names, repeated fields joined with ", " (what expectations read). Frozen: every record of a
   * response with this head holds this one object.
   */
  readonly map: Readonly<Record<string, string>>;
  /** Transfer-Encoding names chunked. */
  readonly chunked: boolean;
  /** Content-Length when given as digits, else -1. */
  readonly contentLength: number;
  /** The first Connection field's tokens, lower-cased (what decides whether a connection is kept, RFC 9112 §9.3). */
  readonly connection: readonly string[];
}

const STATUS_LINE = /^(HTTP\/\d(?:\.\d)?) (\d{3})(?: (.*))?$/;

/**
 * The heads parsed so far, by text. Emptied when full: Date brings new heads every second, and a server that
 * sends a unique header each time makes every head new.
 */
const known = new Map<string, ResponseHead>();
const KNOWN_MAX = 1024;

/**
 * The heads of the last few responses, looked at before the map: a load's servers rotate a few heads, and
 * comparing a head's text with each (lengths, then characters up to the first difference) costs less than
 * hashing the whole text for the map.
 */
const recent: ResponseHead[] = [];
const RECENT = 4;
let nextRecent = 0;

/** The head in `text` (up to and including its blank line), or undefined when the status line is not HTTP. */
export function responseHead(text: string): ResponseHead | undefined {
  for (let i = 0; i < recent.length; i++) if (recent[i]!.text === text) return recent[i];
  let head = known.get(text);
  if (head === undefined) {
    head = parse(text);
    if (head === undefined) return undefined;
    if (known.size >= KNOWN_MAX) known.clear();
    known.set(text, head);
  }
  recent[nextRecent] = head;
  nextRecent = (nextRecent + 1) % RECENT;
  return head;
}

/** The value of the first field named `lowerName` (lower case). */
export function headerValue(head: ResponseHead, lowerName: string): string | undefined {
  const i = head.lowerNames.indexOf(lowerName);
  return i < 0 ? undefined : head.headers[i]![1];
}

function parse(text: string): ResponseHead | undefined {
  const headEnd = text.length - 4;
  let eol = text.indexOf('\r\n');
  if (eol < 0 || eol > headEnd) eol = headEnd;
  const m = STATUS_LINE.exec(text.slice(0, eol));
  if (!m) return undefined;
  const headers: Array<readonly [string, string]> = [];
  const lowerNames: string[] = [];
  const map: Record<string, string> = {};
  for (let start = eol + 2; start < headEnd; ) {
    let end = text.indexOf('\r\n', start);
    if (end < 0 || end > headEnd) end = headEnd;
    const colon = text.indexOf(':', start);
    if (colon > start && colon < end) {
      const name = text.slice(start, colon);
      const value = text.slice(colon + 1, end).trim();
      const lower = name.toLowerCase();
      headers.push([name, value]);
      lowerNames.push(lower);
      const seen = map[lower];
      map[lower] = seen === undefined ? value : `${seen}, ${value}`;
    }
    start = end + 2;
  }
  // The first field of a name decides, as headerValue reads it.
  const te = lowerNames.indexOf('transfer-encoding');
  const cl = lowerNames.indexOf('content-length');
  const length = cl < 0 ? '' : headers[cl]![1];
  const connection = lowerNames.indexOf('connection');
  return {
    text,
    version: m[1]!,
    status: Number(m[2]),
    reason: m[3] ?? '',
    headers,
    lowerNames,
    map: Object.freeze(map),
    chunked: te >= 0 && /chunked/i.test(headers[te]![1]),
    contentLength: /^\d+$/.test(length) ? Number(length) : -1,
    connection: (connection < 0 ? '' : headers[connection]![1]).toLowerCase().split(',').map((t) => t.trim()),
  };
}
