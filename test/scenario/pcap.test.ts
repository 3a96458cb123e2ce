import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenarioFile } from '../../src/index';

const hasTshark = spawnSync('tshark', ['--version']).status === 0;

function decode(pcap: Uint8Array, fields: string[]): string[][] {
  const dir = mkdtempSync(join(tmpdir(), 'vrrpsim-pcap-'));
  const file = join(dir, 'ext.pcap');
  writeFileSync(file, pcap);
  const t = spawnSync('tshark', ['-r', file, '-o', 'ip.check_checksum:TRUE', '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], {
    encoding: 'utf8',
  });
  expect(t.status).toBe(0);
  return t.stdout.replace(/\n+$/, '').split('\n').map((l) => l.split('\t'));
}

describe.skipIf(!hasTshark)('pcaps of the proxy-HA scenarios decode in tshark', () => {
  it('master-graceful-stop: VRRP adverts (one with priority 0) and the GARP bursts, none malformed', () => {
    const run = runScenarioFile('scenarios/proxy-ha/master-graceful-stop.yaml', { pcap: true });
    const rows = decode(run.pcaps.get('ext')!, ['frame.protocols', '_ws.malformed', 'vrrp.prio', 'vrrp.checksum.status', 'arp.isgratuitous', 'ip.src']);
    for (const [, malformed] of rows) expect(malformed).toBe('');
    const vrrp = rows.filter((r) => r[0] === 'eth:ethertype:ip:vrrp');
    const garps = rows.filter((r) => r[0] === 'eth:ethertype:arp' && r[4] === '1');
    expect(vrrp.length).toBeGreaterThan(20);
    for (const r of vrrp) expect(r[3]).toBe('1'); // checksum good
    expect(vrrp.filter((r) => r[2] === '0').map((r) => r[5])).toEqual(['172.16.23.100']);
    // proxy1 at 3.6 s: 5 + 5 five seconds later; proxy2 after the stop: 5 + 5.
    expect(garps.length).toBe(20);
  });
});
if (!hasTshark) console.warn('tshark is not installed (apt-get install tshark): pcap decoding was not checked');
