import { describe, expect, it } from 'vitest';
import type { VrrpInput } from '../../../../src/daemons/keepalived/vrrp';
import { SECOND } from '../../../../src/sim/time';
import { adverts, config, Driver, instance, ip, logs, script } from './harness';

const skew = (prio: number) => Math.floor(((256 - prio) * SECOND) / 256);
const mdi = (prio: number) => 3 * SECOND + skew(prio);

const run = (status: number): VrrpInput => ({ kind: 'script_result', script: 'chk_nginx', outcome: { kind: 'exited', status } });

describe('track_script with a weight (fall 2, rise 1, weight −5)', () => {
  const build = () =>
    new Driver(
      config([instance({ trackScripts: [{ name: 'chk_nginx', weight: -5, reverse: false }] })], [script({ fall: 2, rise: 1 })]),
    );

  it('100 → 95 after the second failure, the next advert carries 95, back to 100 on the first success', () => {
    const d = build();
    d.feed({ kind: 'start' });
    expect(logs(d.feed(run(0), 0))).toEqual(['VRRP_Script(chk_nginx) succeeded']);
    d.advance(mdi(100));
    expect(d.vrrp().state).toBe('MASTER');

    const t = 10 * SECOND;
    d.advance(t);
    expect(logs(d.feed(run(1), t))).toEqual(['Script `chk_nginx` now returning 1']);
    expect(d.vrrp().effectivePriority).toBe(100);
    d.advance(t + SECOND);
    const failed = d.feed(run(1), t + SECOND);
    expect(logs(failed)).toEqual([
      'VRRP_Script(chk_nginx) failed (exited with status 1)',
      '(VI) Changing effective priority from 100 to 95',
    ]);
    expect(adverts(failed)).toEqual([]); // no advert of its own: the new priority waits for the advert timer
    expect(adverts(d.advance(t + 2 * SECOND))).toEqual([95]);
    expect(adverts(d.advance(t + 3 * SECOND))).toEqual([95]);

    const back = d.feed(run(0), t + 3 * SECOND);
    expect(logs(back)).toEqual([
      'Script `chk_nginx` now returning 0',
      'VRRP_Script(chk_nginx) succeeded',
      '(VI) Changing effective priority from 95 to 100',
    ]);
    expect(adverts(d.advance(t + 4 * SECOND))).toEqual([100]);
  });

  it('a BACKUP\'s deadline stays anchored to the last accepted advert: it moves by the skew difference', () => {
    const d = build();
    d.feed({ kind: 'start' });
    d.feed(run(0), 0);
    d.feed({ kind: 'advert_received', instance: 'VI', srcIp: ip(101), priority: 150, adverInt: SECOND }, SECOND);
    d.feed(run(1), 2 * SECOND);
    const actions = d.feed(run(1), 3 * SECOND);
    expect(actions).toContainEqual({ kind: 'arm_timer', instance: 'VI', timer: 'master_down', delay: SECOND + mdi(95) - 3 * SECOND });
    expect(d.deadline('VI', 'master_down')).toBe(SECOND + mdi(95));
  });

  it('a positive weight counts while good (and not while the script has not answered yet)', () => {
    const d = new Driver(
      config([instance({ trackScripts: [{ name: 'chk_nginx', weight: 20, reverse: false }] })], [script()]),
    );
    d.feed({ kind: 'start' });
    expect(d.vrrp().effectivePriority).toBe(100);
    expect(logs(d.feed(run(0), 0))).toEqual([
      'VRRP_Script(chk_nginx) succeeded',
      '(VI) Changing effective priority from 100 to 120',
    ]);
    expect(logs(d.feed(run(2), SECOND))).toEqual([
      'Script `chk_nginx` now returning 2',
      'VRRP_Script(chk_nginx) failed (exited with status 2)',
      '(VI) Changing effective priority from 120 to 100',
    ]);
  });

  it('effective priority is clamped to 1..254', () => {
    const d = new Driver(
      config([instance({ priority: 250, trackScripts: [{ name: 'chk_nginx', weight: 50, reverse: false }] })], [script()]),
    );
    d.feed({ kind: 'start' });
    expect(logs(d.feed(run(0), 0))).toContain('(VI) Changing effective priority from 250 to 254');
  });

  it('a script shared by two instances moves both', () => {
    const tracked = [{ name: 'chk_nginx', weight: -5, reverse: false }];
    const d = new Driver(
      config([instance({ name: 'A', trackScripts: tracked }), instance({ name: 'B', vrid: 52, trackScripts: tracked })], [script()]),
    );
    d.feed({ kind: 'start' });
    d.feed(run(0), 0);
    expect(logs(d.feed(run(1), SECOND)).slice(2)).toEqual([
      '(A) Changing effective priority from 100 to 95',
      '(B) Changing effective priority from 100 to 95',
    ]);
  });
});

