import { describe, expect, it } from 'vitest';
import type { VrrpInstanceParams } from '../../../../src/daemons/keepalived/vrrp';
import { MS, SECOND } from '../../../../src/sim/time';
import { adverts, config, Driver, instance, ip, kinds, logs } from './harness';

const skew = (prio: number) => Math.floor(((256 - prio) * SECOND) / 256);
const mdi = (prio: number) => 3 * SECOND + skew(prio);

/** A started instance in BACKUP (at t = 0). */
function backup(over: Partial<VrrpInstanceParams> = {}): Driver {
  const d = new Driver(config([instance(over)]));
  d.feed({ kind: 'start' });
  return d;
}

/** A started instance that became MASTER by timing out; returns the driver at that instant. */
function master(over: Partial<VrrpInstanceParams> = {}): Driver {
  const d = backup(over);
  d.advance(mdi(over.priority ?? 100));
  expect(d.vrrp().state).toBe('MASTER');
  return d;
}

const advert = (srcLast: number, priority: number, adverInt = SECOND) =>
  ({ kind: 'advert_received', instance: 'VI', srcIp: ip(srcLast), priority, adverInt }) as const;

describe('BACKUP receiving adverts (vrrp_state_backup, RFC 5798 §6.4.2)', () => {
  it('an accepted advert restarts the down timer at Master_Down_Interval', () => {
    const d = backup({ priority: 99 });
    const actions = d.feed(advert(101, 100), 2 * SECOND);
    expect(actions).toEqual([{ kind: 'arm_timer', instance: 'VI', timer: 'master_down', delay: mdi(99) }]);
    expect(d.vrrp().masterPriority).toBe(100);
  });

  it('equal priority is accepted whatever the addresses: a BACKUP never preempts an equal MASTER', () => {
    const d = backup({ priority: 100, primaryIp: ip(200) });
    d.feed(advert(101, 100), SECOND);
    expect(d.deadline('VI', 'master_down')).toBe(SECOND + mdi(100));
  });

  it('priority 0 → take over one Skew_Time later', () => {
    const d = backup({ priority: 99 });
    const actions = d.feed(advert(101, 0), 2 * SECOND);
    expect(logs(actions)).toEqual(['(VI) Backup received priority 0 advertisement']);
    expect(logs(actions, false)).toEqual([]);
    expect(d.deadline('VI', 'master_down')).toBe(2 * SECOND + skew(99));
    expect(skew(99)).toBe(613_281);
    d.advance(2 * SECOND + skew(99));
    expect(d.vrrp().state).toBe('MASTER');
  });

  it('a lower priority while preempting is discarded and the down timer keeps running', () => {
    const d = backup({ priority: 100 });
    const actions = d.feed(advert(101, 99), 2 * SECOND);
    expect(logs(actions)).toEqual(['(VI) received lower priority (99) advert from 172.16.23.101 - discarding']);
    expect(kinds(actions)).toEqual(['log']);
    expect(d.deadline('VI', 'master_down')).toBe(mdi(100));
    d.feed(advert(101, 99), 3 * SECOND);
    d.advance(mdi(100));
    expect(d.vrrp().state).toBe('MASTER');
  });

  it('nopreempt accepts lower priorities and keeps waiting', () => {
    const d = backup({ priority: 200, nopreempt: true });
    d.feed(advert(101, 99), 2 * SECOND);
    expect(d.deadline('VI', 'master_down')).toBe(2 * SECOND + mdi(200));
  });

  it('preempt_delay: lower adverts are accepted until the delay, started by the first of them, ends', () => {
    const d = backup({ priority: 100, preemptDelay: 5 * SECOND });
    const first = d.feed(advert(101, 99), SECOND);
    expect(logs(first)).toEqual(['(VI) start preempt delay (5.000000)']);
    expect(d.deadline('VI', 'master_down')).toBe(SECOND + mdi(100));
    d.feed(advert(101, 99), 5 * SECOND);
    expect(d.deadline('VI', 'master_down')).toBe(5 * SECOND + mdi(100));
    const late = d.feed(advert(101, 99), 6 * SECOND);
    expect(logs(late)).toEqual(['(VI) received lower priority (99) advert from 172.16.23.101 - discarding']);
    expect(d.deadline('VI', 'master_down')).toBe(5 * SECOND + mdi(100));
  });

  it('preempt_delay stops when an advert of our priority or higher arrives', () => {
    const d = backup({ priority: 100, preemptDelay: 5 * SECOND });
    d.feed(advert(101, 99), SECOND);
    expect(logs(d.feed(advert(101, 150), 2 * SECOND))).toEqual(['(VI) stop preempt delay']);
    expect(d.vrrp().preemptTime).toBeNull();
  });

  it('VRRPv3: the BACKUP adopts the master\'s interval for its down timer', () => {
    const d = backup({ version: 3, priority: 99 });
    const actions = d.feed(advert(101, 100, 500 * MS), SECOND);
    expect(logs(actions)).toEqual(['(VI) advertisement interval updated from 1000ms to 500ms by master']);
    const v3mdi = 3 * 500 * MS + Math.floor(((256 - 99) * 50 * 625) / 16);
    expect(d.deadline('VI', 'master_down')).toBe(SECOND + v3mdi);
  });

  it('a rejected advert is logged and leaves the BACKUP deadline alone', () => {
    const d = backup();
    const actions = d.feed({ kind: 'advert_rejected', instance: 'VI', reason: 'received an invalid passwd!' }, SECOND);
    expect(actions).toEqual([{ kind: 'log', text: '(VI) received an invalid passwd!', detail: false }]);
    expect(d.deadline('VI', 'master_down')).toBe(mdi(100));
  });
});

