import { describe, expect, it } from 'vitest';
import { MINUTE, MS, SECOND } from '../../../src/sim/time';
import { BASE, errors, spec } from './helpers';

/** Timeline entries start on line 11. */
const timeline = (...entries: string[]) => [...BASE, 'timeline:', ...entries.map((e) => `  - ${e}`)];

describe('timeline actions', () => {
  it('defaults: TERM, one ping a second, load over the whole run with a 5s timeout', () => {
    const s = spec(
      ...timeline(
        '{ at: 1s, on: proxy1, kill: nginx }',
        '{ at: 1s, on: proxy1, kill: nginx, signal: SIGHUP }',
        '{ at: 1s, on: client, ping: 172.16.23.80 }',
        '{ on: client, load: { url: "http://172.16.23.80:8080/test.html?x=1", rate: 5/m, timeout: 2s } }',
        '{ at: 0s, on: client, ping: 172.16.23.80, count: 10, interval: 200ms }',
      ),
    );
    expect(s.timeline.map((a) => ({ ...a, pos: undefined }))).toEqual([
      { kind: 'signal', at: SECOND, host: 'proxy1', service: 'nginx', signal: 'TERM', pos: undefined },
      { kind: 'signal', at: SECOND, host: 'proxy1', service: 'nginx', signal: 'HUP', pos: undefined },
      {
        kind: 'ping',
        at: SECOND,
        host: 'client',
        target: { text: '172.16.23.80', value: 0xac101750, pos: { line: 13, col: 33 } },
        count: 1,
        interval: SECOND,
        pos: undefined,
      },
      {
        kind: 'load',
        from: 0,
        to: 60 * SECOND,
        host: 'client',
        url: {
          text: 'http://172.16.23.80:8080/test.html?x=1',
          address: { text: '172.16.23.80', value: 0xac101750, pos: { line: 14, col: 32 } },
          port: 8080,
          path: '/test.html?x=1',
        },
        rate: { text: '5/m', count: 5, per: MINUTE },
        timeout: 2 * SECOND,
        keepalive: false,
        connections: 1,
        pos: undefined,
      },
      {
        kind: 'ping',
        at: 0,
        host: 'client',
        target: { text: '172.16.23.80', value: 0xac101750, pos: { line: 15, col: 33 } },
        count: 10,
        interval: 200 * MS,
        pos: undefined,
      },
    ]);
  });

  it('needs exactly one action, and suggests a misspelt one', () => {
    expect(
      errors(...timeline('{ at: 10s, on: proxy1 }', '{ at: 10s, on: proxy1, rnu: ls }', '{ at: 50s, heal: ext, crash: proxy1 }', 'just text')),
    ).toEqual([
      's.yaml:11:5: a timeline entry needs one of: run, kill, crash, boot, link, partition, heal, ping, load, snapshot',
      "s.yaml:12:28: unknown key 'rnu'; did you mean 'run'?",
      "s.yaml:13:27: a timeline entry does one thing; it has 'heal' and 'crash'",
      "s.yaml:14:5: a timeline entry must be a map, not 'just text'",
    ]);
  });

  it('snapshot: a command run on a host at an instant, its output for the report; mistakes at their place', () => {
    const s = spec(...timeline('{ at: 25s, on: proxy1, snapshot: "ipvsadm -L -n" }'));
    expect(s.timeline).toEqual([{ kind: 'snapshot', at: 25 * SECOND, host: 'proxy1', command: 'ipvsadm -L -n', pos: { line: 11, col: 5 } }]);
    expect(
      errors(
        ...timeline(
          '{ at: 25s, on: proxy1, snapshot: "" }',
          '{ at: 25s, on: proxy9, snapshot: ipvsadm -L -n }',
          '{ at: 25s, snapshot: ip addr }',
          '{ at: 25s, on: proxy1, snapshot: ip addr, count: 2 }',
        ),
      ),
    ).toEqual([
      's.yaml:11:38: expected text, not an empty string',
      "s.yaml:12:20: unknown host 'proxy9'; did you mean 'proxy1'?",
      "s.yaml:13:5: a timeline entry needs 'on'",
      "s.yaml:14:47: unknown key 'count' in a timeline entry; allowed keys: at, on, snapshot",
    ]);
  });

  it("checks other keys against the action's own", () => {
    expect(errors(...timeline('{ at: 25s, on: proxy1, kill: keepalived, singal: KILL }', '{ at: 1s, crash: proxy1, on: proxy1 }'))).toEqual([
      "s.yaml:11:46: unknown key 'singal'; did you mean 'signal'?",
      "s.yaml:12:30: unknown key 'on' in a timeline entry; allowed keys: at, crash",
    ]);
  });

  it('reports missing and late times', () => {
    expect(errors(...timeline('{ on: proxy1, run: ls }', '{ at: 70s, crash: proxy1 }', '{ at: 20, boot: proxy1 }'))).toEqual([
      "s.yaml:11:5: a timeline entry needs 'at'",
      's.yaml:12:11: 70s is after the end of the run (duration 60s)',
      "s.yaml:13:11: '20' needs a unit (like 250ms, 3.613s or 2m)",
    ]);
  });

  it('reports unknown hosts, services and signals', () => {
    expect(
      errors(
        ...timeline(
          '{ at: 20s, on: proxy3, run: killall nginx }',
          '{ at: 20s, on: web2, run: killall nginx }',
          '{ at: 20s, on: proxy1, kill: httpd, signal: USR9 }',
          '{ at: 20s, on: proxy1, run: "" }',
        ),
      ),
    ).toEqual([
      "s.yaml:11:20: unknown host 'proxy3'; did you mean 'proxy1'?",
      "s.yaml:12:20: unknown host 'web2'; did you mean 'web1'?",
      "s.yaml:13:34: unknown service 'httpd'; expected one of: keepalived, nginx, ntpd",
      "s.yaml:13:49: unknown signal 'USR9'; expected one of: TERM, KILL, HUP, STOP, CONT",
      's.yaml:14:33: expected text, not an empty string',
    ]);
  });

  it('reads links as host.nic and checks them', () => {
    expect(spec(...timeline('{ at: 30s, link: proxy1.eth0, state: up }')).timeline[0]).toMatchObject({
      kind: 'link',
      host: 'proxy1',
      nic: 'eth0',
      state: 'up',
    });
    expect(
      errors(
        ...timeline(
          '{ at: 30s, link: proxy1.eth9, state: sideways }',
          '{ at: 30s, link: proxy1, state: down }',
          '{ at: 30s, link: proxy9.eth0 }',
        ),
      ),
    ).toEqual([
      "s.yaml:11:22: host 'proxy1' has no NIC 'eth9'; did you mean 'eth0'?",
      "s.yaml:11:42: unknown link state 'sideways'; expected one of: up, down",
      "s.yaml:12:22: expected host.nic, like proxy1.eth0, not 'proxy1'",
      "s.yaml:13:5: a timeline entry needs 'state'",
      "s.yaml:13:22: unknown host 'proxy9'; did you mean 'proxy1'?",
    ]);
  });

  it('checks partitions: the LAN, hosts on it, each host once', () => {
    expect(
      errors(
        ...timeline(
          '{ at: 40s, partition: { lan: ext, groups: [[proxy1], [web1, proxy1]] } }',
          '{ at: 40s, partition: { lan: dmz, groups: [] } }',
          '{ at: 40s, partition: { lan: ext, groups: [[]], lans: x } }',
          '{ at: 50s, heal: extt }',
        ),
      ),
    ).toEqual([
      "s.yaml:11:59: host 'web1' has no NIC on LAN 'ext'",
      "s.yaml:11:65: host 'proxy1' is in two groups",
      "s.yaml:12:34: unknown LAN 'dmz'; LANs are: ext, int",
      "s.yaml:12:47: 'groups' needs at least one group of hosts",
      "s.yaml:13:48: a partition group needs at least one host",
      "s.yaml:13:53: unknown key 'lans'; did you mean 'lan'?",
      "s.yaml:14:22: unknown LAN 'extt'; did you mean 'ext'?",
    ]);
  });

  it('checks pings and loads', () => {
    expect(
      errors(
        ...timeline(
          '{ at: 1s, on: client, ping: 172.16.23.256, count: 0, interval: 0s }',
          '{ from: 30s, to: 20s, on: client, load: { url: "http://www.example.com/", rate: 10/y } }',
          '{ from: 1s, on: client, load: { url: "https://172.16.23.80/", rate: 0/s, timeout: 0s } }',
          '{ on: client, load: { url: "http://172.16.23.80:99999/" } }',
        ),
      ),
    ).toEqual([
      "s.yaml:11:33: bad IPv4 address '172.16.23.256': 256 is more than 255",
      's.yaml:11:55: expected a number of at least 1, not 0',
      's.yaml:11:68: expected a duration longer than 0s',
      "s.yaml:12:22: 'to' must be later than 'from'",
      "s.yaml:12:52: the host of URL 'http://www.example.com/' must be an IPv4 address (the simulation has no DNS)",
      "s.yaml:12:85: '10/y' is not a rate (like 10/s or 5/m)",
      "s.yaml:13:42: bad URL 'https://172.16.23.80/' (like http://172.16.23.80/test.html)",
      "s.yaml:13:73: '0/s' is not a rate (like 10/s or 5/m)",
      's.yaml:13:87: expected a duration longer than 0s',
      "s.yaml:14:25: 'load' needs 'rate'",
      "s.yaml:14:32: port 99999 of URL 'http://172.16.23.80:99999/' is not in 1..65535",
    ]);
  });

  it('reads keep-alive loads: one connection unless told', () => {
    const s = spec(
      ...timeline(
        '{ on: client, load: { url: "http://172.16.23.80/", rate: 2/s, keepalive: true } }',
        '{ on: client, load: { url: "http://172.16.23.80/", rate: 2/s, keepalive: true, connections: 2 } }',
        '{ on: client, load: { url: "http://172.16.23.80/", rate: 2/s, keepalive: false } }',
      ),
    );
    expect(s.timeline.map((a) => (a.kind === 'load' ? [a.keepalive, a.connections] : undefined))).toEqual([
      [true, 1],
      [true, 2],
      [false, 1],
    ]);
  });

  it('checks keep-alive loads', () => {
    expect(
      errors(
        ...timeline(
          '{ on: client, load: { url: "http://172.16.23.80/", rate: 2/s, connections: 2 } }',
          '{ on: client, load: { url: "http://172.16.23.80/", rate: 2/s, keepalive: false, connections: 2 } }',
          '{ on: client, load: { url: "http://172.16.23.80/", rate: 2/s, keepalive: yes, connections: 0 } }',
          '{ on: client, load: { url: "http://172.16.23.80/", rate: 2/s, keepalive: true, connections: 20001 } }',
          '{ on: client, load: { url: "http://172.16.23.80/", rate: 2/s, keep_alive: true, conections: 2 } }',
        ),
      ),
    ).toEqual([
      "s.yaml:11:80: 'connections' needs 'keepalive: true' (without it every request opens its own connection)",
      "s.yaml:12:98: 'connections' needs 'keepalive: true' (without it every request opens its own connection)",
      "s.yaml:13:78: expected true or false, not 'yes'",
      's.yaml:13:96: expected a number of at least 1, not 0',
      's.yaml:14:97: at most 20000 connections, not 20001',
      "s.yaml:15:67: unknown key 'keep_alive'; did you mean 'keepalive'?",
      "s.yaml:15:85: unknown key 'conections'; did you mean 'connections'?",
    ]);
  });

  it('needs the timeline to be a list of maps', () => {
    expect(errors(...BASE, 'timeline: { at: 1s }')).toEqual(["s.yaml:10:11: 'timeline' must be a list, not a map"]);
  });
});
