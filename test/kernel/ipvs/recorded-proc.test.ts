import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/sim/time';
import { runIpvsadm } from '../../../src/kernel/ipvs/ipvsadm/command';
import { Ipvs } from '../../../src/kernel/ipvs/ipvs';
import { procIpVs, procIpVsConn, procIpVsStats } from '../../../src/kernel/ipvs/proc';
import { exchange } from './recorded-exchange';
import { fixture } from './transcript';

/**
 * test/fixtures/ipvs/proc.txt (record/scenario4.sh): the /proc/net/ip_vs* files of a director with held
 * connections, on a guest kernel with HZ=100. Service order in /proc/net/ip_vs is the kernel's hash order
 * (per boot), and client ports are the guest's: both are taken from the recording.
 */
describe('/proc/net/ip_vs* recorded on Linux 6.1', () => {
  const text = fixture('proc.txt');
  const section = (name: string) => {
    const m = new RegExp(`### cat /proc/net/${name}\\n([\\s\\S]*?)--- at `).exec(text);
    return m![1]!;
  };
  const ipvs = new Ipvs(0);
  for (const cmd of [
    '-A -t 172.16.0.100:80 -s wlc',
    '-a -t 172.16.0.100:80 -r 192.168.1.21:8001 -m -w 2',
    '-a -t 172.16.0.100:80 -r 192.168.1.21:8002 -m',
    '-A -t 172.16.0.100:81 -s rr -p 300 -M 255.255.255.0',
    '-a -t 172.16.0.100:81 -r 192.168.1.21:8003 -m',
    '-A -u 172.16.0.100:53 -s sh -b sh-port',
    '-A -f 7 -s rr -p',
    '-a -f 7 -r 192.168.1.21:8004 -g -w 3',
  ]) {
    expect(runIpvsadm(ipvs, cmd.split(' '), 0).exitCode).toBe(0);
  }
  const t = 10 * SECOND;
  exchange(ipvs, '172.16.0.1', 48311, 80, t);
  exchange(ipvs, '172.16.0.1', 49449, 80, t);
  exchange(ipvs, '172.16.0.2', 47715, 81, t);
  const at = t + 6 * SECOND;

  it('/proc/net/ip_vs: the same service blocks (timeouts in jiffies), dests in kernel list order', () => {
    const blocks = (s: string) => {
      const lines = s.split('\n').filter(Boolean);
      const out: string[] = [];
      for (const l of lines.slice(3)) {
        if (l.startsWith('  ->')) out[out.length - 1] += `\n${l}`;
        else out.push(l);
      }
      return { head: lines.slice(0, 3), blocks: out.sort() };
    };
    expect(blocks(procIpVs(ipvs, at, 100))).toEqual(blocks(section('ip_vs')));
  });

  it('/proc/net/ip_vs_conn: the same entries and seconds left', () => {
    const lines = (s: string) => s.split('\n').filter(Boolean).sort();
    expect(lines(procIpVsConn(ipvs, at))).toEqual(lines(section('ip_vs_conn')));
  });

  it('/proc/net/ip_vs_stats: the same totals in hex', () => {
    const firstLines = (s: string) => s.split('\n').slice(0, 3);
    expect(firstLines(procIpVsStats(ipvs, at))).toEqual(firstLines(section('ip_vs_stats')));
  });
});