describe('becoming MASTER (vrrp_state_goto_master / master_tx / become_master)', () => {
  it('advert first, then the log, VIPs, GARP burst, notifies, then the delayed-GARP timer', () => {
    const d = backup({ notify: { master: '/bin/m.sh', generic: '/bin/n.sh' } });
    const actions = d.advance(mdi(100));
    expect(kinds(actions)).toEqual([
      'log', // Receive advertisement timeout
      'state_changed',
      'cancel_timer',
      'arm_timer',
      'send_advert',
      'log', // Entering MASTER STATE
      'log', // setting VIPs.
      'add_vips',
      'log',
      'log',
      'log',
      'log',
      'log',
      'log',
      'send_garp',
      'notify',
      'arm_timer',
    ]);
    expect(actions).toContainEqual({ kind: 'arm_timer', instance: 'VI', timer: 'adver', delay: SECOND });
    expect(actions).toContainEqual({ kind: 'cancel_timer', instance: 'VI', timer: 'master_down' });
    expect(actions).toContainEqual({ kind: 'send_advert', instance: 'VI', priority: 100, adverInt: SECOND });
    expect(actions).toContainEqual({ kind: 'arm_timer', instance: 'VI', timer: 'garp_master', delay: 5 * SECOND });
    expect(actions).toContainEqual({
      kind: 'notify',
      instance: 'VI',
      state: 'MASTER',
      priority: 100,
      script: '/bin/m.sh',
      generic: '/bin/n.sh',
      genericArgs: ['INSTANCE', 'VI', 'MASTER', '100'],
    });
  });

  it('GARP logs: one "Sending/queueing" per VIP, then one line per packet, round by round', () => {
    const vips = [
      { text: '172.16.23.80', address: ip(80), prefixLength: 32, dev: 'eth0' },
      { text: '172.16.23.81/24 dev eth1', address: ip(81), prefixLength: 24, dev: 'eth1' },
    ];
    const garp = { ...instance().garp, masterRepeat: 2 };
    const d = backup({ vips, garp });
    const lines = logs(d.advance(mdi(100))).slice(3);
    expect(lines).toEqual([
      '(VI) Sending/queueing gratuitous ARPs on eth0 for 172.16.23.80',
      'Sending gratuitous ARP on eth0 for 172.16.23.80',
      '(VI) Sending/queueing gratuitous ARPs on eth1 for 172.16.23.81',
      'Sending gratuitous ARP on eth1 for 172.16.23.81',
      'Sending gratuitous ARP on eth0 for 172.16.23.80',
      'Sending gratuitous ARP on eth1 for 172.16.23.81',
    ]);
  });
});

