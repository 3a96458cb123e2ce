import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../../src/net/addr';
import { SECOND } from '../../src/sim/time';
import type { TraceRecord } from '../../src/sim/trace';
import { holdersAt, loadScenarioFile, runScenario, runScenarioFile, transitions, type RunResult } from '../../src/index';

const mdi = (prio: number): number => 3 * SECOND + Math.floor(((256 - prio) * SECOND) / 256);
const LAN = 100;
const HEAD = 'IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n';
/** One `ipvsadm -L -n` row of a DR real server (ipvsadm's `%-28s %-7s %-6d %-10u %-10u`). */
const row = (rs: string, inact: number, active = 0) => `  -> ${`${rs}:80`.padEnd(28)} Route   1      ${String(active).padEnd(10)} ${String(inact).padEnd(10)}\n`;
const table = (vs80: [number, number], vs81: [number, number]) =>
  `${HEAD}TCP  172.16.23.80:80 rr\n${row('172.16.23.11', vs80[0])}${row('172.16.23.12', vs80[1])}TCP  172.16.23.81:80 rr\n${row('172.16.23.11', vs81[0])}${row('172.16.23.12', vs81[1])}`;

function snapshot(run: RunResult, host: string, t: number, command: string): string | undefined {
  return run.records.find((r): r is TraceRecord<'snapshot'> => r.kind === 'snapshot' && r.host === host && r.t === t * SECOND && r.command === command)?.output;
}

/** The X-upS of each answered request for `url` sent in [from, to] s, in sending order. */
function answers(run: RunResult, url: string, from: number, to: number): string[] {
  return run.records
    .filter((r): r is TraceRecord<'http.request'> => r.kind === 'http.request' && r.url === url && r.sent >= from * SECOND && r.sent <= to * SECOND)
    .sort((a, b) => a.sent - b.sent)
    .map((r) => r.headers['x-ups'] ?? `failed: ${r.error ?? r.status}`);
}

// The dual-master run, with the host that sent every TCP frame from a VIP's port 80 (a reply) on the LAN.
const replySenders = new Set<string>();
const run = runScenario(loadScenarioFile('scenarios/lvs-dr/dual-master.yaml').spec!, {}, (world, action) => {
  if (action.kind === 'load' && replySenders.size === 0 && action.from === 10 * SECOND) {
    const byMac = new Map([...world.hosts].map(([name, h]) => [h.nic('eth0')!.mac, name]));
    world.lans.get('ext')!.onFrame((_t, f) => {
      const p = f.payload;
      if (p.kind === 'ipv4' && p.payload.kind === 'tcp' && p.payload.srcPort === 80 && /^172\.16\.23\.8[01]$/.test(formatIpv4(p.src))) {
        replySenders.add(byMac.get(f.src)!);
      }
    });
  }
  return false;
});

