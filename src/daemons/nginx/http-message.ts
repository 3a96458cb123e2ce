import { reusedBytes } from '../../net/latin1';

type Fields = readonly (readonly [string, string])[];

/**
 * The bytes of an HTTP/1.x message nginx sends: start line, header fields, blank line, body. They are written
 * straight into one buffer, as nginx fills its output buffer: building the text first cost a string per piece,
 * then a copy with the body, then the encoded copy. A message equal to one of the last few sent is those
 * bytes again (bytes handed to a socket are never written to), and one whose head is equal gets a copy of
 * that head: a busy server sends the same head over and over (the Date moves once a second), mostly with
 * the same body, and comparing the fields, mostly the very same strings, costs less than encoding them.
 */
export function messageBytes(startLine: string, headers: Fields, body: string): Uint8Array {
  const known = recentHead(startLine, headers);
  if (known !== undefined) {
    if (known.body === body) return known.message!;
    const out = take(known.head.length + body.length);
    out.set(known.head);
    if (body.length > 0) out.write(body, known.head.length, 'latin1');
    if (body.length <= MESSAGE_MAX) {
      known.body = body;
      known.message = reusedBytes(Uint8Array.prototype.slice.call(out));
    }
    return out;
  }
  let headSize = startLine.length + 4;
  for (let i = 0; i < headers.length; i++) headSize += headers[i]![0].length + headers[i]![1].length + 4;
  const out = take(headSize + body.length);
  let at = putLine(out, 0, startLine);
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    at = putText(out, at, h[0]);
    out[at++] = 0x3a; // ':'
    out[at++] = 0x20;
    at = putLine(out, at, h[1]);
  }
  out[at++] = 0x0d;
  out[at++] = 0x0a;
  // the native encoder for the body, which may be large; header pieces are too short to repay a call each
  if (body.length > 0) out.write(body, at, 'latin1');
  remember(startLine, headers, body, out, headSize);
  return out;
}

/** A latin1 string's bytes at `at` (each char's low byte, as Buffer's latin1 encoding does); returns the end. */
function putText(out: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  return at + text.length;
}

function putLine(out: Uint8Array, at: number, text: string): number {
  at = putText(out, at, text);
  out[at] = 0x0d;
  out[at + 1] = 0x0a;
  return at + 2;
}

/**
 * A head sent lately: its start line and fields (a copy of the list) and its bytes (a copy of their own); and
 * the last body sent with it, with the whole message, unless the body is large.
 */
interface Head {
  readonly startLine: string;
  readonly headers: Fields;
  readonly head: Uint8Array;
  body: string | undefined;
  message: Uint8Array | undefined;
}

/** Enough for the few kinds of message a scenario's servers send in turn (requests upstream, responses). */
const HEADS = 8;
/** A larger body is not kept (nor compared the next time). */
const MESSAGE_MAX = 16384;
const heads: (Head | undefined)[] = new Array<Head | undefined>(HEADS).fill(undefined);
/** The slot the next new head replaces. */
let oldest = 0;

function recentHead(startLine: string, headers: Fields): Head | undefined {
  for (let i = 0; i < HEADS; i++) {
    const h = heads[i];
    if (h !== undefined && sameHead(h, startLine, headers)) return h;
  }
  return undefined;
}

/** Same text throughout (a field pair or a string is often the very same one, which compares at once). */
function sameHead(h: Head, startLine: string, headers: Fields): boolean {
  const known = h.headers;
  if (known.length !== headers.length || h.startLine !== startLine) return false;
  for (let i = 0; i < known.length; i++) {
    const a = known[i]!;
    const b = headers[i]!;
    if (a !== b && (a[1] !== b[1] || a[0] !== b[0])) return false;
  }
  return true;
}

function remember(startLine: string, headers: Fields, body: string, message: Uint8Array, headSize: number): void {
  const small = body.length <= MESSAGE_MAX;
  const copy: Uint8Array = Uint8Array.prototype.slice.call(message, 0, small ? message.length : headSize);
  heads[oldest] = {
    startLine,
    headers: headers.slice(),
    head: copy.subarray(0, headSize),
    body: small ? body : undefined,
    message: small ? reusedBytes(copy) : undefined,
  };
  oldest = (oldest + 1) % HEADS;
}

/**
 * Room for a message, cut from a slab shared by the messages sent lately (Buffer.allocUnsafe does the same
 * from a pool of 8 KiB: a fresh pool every twenty-odd messages cost more than the messages' own bytes). A
 * message is never written after it is made, so neighbours in a slab never disturb each other.
 */
function take(size: number): Buffer {
  if (size > SLAB >> 3) return Buffer.allocUnsafeSlow(size);
  if (slabUsed + size > SLAB) {
    slab = Buffer.allocUnsafeSlow(SLAB);
    slabUsed = 0;
  }
  const out = slab.subarray(slabUsed, slabUsed + size);
  // the next message starts 8-aligned, as Buffer's pool aligns them
  slabUsed = (slabUsed + size + 7) & ~7;
  return out;
}

const SLAB = 65536;
let slab = Buffer.allocUnsafeSlow(SLAB);
let slabUsed = 0;
