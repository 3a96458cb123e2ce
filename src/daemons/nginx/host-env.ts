import type { Host } from '../../host/host';
import type { VfsFile } from '../../host/vfs';
import type { ConfEnvironment } from './conf-builder';
import type { HostFs } from './exchange';
import { latin1 } from '../../net/latin1';

/** An account database line's first field is the name; without the file every name exists (the lab's hosts have them). */
function accountExists(host: Host, file: string, name: string): boolean {
  const text = host.vfs.readText(file);
  if (text === undefined) return true;
  return text.split('\n').some((l) => l.split(':')[0] === name);
}

/** /etc/hosts, as the resolver reads it for nginx's upstream and proxy_pass host names. */
function hostsLookup(host: Host, name: string): readonly string[] {
  const out: string[] = [];
  for (const line of (host.vfs.readText('/etc/hosts') ?? '').split('\n')) {
    const fields = line.replace(/#.*/, '').trim().split(/\s+/);
    if (fields.length > 1 && fields.slice(1).includes(name)) out.push(fields[0]!);
  }
  if (out.length === 0 && name === 'localhost') out.push('127.0.0.1');
  return out;
}

/** What nginx reads of its host while loading the configuration: files, accounts, /etc/hosts. */
export function confEnvironment(host: Host): ConfEnvironment {
  return {
    // The configuration reader works on decoded text (it reports a stray non-ASCII character by its first byte).
    read: (path) => host.vfs.readText(path),
    glob: (pattern) => host.vfs.glob(pattern),
    userExists: (name) => accountExists(host, '/etc/passwd', name),
    groupExists: (name) => accountExists(host, '/etc/group', name),
    resolve: (name) => hostsLookup(host, name),
  };
}

const texts = new WeakMap<Uint8Array, string>();

/** A file's bytes as latin1 text, decoded once per version of the file (a busy server reads the same page). */
function fileText(data: Uint8Array): string {
  let t = texts.get(data);
  if (t === undefined) {
    t = latin1(data);
    texts.set(data, t);
  }
  return t;
}

type FileStat = ReturnType<HostFs['stat']>;

/** What a path named when last looked up, and the stat of the file's last size and mtime. */
interface Lookup {
  readonly file: VfsFile | undefined;
  readonly dir: boolean;
  stat: FileStat;
  statData: Uint8Array | undefined;
  statMtimeUs: number;
}

const DIR: FileStat = { kind: 'dir', size: 4096, mtimeMs: 0 };
/** Paths remembered at most (a client asking for ever new paths does not make the memory grow). */
const LOOKUPS = 1024;

/**
 * The host's files as the static module sees them; directories exist when a file lies below them. What a path
 * names is remembered until the file system's generation moves (a file written, removed, renamed): a busy
 * server asks for the same few paths, each request several times (index, file, body). They are remembered by
 * root, then by URI: the root is the very same string each time, and the URI a short one.
 */
export function hostFs(host: Host): HostFs {
  const vfs = host.vfs;
  const byRoot = new Map<string, Map<string, Lookup>>();
  let remembered = 0;
  let generation = -1;
  const lookup = (root: string, uri: string): Lookup => {
    if (vfs.generation !== generation || remembered >= LOOKUPS) {
      byRoot.clear();
      remembered = 0;
      generation = vfs.generation;
    }
    let lookups = byRoot.get(root);
    if (lookups === undefined) byRoot.set(root, (lookups = new Map()));
    let l = lookups.get(uri);
    if (l === undefined) {
      const path = root + uri;
      const file = vfs.stat(path);
      l = { file, dir: file === undefined && vfs.isDirectory(path), stat: undefined, statData: undefined, statMtimeUs: -1 };
      lookups.set(uri, l);
      remembered++;
    }
    return l;
  };
  return {
    stat(root, uri) {
      const l = lookup(root, uri);
      const f = l.file;
      if (f === undefined) return l.dir ? DIR : undefined;
      // a file open for appending grows without a new generation: its stat follows its data
      const data = f.data;
      if (data !== l.statData || f.mtimeUs !== l.statMtimeUs) {
        l.stat = { kind: 'file', size: data.length, mtimeMs: Math.floor(f.mtimeUs / 1000) };
        l.statData = data;
        l.statMtimeUs = f.mtimeUs;
      }
      return l.stat;
    },
    read(root, uri) {
      const f = lookup(root, uri).file;
      return f && fileText(f.data);
    },
  };
}
