import { latin1 } from '../../net/latin1';

/** Where decoded body bytes go. */
export interface BodySink {
  take(data: Uint8Array, off: number, n: number): void;
}

/**
 * The chunked transfer coding (RFC 9112 §7.1) read incrementally: size lines (extensions ignored), data,
 * the CRLF after each chunk, the last chunk and the trailer section.
 */
export class ChunkedDecoder {
  done = false;
  malformed = false;
  private state: 'size' | 'data' | 'data-crlf' | 'trailer' = 'size';
  private remaining = 0;
  private line = '';

  /** Reads from `data[off]` on, handing body bytes to `sink`; returns where it stopped. */
  read(data: Uint8Array, off: number, sink: BodySink): number {
    while (off < data.length && !this.done && !this.malformed) {
      if (this.state === 'data') {
        const n = Math.min(this.remaining, data.length - off);
        sink.take(data, off, n);
        this.remaining -= n;
        off += n;
        if (this.remaining === 0) this.state = 'data-crlf';
        continue;
      }
      const nl = data.indexOf(10, off);
      const upto = nl < 0 ? data.length : nl + 1;
      this.line += latin1(data, off, upto);
      off = upto;
      if (nl < 0) break;
      const line = this.line.replace(/\r?\n$/, '');
      this.line = '';
      if (this.state === 'data-crlf') this.state = 'size';
      else if (this.state === 'size') {
        const size = parseInt(line, 16);
        if (Number.isNaN(size)) this.malformed = true;
        else if (size === 0) this.state = 'trailer';
        else {
          this.remaining = size;
          this.state = 'data';
        }
      } else if (line === '') this.done = true; // the blank line after the trailers
    }
    return off;
  }
}