describe('lvs-dr: dual master, two VIPs, direct routing', () => {

  it('meets every expectation of the scenario file', () => {
    for (const r of run.results) expect(r.ok, `${r.what}: ${r.detail}`).toBe(true);
  });

  it('each director is MASTER of one VIP; when director1 dies director2 holds both, and gives .80 back', () => {
    expect(transitions(run, 'director1', 'VI_DR_80', 'MASTER')).toEqual([mdi(100), 60 * SECOND + mdi(100)]);
    expect(transitions(run, 'director2', 'VI_DR_81', 'MASTER')).toEqual([mdi(100)]);
    const lastAdvert = mdi(100) + Math.floor((30 * SECOND - mdi(100)) / SECOND) * SECOND;
    expect(transitions(run, 'director2', 'VI_DR_80', 'MASTER')).toEqual([lastAdvert + LAN + mdi(99)]);
    // The real servers hold both VIPs too (on lo): the directors are the ones that change.
    const director = (vip: string, t: number) => holdersAt(run, vip, t * SECOND).filter((h) => h.startsWith('director'));
    expect([director('172.16.23.80', 20), director('172.16.23.81', 20)]).toEqual([['director1'], ['director2']]);
    // director1 is powered off then: it holds nothing until it boots (and gets its own addresses back).
    expect([director('172.16.23.80', 31), director('172.16.23.81', 31)]).toEqual([[], ['director2']]);
    expect([director('172.16.23.80', 45), director('172.16.23.81', 45)]).toEqual([['director2'], ['director2']]);
    expect([holdersAt(run, '172.16.23.100', 45 * SECOND), holdersAt(run, '172.16.23.100', 61 * SECOND)]).toEqual([[], ['director1']]);
    expect(director('172.16.23.80', 80)).toEqual(['director1']);
    expect(holdersAt(run, '172.16.23.80', 20 * SECOND).sort()).toEqual(['director1', 'web1', 'web2']);
  });

  it('both VIPs are shared round robin between web1 and web2, whose replies go straight to the client', () => {
    for (const vip of ['172.16.23.80', '172.16.23.81']) {
      // rr's first pick is the real server keepalived added last (web2), then they alternate.
      const got = answers(run, `http://${vip}/`, 10, 29.5);
      expect(got).toHaveLength(39 + (vip.endsWith('80') ? 1 : 0));
      got.forEach((h, i) => expect(h).toBe(`WEB${i % 2 === 0 ? 2 : 1}-${vip}:80`));
      // With director2 alone, still both real servers for both VIPs.
      expect(new Set(answers(run, `http://${vip}/`, 40, 59))).toEqual(new Set([`WEB1-${vip}:80`, `WEB2-${vip}:80`]));
    }
    expect(replySenders).toEqual(new Set(['web1', 'web2']));
  });

  it('ipvsadm -L -n: each director forwards (Route) only for the VIP it holds; director2 takes both; a rebooted director1 starts empty', () => {
    expect(snapshot(run, 'director1', 20, 'ipvsadm -L -n')).toBe(table([10, 10], [0, 0]));
    expect(snapshot(run, 'director2', 20, 'ipvsadm -L -n')).toBe(table([0, 0], [10, 10]));
    // Finished DR connections wait 120 s in FIN_WAIT: InActConn counts every request since the start.
    expect(snapshot(run, 'director2', 45, 'ipvsadm -L -n')).toBe(table([14, 15], [35, 35]));
    expect(snapshot(run, 'director1', 80, 'ipvsadm -L -n')).toBe(table([16, 16], [0, 0]));
    expect(snapshot(run, 'director2', 45, 'ip addr show dev eth0')).toMatch(
      /inet 172\.16\.23\.101\/24 .*\n.*\n {4}inet 172\.16\.23\.81\/32 scope global eth0\n.*\n {4}inet 172\.16\.23\.80\/32 scope global eth0\n/,
    );
    // The real servers keep both VIPs on lo, after 127.0.0.1.
    expect(snapshot(run, 'web1', 20, 'ip addr show dev lo')).toMatch(/inet 127\.0\.0\.1\/8 scope host lo\n.*\n {4}inet 172\.16\.23\.80\/32 scope global lo\n.*\n {4}inet 172\.16\.23\.81\/32 scope global lo\n/);
  });

  it("the client's ARP cache has each VIP at the director that holds it (the real servers stay silent)", () => {
    const mac = (h: string) => run.world.hosts.get(h)!.nic('eth0')!.mac.toString(16).padStart(12, '0').replace(/(..)(?!$)/g, '$1:');
    const neigh = snapshot(run, 'client', 20, 'ip neigh')!;
    expect(neigh).toContain(`172.16.23.80 dev eth0 lladdr ${mac('director1')} REACHABLE`);
    expect(neigh).toContain(`172.16.23.81 dev eth0 lladdr ${mac('director2')} REACHABLE`);
    expect(snapshot(run, 'client', 45, 'ip neigh')).toContain(`172.16.23.80 dev eth0 lladdr ${mac('director2')} REACHABLE`);
  });
});

/**
 * test/fixtures/real-lvs-dr/dual-master/: the same keepalived.conf files under the real keepalived 2.2.7 and
 * Linux 6.1 (user-mode-linux, init.sh there; same addresses and MACs, nginx with the scenarios' server block):
 * six requests to each VIP, then each director's addresses and `ipvsadm -L -n` and the client's `ip neigh`;
 * then director1 is killed and cut off, and the same again. The counts differ (fewer requests), the rest
 * must not.
 */
describe('lvs-dr dual master against the recording', () => {
  const text = readFileSync('test/fixtures/real-lvs-dr/dual-master/log.txt', 'utf8');
  const phases = text.split(/^@ \S+ phase\d\n/m).slice(1);
  const section = (phase: string, title: string) => phase.split(`--- ${title}\n`)[1]!.split(/^(--- |@ )/m)[0]!;
  // ActiveConn and InActConn become N, in columns of the same width.
  const counts = (t: string) => t.replace(/^( {2}-> \S+ +\S+ +\d+ +)(\d+ +)(\d+ *)$/gm, (_, row: string, a: string, i: string) => row + 'N'.padEnd(a.length) + 'N'.padEnd(i.length));
  // (keepalived's console lines are interleaved in the recording)
  const neighSet = (t: string) => new Set(t.split('\n').filter((l) => / dev eth0 /.test(l)).map((l) => l.trimEnd()));

  it('the same round robin: each VIP answered WEB2, WEB1, WEB2 … with the VIP in the header', () => {
    for (const vip of ['80', '81']) {
      const real = [...phases[0]!.matchAll(new RegExp(`^normal ${vip} X-upS: (\\S+)$`, 'gm'))].map((m) => m[1]);
      expect(real).toHaveLength(6);
      expect(answers(run, `http://172.16.23.${vip}/`, 10, 13).slice(0, 6)).toEqual(real);
    }
  });

  it('the same ipvsadm -L -n layout, addresses and client ARP cache, before and after director1 goes', () => {
    expect(counts(snapshot(run, 'director1', 20, 'ipvsadm -L -n')!)).toBe(counts(section(phases[0]!, 'd1 ipvsadm -L -n')));
    expect(counts(snapshot(run, 'director2', 20, 'ipvsadm -L -n')!)).toBe(counts(section(phases[0]!, 'd2 ipvsadm -L -n')));
    expect(counts(snapshot(run, 'director2', 45, 'ipvsadm -L -n')!)).toBe(counts(section(phases[1]!, 'd2 ipvsadm -L -n')));
    expect(neighSet(snapshot(run, 'client', 20, 'ip neigh')!)).toEqual(neighSet(section(phases[0]!, 'client ip neigh')));
    expect(neighSet(snapshot(run, 'client', 45, 'ip neigh')!)).toEqual(neighSet(section(phases[1]!, 'client ip neigh')));
    const inet = (t: string) => [...t.matchAll(/inet (\S+)/g)].map((m) => m[1]);
    expect(inet(snapshot(run, 'director2', 45, 'ip addr show dev eth0')!)).toEqual(inet(section(phases[1]!, 'd2 ip addr eth0')));
  });
});

