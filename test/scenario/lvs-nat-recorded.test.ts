import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handleLoadAction } from '../../src/daemons/client';
import { loadScenarioFile } from '../../src/scenario/load';
import { runScenario } from '../../src/scenario/runner';
import { formatIpv4 } from '../../src/net/addr';
import { TCP_ACK, TCP_RST, TCP_SYN, type TcpSegment } from '../../src/net/packets';
import type { TraceRecord } from '../../src/sim/trace';
import { MS, SECOND } from '../../src/sim/time';

/** recorded.txt's sections by title. */
const recorded = new Map(
  readFileSync('test/fixtures/lvs-nat-failover/recorded.txt', 'utf8')
    .split(/^### /m)
    .filter(Boolean)
    .map((block) => {
      const [title, ...lines] = block.replace(/\n$/, '').split('\n');
      return [title!, lines] as const;
    }),
);
const section = (prefix: string): string[] => [...recorded].find(([t]) => t.startsWith(prefix))![1];

interface Seg {
  readonly t: number;
  readonly src: string;
  readonly dst: string;
  readonly seg: TcpSegment;
}

/** Runs a scenario, capturing the TCP segments on its LANs from the start of the load. */
function runCapturing(path: string) {
  const { spec } = loadScenarioFile(path);
  const segs = new Map<string, Seg[]>();
  const run = runScenario(spec!, { keepAllRecords: true }, (world, a) => {
    for (const [name, lan] of world.lans) {
      const list: Seg[] = [];
      segs.set(name, list);
      lan.onFrame((t, f) => {
        const p = f.payload;
        if (p.kind === 'ipv4' && p.payload.kind === 'tcp') list.push({ t, src: formatIpv4(p.src), dst: formatIpv4(p.dst), seg: p.payload });
      });
    }
    return handleLoadAction(world, a);
  });
  const reqs = run.records.filter((r): r is TraceRecord<'http.request'> => r.kind === 'http.request');
  return { run, segs, reqs };
}

describe('lvs-nat failover and gateway: the simulation against a real kernel', () => {
  it('A, no sync daemon: the new director answers the old connection with a bare RST, the client sees a reset', () => {
    expect(section('A: no sync daemon: client').at(-1)).toMatch(/^after: ConnectionResetError/);
    expect(section('A: director2 /proc/net/ip_vs_conn after')).toHaveLength(1); // the header only
    const real = section('director2 eth0');
    const rst = real.find((l) => l.includes('Flags [R]'))!;
    const request = real[real.indexOf(rst) - 1]!;
    expect(rst).toMatch(/^IP 172\.16\.23\.80\.80 > 172\.16\.23\.1\.\d+: Flags \[R\], seq (\d+), win 0, length 0$/);
    expect(rst.match(/seq (\d+)/)![1]).toBe(request.match(/ack (\d+)/)![1]);

    const { segs, reqs } = runCapturing('scenarios/lvs-nat/open-connections-no-sync.yaml');
    const reset = reqs.find((r) => r.error === 'reset')!;
    const ext = segs.get('ext')!;
    const fromVip = ext.filter((s) => s.src === '172.16.23.80' && s.seg.dstPort === reset.port && s.seg.flags & TCP_RST);
    expect(fromVip).toHaveLength(1);
    const answered = ext.filter((s) => s.src === '172.16.23.1' && s.seg.srcPort === reset.port && s.t < fromVip[0]!.t).at(-1)!;
    expect(fromVip[0]!.seg.flags).toBe(TCP_RST);
    expect(fromVip[0]!.seg.seq).toBe(answered.seg.ack);
  });

  it('B, sync daemon: the same connection is answered by the same real server after the move', () => {
    const real = section('B: sync daemon');
    expect(real.at(-1)).toBe('after: HTTP/1.1 200 OK X-Served-By: RS1');
    expect(new Set(real.slice(0, 3).map((l) => l.replace(/^before \d: /, '')))).toEqual(
      new Set([real[0]!.replace(/^before \d: /, '')]),
    );
    expect(section('B: director2 /proc/net/ip_vs_conn')[1]).toMatch(/ ESTABLISHED +\d+$/);

    const { reqs } = runCapturing('scenarios/lvs-nat/open-connections-synced.yaml');
    const after = reqs.filter((r) => r.sent > 20.25 * SECOND);
    expect(after.every((r) => r.status === 200 && r.opened! < 20.25 * SECOND && r.headers['x-ups'] === reqs[0]!.headers['x-ups'])).toBe(true);
  });

  it('C, no default route: the SYNs reach the real server, each is dropped there (OutNoRoutes, ListenDrops), no SYN-ACK', () => {
    expect(section('C: real server 192.168.23.81 without')).toEqual(['connect: TimeoutError: timed out']);
    const [before, after] = section('C: real server counters').map((l) => l.split(' ').filter((_, i) => i % 2).map(Number));
    const synsSeen = section('real server 192.168.23.81 eth0');
    expect(synsSeen.map((l) => l.match(/Flags \[(\w+)\]/)![1])).toEqual(['S', 'S', 'S']);
    expect(after!.map((n, i) => n - before![i]!)).toEqual([synsSeen.length, synsSeen.length]);

    const { run, segs, reqs } = runCapturing('scenarios/lvs-nat/no-gateway.yaml');
    expect(reqs.every((r) => r.error === 'timeout')).toBe(true);
    const int = segs.get('int')!;
    // Each connection's SYNs as they reach the real server: the first, then 1 s and 3 s later, as recorded
    // (there up to about 0.1 s late: the guest has one slow CPU and 10 ms jiffies). The run's very first SYN
    // waits 200 µs for ARP while its retransmission timer already runs; 1 ms allows it.
    const recordedTimes = synsSeen.map((l) => l.match(/TS val (\d+)/)![1]).map(Number);
    const recordedGaps = recordedTimes.map((t) => (t - recordedTimes[0]!) * 1000);
    const fromClient = int.filter((s) => s.src === '172.16.23.1' && s.seg.flags === TCP_SYN);
    const conns = [...new Set(fromClient.map((s) => `${s.seg.srcPort}/${s.seg.seq}`))];
    expect(conns).toHaveLength(reqs.length);
    for (const c of conns) {
      const times = fromClient.filter((s) => `${s.seg.srcPort}/${s.seg.seq}` === c).map((s) => s.t);
      const gaps = times.map((t) => t - times[0]!);
      expect(gaps).toHaveLength(recordedGaps.length);
      gaps.forEach((g, i) => expect(Math.abs(g - recordedGaps[i]!)).toBeLessThan(200 * MS));
      gaps.forEach((g, i) => expect(Math.abs(g - [0, SECOND, 3 * SECOND][i]!)).toBeLessThan(MS));
    }
    // Not one SYN-ACK towards the client, and one drop per SYN, as OutNoRoutes and ListenDrops count them.
    expect(int.some((s) => s.dst === '172.16.23.1' && s.seg.flags === (TCP_SYN | TCP_ACK))).toBe(false);
    const drops = run.records.filter((r) => r.kind === 'ip.drop' && r.proto === 'tcp');
    expect(drops).toHaveLength(fromClient.length);
  });
});
