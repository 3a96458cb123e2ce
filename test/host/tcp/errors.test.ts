import { describe, expect, it } from 'vitest';
import { gratuitousArpFrame } from '../../../src/host/arp';
import { encodeIpv4 } from '../../../src/net/codec';
import { SECOND } from '../../../src/sim/time';
import type { TcpSocket } from '../../../src/host/tcp/socket';
import { pair, Recorder } from './harness';

describe('connection failures', () => {
  it('a closed port answers RST+ACK: ECONNREFUSED after one round trip', () => {
    const w = pair();
    const rec = new Recorder(() => w.sim.now);
    w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 81 }, rec);
    w.sim.runUntil(SECOND);
    expect(w.seen.map((s) => s.flags)).toEqual(['S', 'R.']);
    const [syn, rst] = w.seen;
    expect(rst!.seq).toBe(0);
    expect(rst!.ack).toBe((syn!.seq + 1) >>> 0);
    expect(rec.events).toEqual(['error:ECONNREFUSED']);
    expect(rec.at['error:ECONNREFUSED']).toBe(400);
    expect(w.client.tcp.connections.size).toBe(0);
  });

  it('a host that drops SYNs: SYNs at 0, 1, 3, 7, 15, 31, 63 s and ETIMEDOUT at 127 s', () => {
    const w = pair();
    // A firewall DROP on the server: ARP answers, TCP does not.
    w.server.ip.hooks.localIn.push((pkt) => (pkt.payload.kind === 'tcp' ? 'drop' : 'accept'));
    const rec = new Recorder(() => w.sim.now);
    w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80 }, rec);
    w.sim.runUntil(200 * SECOND);
    // The SYN leaves at 0 and waits 200 µs for the ARP reply; its timer started at 0.
    expect(w.seen.map((s) => s.t)).toEqual([200, ...[1, 3, 7, 15, 31, 63].map((s) => s * SECOND)]);
    expect(w.seen.every((s) => s.flags === 'S' && s.seq === w.seen[0]!.seq)).toBe(true);
    expect(rec.events).toEqual(['error:ETIMEDOUT']);
    expect(rec.at['error:ETIMEDOUT']).toBe(127 * SECOND);
  });

  it("the caller's shorter timeout ends the connect first, without a segment", () => {
    const w = pair();
    w.server.ip.hooks.localIn.push((pkt) => (pkt.payload.kind === 'tcp' ? 'drop' : 'accept'));
    const rec = new Recorder(() => w.sim.now);
    w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80, timeout: 3 * SECOND }, rec);
    w.sim.runUntil(10 * SECOND);
    expect(rec.at['error:ETIMEDOUT']).toBe(3 * SECOND);
    expect(w.seen.map((s) => s.t)).toEqual([200, SECOND]);
  });

  it('an absent host on the LAN: ARP fails, EHOSTUNREACH after 3 s', () => {
    const w = pair();
    const rec = new Recorder(() => w.sim.now);
    w.client.tcp.connect({ dst: w.ip('10.0.0.9'), dport: 80 }, rec);
    w.sim.runUntil(10 * SECOND);
    expect(w.seen).toEqual([]);
    expect(rec.events).toEqual(['error:EHOSTUNREACH']);
    expect(rec.at['error:EHOSTUNREACH']).toBe(3 * SECOND);
  });

  it('no route: ENETUNREACH at once', () => {
    const w = pair();
    const rec = new Recorder(() => w.sim.now);
    w.client.tcp.connect({ dst: w.ip('192.0.2.1'), dport: 80 }, rec);
    w.sim.runUntil(SECOND);
    expect(rec.events).toEqual(['error:ENETUNREACH']);
    expect(rec.at['error:ENETUNREACH']).toBe(0);
  });

  it('a VIP that moved: the new holder knows no connection, its RST gives ECONNRESET', () => {
    const w = pair();
    const b = w.host('b', { eth0: { lan: 'lan', ip: '10.0.0.3/24' } });
    const vip = w.ip('10.0.0.80');
    w.server.addAddress({ dev: 'eth0', ip: vip, prefix: 32 });
    w.server.tcp.listen(0, 80, () => ({}));
    b.tcp.listen(0, 80, () => ({}));
    const rec = new Recorder(() => w.sim.now);
    const s = w.client.tcp.connect({ dst: vip, dport: 80 }, rec);
    w.sim.runUntil(SECOND);
    expect(s.state).toBe('ESTABLISHED');
    // Failover: the VIP leaves the server, b takes it and announces it.
    w.server.delAddress('eth0', vip, 32);
    b.addAddress({ dev: 'eth0', ip: vip, prefix: 32 });
    b.sendFrame('eth0', gratuitousArpFrame(b.nic('eth0')!.mac, vip));
    w.sim.runUntil(2 * SECOND);
    s.write('GET / HTTP/1.1\r\n\r\n');
    w.sim.runUntil(3 * SECOND);
    expect(rec.events).toEqual(['connect', 'error:ECONNRESET']);
    const last = w.seen.slice(-2);
    expect(last.map((x) => `${x.src} ${x.flags}`)).toEqual([`10.0.0.1:${s.localPort} P.`, '10.0.0.80:80 R']);
    expect(last[1]!.seq).toBe(last[0]!.ack);
  });

  it('the old holder of a VIP no longer sends from it: a late reply never leaves', () => {
    const w = pair();
    const b = w.host('b', { eth0: { lan: 'lan', ip: '10.0.0.3/24' } });
    const vip = w.ip('10.0.0.80');
    w.server.addAddress({ dev: 'eth0', ip: vip, prefix: 32 });
    let serverSide: TcpSocket | undefined;
    w.server.tcp.listen(0, 80, (s) => {
      serverSide = s;
      return {};
    });
    const rec = new Recorder(() => w.sim.now);
    w.client.tcp.connect({ dst: vip, dport: 80 }, rec);
    w.sim.runUntil(SECOND);
    w.server.delAddress('eth0', vip, 32);
    b.addAddress({ dev: 'eth0', ip: vip, prefix: 32 });
    b.sendFrame('eth0', gratuitousArpFrame(b.nic('eth0')!.mac, vip));
    w.sim.runUntil(2 * SECOND);
    const before = w.seen.length;
    serverSide!.write('late reply');
    w.sim.runUntil(3 * SECOND);
    expect(w.seen.length).toBe(before);
    expect(rec.events).toEqual(['connect']);
  });

  it('an established peer that goes silent: retransmissions back off from the RTO until tcp_retries2 gives up', () => {
    const w = pair();
    w.server.tcp.listen(0, 80, () => ({}));
    const rec = new Recorder(() => w.sim.now);
    const s = w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80 }, rec);
    w.sim.runUntil(SECOND);
    w.server.ip.hooks.localIn.push((pkt) => (pkt.payload.kind === 'tcp' ? 'drop' : 'accept'));
    s.write('hello');
    w.sim.runUntil(2000 * SECOND);
    const sent = w.seen.filter((x) => x.len === 5).map((x) => x.t);
    const gaps = sent.slice(1).map((t, i) => t - sent[i]!);
    // RTO ≈ 200 ms + SRTT, doubling, capped at 120 s.
    expect(gaps[0]).toBeGreaterThanOrEqual(200_000);
    expect(gaps[0]).toBeLessThan(201_000);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBe(Math.min(2 * gaps[i - 1]!, 120 * SECOND));
    expect(rec.error).toBe('ETIMEDOUT');
    const elapsed = rec.at['error:ETIMEDOUT']! - sent[0]!;
    expect(elapsed).toBeGreaterThanOrEqual(924_600_000);
    expect(elapsed).toBeLessThan(924_600_000 + 120 * SECOND);
  });

  it('a power loss forgets every connection and listener', () => {
    const w = pair();
    w.server.tcp.listen(0, 80, () => ({}));
    w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80 }, {});
    w.sim.runUntil(SECOND);
    expect(w.server.tcp.describe().length).toBe(2);
    w.server.crash();
    expect(w.server.tcp.describe()).toEqual([]);
  });
});