describe('MASTER receiving adverts (vrrp_state_master_rx, RFC 5798 §6.4.3)', () => {
  it('priority 0 → it answers with an advert at once and stays MASTER', () => {
    const d = master();
    const t = mdi(100) + 500 * MS;
    const actions = d.feed(advert(101, 0), t);
    expect(adverts(actions)).toEqual([100]);
    expect(logs(actions)).toEqual(['(VI) Master received priority 0 message']);
    expect(d.deadline('VI', 'adver')).toBe(t + SECOND);
    expect(d.vrrp().state).toBe('MASTER');
  });

  it('higher priority → BACKUP: VIPs removed, nothing sent, down timer armed', () => {
    const d = master({ priority: 99, notify: { backup: '/bin/b.sh' } });
    const t = 10 * SECOND;
    const actions = d.feed(advert(101, 100), t);
    expect(logs(actions)).toEqual([
      '(VI) Master received advert from 172.16.23.101 with higher priority 100, ours 99',
      '(VI) Entering BACKUP STATE',
      '(VI) removing VIPs.',
    ]);
    expect(adverts(actions)).toEqual([]);
    expect(kinds(actions)).toEqual(['log', 'state_changed', 'log', 'log', 'remove_vips', 'notify', 'cancel_timer', 'arm_timer']);
    expect(d.deadline('VI', 'master_down')).toBe(t + mdi(99));
    expect(d.vrrp().state).toBe('BACKUP');
  });

  it('equal priority from a higher address → BACKUP', () => {
    const d = master({ primaryIp: ip(100) });
    const actions = d.feed(advert(101, 100), 10 * SECOND);
    expect(logs(actions, false)).toEqual([
      '(VI) Master received advert from 172.16.23.101 with same priority 100 but higher IP address than ours',
      '(VI) Entering BACKUP STATE',
    ]);
    expect(d.vrrp().state).toBe('BACKUP');
  });

  it('equal priority from a lower address → forcing new election: advert and GARPs, stays MASTER', () => {
    const d = master({ primaryIp: ip(100) });
    const t = 10 * SECOND;
    const actions = d.feed(advert(99, 100), t);
    expect(logs(actions, false)).toEqual([
      '(VI) Received advert from 172.16.23.99 with lower priority 100, ours 100, forcing new election',
    ]);
    expect(adverts(actions)).toEqual([100]);
    expect(actions).toContainEqual({ kind: 'send_garp', instance: 'VI', vips: d.config.instances[0]!.vips, repeat: 5 });
    expect(actions).toContainEqual({ kind: 'arm_timer', instance: 'VI', timer: 'garp_lower_prio', delay: 5 * SECOND });
    expect(d.deadline('VI', 'adver')).toBe(t + SECOND);
  });

  it('lower priority → forcing new election; with lower_prio_no_advert nothing is sent and the timer is kept', () => {
    const d = master({ lowerPrioNoAdvert: true, garp: { ...instance().garp, lowerPrioRepeat: 0 } });
    const before = d.deadline('VI', 'adver');
    const actions = d.feed(advert(101, 99), mdi(100) + 300 * MS);
    expect(logs(actions)).toEqual(['(VI) Received advert from 172.16.23.101 with lower priority 99, ours 100']);
    expect(kinds(actions)).toEqual(['log']);
    expect(d.deadline('VI', 'adver')).toBe(before);
  });

  it('any rejected packet still pushes the MASTER\'s next advert to now + advert_int', () => {
    const d = master();
    const t = mdi(100) + 400 * MS;
    d.feed({ kind: 'advert_rejected', instance: 'VI', reason: 'received an invalid passwd!' }, t);
    expect(d.deadline('VI', 'adver')).toBe(t + SECOND);
  });

  it('higher_prio_send_advert: one advert before yielding', () => {
    const d = master({ priority: 99, higherPrioSendAdvert: true });
    expect(adverts(d.feed(advert(101, 100), 10 * SECOND))).toEqual([99]);
  });

  it('two owners: the local one drops to 254 and yields', () => {
    const d = new Driver(config([instance({ priority: 255, initialState: 'MASTER' })]));
    d.feed({ kind: 'start' });
    d.advance(1);
    const actions = d.feed(advert(101, 255), SECOND);
    expect(logs(actions, false)).toEqual([
      '(VI) CONFIGURATION ERROR: local instance and a remote instance are both configured as address owner, please fix - reducing local priority',
      '(VI) Master received advert from 172.16.23.101 with higher priority 255, ours 254',
      '(VI) Entering BACKUP STATE',
    ]);
  });
});

