import { describe, expect, it } from 'vitest';
import { DropSummary } from '../../src/report/drops';
import type { TraceRecord } from '../../src/sim/trace';

const drop = (host: string, dst: string, reason: string): TraceRecord =>
  ({ t: 0, kind: 'ip.drop', host, src: '192.168.23.80', dst, proto: 'tcp', reason }) as TraceRecord;

describe('DropSummary', () => {
  it('counts drops by host, destination and reason, busiest first, and ignores other records', () => {
    const s = new DropSummary();
    expect(s.lines()).toEqual([]);
    for (let i = 0; i < 3; i++) s.write(drop('web2', '172.16.23.1', 'no route (no default gateway)'));
    s.write(drop('web1', '172.16.23.1', 'no route (no default gateway)'));
    s.write(drop('director1', '192.168.23.81', 'neighbour unreachable'));
    s.write({ t: 0, kind: 'host.power', host: 'web1', up: true } as TraceRecord);
    expect(s.lines()).toEqual([
      'web2: 3 packets to 172.16.23.1 dropped: no route (no default gateway)',
      'director1: 1 packet to 192.168.23.81 dropped: neighbour unreachable',
      'web1: 1 packet to 172.16.23.1 dropped: no route (no default gateway)',
    ]);
  });
});
