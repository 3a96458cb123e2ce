import type { VfsFile } from './vfs';

/**
 * A file a daemon keeps open with O_APPEND (its log): each write adds bytes in place and moves the mtime,
 * where a plain VFS write replaces the whole file. Written lines stay text until someone reads `data`: only
 * then are they encoded, at the end of a buffer that grows by doubling, and `data` is a view of that buffer.
 * A busy log nobody reads thus costs no encoding and no buffer (growing a large buffer touches fresh memory,
 * which costs more than the encoding). Bytes once written never change, so a view handed out earlier stays
 * valid.
 */
export class AppendFile implements VfsFile {
  private buf: Buffer;
  private len: number;
  private view: Uint8Array | undefined;
  /** Lines written since the last batch was made, without their newlines. */
  private readonly lines: string[] = [];
  /** Batches of lines, each with its newlines, written after the bytes in `buf`. */
  private readonly batches: string[] = [];
  /** Characters (bytes) in `batches`. */
  private batched = 0;
  mtimeUs: number;

  constructor(
    initial: Uint8Array,
    readonly mode: number,
    private readonly wallClockUs: () => number,
  ) {
    this.buf = Buffer.from(initial.buffer, initial.byteOffset, initial.length);
    this.len = initial.length;
    this.view = initial;
    this.mtimeUs = wallClockUs();
  }

  get data(): Uint8Array {
    if (this.view === undefined) {
      this.encode();
      this.view = this.buf.subarray(0, this.len);
    }
    return this.view;
  }

  /** One write(2) of a latin1 line and its newline. */
  appendLine(line: string): void {
    const lines = this.lines;
    lines.push(line);
    if (lines.length >= BATCH_LINES) this.batch();
    this.view = undefined;
    this.mtimeUs = this.wallClockUs();
  }

  /**
   * Joins the lines into one flat string: a line is a tree of the pieces it was made of, which would stay
   * alive with it; joined, it costs its characters and nothing else.
   */
  private batch(): void {
    const lines = this.lines;
    // the empty last element gives the last line its newline within the same join
    lines.push('');
    const text = lines.join('\n');
    lines.length = 0;
    this.batches.push(text);
    this.batched += text.length;
  }

  /** Puts the batches (and the lines not batched yet) into the buffer. */
  private encode(): void {
    if (this.lines.length > 0) this.batch();
    const batches = this.batches;
    if (batches.length === 0) return;
    const need = this.len + this.batched;
    if (need > this.buf.length) {
      // uninitialised memory is fine: only the bytes written are ever shown
      const bigger = Buffer.allocUnsafeSlow(Math.max(need, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    }
    // Buffer's native latin1 encoder: an order of magnitude faster than a loop over charCodeAt
    for (let i = 0; i < batches.length; i++) this.len += this.buf.write(batches[i]!, this.len, 'latin1');
    batches.length = 0;
    this.batched = 0;
  }
}

/** Lines joined together; a reader of `data` joins earlier. */
const BATCH_LINES = 64;
