import { describe, expect, it } from 'vitest';
import { MS, SECOND } from '../../../src/sim/time';
import { runIpvsadm } from '../../../src/kernel/ipvs/ipvsadm/command';
import { Ipvs, type IpvsPacket } from '../../../src/kernel/ipvs/ipvs';
import type { TcpFlags } from '../../../src/kernel/ipvs/tcp-state';
import { REC_VIP } from './recorded-exchange';
import { fixture, parseTranscript } from './transcript';

/**
 * test/fixtures/ipvs/dr.txt (record/scenario3.sh): LVS-DR, the real server holds the VIP on lo and its
 * replies (source VIP:80) are routed back through the director. Since Linux 5.10 IPVS sees those replies
 * too: they clear NOOUTPUT, so the entry follows the normal tables and ends in TIME_WAIT, not FIN_WAIT,
 * and they count in OutPkts. ipvsadm's counters lag behind the traffic until the 2-second estimator runs.
 */
describe('direct routing recorded on Linux 6.1', () => {
  const runs = parseTranscript(fixture('dr.txt'));
  const ipvs = new Ipvs(0);
  runIpvsadm(ipvs, '-A -t 172.16.0.100:80 -s rr'.split(' '), 0);
  runIpvsadm(ipvs, '-a -t 172.16.0.100:80 -r 192.168.1.21:80 -g'.split(' '), 0);
  const ports = [56949, 54555];
  const inSeg = (cport: number, tcp: TcpFlags): IpvsPacket => ({
    protocol: 'TCP', saddr: '172.16.0.1', sport: cport, daddr: REC_VIP, dport: 80, tcp, length: 52,
  });
  const outSeg = (cport: number, tcp: TcpFlags, length: number): IpvsPacket => ({
    protocol: 'TCP', saddr: REC_VIP, sport: 80, daddr: '172.16.0.1', dport: cport, tcp, length,
  });
  const states = (listing: string) => listing.split('\n').slice(2).filter(Boolean).map((l) => l.split(/\s+/)[2]);

  it('forwards by route and sees the replies that come back through the director', () => {
    let t = 2 * SECOND + 100 * MS;
    for (const p of ports) {
      expect(ipvs.inbound({ ...inSeg(p, { syn: true }), length: 60 }, (t += MS))).toMatchObject({ kind: 'forward', fwd: 'route' });
      expect(ipvs.outbound(outSeg(p, { syn: true, ack: true }, 60), (t += MS))).toMatchObject({ kind: 'observed' });
      ipvs.inbound(inSeg(p, { ack: true }), (t += MS));
      ipvs.outbound(outSeg(p, { ack: true }, 70), (t += MS));
      ipvs.inbound(inSeg(p, { ack: true }), (t += MS));
    }
    const [c, table, stats] = [runs[0]!, runs[1]!, runs[2]!];
    expect(states(runIpvsadm(ipvs, c.args, t).stdout)).toEqual(states(c.stdout));
    expect(runIpvsadm(ipvs, table.args, t).stdout).toBe(table.stdout);
    // Listed within the same 2-second estimator period: still zero, as recorded.
    expect(runIpvsadm(ipvs, stats.args, t).stdout).toBe(stats.stdout);
  });

  it('closes into TIME_WAIT and counts in InActConn', () => {
    let t = 5 * SECOND;
    for (const p of ports) {
      ipvs.inbound(inSeg(p, { fin: true, ack: true }), (t += MS));
      ipvs.outbound(outSeg(p, { fin: true, ack: true }, 52), (t += MS));
      ipvs.inbound(inSeg(p, { ack: true }), (t += MS));
    }
    t = 6 * SECOND;
    const [c, table, stats] = [runs[3]!, runs[4]!, runs[5]!];
    expect(states(runIpvsadm(ipvs, c.args, t).stdout)).toEqual(states(c.stdout));
    expect(runIpvsadm(ipvs, table.args, t).stdout).toBe(table.stdout);
    // Connections and what the clients sent match; the servers' side differs by one bare ACK (TCP timing).
    const counters = (s: string) =>
      s
        .split('\n')
        .filter((l) => /^(TCP| {2}->) .*\d$/.test(l))
        .map((l) => l.trim().split(/\s+/).slice(-5))
        .map(([conns, inpkts, , inbytes]) => [conns, inpkts, inbytes]);
    expect(counters(runIpvsadm(ipvs, stats.args, t).stdout)).toEqual(counters(stats.stdout));
  });
});