describe('FAULT (interface carrier)', () => {
  it('MASTER → FAULT: two priority-0 adverts, VIPs removed, no timer; carrier back → BACKUP', () => {
    const d = master({ notify: { fault: '/bin/f.sh' } });
    const t = 10 * SECOND;
    const actions = d.feed({ kind: 'interface_down', interface: 'eth0' }, t);
    expect(logs(actions)).toEqual([
      'Netlink reports eth0 down',
      '(VI) Entering FAULT STATE',
      '(VI) sent 0 priority',
      '(VI) removing VIPs.',
    ]);
    expect(adverts(actions)).toEqual([0, 0]);
    expect(actions).toContainEqual({ kind: 'cancel_timer', instance: 'VI', timer: 'adver' });
    expect(actions).toContainEqual(expect.objectContaining({ kind: 'notify', state: 'FAULT', script: '/bin/f.sh' }));
    expect(d.timers.has('VI/adver')).toBe(false);
    expect(d.vrrp().state).toBe('FAULT');

    expect(d.feed(advert(101, 99), t + SECOND)).toEqual([]);

    const up = d.feed({ kind: 'interface_up', interface: 'eth0' }, t + 2 * SECOND);
    expect(logs(up)).toEqual(['Netlink reports eth0 up', '(VI) Entering BACKUP STATE']);
    expect(d.deadline('VI', 'master_down')).toBe(t + 2 * SECOND + mdi(100));
  });

  it('the address owner coming out of FAULT waits in BACKUP like anyone (down_instance left wantstate FAULT)', () => {
    const d = new Driver(config([instance({ priority: 255, initialState: 'MASTER' })]));
    d.feed({ kind: 'start' });
    d.advance(1);
    d.feed({ kind: 'interface_down', interface: 'eth0' }, SECOND);
    const up = d.feed({ kind: 'interface_up', interface: 'eth0' }, 2 * SECOND);
    expect(logs(up)).toEqual(['Netlink reports eth0 up', '(VI) Entering BACKUP STATE']);
    expect(d.deadline('VI', 'master_down')).toBe(2 * SECOND + mdi(255));
  });

  it('BACKUP → FAULT sends nothing', () => {
    const d = backup();
    const actions = d.feed({ kind: 'interface_down', interface: 'eth0' }, SECOND);
    expect(logs(actions)).toEqual(['Netlink reports eth0 down', '(VI) Entering FAULT STATE']);
    expect(adverts(actions)).toEqual([]);
    expect(actions).toContainEqual({ kind: 'cancel_timer', instance: 'VI', timer: 'master_down' });
  });

  it('dont_track_primary: the own interface is not tracked; untracked interfaces are not reported', () => {
    const d = backup({ dontTrackPrimary: true });
    expect(d.feed({ kind: 'interface_down', interface: 'eth0' }, SECOND)).toEqual([]);
    expect(d.vrrp().state).toBe('BACKUP');
  });

  it('track_interface weight 0: its loss is a FAULT until it returns', () => {
    const d = backup({ trackInterfaces: [{ name: 'eth1', weight: 0, reverse: false }] });
    d.feed({ kind: 'interface_down', interface: 'eth1' }, SECOND);
    d.feed({ kind: 'interface_down', interface: 'eth0' }, 2 * SECOND);
    const first = d.feed({ kind: 'interface_up', interface: 'eth1' }, 3 * SECOND);
    expect(logs(first)).toEqual(['Netlink reports eth1 up']);
    expect(d.vrrp().state).toBe('FAULT');
    d.feed({ kind: 'interface_up', interface: 'eth0' }, 4 * SECOND);
    expect(d.vrrp().state).toBe('BACKUP');
  });
});

describe('two routers, wired by hand', () => {
  it('the priority-99 backup takes over Master_Down_Interval after the last advert of the 100', () => {
    const d = backup({ priority: 99 });
    d.feed(advert(100, 100), 700 * MS);
    d.advance(700 * MS + mdi(99) - 1);
    expect(d.vrrp().state).toBe('BACKUP');
    d.advance(700 * MS + mdi(99));
    expect(d.vrrp().state).toBe('MASTER');
    expect(700 * MS + mdi(99)).toBe(4_313_281);
  });
});
