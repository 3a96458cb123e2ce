import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../../src/sim/time';
import { adverts, config, Driver, instance, ip, logs, script } from './harness';

const mdi = (prio: number) => 3 * SECOND + Math.floor(((256 - prio) * SECOND) / 256);

describe('start-up (vrrp_init_state)', () => {
  it('a non-owner enters BACKUP (init) and arms the full Master_Down_Interval, even with state MASTER', () => {
    const d = new Driver(config([instance({ priority: 99, initialState: 'MASTER' })]));
    const actions = d.feed({ kind: 'start' });
    expect(logs(actions)).toEqual(['(VI) removing VIPs.', '(VI) Entering BACKUP STATE (init)']);
    expect(logs(actions, false)).toEqual(['(VI) Entering BACKUP STATE (init)']);
    expect(actions).toContainEqual({ kind: 'arm_timer', instance: 'VI', timer: 'master_down', delay: mdi(99) });
    expect(actions).toContainEqual(expect.objectContaining({ kind: 'notify', state: 'BACKUP', genericArgs: ['INSTANCE', 'VI', 'BACKUP', '99'] }));
    expect(d.vrrp().state).toBe('BACKUP');
    expect(mdi(99)).toBe(3_613_281);
  });

  it('hearing nothing, it becomes MASTER exactly Master_Down_Interval later', () => {
    const d = new Driver(config([instance({ priority: 99 })]));
    d.feed({ kind: 'start' });
    expect(d.advance(mdi(99) - 1)).toEqual([]);
    const actions = d.advance(mdi(99));
    expect(d.vrrp().state).toBe('MASTER');
    expect(logs(actions)).toEqual([
      '(VI) Receive advertisement timeout',
      '(VI) Entering MASTER STATE',
      '(VI) setting VIPs.',
      '(VI) Sending/queueing gratuitous ARPs on eth0 for 172.16.23.80',
      ...Array(5).fill('Sending gratuitous ARP on eth0 for 172.16.23.80'),
    ]);
  });

  it('the address owner (255, state MASTER) goes MASTER 1 µs after start, without the (init) line', () => {
    const d = new Driver(config([instance({ priority: 255, initialState: 'MASTER' })]));
    const started = d.feed({ kind: 'start' });
    expect(logs(started)).toEqual(['(VI) removing VIPs.']);
    expect(started).toContainEqual({ kind: 'arm_timer', instance: 'VI', timer: 'master_down', delay: 1 });
    const actions = d.advance(1);
    expect(logs(actions, false)).toEqual(['(VI) Entering MASTER STATE']);
    expect(adverts(actions)).toEqual([255]);
  });

  it('an owner configured state BACKUP waits like anyone else', () => {
    const d = new Driver(config([instance({ priority: 255, initialState: 'BACKUP' })]));
    expect(logs(d.feed({ kind: 'start' }), false)).toEqual(['(VI) Entering BACKUP STATE (init)']);
    expect(d.deadline('VI', 'master_down')).toBe(3 * SECOND + Math.floor(SECOND / 256));
  });

  it('an interface without carrier at start puts the instance in FAULT, with FAULT notify and no timer', () => {
    const d = new Driver(config([instance()]));
    const actions = d.feed({ kind: 'start', interfacesDown: ['eth0'] });
    expect(logs(actions, false)).toEqual(['(VI): entering FAULT state (interface eth0 down)', '(VI) entering FAULT state']);
    expect(actions).toContainEqual(expect.objectContaining({ kind: 'notify', state: 'FAULT' }));
    expect(d.timers.size).toBe(0);
    const up = d.feed({ kind: 'interface_up', interface: 'eth0' }, 2 * SECOND);
    expect(logs(up, false)).toEqual(['Netlink reports eth0 up', '(VI) Entering BACKUP STATE']);
    expect(d.deadline('VI', 'master_down')).toBe(2 * SECOND + mdi(100));
  });
});

describe('timers', () => {
  it('a MASTER sends an advert every advert_int with its effective priority', () => {
    const d = new Driver(config([instance()]));
    d.feed({ kind: 'start' });
    d.advance(mdi(100));
    const actions = d.advance(mdi(100) + 3 * SECOND);
    expect(adverts(actions)).toEqual([100, 100, 100]);
    expect(d.deadline('VI', 'adver')).toBe(mdi(100) + 4 * SECOND);
  });

  it('a stale timer (deadline moved by a later advert) does nothing', () => {
    const d = new Driver(config([instance({ priority: 99 })]));
    d.feed({ kind: 'start' });
    d.feed({ kind: 'advert_received', instance: 'VI', srcIp: ip(101), priority: 100, adverInt: SECOND }, SECOND);
    expect(d.feed({ kind: 'master_down_timer_expired', instance: 'VI' }, mdi(99))).toEqual([]);
    expect(d.vrrp().state).toBe('BACKUP');
  });

  it('garp_master_delay: a second burst 5 s after becoming MASTER', () => {
    const d = new Driver(config([instance()]));
    d.feed({ kind: 'start' });
    d.advance(mdi(100));
    expect(d.deadline('VI', 'garp_master')).toBe(mdi(100) + 5 * SECOND);
    const actions = d.advance(mdi(100) + 5 * SECOND);
    expect(actions).toContainEqual({ kind: 'send_garp', instance: 'VI', vips: d.config.instances[0]!.vips, repeat: 5 });
  });

  it('garp_master_refresh: a refresh burst at the first advert after the refresh interval', () => {
    const garp = { ...instance().garp, masterDelay: 0, masterRefresh: 2 * SECOND, masterRefreshRepeat: 2 };
    const d = new Driver(config([instance({ garp })]));
    d.feed({ kind: 'start' });
    const t0 = mdi(100);
    d.advance(t0);
    expect(d.advance(t0 + 2 * SECOND).filter((a) => a.kind === 'send_garp')).toEqual([]);
    const actions = d.advance(t0 + 3 * SECOND);
    expect(actions.filter((a) => a.kind === 'send_garp')).toEqual([
      { kind: 'send_garp', instance: 'VI', vips: d.config.instances[0]!.vips, repeat: 2 },
    ]);
    expect(d.advance(t0 + 5 * SECOND).some((a) => a.kind === 'send_garp')).toBe(false);
    expect(d.advance(t0 + 6 * SECOND).some((a) => a.kind === 'send_garp')).toBe(true);
  });
});

