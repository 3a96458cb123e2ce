import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfEnvironment } from '../../../src/daemons/nginx/conf-builder';
import { stockMimeTypesText } from '../../../src/daemons/nginx/mime-types';

/** Paths of the recordings made by test/fixtures/nginx/record.py. */
export const FIXTURES = join(import.meta.dirname, '../../fixtures/nginx');
export const BASE = '/tmp/vrrpsim-nginx';
export const MTIME_MS = 1669308430 * 1000;

/** The recording machine as nginx saw it: the conf, the stock mime.types, no user "nginx", no DNS. */
export function recordingEnv(confPath: string, confText: string, extra: Record<string, string> = {}): ConfEnvironment {
  const files: Record<string, string> = {
    [confPath]: confText,
    [confPath.replace(/nginx\.conf$/, 'mime.types')]: stockMimeTypesText(),
    ...extra,
  };
  return {
    read: (path) => files[path],
    glob: (pattern) => {
      const re = new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
      return Object.keys(files).filter((p) => re.test(p));
    },
    userExists: (name) => name !== 'nginx',
    groupExists: () => true,
  };
}

export function fixtureText(rel: string): string {
  return readFileSync(join(FIXTURES, rel), 'utf8');
}

/** Every file under sites/<host>/ mapped to where record.py put it, with the fixed mtime. */
export function siteFiles(host: string): Map<string, { data: string; mtimeMs: number } | 'dir'> {
  const out = new Map<string, { data: string; mtimeMs: number } | 'dir'>();
  const root = join(FIXTURES, 'sites', host);
  const walk = (dir: string, rel: string): void => {
    out.set(`${BASE}/${host}${rel}`, 'dir');
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path, `${rel}/${name}`);
      else out.set(`${BASE}/${host}${rel}/${name}`, { data: readFileSync(path, 'latin1'), mtimeMs: MTIME_MS });
    }
  };
  walk(root, '');
  return out;
}
