import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { VrrpInput } from '../../../../src/daemons/keepalived/vrrp';
import { SECOND } from '../../../../src/sim/time';
import { config, Driver, instance, Lan, logs, script } from './harness';

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

  it('two routers, 100 (weight −5 script, fall 2) joining a running 99: preempt, fail-over on 95, recovery, SIGTERM', () => {
    const vips = [vip('10.9.9.80/24', net(10, 9, 9, 80), 'va')];
    const a = new Driver(
      config(
        [
          instance({
            name: 'VI_1',
            interface: 'va',
            primaryIp: net(10, 9, 9, 1),
            initialState: 'MASTER',
            vips,
            trackScripts: [{ name: 'chk_nginx', weight: -5, reverse: false }],
          }),
        ],
        [script({ fall: 2, rise: 1 })],
      ),
    );
    const b = new Driver(
      config([instance({ name: 'VI_1', interface: 'vb', primaryIp: net(10, 9, 9, 2), priority: 99, vips: [{ ...vips[0]!, dev: 'vb' }] })]),
    );
    const lan = new Lan([
      { driver: a, ip: net(10, 9, 9, 1) },
      { driver: b, ip: net(10, 9, 9, 2) },
    ]);
    // As recorded: B started, A 5.1 s later; A's script runs every second from its start, failing from
    // its 8th run to its 13th; A stopped 19 s after its start, B 3 s after that.
    const aStart = 5_100_000;
    lan.at(0, 1, { kind: 'start' });
    lan.at(aStart, 0, { kind: 'start' });
    for (let run = 0; run <= 18; run++) {
      const status = run >= 7 && run <= 12 ? 1 : 0;
      lan.at(aStart + run * SECOND + 2_000, 0, { kind: 'script_result', script: 'chk_nginx', outcome: { kind: 'exited', status } });
    }
    lan.at(aStart + 19 * SECOND, 0, { kind: 'stop' });
    lan.at(aStart + 22 * SECOND, 1, { kind: 'stop' });
    lan.run(aStart + 30 * SECOND);
    expect(logs(a.all)).toEqual(fixture('pairA'));
    expect(logs(b.all)).toEqual(fixture('pairB'));
  });
});
