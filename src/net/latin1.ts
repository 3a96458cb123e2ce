/**
 * Byte arrays sent over and over (a server's cached message, a load's request), each with its text decoded
 * once: the receivers of the same array then read the very same string, which also compares at once with
 * the one read before. Bytes handed to a socket are never written to, so a text stays true to its array.
 */
const reusedTexts = new WeakMap<Uint8Array, Reused>();

/** A reused array's text, and the last prefix read of it (a response's head, read before its body). */
interface Reused {
  readonly text: string;
  prefix: string;
}

/** Marks `data` as an array that will be sent many times: `latin1` of it is then a look-up. */
export function reusedBytes<T extends Uint8Array>(data: T): T {
  const text = decode(data, 0, data.length);
  reusedTexts.set(data, { text, prefix: text });
  return data;
}

/** Bytes as a latin1 string, one character per byte: how the simulated daemons hold protocol text. */
export function latin1(data: Uint8Array, start = 0, end = data.length): string {
  if (start === 0) {
    const reused = reusedTexts.get(data);
    if (reused !== undefined) {
      if (end === reused.text.length) return reused.text;
      // the same prefix is the same string again
      if (end !== reused.prefix.length) reused.prefix = reused.text.slice(0, end);
      return reused.prefix;
    }
  }
  return decode(data, start, end);
}

function decode(data: Uint8Array, start: number, end: number): string {
  // Most segments carry bytes a daemon encoded with Buffer: decode them without a Buffer view made per call.
  if (Buffer.isBuffer(data)) return data.toString('latin1', start, end);
  return Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('latin1');
}
