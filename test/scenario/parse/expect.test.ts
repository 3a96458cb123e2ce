import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/sim/time';
import { BASE, errors, spec } from './helpers';

const LOAD = ['timeline:', '  - { on: client, load: { url: "http://172.16.23.80/", rate: 10/s } }'];
/** Expectations start on line 13. */
const expectations = (...entries: string[]) => [...BASE, ...LOAD, 'expect:', ...entries.map((e) => `  - ${e}`)];

describe('expectation windows', () => {
  it('reads at, within/after with defaults, and a log without window as anytime', () => {
    const s = spec(
      ...expectations(
        '{ at: 0s, vip: 172.16.23.80, on: proxy1 }',
        '{ within: 5s, vip: 172.16.23.80, on: proxy1 }',
        '{ after: 50s, vip: 172.16.23.80, on: proxy1 }',
        '{ log: { host: proxy1, matches: x } }',
        '{ reach: { from: client, to: 172.16.23.80, unreachable: true }, within: 60s }',
      ),
    );
    expect(s.expect.map((e) => ('window' in e ? e.window : undefined))).toEqual([
      { kind: 'at', at: 0 },
      { kind: 'within', after: 0, until: 5 * SECOND },
      { kind: 'within', after: 50 * SECOND, until: 60 * SECOND },
      { kind: 'anytime' },
      { kind: 'within', after: 0, until: 60 * SECOND },
    ]);
    expect(s.expect[4]).toMatchObject({ kind: 'reach', from: 'client', unreachable: true });
  });

  it('reports missing, conflicting and out-of-run windows', () => {
    expect(
      errors(
        ...expectations(
          '{ vip: 172.16.23.80, on: proxy1 }',
          '{ at: 19s, within: 5s, vip: 172.16.23.80, on: proxy1 }',
          '{ within: 50s, after: 20s, vip: 172.16.23.80, on: proxy2 }',
          '{ at: 61s, state: { host: proxy2, instance: VI, is: MASTER } }',
          '{ within: 0s, reach: { from: client, to: 172.16.23.80 } }',
          '{ log: { host: proxy1, matches: x }, at: 1s }',
        ),
      ),
    ).toEqual([
      "s.yaml:13:5: an expectation needs 'at' or 'within'/'after'",
      "s.yaml:14:7: use either 'at' or 'within'/'after', not both",
      's.yaml:15:15: the window ends at 70s, after the end of the run (duration 60s)',
      's.yaml:16:11: 61s is after the end of the run (duration 60s)',
      "s.yaml:17:15: 'within' must be longer than 0s (the window is (after, after + within])",
      "s.yaml:18:42: unknown key 'at' in an expectation; allowed keys: log, within, after",
    ]);
  });
});

