import { describe, expect, it } from 'vitest';
import { SECOND } from '../../src/sim/time';
import type { TraceRecord } from '../../src/sim/trace';
import { holderAt, logLines, transitions, type RunResult } from '../../src/index';
import { runHashed } from './helpers';

const mdi = (prio: number): number => 3 * SECOND + Math.floor(((256 - prio) * SECOND) / 256);
const LAN = 100;

describe('lvs-nat: the seed directors in a VRRP sync group', () => {
  it('both VIPs move together when the master director dies', () => {
    const { run, hash } = runHashed('scenarios/lvs-nat/director-failover.yaml');
    const crash = 20 * SECOND;
    const lastAdvert = mdi(100) + Math.floor((crash - mdi(100)) / SECOND) * SECOND;
    for (const vi of ['VI_LVS_HA', 'VI_LOCAL_ADDR']) {
      expect(transitions(run, 'director1', vi, 'MASTER')).toEqual([mdi(100)]);
      expect(transitions(run, 'director2', vi, 'MASTER')).toEqual([lastAdvert + LAN + mdi(99)]);
    }
    expect(holderAt(run, '192.168.23.105', 10 * SECOND)).toBe('director1');
    for (const r of run.results) expect(r.ok, `${r.what}: ${r.detail}`).toBe(true);
    expect(hash.slice(0, 16)).toMatchInlineSnapshot(`"35821568eb89dbcf"`);
  });

  it('test.html removed: both real servers leave, the sorry server answers, then the servers return', () => {
    const { run, hash } = runHashed('scenarios/lvs-nat/test-html-removed.yaml');
    for (const r of run.results) expect(r.ok, `${r.what}: ${r.detail}`).toBe(true);
    // Each real server leaves after retry + 1 = 4 failed attempts, delay_before_retry 3 s apart:
    // at least 9 s after the first failing check, which comes at most delay_loop (6 s) after the rename.
    const removed = logLines(run, 'director1', 'Removing service [192.168.23.80]:tcp:80')[0]!.t;
    expect(removed - 30 * SECOND).toBeGreaterThanOrEqual(9 * SECOND);
    expect(removed - 30 * SECOND).toBeLessThanOrEqual(6 * SECOND + 9 * SECOND + 3 * SECOND);
    // Coming back takes two good checks a delay_loop apart.
    const back = logLines(run, 'director1', 'Adding service [192.168.23.80]:tcp:80')[0]!.t;
    expect(back - 60 * SECOND).toBeGreaterThanOrEqual(6 * SECOND);
    // The report's `ipvsadm -L -n` on the master director in each phase, as the simulated ipvsadm 1.31
    // prints it (%-10u columns leave trailing blanks). One client with persistence 5 sticks to one server;
    // rr's first pick is the last real server keepalived added (.81). Finished NAT connections wait 120 s in
    // TIME_WAIT, so InActConn counts every request of the last two minutes, and a real server that comes
    // back from the dest trash brings its old connections with it.
    const head = 'IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\nTCP  172.16.23.80:80 rr persistent 5\n';
    const snaps = run.records.flatMap((r) => (r.kind === 'snapshot' ? [{ t: r.t / SECOND, host: r.host, command: r.command, output: r.output }] : []));
    expect(snaps).toEqual([
      {
        t: 20, host: 'director1', command: 'ipvsadm -L -n',
        output: `${head}  -> 192.168.23.80:80             Masq    1      0          0         \n  -> 192.168.23.81:8080           Masq    1      0          20        \n`,
      },
      { t: 50, host: 'director1', command: 'ipvsadm -L -n', output: `${head}  -> 192.168.23.121:8080          Masq    1      0          18        \n` },
      {
        t: 85, host: 'director1', command: 'ipvsadm -L -n',
        output: `${head}  -> 192.168.23.80:80             Masq    1      0          1         \n  -> 192.168.23.81:8080           Masq    1      0          90        \n`,
      },
    ]);
    expect(hash.slice(0, 16)).toMatchInlineSnapshot(`"75f1b7a0cf143012"`);
  });
});

function requests(run: RunResult): Array<TraceRecord<'http.request'>> {
  return run.records.filter((r): r is TraceRecord<'http.request'> => r.kind === 'http.request');
}

const CRASH = 20.25 * SECOND;
/** director2 takes both VIPs: last advert of director1 (19.609375 s) + LAN + MDI(99). */
const TAKEOVER = mdi(100) + Math.floor((CRASH - mdi(100)) / SECOND) * SECOND + LAN + mdi(99);

