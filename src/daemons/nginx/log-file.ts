import type { Vfs } from '../../host/vfs';

/**
 * An open log file (nginx keeps its log descriptors open and writes each line with one write(2)). Lines are
 * byte strings (latin1). The bytes go to a buffer that grows by doubling and the VFS gets a view of it, so a
 * busy access log costs one copy per line, not one copy of the whole file. When someone else changed the
 * file (truncated, removed, rotated), writing continues from what the file now holds.
 */
export class LogFile {
  private buf = Buffer.alloc(0);
  private len = 0;
  private written: Uint8Array | undefined;

  constructor(
    private readonly vfs: Vfs,
    readonly path: string,
  ) {}

  append(line: string): void {
    const current = this.vfs.stat(this.path);
    if (current?.data !== this.written) {
      const data = current?.data ?? new Uint8Array(0);
      this.buf = Buffer.alloc(Math.max(256, data.length * 2));
      this.buf.set(data);
      this.len = data.length;
    }
    const need = this.len + line.length + 1;
    if (need > this.buf.length) {
      const bigger = Buffer.alloc(Math.max(need, this.buf.length * 2));
      bigger.set(this.buf.subarray(0, this.len));
      this.buf = bigger;
    }
    const buf = this.buf;
    let at = this.len + buf.write(line, this.len, 'latin1');
    buf[at++] = 10;
    this.len = at;
    this.written = buf.subarray(0, at);
    this.vfs.write(this.path, this.written, current?.mode ?? 0o644);
  }
}
