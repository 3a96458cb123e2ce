import { describe, expect, it } from 'vitest';
import { SECOND } from '../../src/sim/time';
import { holderAt, transitions } from '../../src/index';
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
});