describe('lvs-nat: keep-alive connections across a director failover', () => {
  it('without the sync daemon (the seed typo), director2 resets the connections opened through director1', () => {
    const { run, hash } = runHashed('scenarios/lvs-nat/open-connections-no-sync.yaml', { keepAllRecords: true });
    for (const r of run.results) expect(r.ok, `${r.what}: ${r.detail}`).toBe(true);
    expect(transitions(run, 'director2', 'VI_LVS_HA', 'MASTER')).toEqual([TAKEOVER]);
    // No sync message ever leaves director1.
    expect(run.records.filter((r) => r.kind === 'ipvs.sync.send')).toEqual([]);
    const reqs = requests(run);
    const old = reqs.filter((r) => r.opened! < CRASH && r.sent > CRASH);
    // The two requests caught by the crash, one per connection, each reset by director2 when its
    // retransmission arrives after the takeover.
    expect(old.map((r) => [r.sent, r.error])).toEqual([
      [20.5 * SECOND, 'reset'],
      [21 * SECOND, 'reset'],
    ]);
    for (const r of old) expect(r.t).toBeGreaterThan(TAKEOVER);
    // Every other request is answered; after the failover, on connections opened after the first RST.
    expect(reqs.filter((r) => !old.includes(r)).every((r) => r.status === 200)).toBe(true);
    expect(reqs.filter((r) => r.sent > CRASH && !old.includes(r)).every((r) => r.opened! > TAKEOVER)).toBe(true);
    expect(hash.slice(0, 16)).toMatchInlineSnapshot(`"12020fe133bee23c"`);
  });

  it('with the sync daemon, the same connections go on through director2 to the same real server', () => {
    const { run, hash } = runHashed('scenarios/lvs-nat/open-connections-synced.yaml', { keepAllRecords: true });
    for (const r of run.results) expect(r.ok, `${r.what}: ${r.detail}`).toBe(true);
    expect(transitions(run, 'director2', 'VI_LVS_HA', 'MASTER')).toEqual([TAKEOVER]);
    // director1's master sync daemon sent the entries before the crash.
    const sent = run.records.filter((r): r is TraceRecord<'ipvs.sync.send'> => r.kind === 'ipvs.sync.send' && r.host === 'director1');
    expect(sent[0]!.t).toBeLessThan(CRASH);
    const reqs = requests(run);
    expect(reqs.every((r) => r.status === 200 && r.headers['x-ups']!.startsWith('WEB2'))).toBe(true);
    // Only the two connections opened at 10 s and 10.5 s, from first request to last.
    expect([...new Set(reqs.map((r) => r.opened))]).toEqual([10 * SECOND, 10.5 * SECOND]);
    const caught = reqs.filter((r) => r.sent > CRASH && r.t > TAKEOVER && r.sent < TAKEOVER);
    expect(caught.length).toBeGreaterThan(0);
    expect(hash.slice(0, 16)).toMatchInlineSnapshot(`"28d50b5a1084fd36"`);
  });
});

describe('lvs-nat: real servers without the gateway VIP', () => {
  it('every request times out; the real server drops each SYN for lack of a route back', () => {
    const { run, hash } = runHashed('scenarios/lvs-nat/no-gateway.yaml', { keepAllRecords: true });
    for (const r of run.results) expect(r.ok, `${r.what}: ${r.detail}`).toBe(true);
    const reqs = requests(run);
    expect(reqs).toHaveLength(10);
    expect(reqs.every((r) => r.error === 'timeout' && r.latency === 5 * SECOND)).toBe(true);
    // The SYN and its retransmissions at +1 s and +3 s, for each request: dropped where the SYN-ACK
    // would have to leave, on the real server the persistence template sends this client to.
    const drops = run.records.filter((r): r is TraceRecord<'ip.drop'> => r.kind === 'ip.drop' && r.proto === 'tcp');
    expect(drops).toHaveLength(30);
    expect(new Set(drops.map((d) => `${d.host} ${d.src} → ${d.dst}: ${d.reason}`))).toEqual(
      new Set(['web2 192.168.23.81 → 172.16.23.1: no route (no default gateway)']),
    );
    expect(hash.slice(0, 16)).toMatchInlineSnapshot(`"8673c298d3648722"`);
  });
});

describe('lvs-nat: real servers whose gateway is director1 itself', () => {
  it('answers until director1 dies, then every request through director2 times out', () => {
    const { run, hash } = runHashed('scenarios/lvs-nat/fixed-gateway.yaml');
    for (const r of run.results) expect(r.ok, `${r.what}: ${r.detail}`).toBe(true);
    const reqs = requests(run);
    expect(reqs.filter((r) => r.sent < CRASH).every((r) => r.status === 200)).toBe(true);
    expect(reqs.filter((r) => r.sent > CRASH).every((r) => r.error === 'timeout')).toBe(true);
    // director2 did schedule them: its table holds the connections, none past SYN_RECV.
    const table = run.records.find((r): r is TraceRecord<'snapshot'> => r.kind === 'snapshot' && r.host === 'director2')!.output;
    expect(table).toMatch(/SYN_RECV +172\.16\.23\.1:\d+ +172\.16\.23\.80:80 +192\.168\.23\.81:8080/);
    expect(table).not.toMatch(/ESTABLISHED/);
    expect(hash.slice(0, 16)).toMatchInlineSnapshot(`"11d8344bc65a84ca"`);
  });
});
