import { describe, expect, it } from 'vitest';
import { handleLoadAction, KeepAliveLoad, startLoad, type LoadAction } from '../../../src/daemons/client';
import { parseScenario } from '../../../src/scenario/parse';
import { runScenario } from '../../../src/scenario/runner';
import type { TraceRecord } from '../../../src/sim/trace';
import { MS, SECOND } from '../../../src/sim/time';
import { world } from '../../host/helpers';
import { tinyServer, type Behaviour } from './tiny-server';

function action(over: Partial<LoadAction> = {}): LoadAction {
  return {
    kind: 'load',
    from: 0,
    to: SECOND,
    host: 'client',
    url: { text: 'http://10.0.0.80/', address: { text: '10.0.0.80', value: 0x0a000050 }, port: 80, path: '/' },
    rate: { count: 10, per: SECOND },
    timeout: 5 * SECOND,
    keepalive: true,
    connections: 1,
    ...over,
  };
}

function requests(records: readonly TraceRecord[]): Array<TraceRecord<'http.request'>> {
  return records.filter((r): r is TraceRecord<'http.request'> => r.kind === 'http.request');
}

/** A client and a tiny server on one LAN, the load started. */
function setup(over: Partial<LoadAction>, behaviour: Behaviour = 'ok') {
  const w = world();
  const client = w.host('client', { eth0: { lan: 'lan', ip: '10.0.0.1/24' } });
  const web = w.host('web', { eth0: { lan: 'lan', ip: '10.0.0.80/24' } });
  const srv = tinyServer(web, 80, behaviour);
  const load = startLoad({ sim: w.sim, hosts: new Map([['client', client]]) }, action(over));
  return { w, client, web, srv, load };
}

