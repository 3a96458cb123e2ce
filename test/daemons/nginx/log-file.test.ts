import { describe, it, expect } from 'vitest';
import { Vfs } from '../../../src/host/vfs';
import { LogFile } from '../../../src/daemons/nginx/log-file';

const PATH = '/usr/local/nginx/logs/access.log';

describe('LogFile', () => {
  it('appends to the file its path names, also after someone else truncated, removed or replaced it', () => {
    const vfs = new Vfs(() => 0);
    const log = new LogFile(vfs, PATH);
    log.append('one');
    log.append('two');
    expect(vfs.readText(PATH)).toBe('one\ntwo\n');
    vfs.write(PATH, ''); // > access.log
    log.append('three');
    expect(vfs.readText(PATH)).toBe('three\n');
    vfs.remove(PATH);
    log.append('four');
    expect(vfs.readText(PATH)).toBe('four\n');
    vfs.write('/tmp/other', 'x'); // another path changing does not matter
    log.append('five');
    vfs.rename(PATH, `${PATH}.1`);
    vfs.write(PATH, 'new\n');
    log.append('six');
    expect(vfs.readText(`${PATH}.1`)).toBe('four\nfive\n');
    expect(vfs.readText(PATH)).toBe('new\nsix\n');
  });
});
