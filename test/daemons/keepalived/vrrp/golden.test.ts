import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { VrrpInput } from '../../../../src/daemons/keepalived/vrrp';
import { SECOND } from '../../../../src/sim/time';
import { config, Driver, instance, logs, script } from './harness';

/**
 * The real keepalived 2.2.7 (Debian 1:2.2.7, `-D`), run in network namespaces with the configs beside the
 * fixtures; its VRRP log lines (process start/stop lines removed) against the model fed the same timeline.
 */
const fixture = (name: string): string[] =>
  readFileSync(new URL(`../../../fixtures/daemons/keepalived/vrrp/${name}.log`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line !== '');

const net = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
const vip = (text: string, address: number, dev: string) => ({ text, address, prefixLength: 24, dev });

/** Runs inputs at their instants, firing the machine's own timers in between; returns every log line. */
function replay(d: Driver, timeline: [number, VrrpInput][]): string[] {
  for (const [at, input] of timeline) {
    d.advance(at);
    d.feed(input, at);
  }
  return logs(d.all);
}

describe('golden logs from the real keepalived 2.2.7', () => {
  it('owner: MASTER at once; carrier loss → FAULT; carrier back → BACKUP and MASTER 3.0039 s later; SIGTERM', () => {
    const d = new Driver(
      config([instance({ interface: 'va', priority: 255, initialState: 'MASTER', vips: [vip('10.9.9.80/24', net(10, 9, 9, 80), 'va')] })]),
    );
    const lines = replay(d, [
      [0, { kind: 'start' }],
      [3 * SECOND, { kind: 'interface_down', interface: 'va' }],
      [5 * SECOND, { kind: 'interface_up', interface: 'va' }],
      [10 * SECOND, { kind: 'stop' }],
    ]);
    expect(lines).toEqual(fixture('owner'));
  });

  it('weight-0 track_script: silent FAULT until the first result, FAULT on failure, BACKUP on success', () => {
    const d = new Driver(
      config(
        [instance({ interface: 'va', vips: [vip('10.9.9.80/24', net(10, 9, 9, 80), 'va')], trackScripts: [{ name: 'chk_nginx', weight: 0, reverse: false }] })],
        [script()],
      ),
    );
    const timeline: [number, VrrpInput][] = [[0, { kind: 'start' }]];
    for (let s = 0; s <= 8; s++) {
      const status = s === 5 || s === 6 ? 1 : 0;
      timeline.push([s * SECOND + 1000, { kind: 'script_result', script: 'chk_nginx', outcome: { kind: 'exited', status } }]);
    }
    timeline.push([9 * SECOND, { kind: 'stop' }]);
    expect(replay(d, timeline)).toEqual(fixture('script'));
  });

  it('sync group: member without carrier at start, group FAULT → BACKUP → MASTER → FAULT → BACKUP', () => {
    const d = new Driver(
      config(
        [
          instance({ name: 'A', interface: 'va', initialState: 'MASTER', vips: [vip('10.9.9.80/24', net(10, 9, 9, 80), 'va')] }),
          instance({ name: 'B', interface: 'vc', vrid: 52, vips: [vip('10.8.8.80/24', net(10, 8, 8, 80), 'vc')] }),
        ],
        [],
        [{ name: 'VG1', members: ['A', 'B'], trackingWeight: false, notify: {} }],
      ),
    );
    const lines = replay(d, [
      [0, { kind: 'start', interfacesDown: ['vc'] }],
      [2 * SECOND, { kind: 'interface_up', interface: 'vc' }],
      [7 * SECOND, { kind: 'interface_down', interface: 'vc' }],
      [9 * SECOND, { kind: 'interface_up', interface: 'vc' }],
      [11 * SECOND, { kind: 'stop' }],
    ]);
    expect(lines).toEqual(fixture('sync'));
  });
});
