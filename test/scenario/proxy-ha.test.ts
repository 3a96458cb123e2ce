import { describe, expect, it } from 'vitest';
import { SECOND } from '../../src/sim/time';
import { holderAt, logLines, transitions } from '../../src/index';
import { runHashed } from './helpers';

// keepalived's timer rules (VRRPv2, advert_int 1 s), derived here, not read off a run.
const skew = (prio: number): number => Math.floor(((256 - prio) * SECOND) / 256);
const mdi = (prio: number): number => 3 * SECOND + skew(prio);
const LAN = 100; // the scenarios' one-way LAN latency, µs
const DIR = 'scenarios/proxy-ha';

describe('proxy-ha: seed experiments 2–4 against keepalived 2.2.7 timer rules', () => {
  it('backup alone becomes MASTER after MDI(99); the master joining preempts after MDI(100)', () => {
    const { run } = runHashed(`${DIR}/backup-alone-master-joins.yaml`);
    expect(mdi(99)).toBe(3_613_281);
    expect(transitions(run, 'proxy2', 'VI_PROXY_HA', 'MASTER')).toEqual([mdi(99)]);
    const joined = 10 * SECOND;
    expect(transitions(run, 'proxy1', 'VI_PROXY_HA', 'MASTER')).toEqual([joined + mdi(100)]);
    expect(transitions(run, 'proxy2', 'VI_PROXY_HA', 'BACKUP')).toEqual([0, joined + mdi(100) + LAN]);
    expect(holderAt(run, '172.16.23.80', 12 * SECOND)).toBe('proxy2');
    expect(holderAt(run, '172.16.23.80', 14 * SECOND)).toBe('proxy1');
    for (const r of run.results) expect(r.ok, `${r.what}: ${r.detail}`).toBe(true);
  });

  it('a crashed master is replaced MDI(99) after its last advert was heard', () => {
    const { run } = runHashed(`${DIR}/master-crash.yaml`);
    const firstAdvert = mdi(100);
    const crash = 20 * SECOND;
    const lastAdvert = firstAdvert + Math.floor((crash - firstAdvert) / SECOND) * SECOND;
    expect(transitions(run, 'proxy2', 'VI_PROXY_HA', 'MASTER')).toEqual([lastAdvert + LAN + mdi(99)]);
    // The dead host holds nothing: between the crash and the takeover nobody has the VIP.
    expect(holderAt(run, '172.16.23.80', 21 * SECOND)).toBeUndefined();
    expect(holderAt(run, '172.16.23.80', 25 * SECOND)).toBe('proxy2');
    for (const r of run.results) expect(r.ok, `${r.what}: ${r.detail}`).toBe(true);
  });

  it('a graceful stop hands over after Skew_Time(99) only, with keepalived’s shutdown lines', () => {
    const { run } = runHashed(`${DIR}/master-graceful-stop.yaml`);
    const stop = 20 * SECOND;
    expect(transitions(run, 'proxy2', 'VI_PROXY_HA', 'MASTER')).toEqual([stop + LAN + skew(99)]);
    expect(logLines(run, 'proxy1').filter((l) => l.t >= stop).map((l) => l.text)).toEqual([
      'Stopping',
      '(VI_PROXY_HA) sent 0 priority',
      '(VI_PROXY_HA) removing VIPs.',
      // -D (CentOS's KEEPALIVED_OPTIONS) adds the CPU figures; simulated processes use none.
      'Stopped - used 0.000000 user time, 0.000000 system time',
      'CPU usage (self/children) user: 0.000000/0.000000 system: 0.000000/0.000000',
      'Stopped Keepalived v2.2.7 (01/16,2022)',
    ]);
    expect(holderAt(run, '172.16.23.80', stop + SECOND)).toBe('proxy2');
  });

  it('chk_nginx: nginx dies on the master, the VIP moves to proxy2 and comes back', () => {
    const { run } = runHashed(`${DIR}/nginx-dies-tracked.yaml`);
    const kill = 20.5 * SECOND;
    // Checks run every second from start-up: the first after the kill fails once, the second (fall 2) fails the script.
    const failed = Math.ceil(kill / SECOND) * SECOND + SECOND;
    const failure = logLines(run, 'proxy1', 'VRRP_Script(chk_nginx) failed');
    expect(failure.map((l) => l.t)).toEqual([failed]);
    expect(logLines(run, 'proxy1', 'Changing effective priority from 100 to 95').map((l) => l.t)).toEqual([failed]);
    // proxy2 keeps running down from the last advert that still carried 100.
    const firstAdvert = mdi(100);
    const lastGood = firstAdvert + Math.floor((failed - firstAdvert) / SECOND) * SECOND;
    const takeover = lastGood + LAN + mdi(99);
    expect(transitions(run, 'proxy2', 'VI_PROXY_HA', 'MASTER')).toEqual([takeover]);
    // proxy1 hears proxy2 (99 > 95), goes BACKUP, notify_backup restarts nginx, the next check succeeds.
    const backup = takeover + LAN;
    expect(transitions(run, 'proxy1', 'VI_PROXY_HA', 'BACKUP')).toEqual([0, backup]);
    const recovered = Math.ceil(backup / SECOND) * SECOND;
    expect(logLines(run, 'proxy1', 'Changing effective priority from 95 to 100').map((l) => l.t)).toEqual([recovered]);
    // Its down timer, armed with MDI(95) on entering BACKUP, moves by MDI(100) − MDI(95) at the change.
    expect(transitions(run, 'proxy1', 'VI_PROXY_HA', 'MASTER')).toEqual([firstAdvert, backup + mdi(95) + (mdi(100) - mdi(95))]);
    for (const r of run.results) expect(r.ok, `${r.what}: ${r.detail}`).toBe(true);
  });

  it('notify scripts start and stop nginx with the VIP', () => {
    const { run } = runHashed(`${DIR}/notify-scripts.yaml`);
    const snaps = run.records.filter((r) => r.kind === 'snapshot') as unknown as Array<{ t: number; host: string; output: string }>;
    const at = (host: string, t: number) => snaps.find((s) => s.host === host && s.t === t * SECOND)!.output;
    expect(at('proxy2', 2)).toBe('no nginx\n');
    expect(at('proxy2', 5)).toMatch(/^\d+ \d+\n$/);
    expect(at('proxy2', 15)).toBe('no nginx\n');
    expect(at('proxy1', 15)).toMatch(/^\d+ \d+\n$/);
  });

  it('a pulled cable puts the master in FAULT; back up, it preempts after MDI(100)', () => {
    const { run } = runHashed(`${DIR}/link-cut.yaml`);
    const cut = 20.2 * SECOND;
    const back = 30.2 * SECOND;
    expect(transitions(run, 'proxy1', 'VI_PROXY_HA', 'FAULT')).toEqual([cut]);
    const lastAdvert = mdi(100) + Math.floor((cut - mdi(100)) / SECOND) * SECOND;
    expect(transitions(run, 'proxy2', 'VI_PROXY_HA', 'MASTER')).toEqual([lastAdvert + LAN + mdi(99)]);
    expect(transitions(run, 'proxy1', 'VI_PROXY_HA', 'MASTER')).toEqual([mdi(100), back + mdi(100)]);
    expect(logLines(run, 'proxy1', 'Netlink reports eth0').map((l) => [l.t, l.text])).toEqual([
      [cut, 'Netlink reports eth0 down'],
      [back, 'Netlink reports eth0 up'],
    ]);
  });

  it('mismatched auth_pass: both reject each other and both hold the VIP (split brain)', () => {
    const { run } = runHashed(`${DIR}/auth-mismatch.yaml`);
    expect(transitions(run, 'proxy1', 'VI_PROXY_HA', 'MASTER')).toEqual([mdi(100)]);
    expect(transitions(run, 'proxy2', 'VI_PROXY_HA', 'MASTER')).toEqual([mdi(99)]);
    expect(logLines(run, 'proxy2', 'received an invalid passwd!').length).toBeGreaterThan(10);
  });

  it('every proxy-ha scenario gives the same trace on every run (pinned hashes)', () => {
    const hashes = Object.fromEntries(
      [
        'backup-alone-master-joins',
        'master-crash',
        'master-graceful-stop',
        'nginx-dies-tracked',
        'notify-scripts',
        'link-cut',
        'auth-mismatch',
      ].map((n) => [
        n,
        runHashed(`${DIR}/${n}.yaml`).hash.slice(0, 16),
      ]),
    );
    expect(hashes).toMatchInlineSnapshot(`
      {
        "auth-mismatch": "0d336dde470f9c34",
        "backup-alone-master-joins": "53d7805c261c7014",
        "link-cut": "e997470183e9f688",
        "master-crash": "43a34186f6269776",
        "master-graceful-stop": "c6a0de69204a2f87",
        "nginx-dies-tracked": "a6b595d662d7a3cb",
        "notify-scripts": "2990e232f149f60d",
      }
    `);
  });
});
