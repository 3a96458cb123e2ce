import { describe, expect, it } from 'vitest';
import { MS, SECOND } from '../../../../src/sim/time';
import type { UdpDatagram } from '../../../../src/net/packets';
import { attachIpvs } from '../../../../src/kernel/ipvs/netfilter';
import { decodeSyncMessage, startSyncDaemon, stopSyncDaemon, syncDaemons } from '../../../../src/kernel/ipvs/sync';
import { world } from '../../../host/helpers';

/** A director with a UDP service; its sync datagrams are caught on the LAN with their times. */
function director(opts: { maxlen?: number } = {}) {
  const w = world();
  const d = w.host('lvs1', { eth1: { lan: 'int', ip: '192.168.23.100/24' } });
  const ipvs = attachIpvs(d);
  ipvs.addService({ protocol: 'UDP', addr: '192.168.23.200', port: 53, scheduler: 'rr' }, 0);
  ipvs.addDest({ protocol: 'UDP', addr: '192.168.23.200', port: 53 }, { addr: '192.168.23.80', port: 53, weight: 1, fwd: 'masq' }, 0);
  const sent: { t: number; conns: number; bytes: number; sport: number }[] = [];
  w.lans.get('int')!.onFrame((t, f) => {
    const p = f.payload;
    if (p.kind !== 'ipv4' || p.payload.kind !== 'udp') return;
    const u = p.payload as UdpDatagram;
    if (u.dstPort === 8848) sent.push({ t, conns: decodeSyncMessage(u.data).conns.length, bytes: u.data.length, sport: u.srcPort });
  });
  startSyncDaemon(d, ipvs, { state: 'master', mcastIfn: 'eth1', syncid: 1, ...(opts.maxlen !== undefined && { maxlen: opts.maxlen }) });
  /** n UDP clients, three packets each (the third is synced), all at time `at`. */
  const clients = (n: number, at: number, from = 0) => {
    for (let i = from; i < from + n; i++) {
      for (let k = 0; k < 3; k++) {
        ipvs.inbound({ protocol: 'UDP', saddr: `10.1.${i >> 8}.${i & 255}`, sport: 5000, daddr: '192.168.23.200', dport: 53, length: 60 }, at);
      }
    }
  };
  return { w, d, ipvs, sent, clients };
}

describe('the master sync daemon: batching and timing', () => {
  it('fills a message up to 1472 bytes (40 entries); a full one leaves 20 ms after it was queued, the rest when 2 s old', () => {
    const { w, sent, clients } = director();
    w.sim.runUntil(SECOND / 2);
    w.sim.at(SECOND / 2, () => clients(41, w.sim.now));
    w.sim.runUntil(5 * SECOND);
    expect(sent.map((s) => [s.t - SECOND / 2, s.conns, s.bytes])).toEqual([
      [20 * MS, 40, 8 + 40 * 36],
      // Woken at 0.52 s, the thread then looks every second (1.52, 2.52 s): the partial message (first use
      // 0.5 s) is 2 s old at the second look.
      [2.02 * SECOND, 1, 44],
    ]);
    expect(new Set(sent.map((s) => s.sport)).size).toBe(1);
  });

  it('eight queued messages wake the thread at once', () => {
    const { w, sent, clients } = director({ maxlen: 44 });
    w.sim.runUntil(SECOND / 2);
    // maxlen 44: one entry per message; the 9th entry queues the 8th message.
    w.sim.at(SECOND / 2, () => clients(9, w.sim.now));
    w.sim.runUntil(SECOND / 2 + 1);
    expect(sent.length).toBe(8);
    expect(sent.every((s) => s.conns === 1 && s.bytes === 44)).toBe(true);
  });

  it('a backup clamps its message length to at least 1024; stopping frees the master', () => {
    const { w, d, ipvs } = director({ maxlen: 500 });
    startSyncDaemon(d, ipvs, { state: 'backup', mcastIfn: 'eth1', syncid: 0, maxlen: 500, port: 9000, group: '239.1.1.1', ttl: 3 });
    expect(syncDaemons(ipvs).map((c) => [c.state, c.maxlen, c.port, c.ttl])).toEqual([
      ['master', 500, 8848, 1],
      ['backup', 1024, 9000, 3],
    ]);
    stopSyncDaemon(d, ipvs, 'master');
    expect(ipvs.syncMaster).toBeUndefined();
    w.sim.runUntil(SECOND);
    expect(syncDaemons(ipvs).map((c) => c.state)).toEqual(['backup']);
  });
});
