import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/scenario/diagnostic';
import { DEFAULT_START, parseScenario } from '../../../src/scenario/parse';
import { MS, SECOND } from '../../../src/sim/time';
import { errors, FILES, readFiles, spec } from './helpers';

const FULL = 'test/fixtures/scenario/full.yaml';

describe('a full valid scenario', () => {
  const result = parseScenario(readFileSync(FULL, 'utf8'), FULL, readFiles);
  const s = result.spec!;

  it('has no diagnostics', () => {
    expect(result.diagnostics).toEqual([]);
  });

  it('reads the header', () => {
    expect(s).toMatchObject({
      file: FULL,
      name: 'proxy-ha-nginx-dies',
      description: 'nginx dies on the MASTER; the VIP stays',
      seed: 7,
      duration: 60 * SECOND,
      start: Date.UTC(2022, 10, 25, 0, 47) * 1000,
    });
  });

  it('reads LANs with defaults', () => {
    expect(s.lans).toEqual([
      {
        name: 'ext',
        subnet: { text: '172.16.23.0/24', ip: '172.16.23.0', value: 0xac101700, prefix: 24, pos: { line: 7, col: 18 } },
        latency: 200,
        jitter: 50,
        loss: 0.01,
        pos: { line: 7, col: 8 },
      },
      {
        name: 'int',
        subnet: { text: '192.168.23.0/24', ip: '192.168.23.0', value: 0xc0a81700, prefix: 24, pos: { line: 8, col: 18 } },
        latency: 100,
        jitter: 0,
        loss: 0,
        pos: { line: 8, col: 8 },
      },
    ]);
  });

  it('reads hosts: NICs, gateway, sysctl, files, services, clock', () => {
    const [proxy1, proxy2, client] = s.hosts;
    expect(s.hosts.map((h) => h.name)).toEqual(['proxy1', 'proxy2', 'client']);
    expect(proxy1!.nics.map((n) => [n.name, n.lan, n.addresses.map((a) => a.text), n.mac])).toEqual([
      ['eth0', 'ext', ['172.16.23.100/24'], '52:54:00:00:00:01'],
      ['eth1', 'int', ['192.168.23.100/24'], undefined],
      ['lo', undefined, ['127.0.0.1/8', '172.16.23.80/32'], undefined],
    ]);
    expect(proxy1!.nics[2]).not.toHaveProperty('lan');
    expect(proxy1!.gateway).toEqual({ text: '172.16.23.1', value: 0xac101701, pos: { line: 15, col: 14 } });
    expect(proxy1!.sysctl).toEqual([
      { name: 'net.ipv4.ip_forward', value: '1', pos: { line: 16, col: 15 } },
      { name: 'net.ipv4.conf.lo.arp_ignore', value: '1', pos: { line: 16, col: 39 } },
    ]);
    expect(proxy1!.files).toEqual([
      {
        path: '/etc/keepalived/keepalived.conf',
        content: FILES['proxy1/keepalived.conf'],
        mode: 0o644,
        source: 'proxy1/keepalived.conf',
        pos: { line: 18, col: 7 },
      },
      { path: '/usr/local/nginx/html/test.html', content: 'Just test for WEB1\n', mode: 0o644, pos: { line: 19, col: 7 } },
      {
        path: '/etc/keepalived/notify.sh',
        content: FILES['proxy1/notify.sh'],
        mode: 0o755,
        source: 'proxy1/notify.sh',
        pos: { line: 20, col: 7 },
      },
    ]);
    expect(proxy1!.services).toEqual([
      { name: 'keepalived', pos: { line: 21, col: 16 } },
      { name: 'nginx', pos: { line: 21, col: 28 } },
    ]);
    expect(proxy1!.clock).toEqual({ offset: -1.5 * SECOND, driftPpm: 20 });
    expect(proxy2!.clock).toEqual({ offset: 0, driftPpm: 0 });
    expect(proxy2!).not.toHaveProperty('gateway');
    expect(client!.pos).toEqual({ line: 28, col: 5 });
  });

  it('reads every kind of timeline action, in file order, times in µs', () => {
    expect(s.timeline).toEqual([
      { kind: 'run', at: 20 * SECOND, host: 'proxy1', command: 'killall nginx', pos: { line: 30, col: 5 } },
      { kind: 'signal', at: 25 * SECOND, host: 'proxy1', service: 'keepalived', signal: 'KILL', pos: { line: 31, col: 5 } },
      { kind: 'crash', at: 30 * SECOND, host: 'proxy1', pos: { line: 32, col: 5 } },
      { kind: 'boot', at: 35 * SECOND, host: 'proxy1', pos: { line: 33, col: 5 } },
      { kind: 'link', at: 30 * SECOND, host: 'proxy2', nic: 'eth0', state: 'down', pos: { line: 34, col: 5 } },
      {
        kind: 'partition',
        at: 40 * SECOND,
        lan: 'ext',
        groups: [['proxy1'], ['proxy2', 'client']],
        pos: { line: 35, col: 5 },
      },
      { kind: 'heal', at: 50 * SECOND, lan: 'ext', pos: { line: 36, col: 5 } },
      {
        kind: 'ping',
        at: 10 * SECOND,
        host: 'client',
        target: { text: '172.16.23.80', value: 0xac101750, pos: { line: 37, col: 34 } },
        count: 3,
        interval: SECOND,
        pos: { line: 37, col: 5 },
      },
      {
        kind: 'load',
        from: 0,
        to: 60 * SECOND,
        host: 'client',
        url: {
          text: 'http://172.16.23.80/',
          address: { text: '172.16.23.80', value: 0xac101750, pos: { line: 38, col: 51 } },
          port: 80,
          path: '/',
        },
        rate: { text: '10/s', count: 10, per: SECOND },
        timeout: 5 * SECOND,
        keepalive: false,
        connections: 1,
        pos: { line: 38, col: 5 },
      },
      { kind: 'snapshot', at: 12 * SECOND, host: 'proxy1', command: 'ip addr', pos: { line: 39, col: 5 } },
    ]);
  });

  it('reads every kind of expectation with its window', () => {
    const vip = { text: '172.16.23.80', value: 0xac101750 };
    expect(s.expect).toEqual([
      {
        kind: 'address',
        address: { ...vip, pos: { line: 41, col: 21 } },
        host: 'proxy1',
        present: true,
        window: { kind: 'at', at: 19 * SECOND },
        pos: { line: 41, col: 5 },
      },
      {
        kind: 'address',
        address: { ...vip, pos: { line: 42, col: 21 } },
        host: 'proxy2',
        present: false,
        window: { kind: 'at', at: 19 * SECOND },
        pos: { line: 42, col: 5 },
      },
      {
        kind: 'address',
        address: { ...vip, pos: { line: 43, col: 36 } },
        host: 'proxy2',
        present: true,
        window: { kind: 'within', after: 20 * SECOND, until: 25 * SECOND },
        pos: { line: 43, col: 5 },
      },
      {
        kind: 'log',
        host: 'proxy2',
        match: { kind: 'substring', text: '(VI_PROXY_HA) Entering MASTER STATE' },
        window: { kind: 'within', after: 20 * SECOND, until: 25 * SECOND },
        pos: { line: 44, col: 5 },
      },
      {
        kind: 'log',
        host: 'proxy1',
        match: { kind: 'regex', source: 'Stopping|Stopped' },
        window: { kind: 'anytime' },
        pos: { line: 45, col: 5 },
      },
      {
        kind: 'state',
        host: 'proxy2',
        instance: 'VI_PROXY_HA',
        state: 'MASTER',
        window: { kind: 'at', at: 25 * SECOND },
        pos: { line: 46, col: 5 },
      },
      {
        kind: 'reach',
        from: 'client',
        to: { ...vip, pos: { line: 47, col: 34 } },
        unreachable: false,
        window: { kind: 'at', at: 30 * SECOND },
        pos: { line: 47, col: 5 },
      },
      {
        kind: 'requests',
        from: 'client',
        between: [20 * SECOND, 25 * SECOND],
        failedAtMost: 3,
        pos: { line: 48, col: 5 },
      },
      {
        kind: 'requests',
        from: 'client',
        between: [0, 60 * SECOND],
        answeredBy: { header: 'X-Proxy', match: { kind: 'substring', text: 'Proxy101' } },
        pos: { line: 49, col: 5 },
      },
      {
        kind: 'transition',
        host: 'proxy2',
        instance: 'VI_PROXY_HA',
        to: 'MASTER',
        at: 3_613_281,
        tolerance: 0,
        pos: { line: 50, col: 5 },
      },
    ]);
  });

  it('gives the same spec for the same text', () => {
    expect(parseScenario(readFileSync(FULL, 'utf8'), FULL, readFiles)).toEqual(result);
  });
});

