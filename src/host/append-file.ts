import type { VfsFile } from './vfs';

/**
 * A file a daemon keeps open with O_APPEND (its log): each write adds bytes in place and moves the mtime,
 * where a plain VFS write replaces the whole file. A line is written piece by piece (`write`, then `endLine`),
 * each piece's latin1 bytes straight into a chunk of fixed size, so that a line costs neither a string of its
 * own nor any copy while the file is not read. A line equal to the one before (a client asking for the same
 * page within a second) is only counted: a busy log is mostly such repeats, and fresh memory for each of them
 * costs more than comparing. Reading `data` gathers the chunks at the end of one buffer that grows by
 * doubling, and `data` is a view of it. Bytes once written never change, so a view handed out earlier stays
 * valid.
 */
export class AppendFile implements VfsFile {
  /** What readers saw last: the file's bytes up to `len`. */
  private buf: Buffer;
  private len: number;
  private view: Uint8Array | undefined;
  /** Pieces written since the last read, in order, each `times` times in a row. */
  private readonly pieces: Uint8Array[] = [];
  private readonly times: number[] = [];
  /** The chunk being filled: bytes from `from` to `at` are not in `pieces` (nor in `buf`) yet. */
  private chunk: Buffer = EMPTY;
  private from = 0;
  private at = 0;
  /** Where the line being written starts in the chunk (or, for a line begun in the chunk before, its rest). */
  private lineStart = 0;
  /**
   * The bytes before `lineStart` from here, the line before (or its rest) written once: a line equal to them
   * is counted instead. -1 in a new chunk.
   */
  private lastStart = -1;
  /** Times the line before was written again after its bytes in the chunk. */
  private repeats = 0;
  /** Whether the line being written lies whole in the chunk, and whether the line before does. */
  private lineWhole = true;
  private lastWhole = false;
  private lines = 0;
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
      this.gather();
      this.view = this.buf.subarray(0, this.len);
    }
    return this.view;
  }

  /** Lines written so far: a writer can tell whether the last one is still the one it wrote. */
  get lineCount(): number {
    return this.lines;
  }

  /**
   * The line before written once more, for a writer that knows its line is that one again; false (nothing
   * written) when the line before is not at hand whole (it began in an earlier chunk, or there is none).
   */
  repeatLine(): boolean {
    if (!this.lastWhole || this.lastStart < 0 || this.at !== this.lineStart) return false;
    this.repeats++;
    this.lines++;
    this.view = undefined;
    this.mtimeUs = this.wallClockUs();
    return true;
  }

  /** One write(2) of a latin1 line and its newline. */
  appendLine(line: string): void {
    this.write(line);
    this.endLine();
  }

  /** Part of a line: its latin1 bytes (each char's low byte). The line's write(2) is `endLine`. */
  write(text: string): void {
    const n = text.length;
    if (this.at + n > this.chunk.length) this.nextChunk(n);
    const c = this.chunk;
    let at = this.at;
    for (let i = 0; i < n; i++) c[at++] = text.charCodeAt(i);
    this.at = at;
  }

  /** The newline; the line is written. */
  endLine(): void {
    if (this.at === this.chunk.length) this.nextChunk(1);
    this.chunk[this.at++] = 0x0a;
    const start = this.lineStart;
    const last = this.lastStart;
    if (last >= 0 && this.at - start === start - last && this.chunk.compare(this.chunk, last, start, start, this.at) === 0) {
      this.at = start;
      this.repeats++;
      // equal to this line, which began after the line before in this chunk
      this.lastWhole = true;
    } else {
      if (this.repeats > 0) this.cut(start);
      this.lastStart = start;
      this.lineStart = this.at;
      this.lastWhole = this.lineWhole;
    }
    this.lineWhole = true;
    this.lines++;
    this.view = undefined;
    this.mtimeUs = this.wallClockUs();
  }

  /** Moves the chunk's bytes up to `end` into the pieces, with the repeats of the line before `end`. */
  private cut(end: number): void {
    if (end > this.from) this.piece(this.chunk.subarray(this.from, end), 1);
    if (this.repeats > 0) this.piece(this.chunk.subarray(this.lastStart, end), this.repeats);
    this.repeats = 0;
    this.from = end;
  }

  private piece(bytes: Uint8Array, times: number): void {
    this.pieces.push(bytes);
    this.times.push(times);
  }

  /** A new chunk with room for at least `n` bytes; the current one keeps what it holds. */
  private nextChunk(n: number): void {
    if (this.at > this.lineStart) this.lineWhole = false;
    // the repeats of the line before go before the line being written
    this.cut(this.lineStart);
    this.cut(this.at);
    // uninitialised memory is fine: only bytes written are ever copied out
    this.chunk = Buffer.allocUnsafeSlow(Math.max(CHUNK, n));
    this.from = this.at = this.lineStart = 0;
    this.lastStart = -1;
  }

  /** Puts the bytes written since the last read at the end of `buf`. */
  private gather(): void {
    // no line is half written when someone reads
    this.cut(this.at);
    const pieces = this.pieces;
    const times = this.times;
    let need = this.len;
    for (let i = 0; i < pieces.length; i++) need += pieces[i]!.length * times[i]!;
    if (need > this.buf.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(need, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    }
    for (let i = 0; i < pieces.length; i++) {
      for (let k = times[i]!; k > 0; k--) {
        this.buf.set(pieces[i]!, this.len);
        this.len += pieces[i]!.length;
      }
    }
    pieces.length = 0;
    times.length = 0;
  }
}

const EMPTY = Buffer.alloc(0);
/** Bytes per chunk: a busy log fills one every hundred-odd lines. */
const CHUNK = 16384;
