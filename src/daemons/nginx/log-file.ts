import type { AppendFile } from '../../host/append-file';
import type { Vfs } from '../../host/vfs';
import { AccessLogWriter } from './access-log';

/**
 * An open log file (nginx keeps its log descriptors open and writes each line with one write(2)). Lines are
 * byte strings (latin1). When someone else changed the file (truncated, removed, rotated), writing continues
 * from what the file now holds.
 */
export class LogFile {
  private file: AppendFile | undefined;
  /** The file system's generation when `file` was last known to be what the path names. */
  private checked = -1;
  /** Its access_log lines, when it is an access log. */
  readonly access = new AccessLogWriter();

  constructor(
    private readonly vfs: Vfs,
    readonly path: string,
  ) {}

  append(line: string): void {
    this.open().appendLine(line);
  }

  /** The file the path names now, to write a line into piece by piece (AppendFile.write, then endLine). */
  open(): AppendFile {
    let f = this.file;
    const vfs = this.vfs;
    if (f === undefined || (vfs.generation !== this.checked && vfs.stat(this.path) !== f)) f = this.file = vfs.openAppend(this.path);
    this.checked = vfs.generation;
    return f;
  }
}
