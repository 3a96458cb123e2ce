import { describe, expect, it } from 'vitest';
import { CheckerProcess } from '../../../../src/daemons/keepalived/check';
import { Ipvs } from '../../../../src/kernel/ipvs';
import { SECOND } from '../../../../src/sim/time';
import { world } from '../../../host/helpers';
import { conf } from './conf';
import { lab, webServer } from './lab';
import { expectSameLines, loadRecording, type Line } from './recording';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Real keepalived 2.2.7 (Debian 12) recorded in user-mode-linux namespaces against a real IPVS
 * (fixtures/keepalived/check/README.md), replayed here with the same configuration and timeline.
 */
describe('checker child against the 2.2.7 recording of seed experiment 6 (test.html removed, then back on web1)', () => {
  const rec = loadRecording('seed-test-html');
  const l = lab({ detail: true });
  l.sim.runUntil(rec.mark('removed') * SECOND);
  l.files1.delete('/test.html');
  l.files2.delete('/test.html');
  l.sim.runUntil(rec.mark('restored web1') * SECOND);
  l.files1.set('/test.html', 'Just test for WEB1\n');
  l.sim.runUntil(rec.mark('stop') * SECOND);
  l.checker.terminate();
  const simulated = l.logs();

  it('writes the same lines, in the same order per real server and per virtual server', () => {
    expectSameLines(simulated, rec.lines, ['[192.168.23.80]:tcp:80', '[192.168.23.81]:tcp:8080']);
  });

  it('removes the real servers 9–15 s (plus attempt times) after test.html goes, as recorded (15.4 s)', () => {
    const removedAt = (lines: readonly Line[], rs: string) => lines.find((s) => s.text.startsWith(`Removing service ${rs}`))!.t - rec.mark('removed');
    expect(removedAt(rec.lines, '[192.168.23.80]')).toBeGreaterThan(9);
    expect(removedAt(rec.lines, '[192.168.23.80]')).toBeLessThan(15.5);
    for (const rs of ['[192.168.23.80]', '[192.168.23.81]']) {
      expect(removedAt(simulated, rs)).toBeGreaterThan(9);
      expect(removedAt(simulated, rs)).toBeLessThan(15.1);
    }
  });

  it('re-adds web1 one delay_loop after its first good answer, as recorded (6.06 s)', () => {
    const gap = (lines: readonly Line[]) => {
      const ok = lines.filter((x) => x.text.startsWith('MD5 digest success to [192.168.23.80]')).map((x) => x.t);
      return ok[1]! - ok[0]!;
    };
    expect(gap(rec.lines)).toBeGreaterThan(6);
    expect(gap(rec.lines)).toBeLessThan(6.1);
    expect(gap(simulated)).toBeGreaterThan(6);
    expect(gap(simulated)).toBeLessThan(6.01);
  });
});

describe('checker child against the 2.2.7 recording of alpha + sorry server, inhibit_on_failure, TCP_CHECK', () => {
  const rec = loadRecording('alpha-inhibit-tcp');
  const w = world(11);
  const director = w.host('dir', { eth0: { lan: 'int', ip: '192.168.23.100/24' } });
  const web1 = w.host('web1', { eth0: { lan: 'int', ip: '192.168.23.80/24' } });
  w.host('web2', { eth0: { lan: 'int', ip: '192.168.23.81/24' } });
  const server = webServer(web1, 80, new Map([['/test.html', 'Just test for WEB1\n']]));
  const text = readFileSync(join(__dirname, '../../../fixtures/keepalived/check/alpha-inhibit-tcp.conf'), 'utf8');
  const ipvs = new Ipvs();
  const checker = new CheckerProcess(director, conf(text), ipvs, true);
  checker.start(director.processes.spawn('keepalived', ['keepalived', '-D'], checker, 1));
  w.sim.runUntil(rec.mark('web1 stops') * SECOND);
  server.listener.close();
  w.sim.runUntil(rec.mark('stop') * SECOND);
  const table = ipvs.listServices().map((s) => `${s.port}: ${s.dests.map((d) => `${d.addr}:${d.port} w${d.weight}`).join(' ')}`);
  checker.terminate();
  const simulated = w.mem.records.flatMap((r) =>
    r.kind === 'log' && (r as { ident?: string }).ident === 'Keepalived_healthcheckers' ? [{ t: r.t / SECOND, text: (r as { text?: string }).text! }] : [],
  );

  it('writes the same lines, in the same order per real server and per virtual server', () => {
    expectSameLines(simulated, rec.lines, ['[192.168.23.81]:tcp:8080']);
  });

  it('leaves the table as recorded: only the sorry server on :80, web1 at weight 0 on :8000', () => {
    expect(table).toEqual(['80: 192.168.23.121:8080 w1', '8000: 192.168.23.80:80 w0']);
  });

  it('after web1 stops: two refused connects delay_before_retry apart, then removal (recorded 1.01 s apart)', () => {
    const fails = (lines: readonly Line[]) => lines.filter((x) => x.text === 'TCP connection to [192.168.23.80]:tcp:80 failed.').map((x) => x.t);
    const [a, b] = fails(simulated);
    const [ra, rb] = fails(rec.lines);
    expect(rb! - ra!).toBeGreaterThan(1);
    expect(rb! - ra!).toBeLessThan(1.05);
    expect(b! - a!).toBeGreaterThan(1);
    expect(b! - a!).toBeLessThan(1.01);
  });
});
