import { describe, expect, it } from 'vitest';
import { logLines, parseScenario, runScenario, transitions, type RunResult } from '../../../src/index';
import { SECOND } from '../../../src/sim/time';

// The simulated keepalived's SIGHUP handling (KeepalivedParent, VrrpProcess), on one host, -D as CentOS runs it.
const skew = (prio: number): number => Math.floor(((256 - prio) * SECOND) / 256);
const mdi = (prio: number): number => 3 * SECOND + skew(prio);
const HUP = 10 * SECOND;

const instance = (vrid: number, extra = '') =>
  `vrrp_instance VI_1 {\nstate MASTER\ninterface eth0\nvirtual_router_id ${vrid}\npriority 100\nadvert_int 1\n${extra}virtual_ipaddress {\n10.0.0.80\n}\n}\n`;

/** One host, `first` as keepalived.conf, `second` copied over it at 10 s, then `reload` (a shell command). */
function run(first: string, second: string, reload = 'systemctl reload keepalived'): RunResult {
  const indent = (text: string) => text.split('\n').map((l) => `          ${l}`).join('\n');
  const yaml = `
name: reload
duration: 20s
lans: { lan: { subnet: 10.0.0.0/24 } }
hosts:
  r1:
    nics: { eth0: { lan: lan, ip: 10.0.0.1/24 } }
    files:
      /etc/sysconfig/keepalived: { content: "KEEPALIVED_OPTIONS=\\"-D\\"\\n" }
      /etc/keepalived/keepalived.conf:
        content: |
${indent(first)}
      /etc/keepalived/new.conf:
        content: |
${indent(second)}
    services: [keepalived]
timeline:
  - { at: 10s, on: r1, run: cp /etc/keepalived/new.conf /etc/keepalived/keepalived.conf && ${reload} }
`;
  const { spec, diagnostics } = parseScenario(yaml, 'reload.yaml');
  expect(diagnostics).toEqual([]);
  return runScenario(spec!);
}

const after = (r: RunResult, t: number) =>
  logLines(r, 'r1')
    .filter((l) => l.t >= t)
    .map((l) => l.text);
const exits = (r: RunResult) => r.records.filter((x) => x.kind === 'process.exit');

