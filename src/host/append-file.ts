import type { VfsFile } from './vfs';

/**
 * A file a daemon keeps open with O_APPEND (its log): each write adds bytes in place and moves the mtime,
 * where a plain VFS write replaces the whole file. The buffer grows by doubling; `data` is a view of what
 * was written so far, made when someone reads it, so a busy log costs one copy of each line and nothing else.
 * Bytes once written never change, so a view handed out earlier stays valid. Lines wait as strings until
 * `data` is read or a batch is full, then go into the buffer with one encoder call (a call per line costs
 * more than the copy).
 */
export class AppendFile implements VfsFile {
  private buf: Buffer;
  private len: number;
  private view: Uint8Array | undefined;
  /** Lines written and not yet encoded into `buf`. */
  private readonly pending: string[] = [];
  mtimeUs: number;

  constructor(
    initial: Uint8Array,
    readonly mode: number,
    private readonly wallClockUs: () => number,
  ) {
    this.buf = Buffer.alloc(Math.max(256, initial.length * 2));
    this.buf.set(initial);
    this.len = initial.length;
    this.view = initial;
    this.mtimeUs = wallClockUs();
  }

  get data(): Uint8Array {
    this.flush();
    return (this.view ??= this.buf.subarray(0, this.len));
  }

  /** One write(2) of a latin1 line and its newline. */
  appendLine(line: string): void {
    this.pending.push(line);
    if (this.pending.length >= PENDING_LINES) this.flush();
    this.view = undefined;
    this.mtimeUs = this.wallClockUs();
  }

  private flush(): void {
    const pending = this.pending;
    if (pending.length === 0) return;
    // the last newline is written as a byte: a template adding it would copy the whole batch once more
    const text = pending.join('\n');
    pending.length = 0;
    const need = this.len + text.length + 1;
    if (need > this.buf.length) {
      const bigger = Buffer.alloc(Math.max(need, this.buf.length * 2));
      bigger.set(this.buf.subarray(0, this.len));
      this.buf = bigger;
    }
    // Buffer's native latin1 encoder: an order of magnitude faster than a loop over charCodeAt
    this.len += this.buf.write(text, this.len, 'latin1');
    this.buf[this.len++] = 0x0a;
  }
}

/** Lines encoded together; a reader of `data` flushes earlier. */
const PENDING_LINES = 64;
