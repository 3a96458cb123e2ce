import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function vrrpsim(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/vrrpsim.mjs', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const hasTshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasTshark) console.warn('tshark is not installed (apt-get install tshark): the pcap decoding check is skipped');

describe('vrrpsim run', () => {
  it('refuses a scenario with a bad address and a misspelt key: file:line:col, exit 2, no stack trace', () => {
    const r = vrrpsim('run', 'test/fixtures/scenarios/bad-address.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^test\/fixtures\/scenarios\/bad-address\.yaml:6:\d+: .*10\.0\.0\.300/m);
    expect(r.stderr).toMatch(/^test\/fixtures\/scenarios\/bad-address\.yaml:8:5: unknown key 'nicz'.*did you mean 'nics'/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('says so when the scenario file does not exist', () => {
    const r = vrrpsim('run', 'no/such.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('no/such.yaml:1:1: no such scenario file\n');
  });

  it('runs the demo, exit 0, with the timeline, the results and the reports', () => {
    const out = mkdtempSync(join(tmpdir(), 'vrrpsim-'));
    const r = vrrpsim('run', 'scenarios/basics/arp-and-ping.yaml', '--pcap', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+ 10.0.0.80/32 on eth0');
    expect(r.stdout).toContain('7 passed, 0 failed');
    expect(existsSync(join(out, 'lan.pcap'))).toBe(true);
    const first = JSON.parse(readFileSync(join(out, 'trace.jsonl'), 'utf8').split('\n')[0]!);
    expect(first).toMatchObject({ t: 0, kind: 'addr.add' });
    // The timeline's `snapshot: ip neigh` on the client, at 20 s, in the client's folder.
    expect(readFileSync(join(out, 'client', 'snapshots.txt'), 'utf8')).toMatch(/^# 20\.000000s client\$ ip neigh\n10\.0\.0\.80 dev eth0 lladdr /);
  });

  it('says which packets hosts dropped and why: the no-gateway lesson', () => {
    const out = mkdtempSync(join(tmpdir(), 'vrrpsim-'));
    const r = vrrpsim('run', 'scenarios/lvs-nat/no-gateway.yaml', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('client     GET http://172.16.23.80/ failed: timeout');
    expect(r.stdout).toContain('\npackets dropped:\n  web2: 30 packets to 172.16.23.1 dropped: no route (no default gateway)\n');
    // --quiet keeps only the results.
    expect(vrrpsim('run', 'scenarios/lvs-nat/no-gateway.yaml', '--quiet', '--out', out).stdout).not.toContain('packets dropped');
  });

  it('runs several scenarios in turn; the exit code is the worst', () => {
    const r = vrrpsim('run', '--quiet', 'scenarios/basics/arp-and-ping.yaml', 'no/such.yaml');
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('7 passed, 0 failed');
    expect(r.stderr).toBe('no/such.yaml:1:1: no such scenario file\n');
  });

  it('--json prints a machine-readable summary', () => {
    const out = mkdtempSync(join(tmpdir(), 'vrrpsim-'));
    const r = vrrpsim('run', 'scenarios/basics/arp-and-ping.yaml', '--json', '--out', out);
    expect(JSON.parse(r.stdout)).toMatchObject({ scenario: 'arp-and-ping', ok: true, seed: 1 });
  });

  it('--version and --help answer as users expect', () => {
    const v = vrrpsim('--version');
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const h = vrrpsim('--help');
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('run [options] <scenarios...>');
  });

  it.skipIf(!hasTshark)('tshark decodes every frame of the demo pcap, none malformed', () => {
    const out = mkdtempSync(join(tmpdir(), 'vrrpsim-'));
    expect(vrrpsim('run', 'scenarios/basics/arp-and-ping.yaml', '--pcap', '--quiet', '--out', out).code).toBe(0);
    const t = spawnSync('tshark', ['-r', join(out, 'lan.pcap'), '-o', 'ip.check_checksum:TRUE', '-T', 'fields', '-e', 'frame.protocols', '-e', '_ws.malformed', '-e', 'ip.checksum.status'], {
      encoding: 'utf8',
    });
    expect(t.status).toBe(0);
    const rows = t.stdout.replace(/\n+$/, '').split('\n').map((l) => l.split('\t'));
    expect(rows.length).toBeGreaterThan(10);
    for (const [protocols, malformed, ipsum] of rows) {
      expect(protocols).toMatch(/^eth:ethertype:(arp|ip:icmp:data)$/);
      expect(malformed).toBe('');
      if (ipsum) expect(ipsum).toBe('1'); // 0 bad, 1 good, 2 unverified
    }
    const kinds = new Set(rows.map((r) => r[0]));
    expect(kinds).toEqual(new Set(['eth:ethertype:arp', 'eth:ethertype:ip:icmp:data']));
  });
});
