import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/sim/time';
import { runIpvsadm } from '../../../src/kernel/ipvs/ipvsadm/command';
import { Ipvs } from '../../../src/kernel/ipvs/ipvs';
import { close, exchange, REC_VIP } from './recorded-exchange';
import { fixture, parseTranscript, type Run } from './transcript';

/**
 * test/fixtures/ipvs/dynamic.txt (record/scenario2.sh), replayed step by step: the same ipvsadm commands
 * and the same client connections through a NAT director; every recorded table must come out the same.
 */
describe('dynamic behaviour recorded on Linux 6.1', () => {
  const runs = parseTranscript(fixture('dynamic.txt'));
  const ipvs = new Ipvs(0);
  let now = SECOND;
  let port = 30000;
  const sh = (line: string) => runIpvsadm(ipvs, line.split(' '), now);
  // Each recorded listing came a second or more after the step before it (the guest is slow): by then the
  // 2-second estimator had refreshed the counters ipvsadm reads.
  const same = (run: Run) => {
    now += 2 * SECOND;
    const got = runIpvsadm(ipvs, run.args, now);
    expect({ stdout: got.stdout, stderr: got.stderr, exit: got.exitCode }, run.args.join(' ')).toEqual({
      stdout: run.stdout,
      stderr: run.stderr,
      exit: run.exit,
    });
  };
  const conns: { caddr: string; cport: number; vport: number; daddr: string; dport: number }[] = [];
  const open = (caddr: string, vport: number): string => {
    const cport = port++;
    const v = exchange(ipvs, caddr, cport, vport, (now += SECOND / 10));
    if (v.kind !== 'forward') return v.kind;
    conns.push({ caddr, cport, vport, daddr: v.daddr, dport: v.dport });
    return `${v.daddr}:${v.dport}`;
  };
  const next = (() => {
    let i = 0;
    return (): Run => runs[i++]!;
  })();

  it('A: weights up to INT_MAX are accepted, negative ones are an option error', () => {
    sh('-A -t 172.16.0.100:80 -s rr');
    for (let k = 0; k < 5; k++) same(next());
  });

  it('B: a UDP datagram makes an entry in state UDP, counted in InActConn', () => {
    sh('-A -u 172.16.0.100:53 -s rr');
    sh('-a -u 172.16.0.100:53 -r 192.168.1.21:5353 -m');
    ipvs.inbound({ protocol: 'UDP', saddr: '172.16.0.1', sport: 40053, daddr: REC_VIP, dport: 53, length: 29 }, now);
    same(next());
    same(next());
    const c = next();
    expect(runIpvsadm(ipvs, c.args, now).stdout.replace(/\d\d:\d\d/, 'mm:ss')).toBe(c.stdout.replace(/\d\d:\d\d/, 'mm:ss'));
  });

  it('C: a deleted dest keeps its entry, drops its packets, and comes back with it', () => {
    sh('-A -t 172.16.0.100:82 -s rr');
    sh('-a -t 172.16.0.100:82 -r 192.168.1.21:8004 -m');
    sh('-a -t 172.16.0.100:82 -r 192.168.1.21:8005 -m');
    expect([open('172.16.0.1', 82), open('172.16.0.1', 82)]).toEqual(['192.168.1.21:8005', '192.168.1.21:8004']);
    same(next());
    sh('-d -t 172.16.0.100:82 -r 192.168.1.21:8005');
    same(next());
    const c0 = conns[0]!;
    const data = { protocol: 'TCP', saddr: c0.caddr, sport: c0.cport, daddr: REC_VIP, dport: 82, tcp: { ack: true }, length: 54 } as const;
    expect(ipvs.inbound(data, (now += SECOND))).toEqual({ kind: 'drop' });
    next(); // -L -n -c: compared in H
    same(next());
    sh('-a -t 172.16.0.100:82 -r 192.168.1.21:8005 -m');
    same(next());
    same(next());
    next(); // --stats after the client's retransmissions: TCP timing, not IPVS
  });

  it('D: weight 0 keeps existing connections, new ones go elsewhere', () => {
    sh('-e -t 172.16.0.100:82 -r 192.168.1.21:8005 -m -w 0');
    expect([open('172.16.0.2', 82), open('172.16.0.2', 82)]).toEqual(['192.168.1.21:8004', '192.168.1.21:8004']);
    same(next());
  });

  it('E: a dest at its upper threshold is skipped', () => {
    sh('-A -t 172.16.0.100:83 -s rr');
    sh('-a -t 172.16.0.100:83 -r 192.168.1.21:8004 -m -x 2');
    sh('-a -t 172.16.0.100:83 -r 192.168.1.21:8005 -m');
    const got = Array.from({ length: 6 }, () => open('172.16.0.3', 83));
    expect(got.map((d) => d.slice(-4))).toEqual(['8005', '8004', '8005', '8004', '8005', '8005']);
    same(next());
  });

  it('G: no usable dest → ICMP port unreachable (the client saw ECONNREFUSED)', () => {
    sh('-A -t 172.16.0.100:85 -s wlc');
    expect(open('172.16.0.4', 85)).toBe('unreachable');
    sh('-a -t 172.16.0.100:85 -r 192.168.1.21:8001 -m -w 0');
    expect(open('172.16.0.4', 85)).toBe('unreachable');
    same(next());
  });

  it('F, H: a template outlives its 5 s while it controls a connection; closed NAT entries sit in TIME_WAIT', () => {
    sh('-A -t 172.16.0.100:84 -s rr -p 5');
    sh('-a -t 172.16.0.100:84 -r 192.168.1.21:8004 -m');
    open('172.16.0.5', 84);
    const states = (listing: string) =>
      listing
        .split('\n')
        .slice(2)
        .filter(Boolean)
        .map((l) => l.split(/\s+/))
        .map(([pro, , state, src, virt, dst]) => `${pro} ${state} ${src!.replace(/:\d{5}$/, ':*')} ${virt} ${dst}`)
        .sort();
    const f1 = next();
    expect(states(runIpvsadm(ipvs, f1.args, now).stdout)).toEqual(states(f1.stdout));
    now += 8 * SECOND;
    const f2 = next();
    expect(states(runIpvsadm(ipvs, f2.args, now).stdout)).toEqual(states(f2.stdout));
    const template = ipvs.conns.entries().find((c) => c.template)!;
    expect(template.timeout).toBe(60 * SECOND);

    for (const c of conns) close(ipvs, c.caddr, c.cport, c.vport, c.daddr, c.dport, now);
    now += 2 * SECOND;
    const h = next();
    expect(states(runIpvsadm(ipvs, h.args, now).stdout)).toEqual(states(h.stdout));
    same(next());
  });
});
