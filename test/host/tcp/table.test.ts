import { describe, it, expect } from 'vitest';
import { ConnectionTable } from '../../../src/host/tcp/table';
import { TcpSocket } from '../../../src/host/tcp/socket';
import { TimeWaitSocket } from '../../../src/host/tcp/time-wait';
import type { TcpStack } from '../../../src/host/tcp/stack';

const stack = {} as TcpStack;
const SERVER = 0xc0a81750; // 192.168.23.80: above V8's small integers, as most addresses are
const sock = (clientIp: number, port: number) => new TcpSocket(stack, SERVER, 80, clientIp, port, 'ESTABLISHED', 1460);

describe('ConnectionTable', () => {
  it('finds each of many connections by its 4-tuple, through growth and removals', () => {
    const t = new ConnectionTable();
    const all = [];
    for (let i = 0; i < 5000; i++) {
      const s = sock(0xac101701 + (i % 7), 32768 + i);
      t.add(s);
      all.push(s);
    }
    expect(t.size).toBe(5000);
    for (const s of all) expect(t.find(SERVER, 80, s.remoteIp, s.remotePort)).toBe(s);
    for (const s of all.filter((_, i) => i % 2 === 0)) t.remove(s);
    expect(t.size).toBe(2500);
    expect(t.removals).toBe(2500);
    all.forEach((s, i) => expect(t.find(SERVER, 80, s.remoteIp, s.remotePort)).toBe(i % 2 === 0 ? undefined : s));
    expect(t.find(SERVER, 81, all[1]!.remoteIp, all[1]!.remotePort)).toBeUndefined();
    expect(t.all()).toHaveLength(2500);
    // replacing inside chains (thousands of sockets share buckets)
    const odd = all.filter((_, i) => i % 2 === 1);
    const tws = odd.map((s) => new TimeWaitSocket(stack, s.localIp, s.localPort, s.remoteIp, s.remotePort, 1, 2));
    odd.forEach((s, i) => t.replace(s, tws[i]!));
    odd.forEach((s, i) => expect(t.find(SERVER, 80, s.remoteIp, s.remotePort)).toBe(tws[i]));
    expect(t.all()).toHaveLength(2500);
  });

  it('a connection entering TIME_WAIT is replaced by its record in place, without counting a removal', () => {
    const t = new ConnectionTable();
    const socks = [sock(0xac101701, 40000), sock(0xac101701, 40001), sock(0xac101702, 40000)];
    for (const s of socks) t.add(s);
    const old = socks[1]!;
    expect(t.find(SERVER, 80, 0xac101701, 40001)).toBe(old);
    const tw = new TimeWaitSocket(stack, old.localIp, old.localPort, old.remoteIp, old.remotePort, 1, 2);
    t.replace(old, tw);
    expect(t.find(SERVER, 80, 0xac101701, 40001)).toBe(tw);
    expect(t.find(SERVER, 80, 0xac101701, 40000)).toBe(socks[0]);
    expect(t.find(SERVER, 80, 0xac101702, 40000)).toBe(socks[2]);
    expect(t.size).toBe(3);
    expect(t.removals).toBe(0);
    expect(t.find(SERVER, 80, 0xac101701, 40001)).toBe(tw); // the last found, then removed
    t.remove(tw);
    expect(t.find(SERVER, 80, 0xac101701, 40001)).toBeUndefined();
    expect(t.size).toBe(2);
  });

  it('knows which local ports of the ephemeral range no socket uses, through removals and TIME_WAIT', () => {
    const t = new ConnectionTable();
    const client = (port: number, server: number) => new TcpSocket(stack, 0xac101701, port, server, 80, 'ESTABLISHED', 1460);
    expect(t.mayUsePort(40000)).toBe(false);
    const a = client(40000, SERVER);
    const b = client(40000, SERVER + 1);
    t.add(a);
    t.add(b);
    expect(t.mayUsePort(40000)).toBe(true);
    expect(t.mayUsePort(40002)).toBe(false);
    // outside the ephemeral range nothing is counted: a caller always looks the 4-tuple up
    expect(t.mayUsePort(80)).toBe(true);
    t.remove(a);
    expect(t.mayUsePort(40000)).toBe(true);
    const tw = new TimeWaitSocket(stack, b.localIp, b.localPort, b.remoteIp, b.remotePort, 1, 2);
    t.replace(b, tw);
    expect(t.mayUsePort(40000)).toBe(true);
    t.remove(tw);
    expect(t.mayUsePort(40000)).toBe(false);
    t.remove(tw); // not in the table: counts nothing
    expect(t.mayUsePort(40000)).toBe(false);
  });

  it('a port used by more sockets than its count holds stays in use for good', () => {
    const t = new ConnectionTable();
    const socks = Array.from({ length: 0x10000 }, (_, i) => new TcpSocket(stack, SERVER, 50000, 0xac100000 + (i >> 8), 1024 + (i & 0xff), 'ESTABLISHED', 1460));
    for (const s of socks) t.add(s);
    for (const s of socks) t.remove(s);
    expect(t.size).toBe(0);
    expect(t.mayUsePort(50000)).toBe(true);
  });
});
