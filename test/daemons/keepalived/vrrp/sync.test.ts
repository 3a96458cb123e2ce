import { describe, expect, it } from 'vitest';
import type { VrrpSyncGroupParams } from '../../../../src/daemons/keepalived/vrrp';
import { SECOND } from '../../../../src/sim/time';
import { adverts, config, Driver, instance, ip, logs } from './harness';

const mdi = (prio: number) => 3 * SECOND + Math.floor(((256 - prio) * SECOND) / 256);

const group: VrrpSyncGroupParams = {
  name: 'VG1',
  members: ['A', 'B'],
  trackingWeight: false,
  notify: { master: '/bin/group_master.sh', generic: '/bin/n.sh' },
};

function build(): Driver {
  return new Driver(
    config(
      [
        instance({ name: 'A', vrid: 51, initialState: 'MASTER' }),
        instance({ name: 'B', vrid: 52, interface: 'eth1', vips: [{ text: '10.0.0.5', address: 0x0a000005, prefixLength: 32, dev: 'eth1' }] }),
      ],
      [],
      [group],
    ),
  );
}

/** Both members MASTER at mdi(100) (they time out together). */
function masters(): Driver {
  const d = build();
  d.feed({ kind: 'start' });
  d.advance(mdi(100));
  expect([d.vrrp('A').state, d.vrrp('B').state]).toEqual(['MASTER', 'MASTER']);
  return d;
}

describe('vrrp_sync_group', () => {
  it('a member whose timer expires first waits for the others; the last one brings the group to MASTER', () => {
    const d = build();
    d.feed({ kind: 'start' });
    d.feed({ kind: 'advert_received', instance: 'B', srcIp: ip(101), priority: 150, adverInt: SECOND }, SECOND);

    const first = d.advance(mdi(100));
    expect(logs(first)).toEqual(['(A) Receive advertisement timeout']);
    expect(d.vrrp('A')).toMatchObject({ state: 'BACKUP', wantstate: 'MASTER' });
    expect(d.deadline('A', 'master_down')).toBe(2 * mdi(100));

    const takeover = d.advance(SECOND + mdi(100));
    expect(logs(takeover, false)).toEqual([
      '(B) Entering MASTER STATE',
      'VRRP_Group(VG1) Syncing instances to MASTER state',
      '(A) Entering MASTER STATE',
    ]);
    expect(adverts(takeover)).toEqual([100, 100]);
    expect(takeover.filter((a) => a.kind === 'notify_group')).toEqual([
      {
        kind: 'notify_group',
        group: 'VG1',
        state: 'MASTER',
        script: '/bin/group_master.sh',
        generic: '/bin/n.sh',
        genericArgs: ['GROUP', 'VG1', 'MASTER', '0'],
      },
    ]);
    expect(d.state.groups['VG1']!.state).toBe('MASTER');
  });

  it('state MASTER in a sync group does not shorten start-up', () => {
    const d = build();
    expect(logs(d.feed({ kind: 'start' }), false)).toEqual(['(A) Entering BACKUP STATE (init)', '(B) Entering BACKUP STATE (init)']);
    expect(d.deadline('A', 'master_down')).toBe(mdi(100));
  });

  it('one member hearing a higher priority takes the whole group to BACKUP', () => {
    const d = masters();
    const actions = d.feed({ kind: 'advert_received', instance: 'B', srcIp: ip(101), priority: 200, adverInt: SECOND }, 5 * SECOND);
    expect(logs(actions)).toEqual([
      '(B) Master received advert from 172.16.23.101 with higher priority 200, ours 100',
      '(B) Entering BACKUP STATE',
      '(B) removing VIPs.',
      'VRRP_Group(VG1) Syncing instances to BACKUP state',
      '(A) Entering BACKUP STATE',
      '(A) removing VIPs.',
    ]);
    expect(d.vrrp('A').state).toBe('BACKUP');
    expect(d.deadline('A', 'master_down')).toBe(5 * SECOND + mdi(100));
  });

  it('a member fault takes the group to FAULT (its MASTERs send priority 0 once); recovery brings all back to BACKUP', () => {
    const d = masters();
    const fault = d.feed({ kind: 'interface_down', interface: 'eth1' }, 5 * SECOND);
    expect(logs(fault)).toEqual([
      'Netlink reports eth1 down',
      '(B) Entering FAULT STATE',
      '(B) sent 0 priority',
      '(B) removing VIPs.',
      'VRRP_Group(VG1) Syncing instances to FAULT state',
      '(A) Entering FAULT STATE',
      '(A) removing VIPs.',
    ]);
    expect(fault.filter((a) => a.kind === 'send_advert').map((a) => [a.instance, a.priority])).toEqual([
      ['B', 0],
      ['B', 0],
      ['A', 0],
    ]);
    expect(d.state.groups['VG1']!.state).toBe('FAULT');

    const up = d.feed({ kind: 'interface_up', interface: 'eth1' }, 6 * SECOND);
    expect(logs(up)).toEqual([
      'Netlink reports eth1 up',
      '(B) Entering BACKUP STATE',
      'VRRP_Group(VG1) Syncing instances to BACKUP state',
      '(A) Entering BACKUP STATE',
    ]);
    expect(d.deadline('A', 'master_down')).toBe(6 * SECOND + mdi(100));
    expect(d.deadline('B', 'master_down')).toBe(6 * SECOND + mdi(100));
  });

  it('a BACKUP member dragged into FAULT logs nothing of its own but notifies', () => {
    const d = build();
    d.feed({ kind: 'start' });
    const fault = d.feed({ kind: 'interface_down', interface: 'eth1' }, SECOND);
    expect(logs(fault)).toEqual(['Netlink reports eth1 down', '(B) Entering FAULT STATE', 'VRRP_Group(VG1) Syncing instances to FAULT state']);
    expect(fault.filter((a) => a.kind === 'notify').map((a) => a.kind === 'notify' && [a.instance, a.state])).toEqual([
      ['B', 'FAULT'],
      ['A', 'FAULT'],
    ]);
    expect(d.vrrp('A').state).toBe('FAULT');
  });

  it('a member without carrier at start puts the whole group in FAULT', () => {
    const d = build();
    const actions = d.feed({ kind: 'start', interfacesDown: ['eth1'] });
    expect(logs(actions, false)).toEqual([
      '(B): entering FAULT state (interface eth1 down)',
      'VRRP_Group(VG1): Syncing B to FAULT state',
      '(A) entering FAULT state',
      '(B) entering FAULT state',
    ]);
    expect(d.timers.size).toBe(0);
    d.feed({ kind: 'interface_up', interface: 'eth1' }, SECOND);
    expect([d.vrrp('A').state, d.vrrp('B').state]).toEqual(['BACKUP', 'BACKUP']);
  });
});