describe('top level', () => {
  it('fills defaults: name from the file, seed 1, start 2022-11-25T00:00:00Z', () => {
    const r = parseScenario('duration: 2m', 'scenarios/proxy-ha/nginx-dies.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.spec).toEqual({
      file: 'scenarios/proxy-ha/nginx-dies.yaml',
      name: 'nginx-dies',
      seed: 1,
      duration: 120 * SECOND,
      start: DEFAULT_START,
      lans: [],
      hosts: [],
      timeline: [],
      expect: [],
    });
    expect(DEFAULT_START).toBe(Date.parse('2022-11-25T00:00:00Z') * 1000);
  });

  it('reads sub-second and offset start times', () => {
    expect(spec('duration: 1s', 'start: 2022-11-25T08:47:00.25+08:00').start).toBe(
      (Date.parse('2022-11-25T00:47:00Z') + 250) * 1000,
    );
  });

  it('needs a duration, and one longer than zero', () => {
    expect(errors('seed: 1')).toEqual(["s.yaml:1:1: the scenario needs 'duration'"]);
    expect(errors('duration: 0s')).toEqual(["s.yaml:1:11: 'duration' must be longer than 0s"]);
    expect(errors('')).toEqual(['s.yaml:1:1: the scenario is empty; it needs at least a duration']);
  });

  it('reports unknown keys with the closest spelling, or the allowed keys', () => {
    expect(errors('duration: 1s', 'timelin: []')).toEqual(["s.yaml:2:1: unknown key 'timelin'; did you mean 'timeline'?"]);
    expect(errors('duration: 1s', 'foo: 1')).toEqual([
      "s.yaml:2:1: unknown key 'foo' in the scenario; allowed keys: name, description, seed, duration, start, lans, hosts, timeline, expect",
    ]);
  });

  it('reports wrong types at the value', () => {
    expect(errors('duration: 1s', 'seed: one', 'lans: [ext]', 'name: [a]')).toEqual([
      "s.yaml:2:7: expected a whole number, not 'one'",
      "s.yaml:3:7: 'lans' must be a map, not a list",
      's.yaml:4:7: expected text, not a list',
    ]);
    expect(errors('duration: 1s', 'seed: -1')).toEqual(['s.yaml:2:7: expected a number of at least 0, not -1']);
  });

  it('reports bad durations and timestamps', () => {
    expect(errors('duration: 60')).toEqual(["s.yaml:1:11: '60' needs a unit (like 250ms, 3.613s or 2m)"]);
    expect(errors('duration: 1 minute')).toEqual([
      "s.yaml:1:11: '1 minute' is not a duration (like 250ms, 3.613s or 2m, whole microseconds)",
    ]);
    expect(errors('duration: 1s', 'start: 2022-02-30T00:00:00Z')).toEqual([
      "s.yaml:2:8: '2022-02-30T00:00:00Z' is not a timestamp (like 2022-11-25T00:47:00Z)",
    ]);
  });

  it('needs a name usable as a report directory', () => {
    expect(errors('name: a/b', 'duration: 1s')).toEqual([
      "s.yaml:1:7: bad scenario name 'a/b': use letters, digits, '.', '_' and '-'",
    ]);
  });

  it('reads aliases as the text they stand for', () => {
    const s = spec(
      'duration: 10s',
      'lans: { ext: &lan { subnet: 10.0.0.0/24 }, ext2: { subnet: 10.0.1.0/24 } }',
      'hosts:',
      '  a: { nics: { eth0: { lan: ext, ip: &ip 10.0.0.1/24 } } }',
      '  b: { nics: { eth0: { lan: ext2, ip: 10.0.1.1/24 }, lo: { ip: *ip } } }',
    );
    expect(s.hosts[1]!.nics[1]!.addresses[0]!.text).toBe('10.0.0.1/24');
  });
});

