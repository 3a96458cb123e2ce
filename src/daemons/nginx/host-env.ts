import type { Host } from '../../host/host';
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

/** The host's files as the static module sees them; directories exist when a file lies below them. */
export function hostFs(host: Host): HostFs {
  const vfs = host.vfs;
  return {
    stat(path) {
      const f = vfs.stat(path);
      if (f) return { kind: 'file', size: f.data.length, mtimeMs: Math.floor(f.mtimeUs / 1000) };
      return vfs.isDirectory(path) ? { kind: 'dir', size: 4096, mtimeMs: 0 } : undefined;
    },
    read(path) {
      const f = vfs.stat(path);
      return f && fileText(f.data);
    },
  };
}
