import type { AppendFile } from '../../host/append-file';
import type { Vfs } from '../../host/vfs';

/**
 * An open log file (nginx keeps its log descriptors open and writes each line with one write(2)). Lines are
 * byte strings (latin1). When someone else changed the file (truncated, removed, rotated), writing continues
 * from what the file now holds.
 */
export class LogFile {
  private file: AppendFile | undefined;

  constructor(
    private readonly vfs: Vfs,
    readonly path: string,
  ) {}

  append(line: string): void {
    let f = this.file;
    if (f === undefined || this.vfs.stat(this.path) !== f) f = this.file = this.vfs.openAppend(this.path);
    f.appendLine(line);
  }
}
