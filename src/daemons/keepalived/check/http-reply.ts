import { createHash } from 'node:crypto';

/**
 * A web server's answer as HTTP_GET reads it (check_http.c http_process_response, lib/html.c): the bytes
 * up to the end of the connection, the head found at the first CRLFCRLF, the status code between the
 * first two spaces, `Content-Length:` (case as written) and the MD5 of the body, cut at Content-Length.
 */
export interface HttpReply {
  /** A header terminator was found (keepalived's `req->extracted`). */
  readonly extracted: boolean;
  /** 0 when the status line is not `<version> <3 digits> ...`. */
  readonly statusCode: number;
  /** undefined when absent or unreadable (SIZE_MAX). */
  readonly contentLength: number | undefined;
  /** Body bytes received. */
  readonly rxBytes: number;
  /** Lower-case hex MD5 of the body (up to Content-Length). */
  readonly digest: string;
}

const latin1 = new TextDecoder('latin1');

export function readHttpReply(bytes: Uint8Array): HttpReply {
  const headEnd = findHeadEnd(bytes);
  if (headEnd < 0) return { extracted: false, statusCode: 0, contentLength: undefined, rxBytes: 0, digest: '' };
  const head = latin1.decode(bytes.subarray(0, headEnd));
  const body = bytes.subarray(headEnd);
  const contentLength = extractContentLength(head);
  const hashed = contentLength === undefined ? body : body.subarray(0, contentLength);
  return {
    extracted: true,
    statusCode: extractStatusCode(head),
    contentLength,
    rxBytes: body.length,
    digest: createHash('md5').update(hashed).digest('hex'),
  };
}

function findHeadEnd(b: Uint8Array): number {
  for (let i = 0; i + 3 < b.length; i++) {
    if (b[i] === 13 && b[i + 1] === 10 && b[i + 2] === 13 && b[i + 3] === 10) return i + 4;
  }
  return -1;
}

/** `HTTP/1.1 404 Not Found` → 404; anything else → 0 (which no status_code set accepts). */
export function extractStatusCode(head: string): number {
  let i = 0;
  while (i < head.length && head[i] !== ' ' && head[i] !== '\r') i++;
  if (head[i] !== ' ') return 0;
  i++;
  if (i + 3 >= head.length || head[i] === ' ' || head[i + 3] !== ' ') return 0;
  const digits = head.slice(i, i + 3);
  return /^\d{3}$/.test(digits) ? Number(digits) : 0;
}

/** strtoul after `Content-Length:` (leading blanks skipped), valid only if followed by CR, LF or nothing. */
export function extractContentLength(head: string): number | undefined {
  const at = head.indexOf('Content-Length:');
  if (at < 0) return undefined;
  const m = /^[ \t]*(\d+)([\s\S]?)/.exec(head.slice(at + 'Content-Length:'.length));
  if (!m) return undefined;
  const next = m[2] ?? '';
  if (next !== '' && next !== '\r' && next !== '\n') return undefined;
  return Number(m[1]);
}
