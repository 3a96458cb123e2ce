/** Bytes as a latin1 string, one character per byte: how the simulated daemons hold protocol text. */
export function latin1(data: Uint8Array, start = 0, end = data.length): string {
  // Most segments carry bytes a daemon encoded with Buffer: decode them without a Buffer view made per call.
  if (Buffer.isBuffer(data)) return data.toString('latin1', start, end);
  return Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('latin1');
}