describe('expectations', () => {
  it('needs one kind, suggesting a misspelt one', () => {
    expect(errors(...expectations('{ at: 1s, vpi: 172.16.23.80, on: proxy1 }', '{ at: 1s, on: proxy1 }'))).toEqual([
      "s.yaml:13:15: unknown key 'vpi'; did you mean 'vip'?",
      's.yaml:14:5: an expectation needs one of: vip, log, state, reach, requests, transition',
    ]);
  });

  it('checks address expectations', () => {
    expect(
      errors(
        ...expectations(
          '{ at: 1s, vip: 172.16.23.80/24, on: proxy1 }',
          '{ at: 1s, vip: 172.16.23.80, on: proxy1, not_on: proxy2 }',
          '{ at: 1s, vip: 172.16.23.80 }',
          '{ at: 1s, vip: 172.16.23.80, not_on: proxy9 }',
        ),
      ),
    ).toEqual([
      "s.yaml:13:20: expected an IPv4 address without prefix, not '172.16.23.80/24'",
      "s.yaml:14:5: an address expectation needs either 'on' or 'not_on', not both",
      "s.yaml:15:5: an address expectation needs either 'on' or 'not_on'",
      "s.yaml:16:42: unknown host 'proxy9'; did you mean 'proxy1'?",
    ]);
  });

  it('checks log, state and reach expectations', () => {
    expect(
      errors(
        ...expectations(
          '{ log: { host: proxy2, matches: "x", regex: "(" } }',
          '{ log: { host: proxy2, regex: "(" } }',
          '{ log: { host: proxy2 } }',
          '{ state: { host: proxy2, instance: VI, is: MASTERR }, at: 25s }',
          '{ state: { host: proxy2, is: BACKUP }, at: 25s }',
          '{ reach: { from: client, to: 172.16.23.80, unreachable: yes }, at: 25s }',
        ),
      ),
    ).toEqual([
      "s.yaml:13:12: 'log' needs either 'matches' or 'regex', not both",
      "s.yaml:14:35: bad regular expression: Invalid regular expression: /(/: Unterminated group",
      "s.yaml:15:12: 'log' needs either 'matches' or 'regex'",
      "s.yaml:16:48: unknown VRRP state 'MASTERR'; did you mean 'MASTER'?",
      "s.yaml:17:14: 'state' needs 'instance'",
      "s.yaml:18:61: expected true or false, not 'yes'",
    ]);
  });

  it('reads requests: window defaults to the run, failed_at_most defaults to 0', () => {
    const s = spec(
      ...expectations(
        '{ requests: { from: client } }',
        '{ requests: { from: client, between: [20s, 25s], answered_by: { header: X-upS, regex: "^WEB[12]" } } }',
      ),
    );
    expect(s.expect.map((e) => ({ ...e, pos: undefined }))).toEqual([
      { kind: 'requests', from: 'client', between: [0, 60 * SECOND], failedAtMost: 0, pos: undefined },
      {
        kind: 'requests',
        from: 'client',
        between: [20 * SECOND, 25 * SECOND],
        answeredBy: { header: 'X-upS', match: { kind: 'regex', source: '^WEB[12]' } },
        pos: undefined,
      },
    ]);
  });

  it('reads opened_before and failed_with', () => {
    const s = spec(
      ...expectations(
        '{ requests: { from: client, between: [20s, 60s], opened_before: 20s, failed_with: reset } }',
        '{ requests: { from: client, opened_before: 20s } }',
      ),
    );
    expect(s.expect.map((e) => ({ ...e, pos: undefined }))).toEqual([
      { kind: 'requests', from: 'client', between: [20 * SECOND, 60 * SECOND], openedBefore: 20 * SECOND, failedWith: 'reset', pos: undefined },
      { kind: 'requests', from: 'client', between: [0, 60 * SECOND], failedAtMost: 0, openedBefore: 20 * SECOND, pos: undefined },
    ]);
  });

  it('checks opened_before and failed_with', () => {
    expect(
      errors(
        ...expectations(
          '{ requests: { from: client, failed_with: rest, opened_before: 61s } }',
          '{ requests: { from: client, failed_with: timeout, failed_at_most: 1 } }',
        ),
      ),
    ).toEqual([
      "s.yaml:13:46: unknown request error 'rest'; did you mean 'reset'?",
      's.yaml:13:67: 61s is after the end of the run (duration 60s)',
      "s.yaml:14:46: 'failed_with' asks that every request failed: it goes with neither 'failed_at_most' nor 'answered_by'",
    ]);
  });

  it('checks request expectations', () => {
    expect(
      errors(
        ...expectations(
          '{ requests: { from: proxy1 } }',
          '{ requests: { from: client, between: [25s, 20s], failed_at_most: -1 } }',
          '{ requests: { from: client, between: [1s], answered_by: { header: "X Proxy", matches: a } } }',
        ),
      ),
    ).toEqual([
      "s.yaml:13:25: no load runs on host 'proxy1' in the timeline",
      "s.yaml:14:48: 'between' must go forward in time: 20s is before 25s",
      's.yaml:14:70: expected a number of at least 0, not -1',
      "s.yaml:15:42: 'between' needs two instants, [from, to], not 1",
      "s.yaml:15:71: 'X Proxy' is not an HTTP header name",
    ]);
  });

  it('reads and checks transitions', () => {
    expect(
      spec(...expectations('{ transition: { host: proxy2, instance: VI, from: BACKUP, to: MASTER }, at: 3.613281s, tolerance: 1ms }'))
        .expect[0],
    ).toEqual({
      kind: 'transition',
      host: 'proxy2',
      instance: 'VI',
      from: 'BACKUP',
      to: 'MASTER',
      at: 3_613_281,
      tolerance: 1000,
      pos: { line: 13, col: 5 },
    });
    expect(
      errors(
        ...expectations(
          '{ transition: { host: proxy2, instance: VI, to: MASTER }, tolerance: 1s }',
          '{ transition: { host: proxy2, instance: VI, to: LEADER }, at: 1s, tolerance: 1 }',
        ),
      ),
    ).toEqual([
      "s.yaml:13:5: an expectation needs 'at'",
      "s.yaml:14:53: unknown VRRP state 'LEADER'; expected one of: INIT, BACKUP, MASTER, FAULT",
      "s.yaml:14:82: '1' needs a unit (like 250ms, 3.613s or 2m)",
    ]);
  });
});
