import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { checkFiles, keywordTable, registerCheck, topologyFromScenario } from '../../src/cli/check';

const fixtures = join(__dirname, '../fixtures/keepalived');

describe('vrrpsim check', () => {
  it('prints keepalived -t lines and exits with its code for the seed LVS master', () => {
    const topology = { hosts: { proxy1: { interfaces: ['lo', 'eth0', 'eth1'] } } };
    const r = checkFiles(['seed/lvs-master.conf'], { cwd: fixtures, host: 'proxy1', topology });
    expect(r.exitCode).toBe(5);
    expect(r.text).toContain("(seed/lvs-master.conf: Line 56) nb_get_retry is deprecated - please use 'retry'");
    expect(r.text).toContain("(seed/lvs-master.conf: Line 14) Unknown keyword 'vs_sync_daemon_inteface'");
    expect(r.text).not.toContain("doesn't exist");
    expect(r.text).toContain('keepalived -t: exit 5 (warnings)');
  });

  it('lists keywords it accepts without simulating, with their lines', () => {
    const r = checkFiles(['samples/keepalived.conf.sample'], { cwd: fixtures });
    expect(r.text).toContain('accepted, not simulated:');
    expect(r.text).toMatch(/keepalived\.conf\.sample:\d+ global_defs notification_email/);
  });

  it('checks every host of a scenario and lints them together', () => {
    const topology = topologyFromScenario(join(fixtures, 'cluster/scenario.yaml'));
    expect(topology.hosts['proxy1']!.interfaces).toEqual(['lo', 'eth0']);
    const r = checkFiles([], { topology });
    expect(r.results.map((x) => x.name)).toEqual(['proxy1:/etc/keepalived/keepalived.conf', 'proxy2:/etc/keepalived/keepalived.conf']);
    expect(r.exitCode).toBe(6);
    expect(r.text).toContain('SECURITY VIOLATION - scripts are being executed but script_security not enabled.');
    const tie = r.findings.find((f) => f.code === 'weight-tie')!;
    expect(tie.at).toEqual({ host: 'proxy1', ref: { file: '/etc/keepalived/keepalived.conf', line: 23 } });
    expect(tie.why).toContain('proxy2 (VI_PROXY_HA) wins by its higher IP address');
  });

  it('--keywords lists all 500 keywords of keepalived 2.2.7', () => {
    const rows = keywordTable().trim().split('\n');
    expect(rows).toHaveLength(501);
    expect(rows.at(-1)).toMatch(/^500 keywords: 500 parsed, \d+ simulated/);
    expect(rows.find((r) => /^vrrp_instance\s+priority\s/.test(r))).toContain('parsed, simulated');
  });

  it('is a commander subcommand whose exit code follows keepalived', async () => {
    const program = new Command().exitOverride();
    let code = -1;
    registerCheck(program, (c) => (code = c));
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (out.push(s), true)) as typeof process.stdout.write;
    try {
      await program.parseAsync(['check', join(fixtures, 'seed/proxy1.conf')], { from: 'user' });
    } finally {
      process.stdout.write = write;
    }
    expect(code).toBe(0);
    expect(out.join('')).toContain('keepalived -t: exit 0 (clean)');
  });
});