describe('keepalived SIGHUP (reload) on a simulated host', () => {
  it('every instance removed: priority 0, VIPs gone, the VRRP child stays up with nothing to do', () => {
    const r = run(instance(10), 'global_defs {\n}\n');
    expect(after(r, HUP)).toEqual([
      'Reloading ...',
      "Opening file '/etc/keepalived/keepalived.conf'.",
      'Configuration file /etc/keepalived/keepalived.conf',
      'Reloading',
      '(VI_1) sent 0 priority',
      '(VI_1) removing VIPs.',
      'Reload complete',
    ]);
    expect(exits(r)).toEqual([]);
  });

  it('a config that had no instance: the reload starts the VRRP child, which starts as at start-up', () => {
    const r = run('global_defs {\n}\n', instance(10));
    const lines = after(r, HUP);
    expect(lines.slice(0, 4)).toEqual([
      'Reloading ...',
      "Opening file '/etc/keepalived/keepalived.conf'.",
      'Configuration file /etc/keepalived/keepalived.conf',
      expect.stringMatching(/^Starting VRRP child process, pid=\d+$/),
    ]);
    expect(lines).toContain('Reload complete');
    expect(lines).toContain('(VI_1) Entering BACKUP STATE (init)');
    expect(transitions(r, 'r1', 'VI_1', 'MASTER')).toEqual([HUP + mdi(100)]);
  });

  it('VRID changed: the old instance hands over with priority 0, the new one is MASTER MDI(100) after the reload', () => {
    const r = run(instance(10), instance(11), 'service keepalived reload');
    expect(after(r, HUP).slice(3, 9)).toEqual([
      'Reloading',
      'Assigned address 10.0.0.1 for interface eth0',
      '(VI_1) sent 0 priority',
      '(VI_1) removing VIPs.',
      '(VI_1) Entering BACKUP STATE (init)',
      'VRRP sockpool: [ifindex(  2), family(IPv4), proto(112), fd(14,15) multicast, address(224.0.0.18)]',
    ]);
    expect(transitions(r, 'r1', 'VI_1', 'MASTER')).toEqual([mdi(100), HUP + mdi(100)]);
    expect(transitions(r, 'r1', 'VI_1', 'DELETED')).toEqual([HUP]);
  });

  it('killall -HUP keepalived: the VRRP child reloads twice (propagated and its own signal), the parent counts the extra one', () => {
    const r = run(instance(10), instance(10), 'killall -HUP keepalived');
    const lines = after(r, HUP);
    expect(lines.filter((l) => l === 'Reloading')).toHaveLength(2);
    expect(lines.filter((l) => l === 'Reloading ...')).toHaveLength(1);
    expect(lines.slice(lines.indexOf('Reload complete'))).toEqual([
      'Reload complete',
      'Reloading',
      'Assigned address 10.0.0.1 for interface eth0',
      '(VI_1) setting VIPs.',
      'VRRP sockpool: [ifindex(  2), family(IPv4), proto(112), fd(14,15) multicast, address(224.0.0.18)]',
      'read eventfd count 1, num_reloading 0',
    ]);
    expect(transitions(r, 'r1', 'VI_1', 'MASTER')).toEqual([mdi(100)]);
  });

  it('a track script is carried over and runs again from the reload', () => {
    const script = 'vrrp_script chk {\nscript "true"\ninterval 1\nweight -5\n}\n';
    const conf = script + instance(10, 'track_script {\nchk\n}\n');
    const r = run(conf, conf.replace('priority 100', 'priority 90'));
    const lines = after(r, HUP);
    expect(lines.slice(3, 6)).toEqual([
      'Reloading',
      "Script user 'keepalived_script' does not exist",
      'VRRP_Script(chk) considered successful on reload',
    ]);
    expect(lines).toContain('SECURITY VIOLATION - scripts are being executed but script_security not enabled.');
    expect(lines.indexOf('SECURITY VIOLATION - scripts are being executed but script_security not enabled.')).toBeLessThan(
      lines.indexOf('(VI_1) setting VIPs.'),
    );
    // Runs every second from the reload: nothing else is logged while it keeps succeeding.
    expect(lines.filter((l) => l.includes('chk'))).toEqual(['VRRP_Script(chk) considered successful on reload']);
    expect(r.records.filter((x) => x.kind === 'vrrp.state' && x.t >= HUP)).toEqual([]);
  });

  it('with virtual servers too: both children reload; the parent reports once, after both', () => {
    const vs = (port: number) => `virtual_server 10.0.0.80 ${port} {\ndelay_loop 6\nlb_algo rr\nlb_kind NAT\nprotocol TCP\nreal_server 10.0.0.2 80 {\nweight 1\nTCP_CHECK {\nconnect_timeout 3\n}\n}\n}\n`;
    const r = run(instance(10) + vs(80), instance(10) + vs(8080));
    const parent = logLines(r, 'r1').filter((l) => l.text.endsWith(' complete'));
    expect(parent.map((l) => [l.t, l.text])).toEqual([
      [0, 'Startup complete'],
      [HUP, 'Reload complete'],
    ]);
    // The checker child's part: the old service goes (its real server, which nobody answers, already failed),
    // the new one is set up, then the parent's line, then the checkers start.
    const lines = after(r, HUP);
    const checker = lines.slice(lines.lastIndexOf('Reloading'));
    expect(checker.slice(0, 6)).toEqual([
      'Reloading',
      'Removing Virtual Server [10.0.0.80]:tcp:80',
      'Gained quorum 1+0=1 <= 1 for VS [10.0.0.80]:tcp:8080',
      'Reload complete',
      'Activating healthchecker for service [10.0.0.2]:tcp:80 for VS [10.0.0.80]:tcp:8080',
      'Activating BFD healthchecker',
    ]);
  });

  it('SIGTERM with virtual servers only: the checker child stops, then the parent, each once', () => {
    const vs = 'virtual_server 10.0.0.80 80 {\ndelay_loop 6\nlb_algo rr\nlb_kind NAT\nprotocol TCP\nreal_server 10.0.0.2 80 {\nweight 1\nTCP_CHECK {\nconnect_timeout 3\n}\n}\n}\n';
    const r = run(vs, vs, 'systemctl stop keepalived');
    expect(after(r, HUP).filter((t) => /^(Stopp|CPU usage)/.test(t))).toEqual([
      'Stopping',
      'Stopped - used 0.000000 user time, 0.000000 system time',
      'CPU usage (self/children) user: 0.000000/0.000000 system: 0.000000/0.000000',
      'Stopped Keepalived v2.2.7 (01/16,2022)',
    ]);
  });

  it('a VRRP keyword missing its parameter: the child exits inside the parser, without a Stopped line', () => {
    const r = run(instance(10), instance(10).replace('priority 100', 'priority'));
    const lines = after(r, HUP);
    expect(lines.filter((t) => t.startsWith('Stopped - used'))).toEqual([]);
    expect(lines.slice(3)).toEqual([
      'Reloading',
      '(/etc/keepalived/keepalived.conf: Line 5) *** Configuration line starting `priority` is missing a parameter after keyword `priority` at word position 2',
      expect.stringMatching(/^pid \d+ exited with permanent error CONFIG\. Terminating$/),
      'CPU usage (self/children) user: 0.000000/0.000000 system: 0.000000/0.000000',
      'Stopped Keepalived v2.2.7 (01/16,2022)',
    ]);
  });
});
