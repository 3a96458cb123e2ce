/**
 * The bytes of an HTTP/1.x message nginx sends: start line, header fields, blank line, body. They are written
 * straight into one buffer, as nginx fills its output buffer: building the text first cost a string per piece,
 * then a copy with the body, then the encoded copy.
 */
export function messageBytes(startLine: string, headers: readonly (readonly [string, string])[], body: string): Uint8Array {
  let size = startLine.length + 4 + body.length;
  for (let i = 0; i < headers.length; i++) size += headers[i]![0].length + headers[i]![1].length + 4;
  const out = Buffer.allocUnsafe(size);
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
  out.write(body, at, 'latin1');
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
