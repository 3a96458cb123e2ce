import { describe, expect, it } from 'vitest';
import { MS, SECOND } from '../../../src/sim/time';
import { runIpvsadm } from '../../../src/kernel/ipvs/ipvsadm/command';
import { Ipvs } from '../../../src/kernel/ipvs/ipvs';
import { exchange } from './recorded-exchange';
import { fixture, parseTranscript } from './transcript';

/**
 * The connection part of the recording (test/fixtures/ipvs/record/scenario.sh): NAT services on
 * 172.16.0.100:80 (rr) and :81 (rr, persistent 5) over 192.168.1.21:8004/8005; clients connect, the
 * server sends one 18-byte line, the connection is held.
 */
describe('connections recorded on Linux 6.1', () => {
  const ipvs = new Ipvs(0);
  for (const cmd of [
    '-A -t 172.16.0.100:80 -s rr',
    '-a -t 172.16.0.100:80 -r 192.168.1.21:8004 -m',
    '-a -t 172.16.0.100:80 -r 192.168.1.21:8005 -m',
    '-A -t 172.16.0.100:81 -s rr -p 5',
    '-a -t 172.16.0.100:81 -r 192.168.1.21:8004 -m',
    '-a -t 172.16.0.100:81 -r 192.168.1.21:8005 -m',
  ]) {
    runIpvsadm(ipvs, cmd.split(' '), 0);
  }
  for (let i = 0; i < 3; i++) exchange(ipvs, '172.16.0.1', 41000 + i, 80, SECOND + i * 10 * MS);
  exchange(ipvs, '172.16.0.1', 42000, 81, SECOND);
  exchange(ipvs, '172.16.0.2', 42001, 81, SECOND);

  const runs = parseTranscript(fixture('connections.txt'));
  for (const run of runs.filter((r) => r.args.includes('-t'))) {
    it(`ipvsadm ${run.args.join(' ')}`, () => {
      expect(runIpvsadm(ipvs, run.args, 2 * SECOND).stdout).toBe(run.stdout);
    });
  }

  it('lists the same entries for these services: ESTABLISHED connections and ASSURED templates', () => {
    const pick = (listing: string) =>
      listing
        .split('\n')
        .filter((l) => / 172\.16\.0\.100:8[01] /.test(l))
        .map((l) => l.split(/\s+/))
        .map(([pro, , state, src, virt, dst]) => `${pro} ${state} ${src!.replace(/:\d{4,}$/, ':*')} ${virt} ${dst}`)
        .sort();
    expect(pick(runIpvsadm(ipvs, ['-L', '-n', '-c'], 2 * SECOND).stdout)).toEqual(pick(runs[0]!.stdout));
  });
});
