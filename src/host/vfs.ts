import { createHash } from 'node:crypto';
import { AppendFile } from './append-file';

export interface VfsFile {
  readonly data: Uint8Array;
  readonly mode: number;
  /** Modification time, the host's wall clock in µs since 1970. */
  readonly mtimeUs: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The host's file system: a flat map of absolute paths, seeded from the scenario. Directories exist
 * implicitly (a path is a directory when a file lies below it), which is all the seed lab's commands need.
 */
export class Vfs {
  private readonly files = new Map<string, VfsFile>();
  /**
   * Bumped whenever a path is created, replaced, removed or renamed (not when an open file grows): a
   * writer holding a file open knows its path still names that file while this has not moved.
   */
  generation = 0;

  constructor(private readonly wallClockUs: () => number) {}

  write(path: string, content: string | Uint8Array, mode = 0o644): void {
    const data = typeof content === 'string' ? encoder.encode(content) : content;
    this.files.set(normalize(path), { data, mode, mtimeUs: this.wallClockUs() });
    this.generation++;
  }

  /**
   * Opens `path` for appending (a daemon's log): the file keeps what it holds (created empty if missing) and
   * later writes through the returned file go in place. Whoever replaces, removes or renames the path ends it.
   */
  openAppend(path: string): AppendFile {
    const p = normalize(path);
    const old = this.files.get(p);
    const f = new AppendFile(old?.data ?? new Uint8Array(0), old?.mode ?? 0o644, this.wallClockUs);
    this.files.set(p, f);
    this.generation++;
    return f;
  }

  append(path: string, content: string): void {
    const old = this.files.get(normalize(path));
    const add = encoder.encode(content);
    const data = new Uint8Array((old?.data.length ?? 0) + add.length);
    if (old) data.set(old.data);
    data.set(add, old?.data.length ?? 0);
    this.write(path, data, old?.mode ?? 0o644);
  }

  stat(path: string): VfsFile | undefined {
    return this.files.get(normalize(path));
  }

  readText(path: string): string | undefined {
    const f = this.files.get(normalize(path));
    return f && decoder.decode(f.data);
  }

  exists(path: string): boolean {
    const p = normalize(path);
    return this.files.has(p) || this.isDirectory(p);
  }

  isDirectory(path: string): boolean {
    const prefix = normalize(path).replace(/\/?$/, '/');
    if (prefix === '/') return true;
    for (const k of this.files.keys()) if (k.startsWith(prefix)) return true;
    return false;
  }

  remove(path: string): boolean {
    this.generation++;
    return this.files.delete(normalize(path));
  }

  rename(from: string, to: string): boolean {
    const f = this.files.get(normalize(from));
    if (!f) return false;
    this.files.delete(normalize(from));
    this.files.set(normalize(to), f);
    this.generation++;
    return true;
  }

  /** Paths matching a shell glob (`*`, `?`, `[...]`), sorted as the shell sorts them. */
  glob(pattern: string): string[] {
    const re = globToRegExp(normalize(pattern));
    return [...this.files.keys()].filter((k) => re.test(k)).sort();
  }

  list(dir: string): string[] {
    const prefix = normalize(dir).replace(/\/?$/, '/');
    const names = new Set<string>();
    for (const k of this.files.keys()) {
      if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]!);
    }
    return [...names].sort();
  }

  md5(path: string): string | undefined {
    const f = this.files.get(normalize(path));
    return f && createHash('md5').update(f.data).digest('hex');
  }
}

/** Is the path already in normal form (`/a/b`: absolute, no empty, `.` or `..` segment, no trailing slash)? */
function isNormal(path: string): boolean {
  const n = path.length;
  if (n === 0 || path.charCodeAt(0) !== 47) return false;
  if (n === 1) return true;
  if (path.charCodeAt(n - 1) === 47) return false;
  for (let i = 0; i < n; i++) {
    if (path.charCodeAt(i) !== 47) continue;
    const c1 = path.charCodeAt(i + 1);
    if (c1 === 47) return false;
    if (c1 === 46) {
      const c2 = path.charCodeAt(i + 2);
      if (i + 2 === n || c2 === 47 || (c2 === 46 && (i + 3 === n || path.charCodeAt(i + 3) === 47))) return false;
    }
  }
  return true;
}

export function normalize(path: string): string {
  // Daemons name their files by normal paths, on every log line and every static file served.
  if (isNormal(path)) return path;
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

export function resolvePath(cwd: string, path: string): string {
  return normalize(path.startsWith('/') ? path : `${cwd}/${path}`);
}

function globToRegExp(glob: string): RegExp {
  let re = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += '[' + glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(re + '$');
}
