import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/sim/time';
import type { TcpError, TcpSocket } from '../../../src/host/tcp/socket';
import { world } from '../helpers';
import { pair, Recorder } from './harness';

function pattern(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + (i >> 8)) & 255;
  return b;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

/** The server sends `body` on accept and closes; the client collects. */
function download(w: ReturnType<typeof pair>, body: Uint8Array) {
  const server = new Recorder(() => w.sim.now);
  w.server.tcp.listen(0, 80, (s) => {
    s.write(body);
    s.end();
    return server;
  });
  const client = new Recorder(() => w.sim.now);
  const s = w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80 }, {
    onConnect: () => client.onConnect(),
    onData: (sock, d) => client.onData(sock, d),
    onEnd: (sock: TcpSocket) => {
      client.onEnd();
      sock.end();
    },
    onClose: () => client.onClose(),
    onError: (sock, e) => client.onError(sock, e),
  });
  return { server, client, s };
}

describe('data transfer', () => {
  it('100 kB arrive whole and in order, in segments of at most the MSS within the window', () => {
    const w = pair();
    const body = pattern(100_000);
    const { client, server } = download(w, body);
    w.sim.runUntil(5 * SECOND);
    expect(same(client.bytes(), body)).toBe(true);
    expect(client.events.filter((e) => e !== 'data')).toEqual(['connect', 'end', 'close']);
    expect(server.events).toEqual(['end', 'close']);
    const data = w.seen.filter((x) => x.src === '10.0.0.2:80' && x.len > 0);
    expect(Math.max(...data.map((x) => x.len))).toBe(1460);
    expect(data.reduce((a, x) => a + x.len, 0)).toBe(100_000);
    // Each segment starts where the previous one ended.
    for (let i = 1; i < data.length; i++) expect(data[i]!.seq).toBe((data[i - 1]!.seq + data[i - 1]!.len) >>> 0);
    // Never more than the client's window in flight.
    const acks = w.seen.filter((x) => x.src.startsWith('10.0.0.1'));
    for (const d of data) {
      const lastAck = acks.filter((a) => a.t < d.t).pop()!;
      expect(((d.seq + d.len - lastAck.ack) >>> 0) <= 64240).toBe(true);
    }
  });

  it('a lossy LAN loses segments, retransmission repairs them: the bytes still arrive whole and in order', () => {
    const w = pair(3);
    w.lan.loss = 0.05;
    const body = pattern(200_000);
    const { client } = download(w, body);
    w.sim.runUntil(600 * SECOND);
    expect(same(client.bytes(), body)).toBe(true);
    expect(client.events.at(-1)).toBe('close');
  });

  it('closes with FIN both ways; the side that closed first keeps TIME_WAIT for 60 s', () => {
    const w = pair();
    const { client, s } = download(w, new TextEncoder().encode('bye'));
    w.sim.runUntil(SECOND);
    expect(client.text()).toBe('bye');
    expect(w.seen.filter((x) => x.flags.includes('F')).map((x) => `${x.src.slice(0, 8)} ${x.flags}`)).toEqual([
      '10.0.0.2 FP.',
      '10.0.0.1 F.',
    ]);
    expect(s.state).toBe('CLOSED');
    expect(w.server.tcp.describe()).toEqual(['LISTEN 0.0.0.0:80', `10.0.0.2:80 → 10.0.0.1:${s.localPort} TIME_WAIT`]);
    w.sim.runUntil(60 * SECOND);
    expect(w.server.tcp.connections.size).toBe(1);
    w.sim.runUntil(61 * SECOND);
    expect(w.server.tcp.connections.size).toBe(0);
  });

  it('forward progress confirms the neighbour entry (REACHABLE without a new ARP exchange)', () => {
    const w = pair();
    w.server.tcp.listen(0, 80, () => ({ onData: (s, d) => s.write(d) }));
    const s = w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80 }, {});
    w.sim.runUntil(SECOND);
    const nic = w.client.nic('eth0')!;
    const before = nic.neighbours.get(w.ip('10.0.0.2'))!.confirmed;
    w.sim.runUntil(40 * SECOND);
    s.write('ping');
    w.sim.runUntil(41 * SECOND);
    const e = nic.neighbours.get(w.ip('10.0.0.2'))!;
    expect(e.confirmed).toBeGreaterThan(before);
    expect(e.state).toBe('REACHABLE');
    expect(w.frames.filter((f) => f.t > 40 * SECOND && f.frame.payload.kind === 'arp')).toEqual([]);
  });

  it('a thousand short connections leave no state behind once TIME_WAIT is over', () => {
    const w = pair();
    w.server.tcp.listen(0, 80, () => ({ onData: (s) => s.write('ok'), onEnd: (s) => s.end() }));
    let closed = 0;
    for (let i = 0; i < 1000; i++) {
      w.sim.at(i * 10_000, () =>
        w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80 }, {
          onConnect: (s) => s.write('hi'),
          onData: (s) => s.close(),
          onClose: () => closed++,
        }),
      );
    }
    w.sim.runUntil(20 * SECOND);
    expect(w.client.tcp.connections.size).toBe(1000); // TIME_WAIT on the side that closed first
    expect(w.server.tcp.connections.size).toBe(0);
    w.sim.runUntil(80 * SECOND);
    expect(w.client.tcp.connections.size).toBe(0);
    expect(closed).toBe(0); // close() means the application hears nothing more
  });

  it('a closed socket whose peer never closes leaves FIN_WAIT2 after tcp_fin_timeout; the peer stays in CLOSE_WAIT', () => {
    const w = pair();
    w.server.tcp.listen(0, 80, () => ({}));
    const s = w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80 }, { onConnect: (sock) => sock.close() });
    w.sim.runUntil(SECOND);
    expect(s.state).toBe('FIN_WAIT2');
    w.sim.runUntil(60 * SECOND);
    expect(s.state).toBe('FIN_WAIT2');
    w.sim.runUntil(61 * SECOND);
    expect(s.state).toBe('CLOSED');
    expect(w.server.tcp.describe()[1]).toMatch(/CLOSE_WAIT$/);
  });

  it('end() is a half-close: the socket still receives until the peer closes', () => {
    const w = pair();
    w.server.tcp.listen(0, 80, () => ({ onEnd: (s) => { s.write('late answer'); s.end(); } }));
    const rec = new Recorder(() => w.sim.now);
    w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80 }, { ...handlerOf(rec), onConnect: (sock) => sock.end() });
    w.sim.runUntil(SECOND);
    expect(rec.text()).toBe('late answer');
    expect(rec.events).toEqual(['data', 'end', 'close']);
  });
});

