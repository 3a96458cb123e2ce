import { accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import type { ConfigSource } from '../daemons/keepalived/config';

/**
 * keepalived.conf files from the real disk, for `vrrpsim check`. Relative paths are taken from `cwd`,
 * as keepalived takes them from its working directory. Globs follow glob(3) with GLOB_BRACE: `*`, `?`,
 * `[...]` and `{a,b}` within a path component, matches sorted, hidden files only when named.
 */
export function diskSource(cwd: string = process.cwd()): ConfigSource {
  const abs = (p: string): string => (p.startsWith('/') ? p : posix.join(cwd, p));
  return {
    read(path: string): string | undefined {
      try {
        return readFileSync(abs(path), 'utf8');
      } catch {
        return undefined;
      }
    },
    glob(pattern: string): string[] {
      return expandBraces(pattern).flatMap((p) => globOne(p, abs)).sort();
    },
  };
}

/** `a{b,c}d` → `abd`, `acd` (nested braces expand recursively). */
function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open < 0) return [pattern];
  let depth = 0;
  let close = -1;
  const commas: number[] = [];
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      close = i;
      break;
    } else if (c === ',' && depth === 1) commas.push(i);
  }
  if (close < 0 || commas.length === 0) return [pattern];
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  const bounds = [open, ...commas, close];
  const out: string[] = [];
  for (let i = 0; i < bounds.length - 1; i++) {
    out.push(...expandBraces(head + pattern.slice(bounds[i]! + 1, bounds[i + 1]) + tail));
  }
  return out;
}

function hasMagic(part: string): boolean {
  return /[*?[]/.test(part);
}

function partRegex(part: string): RegExp {
  let re = '';
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = part.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let set = part.slice(i + 1, end);
        if (set.startsWith('!')) set = `^${set.slice(1)}`;
        re += `[${set.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function exists(path: string): boolean {
  try {
    accessSync(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Matches one brace-free pattern, component by component; results keep the pattern's own spelling. */
function globOne(pattern: string, abs: (p: string) => string): string[] {
  const parts = pattern.split('/');
  let paths = [pattern.startsWith('/') ? '/' : ''];
  for (let i = pattern.startsWith('/') ? 1 : 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === '') continue;
    const next: string[] = [];
    for (const base of paths) {
      const join = (name: string): string => (base === '' ? name : base === '/' ? `/${name}` : `${base}/${name}`);
      if (!hasMagic(part)) {
        if (exists(abs(join(part)))) next.push(join(part));
        continue;
      }
      const dir = abs(base === '' ? '.' : base);
      if (!isDir(dir)) continue;
      const re = partRegex(part);
      for (const name of readdirSync(dir)) {
        if (name.startsWith('.') && !part.startsWith('.')) continue;
        if (re.test(name)) next.push(join(name));
      }
    }
    paths = next;
  }
  return paths.filter((p) => p !== '' && p !== '/');
}

/** Whether keepalived would find and run a script: an executable path, or a bare name on PATH. */
export function diskScriptExists(command: string): boolean {
  const executable = (p: string): boolean => {
    try {
      accessSync(p, constants.X_OK);
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (command.includes('/')) return executable(command);
  const path = process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin';
  return path.split(':').some((dir) => dir !== '' && executable(posix.join(dir, command)));
}
