import { describe, expect, it } from 'vitest';
import type { VrrpInstanceParams } from '../../../../src/daemons/keepalived/vrrp';
import { SECOND } from '../../../../src/sim/time';
import { config, Driver, instance, ip, Lan, logs } from './harness';

const skew = (prio: number) => Math.floor(((256 - prio) * SECOND) / 256);
const mdi = (prio: number) => 3 * SECOND + skew(prio);

/** Routers on one LAN, node i at 172.16.23.(101 + i), all running instance VI. */
function lan(...routers: Partial<VrrpInstanceParams>[]): Lan {
  return new Lan(
    routers.map((over, i) => ({
      driver: new Driver(config([instance({ primaryIp: ip(101 + i), ...over })])),
      ip: ip(101 + i),
    })),
  );
}

const stateOf = (l: Lan) => l.nodes.map((n) => n.driver.vrrp().state);

describe('scenarios on a LAN (100 µs between routers)', () => {
  it('equal priorities starting together: both go MASTER, the higher address keeps it', () => {
    const l = lan({ priority: 100 }, { priority: 100 });
    l.at(0, 0, { kind: 'start' });
    l.at(0, 1, { kind: 'start' });
    l.run(10 * SECOND);
    expect(stateOf(l)).toEqual(['BACKUP', 'MASTER']);
    expect(logs(l.nodes[0]!.driver.all, false)).toContain(
      '(VI) Master received advert from 172.16.23.102 with same priority 100 but higher IP address than ours',
    );
    expect(logs(l.nodes[1]!.driver.all, false)).toContain(
      '(VI) Received advert from 172.16.23.101 with lower priority 100, ours 100, forcing new election',
    );
  });

  it('a BACKUP never preempts an equal-priority MASTER, whatever the addresses', () => {
    const l = lan({ priority: 100 }, { priority: 100 });
    l.at(0, 0, { kind: 'start' });
    l.at(5 * SECOND, 1, { kind: 'start' });
    l.run(30 * SECOND);
    expect(stateOf(l)).toEqual(['MASTER', 'BACKUP']);
  });

  it('three routers 150/100/50: the 150 crashes, the 100 takes over one Master_Down_Interval after its last advert, the 50 stays BACKUP', () => {
    const l = lan({ priority: 150 }, { priority: 100 }, { priority: 50 });
    for (const n of [0, 1, 2]) l.at(0, n, { kind: 'start' });
    l.run(10 * SECOND);
    expect(stateOf(l)).toEqual(['MASTER', 'BACKUP', 'BACKUP']);
    const lastAdvert = mdi(150) + 6 * SECOND; // the 150's adverts go out at mdi(150) + n s
    l.crash(0);
    const d100 = l.nodes[1]!.driver;
    l.run(lastAdvert + 100 + mdi(100) - 1);
    expect(d100.vrrp().state).toBe('BACKUP');
    l.run(lastAdvert + 100 + mdi(100));
    expect(stateOf(l).slice(1)).toEqual(['MASTER', 'BACKUP']);
    l.run(lastAdvert + 20 * SECOND);
    expect(stateOf(l).slice(1)).toEqual(['MASTER', 'BACKUP']);
  });

  it('nopreempt 200 joining a running 99 waits, and takes over 3.21875 s after the 99 dies', () => {
    const l = lan({ priority: 99 }, { priority: 200, nopreempt: true });
    l.at(0, 0, { kind: 'start' });
    l.at(5 * SECOND, 1, { kind: 'start' });
    l.run(20 * SECOND);
    expect(stateOf(l)).toEqual(['MASTER', 'BACKUP']);
    const lastAdvert = mdi(99) + 16 * SECOND;
    l.crash(0);
    l.run(lastAdvert + 100 + mdi(200) - 1);
    expect(l.nodes[1]!.driver.vrrp().state).toBe('BACKUP');
    l.run(lastAdvert + 100 + mdi(200));
    expect(l.nodes[1]!.driver.vrrp().state).toBe('MASTER');
    expect(mdi(200)).toBe(3_218_750);
  });

  it('SIGTERM of the master: the 99 takes over one Skew_Time after the priority-0 advert', () => {
    const l = lan({ priority: 100 }, { priority: 99 });
    l.at(0, 0, { kind: 'start' });
    l.at(0, 1, { kind: 'start' });
    l.run(10 * SECOND);
    l.at(10 * SECOND, 0, { kind: 'stop' });
    l.run(10 * SECOND + 100 + skew(99) - 1);
    expect(l.nodes[1]!.driver.vrrp().state).toBe('BACKUP');
    l.run(10 * SECOND + 100 + skew(99));
    expect(l.nodes[1]!.driver.vrrp().state).toBe('MASTER');
  });
});