describe('ICMP errors', () => {
  /** The server answers every SYN with ICMP destination unreachable `code`, quoting it (as IPVS does with no real server). */
  function icmpAnswer(w: ReturnType<typeof pair>, code: number) {
    w.server.ip.hooks.localIn.push((pkt) => {
      if (pkt.payload.kind !== 'tcp') return 'accept';
      w.server.ip.send({ dst: pkt.src, tos: 0xc0, payload: { kind: 'icmp', type: 3, code, id: 0, seq: 0, data: encodeIpv4(pkt) } });
      return 'drop';
    });
  }

  it('port unreachable while connecting: Connection refused at once', () => {
    const w = pair();
    icmpAnswer(w, 3);
    const rec = new Recorder(() => w.sim.now);
    w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80 }, rec);
    w.sim.runUntil(SECOND);
    expect(rec.events).toEqual(['error:ECONNREFUSED']);
    expect(rec.at['error:ECONNREFUSED']).toBe(400);
  });

  it('host unreachable from a router while connecting: EHOSTUNREACH', () => {
    const w = pair();
    icmpAnswer(w, 1);
    const rec = new Recorder(() => w.sim.now);
    w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80 }, rec);
    w.sim.runUntil(SECOND);
    expect(rec.events).toEqual(['error:EHOSTUNREACH']);
  });

  it('on an established connection it is only remembered: the give-up reports it instead of ETIMEDOUT', () => {
    const w = pair();
    w.server.tcp.listen(0, 80, () => ({}));
    const rec = new Recorder(() => w.sim.now);
    const s = w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80 }, rec);
    w.sim.runUntil(SECOND);
    icmpAnswer(w, 1);
    s.write('x');
    w.sim.runUntil(10 * SECOND);
    expect(s.state).toBe('ESTABLISHED');
    w.sim.runUntil(2000 * SECOND);
    expect(rec.events).toEqual(['connect', 'error:EHOSTUNREACH']);
  });
});
