import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseKeepalivedConf, type ConfigSource } from '../../../../src/daemons/keepalived/config';
import { Rng } from '../../../../src/sim/rng';

/**
 * Thousands of damaged configs (deleted braces, cut lines, random bytes, huge numbers, shuffled lines):
 * the parser must never throw or hang, and must always answer with a verdict and diagnostics it can print.
 */
const fixtures = join(__dirname, '../../../fixtures/keepalived');
const seeds = [
  'seed/lvs-master.conf',
  'seed/proxy1-chk.conf',
  'samples/keepalived.conf.sample',
  'samples/keepalived.conf.vrrp.routes',
  'samples/keepalived.conf.SSL_GET',
  'probes/definitions.conf',
  'probes/checkers.conf',
].map((f) => readFileSync(join(fixtures, f), 'utf8'));

const NASTY = ['{', '}', '"', '!', '#', '$', '${', '@', '@^', '\\', 'include *', '~SEQ(x,1,3)', '$X=$X', '\t', '\0'];
const NUMBERS = ['99999999999999999999999', '-1', '0x', '1e9', '0.0000001', '4294967296', '-2147483649', '256', ''];

function mutate(text: string, rng: Rng): string {
  const lines = text.split('\n');
  const edits = 1 + rng.int(6);
  for (let e = 0; e < edits; e++) {
    const i = rng.int(lines.length);
    const line = lines[i] ?? '';
    switch (rng.int(8)) {
      case 0: // delete a brace
        lines[i] = line.replace(rng.chance(0.5) ? '{' : '}', '');
        break;
      case 1: // truncate
        lines[i] = line.slice(0, rng.int(line.length + 1));
        break;
      case 2: // random bytes
        lines[i] = Array.from({ length: 1 + rng.int(40) }, () => String.fromCharCode(rng.int(256))).join('');
        break;
      case 3: // huge or odd number
        lines[i] = line.replace(/[0-9]+(\.[0-9]+)?/, NUMBERS[rng.int(NUMBERS.length)]!);
        break;
      case 4: // nasty token
        lines[i] = `${line.slice(0, rng.int(line.length + 1))} ${NASTY[rng.int(NASTY.length)]} ${line.slice(rng.int(line.length + 1))}`;
        break;
      case 5: // delete the line
        lines.splice(i, 1);
        break;
      case 6: // duplicate a line somewhere else
        lines.splice(rng.int(lines.length + 1), 0, line);
        break;
      default: // swap two lines
        {
          const j = rng.int(lines.length);
          lines[i] = lines[j] ?? '';
          lines[j] = line;
        }
        break;
    }
  }
  return lines.join('\n');
}

function source(text: string): ConfigSource {
  return {
    read: (p) => (p === 'k.conf' ? text : p.endsWith('.inc') ? 'vrrp_instance X {\n include k.conf\n}\n' : undefined),
    glob: (p) => (p === 'k.conf' ? ['k.conf'] : p.includes('*') ? ['a.inc', 'b.inc'] : []),
  };
}

describe('parser robustness', () => {
  it('answers every one of 3000 mutated configs without throwing, quickly', () => {
    const rng = new Rng('keepalived-config-mutations');
    let worst = 0;
    const verdicts = new Set<string>();
    for (let n = 0; n < 3000; n++) {
      const text = mutate(seeds[n % seeds.length]!, rng);
      const t0 = process.hrtime.bigint();
      const r = parseKeepalivedConf('k.conf', source(text), { interfaces: ['lo', 'eth0', 'eth1'], configId: 'vm' });
      worst = Math.max(worst, Number(process.hrtime.bigint() - t0) / 1e6);
      expect(['ok', 'warnings', 'security', 'aborted']).toContain(r.verdict);
      expect([0, 2, 4, 5, 6]).toContain(r.exitCode);
      for (const d of r.diagnostics) expect(typeof d.text).toBe('string');
      if (r.verdict !== 'ok') expect(r.diagnostics.length).toBeGreaterThan(0);
      verdicts.add(r.verdict);
    }
    // the mutations reach every verdict but "ok" at least
    expect(verdicts.has('warnings') && verdicts.has('aborted')).toBe(true);
    expect(worst).toBeLessThan(1000);
  });

  it('survives a file that includes itself', () => {
    const text = 'include k.conf\nvrrp_instance A {\n interface eth0\n virtual_router_id 1\n}\n';
    const r = parseKeepalivedConf('k.conf', source(text));
    expect(r.exitCode).toBeGreaterThanOrEqual(0);
  });

  it('survives a definition that refers to itself', () => {
    const r = parseKeepalivedConf('k.conf', source('$A=$A x\nglobal_defs {\n router_id $A\n}\n'));
    expect(r.diagnostics).toEqual([]);
  });
});
