import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHttpDate } from '../../../src/daemons/nginx/http-date';
import type { UpstreamRequest } from '../../../src/daemons/nginx/proxy';
import { SECOND } from '../../../src/sim/time';
import { BASE, FIXTURES } from './fixtures';
import { loadRecording, recordedRequest, ReplayWorld, type RecordedCase } from './replay';

/**
 * Replays the recordings of the real nginx 1.22.1 (test/fixtures/nginx, record.py) through the pure functions:
 * same confs, files, requests and clock (each case's recorded Date) must give byte-identical responses, and the
 * access logs the same lines.
 */
const untimed = (line: string): string => line.replace(/\[[^\]]+\]/, '[T]');
const dateOf = (c: RecordedCase): number => parseHttpDate(c.response.headers.find(([n]) => n === 'Date')![1])!;

function expectSame(world: ReplayWorld, c: RecordedCase): void {
  const res = world.serve(recordedRequest(c, dateOf(c)), dateOf(c));
  expect(res.statusLine).toBe(c.response.statusLine);
  expect(res.headers).toEqual(c.response.headers);
  expect(res.body).toBe(c.response.body);
}

function expectLog(world: ReplayWorld, host: string): void {
  const real = readFileSync(join(FIXTURES, 'logs', `${host}.access.log`), 'utf8').trimEnd().split('\n');
  const ours = world.logs.get(`${BASE}/${host}/logs/access.log`) ?? [];
  expect(ours.map(untimed)).toEqual(real.map(untimed));
  // error log: same messages and context; time, pid and connection number are the glue's
  const bare = (line: string): string => line.replace(/^\S+ \S+ \[(\w+)\] \d+#\d+: \*\d+ /, '[$1] ');
  const realErrors = readFileSync(join(FIXTURES, 'logs', `${host}.error.log`), 'utf8').split('\n').filter(Boolean);
  expect((world.logs.get(`${BASE}/${host}/logs/error.log`) ?? []).map(bare)).toEqual(realErrors.map(bare));
}

describe('the seed lab: web1, web2, sorry and proxy1', () => {
  const world = new ReplayWorld(['web1', 'web2', 'sorry', 'proxy1']);
  const recording = loadRecording('responses.json');
  for (const c of recording.cases) {
    it(c.name, () => {
      // record.py stopped web2, then web1, then sorry while the proxy kept running
      if (c.name === 'proxy-failover-1') world.stopped.add('web2');
      if (c.name === 'proxy-backup-1') world.stopped.add('web1');
      if (c.name === 'proxy-all-down-502') world.stopped.add('sorry');
      expectSame(world, c);
    });
  }

  it('wrote the access log lines the real servers wrote (apart from the time)', () => {
    for (const host of ['web1', 'web2', 'sorry', 'proxy1']) expectLog(world, host);
    const first = readFileSync(join(FIXTURES, 'logs', 'web1.access.log'), 'utf8').split('\n')[0]!;
    expect(world.logs.get(`${BASE}/web1/logs/access.log`)![0]!.match(/\[[^\]]+\]/)![0]).toBe(first.match(/\[[^\]]+\]/)![0]);
  });

  it('left all three peers of "static" failed (within fail_timeout)', () => {
    const peers = world.upstream('proxy1', 'static');
    expect([...peers.primary, ...peers.backup].map((p) => [p.conf.name, p.fails, p.conf.failTimeout])).toEqual([
      ['127.0.0.1:18080', 1, 10 * SECOND],
      ['127.0.0.1:18081', 1, 10 * SECOND],
      ['127.0.0.1:18083', 1, 10 * SECOND],
    ]);
  });
});

describe('extras: location order, expires, add_header always, return, rewrite, weights, proxy bytes', () => {
  const world = new ReplayWorld(['web1', 'web2', 'sorry', 'extras']);
  const recording = loadRecording('extras.json');
  const sent: string[] = [];
  world.ports.set(18096, 'timeout');
  world.ports.set(18098, (req: UpstreamRequest) => {
    sent.push(req.text);
    return {
      status: 200,
      headers: [
        ['Server', 'fake-upstream'],
        ['Date', 'Thu, 01 Jan 2015 00:00:00 GMT'],
        ['Content-Type', 'text/plain'],
        ['Content-Length', '3'],
        ['X-Up', '1'],
        ['Connection', 'close'],
      ],
      body: 'ok\n',
    };
  });
  for (const c of recording.cases) it(c.name, () => expectSame(world, c));

  it('sent the upstream the bytes nginx sent', () => {
    expect(sent).toEqual(recording.upstreamRequests);
  });

  it('wrote the combined log lines nginx wrote', () => {
    expectLog(world, 'extras');
  });
});
