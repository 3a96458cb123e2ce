import { describe, expect, it } from 'vitest';
import { TCP_MSS_ETHERNET, TCP_WINDOW } from '../../../src/host/tcp/params';
import { pair, Recorder } from './harness';

describe('TCP three-way handshake', () => {
  it('puts SYN, SYN-ACK, ACK on the wire with consistent numbers, MSS 1460 and window 64240', () => {
    const w = pair();
    w.server.tcp.listen(0, 80, () => ({}));
    const rec = new Recorder(() => w.sim.now);
    w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80 }, rec);
    w.sim.runUntil(10_000);
    expect(w.seen.map((s) => `${s.src} > ${s.dst} ${s.flags}`)).toEqual([
      `10.0.0.1:${w.seen[0]!.seg.srcPort} > 10.0.0.2:80 S`,
      `10.0.0.2:80 > 10.0.0.1:${w.seen[0]!.seg.srcPort} S.`,
      `10.0.0.1:${w.seen[0]!.seg.srcPort} > 10.0.0.2:80 .`,
    ]);
    const [syn, synAck, ack] = w.seen;
    expect(syn!.seg.mss).toBe(TCP_MSS_ETHERNET);
    expect(synAck!.seg.mss).toBe(TCP_MSS_ETHERNET);
    expect(ack!.seg.mss).toBeUndefined();
    expect(syn!.seg.window).toBe(TCP_WINDOW);
    expect(synAck!.ack).toBe((syn!.seq + 1) >>> 0);
    expect(ack!.seq).toBe((syn!.seq + 1) >>> 0);
    expect(ack!.ack).toBe((synAck!.seq + 1) >>> 0);
    // ARP first (100 µs each way), then one LAN crossing per segment.
    expect(w.seen.map((s) => s.t)).toEqual([200, 300, 400]);
    expect(rec.at.connect).toBe(400);
    expect(syn!.seg.srcPort % 2).toBe(0); // connect() prefers even ports
    expect(syn!.seg.srcPort).toBeGreaterThanOrEqual(32768);
    expect(syn!.seg.srcPort).toBeLessThanOrEqual(60999);
  });

  it('draws ISNs from the host stream: same seed, same numbers; another seed, others', () => {
    const isns = (seed: number) => {
      const w = pair(seed);
      w.server.tcp.listen(0, 80, () => ({}));
      w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80 }, {});
      w.sim.runUntil(10_000);
      return w.seen.map((s) => [s.seq, s.seg.srcPort]);
    };
    expect(isns(7)).toEqual(isns(7));
    expect(isns(7)).not.toEqual(isns(8));
  });

  it('hands the accepted socket to the listener with both ends named', () => {
    const w = pair();
    const accepted: string[] = [];
    w.server.tcp.listen(w.ip('10.0.0.2'), 8080, (s) => {
      accepted.push(String(s));
      return {};
    });
    const s = w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 8080 }, {});
    w.sim.runUntil(10_000);
    expect(accepted).toEqual([`10.0.0.2:8080 → 10.0.0.1:${s.localPort} ESTABLISHED`]);
    expect(s.state).toBe('ESTABLISHED');
  });

  it('retransmits a lost SYN-ACK when the client repeats its SYN', () => {
    const w = pair();
    w.server.tcp.listen(0, 80, () => ({}));
    let dropped = false;
    // The first SYN-ACK leaving the server is lost.
    w.server.ip.hooks.postRouting.push((pkt) => {
      if (!dropped && pkt.payload.kind === 'tcp' && pkt.payload.flags === 0x12) {
        dropped = true;
        return 'drop';
      }
      return 'accept';
    });
    const rec = new Recorder(() => w.sim.now);
    w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80 }, rec);
    w.sim.runUntil(5_000_000);
    // The server's own SYN-ACK timer (1 s after 300 µs) and the client's SYN retransmission (1 s after
    // 200 µs) both fire; the first to arrive completes the handshake.
    expect(rec.events).toEqual(['connect']);
    expect(rec.at.connect).toBeGreaterThan(1_000_000);
    expect(rec.at.connect).toBeLessThan(1_001_000);
  });
});

describe('a SYN from an address the server has no route to', () => {
  it('is dropped without a SYN-ACK (tcp_conn_request routes it first), traced; the client retries', () => {
    const w = pair();
    w.server.tcp.listen(0, 80, () => ({}));
    // The client sends from an address of another network, which the server cannot route back to.
    w.client.addAddress({ dev: 'eth0', ip: w.ip('192.0.2.1'), prefix: 32 });
    const rec = new Recorder(() => w.sim.now);
    w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80, src: w.ip('192.0.2.1') }, rec);
    w.sim.runUntil(5_000_000);
    expect(w.seen.map((s) => `${s.flags} ${s.src} > ${s.dst}`)).toEqual(Array(3).fill(`S 192.0.2.1:${w.seen[0]!.seg.srcPort} > 10.0.0.2:80`));
    expect(rec.events).toEqual([]);
    const drops = w.mem.records.filter((r) => r.kind === 'ip.drop');
    expect(drops.map((r) => ({ ...r, t: undefined }))).toEqual(
      Array(3).fill({ t: undefined, kind: 'ip.drop', host: 'server', src: '10.0.0.2', dst: '192.0.2.1', proto: 'tcp', reason: 'no route (no default gateway)' }),
    );
    // With a default route the same SYN is answered and the connection opens.
    w.server.run('ip route add default via 10.0.0.1');
    w.sim.runUntil(9_000_000);
    expect(rec.events).toEqual(['connect']);
  });
});

describe('listen', () => {
  it('refuses a second listener on the port of a wildcard one, and a non-local address', () => {
    const w = pair();
    expect(typeof w.server.tcp.listen(0, 80, () => ({}))).toBe('object');
    expect(w.server.tcp.listen(w.ip('10.0.0.2'), 80, () => ({}))).toBe('EADDRINUSE');
    expect(w.server.tcp.listen(w.ip('10.0.0.80'), 81, () => ({}))).toBe('EADDRNOTAVAIL');
    w.server.sysctl.set('net.ipv4.ip_nonlocal_bind', '1');
    expect(typeof w.server.tcp.listen(w.ip('10.0.0.80'), 81, () => ({}))).toBe('object');
  });

  it('a closed listener answers new SYNs with RST', () => {
    const w = pair();
    const l = w.server.tcp.listen(0, 80, () => ({}));
    if (typeof l === 'string') throw new Error(l);
    l.close();
    const rec = new Recorder(() => w.sim.now);
    w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80 }, rec);
    w.sim.runUntil(10_000);
    expect(rec.error).toBe('ECONNREFUSED');
  });
});