describe('ephemeral ports', () => {
  it('run out when connections to one server pile up in TIME_WAIT: EADDRNOTAVAIL, until TIME_WAIT frees one', { timeout: 30_000 }, () => {
    const base = world();
    // No capture here: 28,232 connections.
    const w = {
      ...base,
      client: base.host('client', { eth0: { lan: 'lan', ip: '10.0.0.1/24' } }),
      server: base.host('server', { eth0: { lan: 'lan', ip: '10.0.0.2/24' } }),
    };
    w.server.tcp.listen(0, 80, () => ({ onEnd: (s) => s.end() }));
    const ports = 60999 - 32768 + 1;
    let closed = 0;
    const client = { onConnect: (s: TcpSocket) => s.end(), onClose: () => closed++ };
    for (let i = 0; i < ports; i++) w.sim.at(i * 1000, () => w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80 }, client));
    w.sim.runUntil(ports * 1000 + SECOND);
    expect(closed).toBe(ports);
    const rec = new Recorder(() => w.sim.now);
    w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80 }, rec);
    w.sim.runUntil(w.sim.now + 1);
    expect(rec.events).toEqual(['error:EADDRNOTAVAIL']);
    // Another server address has its own port space.
    const other = new Recorder(() => w.sim.now);
    w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 81 }, other);
    w.sim.runUntil(w.sim.now + SECOND);
    expect(other.events).toEqual(['error:ECONNREFUSED']);
    w.sim.runUntil(61 * SECOND);
    const later = new Recorder(() => w.sim.now);
    w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80 }, later);
    w.sim.runUntil(w.sim.now + SECOND);
    expect(later.events).toEqual(['connect']);
  });
});

describe('TIME_WAIT reuse', () => {
  it('a new SYN for a pair in TIME_WAIT gets through: at once when its sequence is beyond the old one, else after the challenge ACK, RST and SYN retransmission', () => {
    const outcomes = new Set<string>();
    for (let seed = 1; seed <= 12; seed++) {
      const w = pair(seed);
      w.server.tcp.listen(0, 80, () => ({ onData: (s) => { s.write('bye'); s.end(); } }));
      const hint = w.client.tcp.portHint;
      const first = w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80 }, {
        onConnect: (s) => s.write('hi'),
        onEnd: (s) => s.end(),
      });
      w.sim.runUntil(SECOND);
      expect(w.server.tcp.describe()[1]).toMatch(/TIME_WAIT$/);
      w.client.tcp.portHint = hint; // the client's next port is the same one
      const rec = new Recorder(() => w.sim.now);
      const second = w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80 }, rec);
      expect(second.localPort).toBe(first.localPort);
      w.sim.runUntil(5 * SECOND);
      expect(rec.events).toEqual(['connect']);
      const after = rec.at.connect! - SECOND;
      outcomes.add(after < 1000 ? 'at once' : after > SECOND && after < SECOND + 1000 ? 'after retransmission' : `odd: ${after}`);
      expect(w.server.tcp.describe()[1]).toMatch(/ESTABLISHED$/);
    }
    expect([...outcomes].sort()).toEqual(['after retransmission', 'at once']);
  });
});

function handlerOf(rec: Recorder) {
  return {
    onData: (s: TcpSocket, d: Uint8Array) => rec.onData(s, d),
    onEnd: () => rec.onEnd(),
    onClose: () => rec.onClose(),
    onError: (s: TcpSocket, e: TcpError) => rec.onError(s, e),
  };
}
