import { describe, expect, it } from 'vitest';
import { SECOND } from '../../src/sim/time';
import { holderAt, logLines, transitions } from '../../src/index';
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
    expect(hash.slice(0, 16)).toMatchInlineSnapshot(`"3193e2ec91310fc5"`);
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
    expect(hash.slice(0, 16)).toMatchInlineSnapshot(`"cc21106de29a9702"`);
  });
});