describe('keep-alive load', () => {
  it('carries the requests over its connections, taken in turn, and closes them after the last', () => {
    const { w, client, srv, load } = setup({ connections: 2 });
    expect(load).toBeInstanceOf(KeepAliveLoad);
    w.sim.runUntil(3 * SECOND);
    const reqs = requests(w.mem.records);
    expect(reqs.map((r) => r.sent)).toEqual(Array.from({ length: 10 }, (_, i) => i * 100 * MS));
    expect(reqs.every((r) => r.status === 200 && r.headers['x-served-by'] === 'web')).toBe(true);
    // Two connections, opened when the first two requests needed them, then used alternately.
    expect(srv.accepted).toHaveLength(2);
    const [a, b] = srv.accepted;
    expect(reqs.map((r) => r.port)).toEqual([a, b, a, b, a, b, a, b, a, b]);
    expect(reqs.map((r) => r.opened)).toEqual([0, 100 * MS, 0, 100 * MS, 0, 100 * MS, 0, 100 * MS, 0, 100 * MS]);
    // A request on an open connection costs one round trip (2 x 100 µs); opening one costs a handshake
    // more, and ARP the very first time.
    expect(reqs.map((r) => r.latency)).toEqual([600, 400, ...Array(8).fill(200)]);
    // The load is over: both connections were closed (the client's side waits in TIME_WAIT).
    expect(client.tcp.connections.all().map((s) => s.state)).toEqual(['TIME_WAIT', 'TIME_WAIT']);
  });

  it('lets a request wait when every connection is busy; its latency counts from when it was due', () => {
    const w = world();
    const client = w.host('client', { eth0: { lan: 'lan', ip: '10.0.0.1/24' } });
    const web = w.host('web', { eth0: { lan: 'lan', ip: '10.0.0.80/24' } });
    // A server that answers 250 ms after each request.
    const answered: number[] = [];
    const l = web.tcp.listen(0, 80, () => ({
      onData(s, data) {
        if (!new TextDecoder().decode(data).endsWith('\r\n\r\n')) return;
        w.sim.schedule(250 * MS, () => {
          answered.push(w.sim.now);
          s.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
        });
      },
    }));
    expect(typeof l).not.toBe('string');
    startLoad({ sim: w.sim, hosts: new Map([['client', client]]) }, action({ to: 400 * MS }));
    w.sim.runUntil(3 * SECOND);
    const reqs = requests(w.mem.records);
    expect(reqs.map((r) => r.sent)).toEqual([0, 100 * MS, 200 * MS, 300 * MS]);
    expect(new Set(reqs.map((r) => r.port)).size).toBe(1);
    // One after the other: each is sent when the previous answer is in, and answered 250 ms later.
    expect(answered.map((t, i) => (i === 0 ? 0 : t - answered[i - 1]!))).toEqual([0, 250_200, 250_200, 250_200]);
    expect(reqs.map((r) => r.latency)).toEqual([250_600, 400_800, 551_000, 701_200]);
  });

  it('opens a new connection after the server closed one: Connection: close, or an idle close', () => {
    for (const behaviour of ['conn-close', 'idle-close', 'close-delimited'] as const) {
      const { w, srv } = setup({ to: 500 * MS }, behaviour);
      w.sim.runUntil(3 * SECOND);
      const reqs = requests(w.mem.records);
      expect(reqs.map((r) => [r.status, r.error]), behaviour).toEqual(Array(5).fill([200, undefined]));
      expect(srv.accepted, behaviour).toHaveLength(5);
      expect(new Set(reqs.map((r) => r.port)).size, behaviour).toBe(5);
      expect(reqs.map((r) => r.opened), behaviour).toEqual(reqs.map((r) => r.sent));
    }
  });

  it('fails the request of a connection that breaks, then goes on over a new connection', () => {
    const { w, srv } = setup({ to: 600 * MS });
    w.sim.at(250 * MS, () => srv.behave('reset'));
    w.sim.at(350 * MS, () => srv.behave('ok'));
    w.sim.runUntil(3 * SECOND);
    const reqs = requests(w.mem.records);
    expect(reqs.map((r) => r.error ?? r.status)).toEqual([200, 200, 200, 'reset', 200, 200]);
    const [first, second] = srv.accepted;
    expect(reqs.map((r) => r.port)).toEqual([first, first, first, first, second, second]);
    expect(reqs.map((r) => r.opened)).toEqual([0, 0, 0, 0, 400 * MS, 400 * MS]);
  });

  it('gives a connection up with the request whose time limit passed', () => {
    const { w, srv } = setup({ to: 300 * MS, timeout: 150 * MS }, 'silent');
    w.sim.runUntil(3 * SECOND);
    const reqs = requests(w.mem.records);
    // Each request waits for the one before to time out, then opens a connection of its own.
    expect(reqs.map((r) => [r.sent, r.error, r.latency, r.opened])).toEqual([
      [0, 'timeout', 150 * MS, 0],
      [100 * MS, 'timeout', 150 * MS, 150 * MS],
      [200 * MS, 'timeout', 150 * MS, 250 * MS],
    ]);
    expect(srv.accepted).toHaveLength(3);
  });

  it('records connect failures with their error', () => {
    const w = world();
    const client = w.host('client', { eth0: { lan: 'lan', ip: '10.0.0.1/24' } });
    w.host('web', { eth0: { lan: 'lan', ip: '10.0.0.80/24' } }); // nothing listens
    startLoad({ sim: w.sim, hosts: new Map([['client', client]]) }, action({ to: 200 * MS, connections: 2 }));
    w.sim.runUntil(SECOND);
    expect(requests(w.mem.records).map((r) => [r.sent, r.error])).toEqual([
      [0, 'refused'],
      [100 * MS, 'refused'],
    ]);
  });

  it('plugs into the runner: requests expectations select by connection and by error', () => {
    const yaml = `
duration: 4s
lans: { ext: { subnet: 172.16.23.0/24 } }
hosts:
  client: { nics: { eth0: { lan: ext, ip: 172.16.23.1/24 } } }
  web: { nics: { eth0: { lan: ext, ip: 172.16.23.80/24 } } }
timeline:
  - { from: 1s, to: 3s, on: client, load: { url: "http://172.16.23.80/", rate: 5/s, keepalive: true } }
expect:
  - { requests: { from: client, between: [1s, 1.9s], opened_before: 1.1s, failed_at_most: 0 } }
  - { requests: { from: client, between: [2s, 2.1s], failed_with: reset } }
  - { requests: { from: client, between: [2.2s, 3s], opened_before: 1.1s } }
  - { requests: { from: client, failed_with: reset } }
`;
    const { spec, diagnostics } = parseScenario(yaml, 'keepalive.yaml');
    expect(diagnostics).toEqual([]);
    const run = runScenario(spec!, {}, (w, a) => {
      // The request due at 2 s meets a server that resets; from 2.1 s on it answers again.
      const srv = tinyServer(w.hosts.get('web')!, 80);
      w.sim.at(1.9 * SECOND, () => srv.behave('reset'));
      w.sim.at(2.1 * SECOND, () => srv.behave('ok'));
      return handleLoadAction(w, a);
    });
    expect(run.results.map((r) => [r.ok, r.what, r.detail])).toEqual([
      [true, 'requests from client between 1s and 1.9s on connections opened before 1.1s: at most 0 failed', '5 requests, 0 failed'],
      [true, 'requests from client between 2s and 2.1s: all failed with reset', '1 requests, 1 failed'],
      [
        false,
        'requests from client between 2.2s and 3s on connections opened before 1.1s: at most 0 failed',
        'no request was made in that interval on a connection opened before 1.1s',
      ],
      [false, 'requests from client between 0s and 4s: all failed with reset', '9 did not fail with reset: 200 at 1s'],
    ]);
  });
});
