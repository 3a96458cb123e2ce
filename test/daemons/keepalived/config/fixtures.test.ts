import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskScriptExists, diskSource, diskUserExists } from '../../../../src/cli/check';
import { parseKeepalivedConf } from '../../../../src/daemons/keepalived/config';

/**
 * Every config under test/fixtures/keepalived (Debian's samples, the seed lab's configs, probes of the
 * parser's corners) against what the real keepalived 2.2.7 printed for it (record.sh): same lines, same
 * order, same exit code. The recording machine's interfaces and host name are in env.txt.
 */
const root = join(__dirname, '../../../fixtures/keepalived');
const env = Object.fromEntries(
  readFileSync(join(root, 'env.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const [k, ...v] = l.trim().split(/\s+/);
      return [k!, v];
    }),
);
const interfaces = env['interfaces'] as string[];
const configId = (env['config_id'] as string[])[0]!;

describe.each(['samples', 'seed', 'probes', 'mutants'])('keepalived -t agreement: %s', (dir) => {
  const files = readdirSync(join(root, dir)).filter((f) => !f.endsWith('.expected') && !f.endsWith('.rc') && f.includes('.conf'));
  it.each(files)('%s', (file) => {
    const expected = readFileSync(join(root, dir, `${file}.expected`), 'utf8').split('\n').filter((l) => l !== '');
    const rc = Number(readFileSync(join(root, dir, `${file}.rc`), 'utf8').trim());
    const r = parseKeepalivedConf(file, diskSource(join(root, dir)), { interfaces, configId, scriptExists: diskScriptExists, userExists: diskUserExists });
    expect(r.diagnostics.map((d) => d.text)).toEqual(expected);
    expect(r.exitCode).toBe(rc);
  });
});