describe('lvs-dr without arp_ignore on the real servers', () => {
  it('the real servers answer ARP for the VIPs too: with seed 1 the client sends .80 straight to web2, past the director', () => {
    const run = runScenarioFile('scenarios/lvs-dr/no-arp-ignore.yaml');
    for (const r of run.results) expect(r.ok, `${r.what}: ${r.detail}`).toBe(true);
    const web2 = run.world.hosts.get('web2')!.nic('eth0')!.mac.toString(16).padStart(12, '0').replace(/(..)(?!$)/g, '$1:');
    expect(snapshot(run, 'client', 20, 'ip neigh')).toContain(`172.16.23.80 dev eth0 lladdr ${web2} REACHABLE`);
    expect(new Set(answers(run, 'http://172.16.23.80/', 10, 40))).toEqual(new Set(['WEB2-172.16.23.80:80']));
    // director1 holds the VIP and has the virtual server, and never sees a request.
    expect(snapshot(run, 'director1', 20, 'ipvsadm -L -n')).toBe(table([0, 0], [0, 0]));
    expect(snapshot(run, 'director2', 20, 'ipvsadm -L -n')).toBe(table([0, 0], [10, 10]));
  });

  it('arp_ignore without arp_announce 2: a real server asks for the client "tell <VIP>", and the client moves the VIP to it', () => {
    const run = runScenarioFile('scenarios/lvs-dr/no-arp-announce.yaml');
    for (const r of run.results) expect(r.ok, `${r.what}: ${r.detail}`).toBe(true);
    const mac = (h: string) => run.world.hosts.get(h)!.nic('eth0')!.mac.toString(16).padStart(12, '0').replace(/(..)(?!$)/g, '$1:');
    const neigh = snapshot(run, 'client', 20, 'ip neigh')!;
    expect(neigh).toContain(`172.16.23.80 dev eth0 lladdr ${mac('web2')} REACHABLE`);
    expect(neigh).toContain(`172.16.23.81 dev eth0 lladdr ${mac('web1')} REACHABLE`);
    // The first request of .80 went through director1 to web2 (rr's first pick); the VIP moved under its feet,
    // so the director saw only its SYN: the entry waits in SYN_RECV (active, 60 s).
    expect(snapshot(run, 'director1', 20, 'ipvsadm -L -n')).toBe(
      `${HEAD}TCP  172.16.23.80:80 rr\n${row('172.16.23.11', 0)}${row('172.16.23.12', 0, 1)}TCP  172.16.23.81:80 rr\n${row('172.16.23.11', 0)}${row('172.16.23.12', 0)}`,
    );
    expect(answers(run, 'http://172.16.23.80/', 10, 40).slice(0, 3)).toEqual(['WEB2-172.16.23.80:80', 'WEB2-172.16.23.80:80', 'WEB2-172.16.23.80:80']);
    expect(answers(run, 'http://172.16.23.81/', 10, 40).slice(0, 3)).toEqual(['WEB2-172.16.23.81:80', 'WEB1-172.16.23.81:80', 'WEB1-172.16.23.81:80']);
  });

  it('who wins the ARP race is luck: across seeds the client ends up at a director or at either real server', () => {
    const winners = new Set<string>();
    for (const seed of [1, 3, 5]) {
      const run = runScenarioFile('scenarios/lvs-dr/no-arp-ignore.yaml', { seed });
      const byMac = new Map([...run.world.hosts].map(([name, h]) => [h.nic('eth0')!.mac, name]));
      const e = run.world.hosts.get('client')!.nic('eth0')!.neighbours.get(0xac101750)!;
      winners.add(byMac.get(e.mac!)!);
    }
    expect(winners).toEqual(new Set(['director1', 'web1', 'web2']));
  });
});
