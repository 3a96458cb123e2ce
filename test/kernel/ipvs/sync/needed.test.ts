import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../../src/sim/time';
import { entriesToSync } from '../../../../src/kernel/ipvs/sync';
import { setup, tcp, VIP } from '../helpers';

/** Records which entries the master hook would sync, packet by packet (what ip_vs_sync_conn decides). */
function recorder(persistent?: number) {
  const ipvs = setup('rr', [['192.168.1.21', 1]], persistent !== undefined ? { persistent } : {});
  const log: string[] = [];
  ipvs.syncMaster = (cp, pkts) => {
    for (const c of entriesToSync(cp, pkts, ipvs.sysctl)) log.push(c.template ? `T${c.inPkts}` : `${c.state}@${pkts}`);
  };
  return { ipvs, log };
}

describe('which entries the master syncs (sync_threshold 3, sync_period 50, sync_refresh_period 0)', () => {
  it('TCP: nothing before ESTABLISHED; ESTABLISHED at packets 3, 53, 103; every change to FIN/CLOSE states at once', () => {
    const { ipvs, log } = recorder();
    const c = (flags: Parameters<typeof tcp>[2], at: number) => ipvs.inbound(tcp('172.16.0.1', 4000, flags), at * SECOND);
    c({ syn: true }, 1);
    c({ ack: true }, 2);
    for (let i = 3; i <= 103; i++) c({ ack: true }, i);
    expect(log).toEqual(['ESTABLISHED@3', 'ESTABLISHED@53', 'ESTABLISHED@103']);
    log.length = 0;
    c({ fin: true, ack: true }, 200); // packet 104, client FIN: CLOSE_WAIT, a change
    c({ ack: true }, 201); // still CLOSE_WAIT
    c({ rst: true }, 202); // CLOSE
    expect(log).toEqual(['CLOSE_WAIT@104', 'CLOSE@106']);
  });

  it('a SYN flood entry (SYN_RECV) is never synced', () => {
    const { ipvs, log } = recorder();
    for (let i = 0; i < 60; i++) ipvs.inbound(tcp('172.16.0.1', 4001, { syn: true }), SECOND + i);
    expect(log).toEqual([]);
  });

  it('UDP at packet 3 and every 50th after', () => {
    const ipvs = setup('rr', [['192.168.1.21', 1]]);
    ipvs.addService({ protocol: 'UDP', addr: VIP, port: 53, scheduler: 'rr' }, 0);
    ipvs.addDest({ protocol: 'UDP', addr: VIP, port: 53 }, { addr: '192.168.1.21', port: 53, weight: 1, fwd: 'masq' }, 0);
    const log: number[] = [];
    ipvs.syncMaster = (cp, pkts) => log.push(...entriesToSync(cp, pkts, ipvs.sysctl).map(() => pkts));
    for (let i = 0; i < 60; i++) ipvs.inbound({ protocol: 'UDP', saddr: '172.16.0.9', sport: 5353, daddr: VIP, dport: 53, length: 60 }, SECOND);
    expect(log).toEqual([3, 53]);
  });

  it('a template goes with every client packet of a connection it controls, and when it is re-armed for 60 s', () => {
    const { ipvs, log } = recorder(5);
    ipvs.inbound(tcp('172.16.0.1', 4000, { syn: true }), SECOND);
    ipvs.inbound(tcp('172.16.0.1', 4000, { ack: true }), SECOND);
    ipvs.inbound(tcp('172.16.0.1', 4000, { ack: true }), SECOND);
    expect(log).toEqual(['T1', 'T2', 'ESTABLISHED@3', 'T3']);
    log.length = 0;
    // 5 s later the template's timer fires while the connection still lives: expire_later syncs it.
    ipvs.advance(7 * SECOND);
    expect(log).toEqual(['T3']);
    expect(ipvs.conns.entries()[0]!.timeout).toBe(60 * SECOND);
  });
});
