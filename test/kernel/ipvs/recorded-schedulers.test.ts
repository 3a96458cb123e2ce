import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/sim/time';
import { ipv4ToU32, u32ToIpv4 } from '../../../src/kernel/ipvs/addr';
import { Ipvs } from '../../../src/kernel/ipvs/ipvs';
import type { SchedFlags } from '../../../src/kernel/ipvs/service';
import { fixture, parseTranscript } from './transcript';

/**
 * Scheduler choices recorded on a real Linux 6.1 IPVS (test/fixtures/ipvs/record/scenario.sh): a NAT
 * service on 172.16.0.100:<vport> with real servers 192.168.1.21:8001 (weight 3), :8002 (2), :8003 (1)
 * added in that order, then connections opened one after the other and held (ESTABLISHED). Replayed here
 * with the same operations, the simulator must choose the same server for every connection.
 */
const VIP = '172.16.0.100';
const RUNS: Record<string, { vport: number; sources: number; flags?: SchedFlags }> = {
  rr: { vport: 9001, sources: 1 },
  wrr: { vport: 9002, sources: 1 },
  lc: { vport: 9003, sources: 1 },
  wlc: { vport: 9004, sources: 1 },
  sed: { vport: 9005, sources: 1 },
  nq: { vport: 9006, sources: 1 },
  fo: { vport: 9007, sources: 1 },
  ovf: { vport: 9008, sources: 1 },
  lblc: { vport: 9009, sources: 1 },
  lblcr: { vport: 9010, sources: 1 },
  sh: { vport: 9011, sources: 32 },
  dh: { vport: 9012, sources: 32 },
  mh: { vport: 9013, sources: 32 },
  shport: { vport: 9014, sources: 32, flags: { sched2: true } },
  mhport: { vport: 9015, sources: 32, flags: { sched2: true } },
};

interface ProcConn {
  caddr: string;
  cport: number;
  vport: number;
  daddr: string;
  dport: number;
}

/** The recorded `ipvsadm -L -n -c` taken while every connection was held open. */
function procConns(): ProcConn[] {
  const listing = parseTranscript(fixture('connections.txt'))[0]!.stdout;
  return listing
    .split('\n')
    .filter((l) => l.startsWith('TCP'))
    .map((l) => {
      const [, , , src, virt, dst] = l.split(/\s+/);
      const [caddr, cport] = src!.split(':');
      const [daddr, dport] = dst!.split(':');
      return { caddr: caddr!, cport: Number(cport), vport: Number(virt!.split(':')[1]), daddr: daddr!, dport: Number(dport) };
    });
}

function service(sched: string, vport: number, flags?: SchedFlags): Ipvs {
  const ipvs = new Ipvs(0);
  const key = { protocol: 'TCP', addr: VIP, port: vport } as const;
  ipvs.addService({ ...key, scheduler: sched, schedFlags: flags }, 0);
  for (const [port, weight] of [[8001, 3], [8002, 2], [8003, 1]] as const) {
    ipvs.addDest(key, { addr: '192.168.1.21', port, weight, fwd: 'masq' }, 0);
  }
  return ipvs;
}

function connect(ipvs: Ipvs, caddr: string, cport: number, vport: number, t: number): string {
  const base = { protocol: 'TCP', saddr: caddr, sport: cport, daddr: VIP, dport: vport, length: 60 } as const;
  const v = ipvs.inbound({ ...base, tcp: { syn: true } }, t);
  if (v.kind !== 'forward') return v.kind === 'unreachable' ? 'error:111' : v.kind;
  ipvs.inbound({ ...base, tcp: { ack: true } }, t);
  return `${v.daddr}:${v.dport}`;
}

describe('scheduler choices recorded on Linux 6.1', () => {
  const text = fixture('sequences.txt');
  const recorded = new Map<string, { sched: string; got: string[] }>();
  for (const m of text.matchAll(/^### (\S+) (\S+).*\n(.*)$/gm)) {
    recorded.set(m[1]!, { sched: m[2]!, got: m[3]!.trim().split(' ') });
  }

  for (const [name, run] of Object.entries(RUNS)) {
    it(`${name}: same server for every connection, in order`, () => {
      const rec = recorded.get(name);
      expect(rec, `${name} recorded`).toBeDefined();
      const ipvs = service(rec!.sched, run.vport, run.flags);
      // Client ports only matter for sh-port/mh-port: take them from the recorded connection table.
      const ports = procConns().filter((c) => c.vport === run.vport);
      const got = rec!.got.map((_, i) => {
        const caddr = u32ToIpv4(ipv4ToU32('172.16.0.1') + (i % run.sources));
        const cport = run.sources > 1 ? ports.find((c) => c.caddr === caddr)!.cport : 40000 + i;
        return connect(ipvs, caddr, cport, run.vport, SECOND + i);
      });
      expect(got).toEqual(rec!.got);
    });
  }

  it('hash schedulers: every recorded (client, port) → server pair', () => {
    for (const name of ['sh', 'mh', 'shport', 'mhport']) {
      const run = RUNS[name]!;
      const ipvs = service(recorded.get(name)!.sched, run.vport, run.flags);
      for (const c of procConns().filter((p) => p.vport === run.vport)) {
        expect(connect(ipvs, c.caddr, c.cport, run.vport, SECOND), `${name} ${c.caddr}:${c.cport}`).toBe(
          `${c.daddr}:${c.dport}`,
        );
      }
    }
  });
});
