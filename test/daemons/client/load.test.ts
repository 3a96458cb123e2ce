import { describe, expect, it } from 'vitest';
import { handleLoadAction, startLoad, type LoadAction } from '../../../src/daemons/client';
import { parseScenario } from '../../../src/scenario/parse';
import { runScenario } from '../../../src/scenario/runner';
import type { TraceRecord } from '../../../src/sim/trace';
import { SECOND } from '../../../src/sim/time';
import { world } from '../../host/helpers';
import { tinyServer } from './tiny-server';

function action(over: Partial<LoadAction> = {}): LoadAction {
  return {
    kind: 'load',
    from: 0,
    to: 2 * SECOND,
    host: 'client',
    url: { text: 'http://10.0.0.80/', address: { text: '10.0.0.80', value: 0x0a000050 }, port: 80, path: '/' },
    rate: { count: 10, per: SECOND },
    timeout: 5 * SECOND,
    ...over,
  };
}

function requests(records: readonly TraceRecord[]): Array<TraceRecord<'http.request'>> {
  return records.filter((r): r is TraceRecord<'http.request'> => r.kind === 'http.request');
}

describe('load', () => {
  it('sends rate.count requests per rate.per on new connections and records each one', () => {
    const w = world();
    const client = w.host('client', { eth0: { lan: 'lan', ip: '10.0.0.1/24' } });
    const web = w.host('web', { eth0: { lan: 'lan', ip: '10.0.0.80/24' } });
    const srv = tinyServer(web, 80);
    startLoad({ sim: w.sim, hosts: new Map([['client', client]]) }, action());
    w.sim.runUntil(10 * SECOND);
    const reqs = requests(w.mem.records);
    expect(reqs.map((r) => r.sent)).toEqual(Array.from({ length: 20 }, (_, i) => i * 100_000));
    expect(reqs.every((r) => r.status === 200 && r.headers['x-served-by'] === 'web' && r.error === undefined)).toBe(true);
    // The first request waits for ARP; the others take two round trips.
    expect(reqs.map((r) => r.latency)).toEqual([600, ...Array(19).fill(400)]);
    expect(srv.requests.length).toBe(20);
    expect(new Set(w.mem.records.filter((r) => r.kind === 'http.request').map((r) => r.t)).size).toBe(20);
  });

  it('records refused, reset, timed out and unreachable requests with their error', () => {
    const w = world();
    const client = w.host('client', { eth0: { lan: 'lan', ip: '10.0.0.1/24' } });
    const web = w.host('web', { eth0: { lan: 'lan', ip: '10.0.0.80/24' } });
    const hosts = new Map([['client', client]]);
    startLoad({ sim: w.sim, hosts }, action({ to: 100_000 })); // nothing listens yet
    w.sim.runUntil(SECOND);
    const srv = tinyServer(web, 80, 'reset');
    startLoad({ sim: w.sim, hosts }, action({ from: SECOND, to: SECOND + 1 }));
    w.sim.runUntil(2 * SECOND);
    srv.listener.close();
    tinyServer(web, 80, 'silent');
    startLoad({ sim: w.sim, hosts }, action({ from: 2 * SECOND, to: 2 * SECOND + 1, timeout: 3 * SECOND }));
    const other = action({ from: 3 * SECOND, to: 3 * SECOND + 1 });
    startLoad({ sim: w.sim, hosts }, { ...other, url: { ...other.url, address: { text: '10.0.0.99', value: 0x0a000063 } } });
    w.sim.runUntil(20 * SECOND);
    expect(requests(w.mem.records).map((r) => [r.sent, r.error, r.latency])).toEqual([
      [0, 'refused', 400],
      [SECOND, 'reset', 400],
      [2 * SECOND, 'timeout', 3 * SECOND],
      [3 * SECOND, 'unreachable', 3 * SECOND],
    ]);
  });

  it('writes its records into the JSON trace as the other events are: t, kind, then the fields', () => {
    const w = world();
    const client = w.host('client', { eth0: { lan: 'lan', ip: '10.0.0.1/24' } });
    const web = w.host('web', { eth0: { lan: 'lan', ip: '10.0.0.80/24' } });
    tinyServer(web, 80);
    const hosts = new Map([['client', client]]);
    startLoad({ sim: w.sim, hosts }, action({ to: 1 }));
    startLoad({ sim: w.sim, hosts }, action({ from: SECOND, to: SECOND + 1, url: { ...action().url, port: 81 } }));
    w.sim.runUntil(3 * SECOND);
    const [answered, failed] = requests(w.mem.records).map((r) => JSON.stringify(r));
    expect(answered).toMatch(/^\{"t":600,"kind":"http.request","host":"client","url":"http:\/\/10.0.0.80\/","sent":0,"status":200,"headers":\{.*\},"latency":600\}$/);
    expect(failed).toBe('{"t":1000200,"kind":"http.request","host":"client","url":"http://10.0.0.80/","sent":1000000,"error":"refused","headers":{},"latency":200}');
  });

  it('plugs into the runner: requests expectations judge what the load recorded', () => {
    const yaml = `
duration: 6s
lans: { ext: { subnet: 172.16.23.0/24 } }
hosts:
  client: { nics: { eth0: { lan: ext, ip: 172.16.23.1/24 } } }
  web: { nics: { eth0: { lan: ext, ip: 172.16.23.80/24 } } }
timeline:
  - { from: 1s, to: 5s, on: client, load: { url: "http://172.16.23.80/", rate: 5/s } }
expect:
  - { requests: { from: client, failed_at_most: 0, answered_by: { header: X-Served-By, matches: web } } }
`;
    const { spec, diagnostics } = parseScenario(yaml, 'load.yaml');
    expect(diagnostics).toEqual([]);
    const run = runScenario(spec!, {}, (w, a) => {
      // The test's stand-in for nginx starts with the load.
      tinyServer(w.hosts.get('web')!, 80);
      return handleLoadAction(w, a);
    });
    expect(run.results.map((r) => [r.ok, r.detail])).toEqual([[true, '20 requests, 0 failed']]);
    expect(handleLoadAction(run.world, { kind: 'run' })).toBe(false);
  });
});
