import type { VfsFile } from './vfs';

/**
 * A file a daemon keeps open with O_APPEND (its log): each write adds bytes in place and moves the mtime,
 * where a plain VFS write replaces the whole file. A line is written piece by piece (`write`, then `endLine`),
 * each piece's latin1 bytes straight into a chunk of fixed size, so that a line costs neither a string of its
 * own nor any copy while the file is not read. Reading `data` gathers the chunks at the end of one buffer that
 * grows by doubling, and `data` is a view of it. Bytes once written never change, so a view handed out earlier
 * stays valid.
 */
export class AppendFile implements VfsFile {
  /** What readers saw last: the file's bytes up to `len`. */
  private buf: Buffer;
  private len: number;
  private view: Uint8Array | undefined;
  /** Chunks filled since the last read. */
  private readonly full: Uint8Array[] = [];
  /** The chunk being filled: bytes before `from` are in `buf` already, those from `from` to `at` are not. */
  private chunk: Buffer = EMPTY;
  private from = 0;
  private at = 0;
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
    this.view = undefined;
    this.mtimeUs = this.wallClockUs();
  }

  /** A new chunk with room for at least `n` bytes; the current one keeps what it holds. */
  private nextChunk(n: number): void {
    if (this.at > this.from) this.full.push(this.chunk.subarray(this.from, this.at));
    // uninitialised memory is fine: only bytes written are ever copied out
    this.chunk = Buffer.allocUnsafeSlow(Math.max(CHUNK, n));
    this.from = this.at = 0;
  }

  /** Puts the bytes written since the last read at the end of `buf`. */
  private gather(): void {
    const full = this.full;
    let need = this.len + this.at - this.from;
    for (let i = 0; i < full.length; i++) need += full[i]!.length;
    if (need > this.buf.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(need, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    }
    for (let i = 0; i < full.length; i++) {
      this.buf.set(full[i]!, this.len);
      this.len += full[i]!.length;
    }
    full.length = 0;
    this.buf.set(this.chunk.subarray(this.from, this.at), this.len);
    this.len += this.at - this.from;
    this.from = this.at;
  }
}

const EMPTY = Buffer.alloc(0);
/** Bytes per chunk: a busy log fills one every hundred-odd lines. */
const CHUNK = 16384;
