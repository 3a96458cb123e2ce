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
    expect(hash.slice(0, 16)).toMatchInlineSnapshot(`"75f1b7a0cf143012"`);
  });
});