describe('stop (SIGTERM)', () => {
  it('a MASTER sends one priority-0 advert, removes its VIPs and notifies STOP', () => {
    const d = new Driver(config([instance({ notify: { stop: '/bin/stop.sh', generic: '/bin/notify.sh' } })]));
    d.feed({ kind: 'start' });
    d.advance(mdi(100));
    const actions = d.feed({ kind: 'stop' }, 10 * SECOND);
    expect(adverts(actions)).toEqual([0]);
    expect(logs(actions)).toEqual(['(VI) sent 0 priority', '(VI) removing VIPs.']);
    expect(actions.map((a) => a.kind)).toEqual(['send_advert', 'log', 'log', 'remove_vips', 'cancel_timer', 'state_changed', 'notify']);
    expect(actions.at(-1)).toEqual({
      kind: 'notify',
      instance: 'VI',
      state: 'STOP',
      priority: 100,
      script: '/bin/stop.sh',
      generic: '/bin/notify.sh',
      genericArgs: ['INSTANCE', 'VI', 'STOP', '100'],
    });
    expect(d.timers.has('VI/adver')).toBe(false);
  });

  it('a BACKUP sends nothing', () => {
    const d = new Driver(config([instance()]));
    d.feed({ kind: 'start' });
    const actions = d.feed({ kind: 'stop' }, SECOND);
    expect(adverts(actions)).toEqual([]);
    expect(actions.some((a) => a.kind === 'remove_vips')).toBe(false);
    expect(d.vrrp().state).toBe('STOP');
  });
});

describe('inputs outside the running window', () => {
  it('a script result before start is read by start-up: a failed weight-0 script means FAULT at once', () => {
    const d = new Driver(
      config([instance({ trackScripts: [{ name: 'chk_nginx', weight: 0, reverse: false }] })], [script()]),
    );
    expect(d.feed({ kind: 'script_result', script: 'chk_nginx', outcome: { kind: 'exited', status: 1 } })).toEqual([
      { kind: 'log', text: 'Script `chk_nginx` now returning 1', detail: false },
      { kind: 'log', text: 'VRRP_Script(chk_nginx) failed (exited with status 1)', detail: false },
    ]);
    expect(logs(d.feed({ kind: 'start' }), false)).toEqual([
      '(VI): entering FAULT state due to script chk_nginx',
      '(VI) entering FAULT state',
    ]);
    expect(d.vrrp().state).toBe('FAULT');
  });

  it('after stop, carrier changes, scripts and adverts change nothing', () => {
    const d = new Driver(
      config([instance({ trackScripts: [{ name: 'chk_nginx', weight: 0, reverse: false }] })], [script()]),
    );
    d.feed({ kind: 'start' });
    d.feed({ kind: 'script_result', script: 'chk_nginx', outcome: { kind: 'exited', status: 0 } });
    d.feed({ kind: 'stop' }, SECOND);
    d.feed({ kind: 'interface_down', interface: 'eth0' }, 2 * SECOND);
    d.feed({ kind: 'script_result', script: 'chk_nginx', outcome: { kind: 'exited', status: 1 } }, 2 * SECOND);
    d.feed({ kind: 'advert_received', instance: 'VI', srcIp: ip(101), priority: 100, adverInt: SECOND }, 2 * SECOND);
    expect(d.vrrp().state).toBe('STOP');
    expect(d.timers.size).toBe(0);
  });
});

describe('state_changed trace', () => {
  it('reports every transition with the priority at that moment', () => {
    const d = new Driver(config([instance()]));
    d.feed({ kind: 'start' });
    d.advance(mdi(100));
    d.feed({ kind: 'interface_down', interface: 'eth0' }, 10 * SECOND);
    d.feed({ kind: 'interface_up', interface: 'eth0' }, 11 * SECOND);
    d.feed({ kind: 'stop' }, 12 * SECOND);
    expect(d.all.flatMap((a) => (a.kind === 'state_changed' ? [`${a.from}>${a.to}`] : []))).toEqual([
      'INIT>BACKUP',
      'BACKUP>MASTER',
      'MASTER>FAULT',
      'FAULT>BACKUP',
      'BACKUP>STOP',
    ]);
  });
});