describe('YAML syntax', () => {
  it('reports syntax errors at their position, and nothing derived from the broken tree', () => {
    expect(errors('duration: 60s', 'lans:', '  ext: { subnet: 172.16.23.0/24', 'hosts: {}')).toEqual([
      's.yaml:4:1: flow map in block collection must be sufficiently indented and end with a }',
    ]);
    expect(errors('duration: 1s', 'name: "abc')).toEqual(['s.yaml:2:11: missing closing "quote']);
  });

  it('names a duplicate key and still checks the rest', () => {
    expect(errors('duration: 60s', 'seed: 1', 'duration: 30s', 'sed: 2')).toEqual([
      "s.yaml:3:1: duplicate key 'duration'",
      "s.yaml:4:1: unknown key 'sed'; did you mean 'seed'?",
    ]);
  });

  it('asks for one document', () => {
    expect(errors('duration: 1s', '---', 'seed: 2')).toEqual([
      "s.yaml:2:1: a scenario is one YAML document; remove the '---' that starts another",
    ]);
  });
});

describe('collecting errors', () => {
  it('reports every mistake of a file, sorted by position', () => {
    const text = readFileSync('test/fixtures/scenario/many-errors.yaml', 'utf8');
    const got = parseScenario(text, 'many-errors.yaml', readFiles);
    expect(got.spec).toBeUndefined();
    expect(got.diagnostics.map(formatDiagnostic)).toEqual(
      readFileSync('test/fixtures/scenario/many-errors.txt', 'utf8').trimEnd().split('\n'),
    );
  });

  it('gives no spec when anything is wrong', () => {
    const r = parseScenario('duration: 1s\nseed: x', 's.yaml');
    expect(r.spec).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
  });

  it('uses whole microseconds', () => {
    expect(spec('duration: 1.5ms').duration).toBe(1.5 * MS);
  });
});
