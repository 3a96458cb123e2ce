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
    const t = new ConnectionTable(stack);
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
    // unlinking from inside chains (thousands of sockets share buckets) into TIME_WAIT
    const odd = all.filter((_, i) => i % 2 === 1);
    for (const s of odd) t.enterTimeWait(s, 60);
    for (const s of odd) {
      const tw = t.find(SERVER, 80, s.remoteIp, s.remotePort);
      expect(tw).toBeInstanceOf(TimeWaitSocket);
      expect([tw!.localIp, tw!.localPort, tw!.remoteIp, tw!.remotePort, tw!.state]).toEqual([SERVER, 80, s.remoteIp, s.remotePort, 'TIME_WAIT']);
    }
    expect(t.all()).toHaveLength(2500);
    expect(t.size).toBe(2500);
  });

  it('a connection entering TIME_WAIT keeps its 4-tuple taken, without counting a removal, until its wait ends', () => {
    const t = new ConnectionTable(stack);
    const socks = [sock(0xac101701, 40000), sock(0xac101701, 40001), sock(0xac101702, 40000)];
    socks[1]!.rcvNxt = 0xfffffff0 | 0; // sequence numbers keep all 32 bits (signed, as ./seq keeps them)
    socks[1]!.sndNxt = 7;
    for (const s of socks) t.add(s);
    t.enterTimeWait(socks[1]!, 60_000_000);
    const tw = t.find(SERVER, 80, 0xac101701, 40001) as TimeWaitSocket;
    expect([tw.state, tw.rcvNxt, tw.sndNxt]).toEqual(['TIME_WAIT', 0xfffffff0 | 0, 7]);
    expect(t.has(SERVER, 80, 0xac101701, 40001)).toBe(true);
    expect(t.find(SERVER, 80, 0xac101701, 40000)).toBe(socks[0]);
    expect(t.find(SERVER, 80, 0xac101702, 40000)).toBe(socks[2]);
    expect(t.size).toBe(3);
    expect(t.removals).toBe(0);
    t.expireTimeWait(59_999_999);
    expect(t.has(SERVER, 80, 0xac101701, 40001)).toBe(true);
    t.expireTimeWait(60_000_000);
    expect(t.find(SERVER, 80, 0xac101701, 40001)).toBeUndefined();
    expect(t.has(SERVER, 80, 0xac101701, 40001)).toBe(false);
    expect(tw.state).toBe('CLOSED');
    expect(t.size).toBe(2);
    expect(t.removals).toBe(1);
    // a view of a connection gone removes nothing
    t.remove(tw);
    expect(t.removals).toBe(1);
  });

  it('knows which local ports of the ephemeral range no connection uses, through removals and TIME_WAIT', () => {
    const t = new ConnectionTable(stack);
    const client = (port: number, server: number) => new TcpSocket(stack, 0xac101701, port, server, 80, 'ESTABLISHED', 1460);
    expect(t.mayUsePort(40000)).toBe(false);
    const a = client(40000, SERVER);
    const b = client(40000, SERVER + 1);
    const c = client(40002, SERVER);
    t.add(a);
    t.add(b);
    t.add(c);
    expect(t.mayUsePort(40000)).toBe(true);
    expect(t.mayUsePort(40004)).toBe(false);
    // outside the ephemeral range nothing is counted: a caller always looks the 4-tuple up
    expect(t.mayUsePort(80)).toBe(true);
    t.remove(a);
    expect(t.mayUsePort(40000)).toBe(true);
    // TIME_WAIT keeps the port, until the wait ends or the connection is removed early
    t.enterTimeWait(b, 100);
    t.enterTimeWait(c, 100);
    expect(t.mayUsePort(40000)).toBe(true);
    t.expireTimeWait(100);
    expect(t.mayUsePort(40000)).toBe(false);
    expect(t.mayUsePort(40002)).toBe(false);
    const d = client(40004, SERVER);
    t.add(d);
    t.enterTimeWait(d, 200);
    const tw = t.find(d.localIp, d.localPort, d.remoteIp, d.remotePort)!;
    t.remove(tw);
    expect(t.mayUsePort(40004)).toBe(false);
    t.remove(tw); // gone already: counts nothing
    expect(t.mayUsePort(40004)).toBe(false);
    expect(t.removals).toBe(4);
  });

  it('finds the socket it found last without hashing, and forgets it when it leaves', () => {
    const t = new ConnectionTable(stack);
    const a = sock(0xac101701, 40000);
    t.add(a);
    expect(t.find(SERVER, 80, 0xac101701, 40000)).toBe(a);
    expect(t.find(SERVER, 80, 0xac101701, 40000)).toBe(a);
    t.enterTimeWait(a, 100);
    expect(t.find(SERVER, 80, 0xac101701, 40000)).toBeInstanceOf(TimeWaitSocket);
  });
});
