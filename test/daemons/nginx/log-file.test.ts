import { describe, it, expect } from 'vitest';
import { Vfs } from '../../../src/host/vfs';
import { LogFile } from '../../../src/daemons/nginx/log-file';

const PATH = '/usr/local/nginx/logs/access.log';

describe('LogFile', () => {
  it('appends line by line; after a truncation (> access.log) the next lines start the file again', () => {
    const vfs = new Vfs(() => 0);
    const log = new LogFile(vfs, PATH);
    log.append('one');
    log.append('two');
    expect(vfs.readText(PATH)).toBe('one\ntwo\n');
    vfs.write(PATH, ''); // O_TRUNC; nginx's descriptor has O_APPEND, so it writes at the new end
    log.append('three');
    expect(vfs.readText(PATH)).toBe('three\n');
    vfs.write('/tmp/other', 'x'); // another path changing does not matter
    log.append('four');
    expect(vfs.readText(PATH)).toBe('three\nfour\n');
  });
});
