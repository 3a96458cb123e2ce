import { describe, it, expect } from 'vitest';
import { hostFs } from '../../../src/daemons/nginx/host-env';
import type { Host } from '../../../src/host/host';
import { Vfs } from '../../../src/host/vfs';

describe('hostFs', () => {
  it('follows files written, removed and renamed, and a log growing while it is open', () => {
    let now = 5_000_000;
    const vfs = new Vfs(() => now);
    const fs = hostFs({ vfs } as unknown as Host);
    vfs.write('/srv/a.html', 'one');
    expect(fs.stat('/srv', '/a.html')).toEqual({ kind: 'file', size: 3, mtimeMs: 5000 });
    expect(fs.read('/srv', '/a.html')).toBe('one');
    expect(fs.stat('/srv', '')).toEqual({ kind: 'dir', size: 4096, mtimeMs: 0 });
    expect(fs.stat('/srv', '/b.html')).toBeUndefined();
    now = 7_000_000;
    vfs.write('/srv/a.html', 'three');
    expect(fs.stat('/srv', '/a.html')).toEqual({ kind: 'file', size: 5, mtimeMs: 7000 });
    expect(fs.read('/srv', '/a.html')).toBe('three');
    vfs.rename('/srv/a.html', '/srv/b.html');
    expect(fs.stat('/srv', '/a.html')).toBeUndefined();
    expect(fs.read('/srv', '/b.html')).toBe('three');
    vfs.remove('/srv/b.html');
    expect(fs.stat('/srv', '')).toBeUndefined();
    const log = vfs.openAppend('/var/log/x.log');
    expect(fs.stat('/var/log', '/x.log')?.size).toBe(0);
    now = 9_000_000;
    log.appendLine('line'); // grows in place: no new generation
    expect(fs.stat('/var/log', '/x.log')).toEqual({ kind: 'file', size: 5, mtimeMs: 9000 });
    expect(fs.read('/var/log', '/x.log')).toBe('line\n');
  });

  it('answers the same for more paths than it remembers', () => {
    const vfs = new Vfs(() => 0);
    const fs = hostFs({ vfs } as unknown as Host);
    for (let i = 0; i < 1500; i += 3) vfs.write(`/f/${i}`, `${i}`);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 1500; i++) expect(fs.read('/f', `/${i}`)).toBe(i % 3 === 0 ? `${i}` : undefined);
    }
  });
});
