import { describe, expect, it } from 'vitest';
import { vrrpCompleteTracking } from '../../../../src/daemons/keepalived/vrrp';
import { config, instance, script } from './harness';

const weighted = {
  trackScripts: [
    { name: 'chk_nginx', weight: -5, reverse: false },
    { name: 'chk_pid', weight: 0, reverse: false },
  ],
  trackInterfaces: [{ name: 'eth1', weight: -10, reverse: false }],
};

describe('weighted tracking pruned at load (vrrp_complete_instance)', () => {
  it('sync group members lose weighted scripts; weighted interfaces become weight 0', () => {
    const group = { name: 'VG1', members: ['VI'], trackingWeight: false, notify: {} };
    const { config: done, warnings } = vrrpCompleteTracking(config([instance(weighted)], [script()], [group]));
    expect(warnings).toEqual([
      '(VI) ignoring eth1 tracked interface weight due to SYNC group',
      '(VI) ignoring tracked script chk_nginx with weights due to SYNC group',
    ]);
    expect(done.instances[0]!.trackScripts.map((t) => t.name)).toEqual(['chk_pid']);
    expect(done.instances[0]!.trackInterfaces).toEqual([{ name: 'eth1', weight: 0, reverse: false }]);
  });

  it('sync_group_tracking_weight keeps them', () => {
    const group = { name: 'VG1', members: ['VI'], trackingWeight: true, notify: {} };
    const input = config([instance(weighted)], [script()], [group]);
    expect(vrrpCompleteTracking(input)).toEqual({ config: input, warnings: [] });
  });

  it('an address owner ignores every weight', () => {
    const { config: done, warnings } = vrrpCompleteTracking(config([instance({ ...weighted, priority: 255 })]));
    expect(warnings).toEqual([
      '(VI) ignoring eth1 tracked interface due to address owner',
      '(VI) ignoring tracked script chk_nginx with weights due to address_owner',
    ]);
    expect(done.instances[0]!.trackInterfaces).toEqual([]);
  });
});
