/** Bytes as a latin1 string, one character per byte: how the simulated daemons hold protocol text. */
export function latin1(data: Uint8Array, start = 0, end = data.length): string {
  return Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('latin1');
}
