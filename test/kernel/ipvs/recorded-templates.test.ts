import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/sim/time';
import { runIpvsadm } from '../../../src/kernel/ipvs/ipvsadm/command';
import { Ipvs } from '../../../src/kernel/ipvs/ipvs';
import { exchange } from './recorded-exchange';
import { fixture, parseTranscript } from './transcript';

/**
 * test/fixtures/ipvs/templates.txt (record/scenario5.sh): a client's template keeps sending it to a quiesced
 * server; once the server is deleted the template is re-keyed with port 65535 and a new one made; with
 * expire_nodest_conn=1 a later deletion flushes every entry whose server is gone, on every service.
 */
describe('persistence templates recorded on Linux 6.1', () => {
  const runs = parseTranscript(fixture('templates.txt'));
  const ipvs = new Ipvs(0);
  let now = SECOND;
  const sh = (line: string) => expect(runIpvsadm(ipvs, line.split(' '), now).exitCode).toBe(0);
  const conn = (caddr: string, cport: number, vport: number) => {
    const v = exchange(ipvs, caddr, cport, vport, (now += SECOND));
    return v.kind === 'forward' ? `${v.daddr}:${v.dport}` : v.kind;
  };
  // Entries without the expiry column (timing of the guest).
  const entries = (listing: string) =>
    listing
      .split('\n')
      .slice(2)
      .filter(Boolean)
      .map((l) => l.replace(/^(\S+) \d\d:\d\d /, '$1 '))
      .sort();
  const listed = (i: number) => {
    now += SECOND;
    expect(entries(runIpvsadm(ipvs, runs[i]!.args, now).stdout)).toEqual(entries(runs[i]!.stdout));
  };

  it('follows the template to a quiesced server', () => {
    sh('-A -t 172.16.0.100:81 -s rr -p 60');
    sh('-a -t 172.16.0.100:81 -r 192.168.1.21:8004 -m');
    sh('-a -t 172.16.0.100:81 -r 192.168.1.21:8005 -m');
    expect(conn('172.16.0.1', 38757, 81)).toBe('192.168.1.21:8005');
    sh('-e -t 172.16.0.100:81 -r 192.168.1.21:8005 -m -w 0');
    expect(conn('172.16.0.1', 44723, 81)).toBe('192.168.1.21:8005');
    expect(conn('172.16.0.2', 33587, 81)).toBe('192.168.1.21:8004');
    listed(0);
  });

  it('re-keys the template of a deleted server with port 65535 and makes a new one', () => {
    sh('-d -t 172.16.0.100:81 -r 192.168.1.21:8005');
    expect(conn('172.16.0.1', 52719, 81)).toBe('192.168.1.21:8004');
    listed(1);
    now += SECOND;
    const pc = runs[2]!;
    expect(runIpvsadm(ipvs, pc.args, now).stdout).toBe(pc.stdout);
  });

  it('expire_nodest_conn=1: a deletion flushes the entries of every server gone', () => {
    ipvs.sysctl.expireNodestConn = true;
    sh('-A -t 172.16.0.100:82 -s rr');
    sh('-a -t 172.16.0.100:82 -r 192.168.1.21:8004 -m');
    sh('-a -t 172.16.0.100:82 -r 192.168.1.21:8005 -m');
    expect(conn('172.16.0.3', 40001, 82)).toBe('192.168.1.21:8005');
    expect(conn('172.16.0.3', 48223, 82)).toBe('192.168.1.21:8004');
    sh('-d -t 172.16.0.100:82 -r 192.168.1.21:8005');
    listed(3);
  });
});