describe('track_script weight 0 (the default): failure ⇒ FAULT', () => {
  const build = () =>
    new Driver(
      config(
        [instance({ trackScripts: [{ name: 'chk_nginx', weight: 0, reverse: false }], notify: { generic: '/bin/n.sh' } })],
        [script()],
      ),
    );

  it('held out of BACKUP silently until the first result; success ⇒ Entering BACKUP STATE', () => {
    const d = build();
    const started = d.feed({ kind: 'start' });
    expect(logs(started, false)).toEqual([]);
    expect(started.some((a) => a.kind === 'notify')).toBe(false);
    expect(d.vrrp().state).toBe('FAULT');
    expect(d.timers.size).toBe(0);

    const up = d.feed(run(0), 5_000);
    expect(logs(up)).toEqual(['VRRP_Script(chk_nginx) succeeded', '(VI) Entering BACKUP STATE']);
    expect(up).toContainEqual(expect.objectContaining({ kind: 'notify', genericArgs: ['INSTANCE', 'VI', 'BACKUP', '100'] }));
    expect(d.deadline('VI', 'master_down')).toBe(5_000 + mdi(100));
  });

  it('a failing script takes a MASTER to FAULT with priority-0 adverts, and back to BACKUP when it recovers', () => {
    const d = build();
    d.feed({ kind: 'start' });
    d.feed(run(0), 0);
    d.advance(mdi(100));
    const fault = d.feed(run(1), 10 * SECOND);
    expect(logs(fault, false)).toEqual([
      'Script `chk_nginx` now returning 1',
      'VRRP_Script(chk_nginx) failed (exited with status 1)',
      '(VI) Entering FAULT STATE',
    ]);
    expect(adverts(fault)).toEqual([0, 0]);
    const up = d.feed(run(0), 11 * SECOND);
    expect(logs(up)).toEqual(['Script `chk_nginx` now returning 0', 'VRRP_Script(chk_nginx) succeeded', '(VI) Entering BACKUP STATE']);
    expect(d.vrrp().state).toBe('BACKUP');
  });

  it('a first failure leaves it in FAULT, now with a FAULT notify', () => {
    const d = build();
    d.feed({ kind: 'start' });
    const actions = d.feed(run(1), 0);
    expect(d.vrrp().state).toBe('FAULT');
    expect(actions).toContainEqual(expect.objectContaining({ kind: 'notify', state: 'FAULT' }));
  });

  it('reverse: success is the fault', () => {
    const d = new Driver(
      config([instance({ trackScripts: [{ name: 'chk_nginx', weight: 0, reverse: true }] })], [script()]),
    );
    d.feed({ kind: 'start' });
    d.feed(run(1), 0);
    expect(d.vrrp().state).toBe('BACKUP');
    d.feed(run(0), SECOND);
    expect(d.vrrp().state).toBe('FAULT');
  });
});

describe('track_interface with a weight', () => {
  it('−10 while down, restored when up', () => {
    const d = new Driver(config([instance({ trackInterfaces: [{ name: 'eth1', weight: -10, reverse: false }] })]));
    d.feed({ kind: 'start' });
    expect(logs(d.feed({ kind: 'interface_down', interface: 'eth1' }, SECOND))).toEqual([
      'Netlink reports eth1 down',
      '(VI) Changing effective priority from 100 to 90',
    ]);
    expect(d.vrrp().state).toBe('BACKUP');
    expect(logs(d.feed({ kind: 'interface_up', interface: 'eth1' }, 2 * SECOND))).toEqual([
      'Netlink reports eth1 up',
      '(VI) Changing effective priority from 90 to 100',
    ]);
  });

  it('an interface already down at start counts from the beginning', () => {
    const d = new Driver(config([instance({ trackInterfaces: [{ name: 'eth1', weight: -10, reverse: false }] })]));
    expect(logs(d.feed({ kind: 'start', interfacesDown: ['eth1'] }))).toContain('(VI) Changing effective priority from 100 to 90');
    expect(d.deadline('VI', 'master_down')).toBe(mdi(90));
  });
});
