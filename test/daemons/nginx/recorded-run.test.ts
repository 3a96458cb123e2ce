import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accessLogLines } from '../../../src/daemons/nginx/access-log';
import { loadNginxConf } from '../../../src/daemons/nginx/conf-builder';
import type { NginxConf } from '../../../src/daemons/nginx/conf-model';
import type { HostFs, HttpRequest } from '../../../src/daemons/nginx/exchange';
import { handleRequest, respondWithError, type RequestOutcome } from '../../../src/daemons/nginx/handle-request';
import { parseHttpDate } from '../../../src/daemons/nginx/http-date';
import { nextUpstream, noteFailedAttempt, proxiedResponse } from '../../../src/daemons/nginx/proxy';
import type { HttpResponse } from '../../../src/daemons/nginx/response';
import { UpstreamPeers } from '../../../src/daemons/nginx/upstream-round-robin';
import { SECOND } from '../../../src/sim/time';
import { BASE, FIXTURES, fixtureText, recordingEnv, siteFiles } from './fixtures';

/**
 * Replays test/fixtures/nginx/responses.json (real nginx 1.22.1, see record.py) through the pure functions: the
 * same confs, files, requests and clock (each case's recorded Date) must give byte-identical responses, and the
 * access logs the same lines.
 */
interface Case {
  name: string;
  server: string;
  listen: string;
  clientPort: number;
  request: { method: string; path: string; headers: [string, string][] };
  response: { statusLine: string; headers: [string, string][]; body: string };
}

const recorded = JSON.parse(readFileSync(join(FIXTURES, 'responses.json'), 'utf8')) as { cases: Case[] };
const TZ = 480;

function load(host: string): NginxConf {
  const confPath = `${BASE}/${host}/conf/nginx.conf`;
  const r = loadNginxConf({ confPath, prefix: `${BASE}/${host}/` }, recordingEnv(confPath, fixtureText(`conf/${host}.conf`)));
  if (!r.ok) throw r.error;
  return r.conf;
}

function hostFs(host: string): HostFs {
  const files = siteFiles(host);
  return {
    stat: (path) => {
      const f = files.get(path.replace(/\/$/, ''));
      if (f === undefined) return undefined;
      return f === 'dir' ? { kind: 'dir', size: 4096, mtimeMs: 0 } : { kind: 'file', size: f.data.length, mtimeMs: f.mtimeMs };
    },
    read: (path) => {
      const f = files.get(path);
      return f === undefined || f === 'dir' ? undefined : f.data;
    },
  };
}

const hosts = {
  web1: { conf: load('web1'), fs: hostFs('web1'), port: 18080 },
  web2: { conf: load('web2'), fs: hostFs('web2'), port: 18081 },
  sorry: { conf: load('sorry'), fs: hostFs('sorry'), port: 18083 },
  proxy1: { conf: load('proxy1'), fs: hostFs('proxy1'), port: 18090 },
};
type HostName = keyof typeof hosts;
const byPort = new Map(Object.entries(hosts).map(([name, h]) => [h.port, name as HostName]));
const logs = new Map<string, string[]>();
const upstreams = new UpstreamPeers(hosts.proxy1.conf.http!.upstreams.get('static')!);
let upstreamLocalPort = 40000;

function finish(outcome: RequestOutcome, nowMs: number): HttpResponse {
  if (outcome.kind !== 'response') throw new Error(`expected a response, got ${outcome.kind}`);
  for (const { path, line } of accessLogLines(outcome.exchange, outcome.response, { nowMs, tzOffsetMinutes: TZ })) {
    logs.set(path, [...(logs.get(path) ?? []), line]);
  }
  return outcome.response;
}

/** One request to one of the recorded servers, with the proxy loop the TCP side will run. */
function serve(host: HostName, req: HttpRequest, nowMs: number, down: ReadonlySet<HostName>): HttpResponse {
  const { conf, fs } = hosts[host];
  const clock = { nowMs, tzOffsetMinutes: TZ };
  let outcome = handleRequest(conf, req, fs, clock);
  if (outcome.kind !== 'proxy') return finish(outcome, nowMs);
  const ex = outcome.exchange;
  const attempt = upstreams.begin();
  let attempts = 0;
  for (;;) {
    const peer = attempt.select(nowMs * 1000);
    if (!peer) {
      ex.errors.push('no live upstreams while connecting to upstream');
      return finish(respondWithError(ex, 502, fs, clock), nowMs);
    }
    attempts++;
    const target = byPort.get(peer.conf.port)!;
    if (down.has(target)) {
      noteFailedAttempt(ex, peer.conf.name, 'error');
      attempt.reportFailure(peer, nowMs * 1000);
      const decision = nextUpstream(ex, 'error', attempt.tries, attempts, false);
      if (decision.next) continue;
      outcome = respondWithError(ex, decision.status, fs, clock);
      return finish(outcome, nowMs);
    }
    const sent = outcome.request;
    const upstreamRes = serve(
      target,
      {
        method: sent.method,
        path: sent.target,
        version: sent.version,
        headers: sent.headers,
        remoteAddr: '127.0.0.1',
        remotePort: upstreamLocalPort++,
        serverAddr: '127.0.0.1',
        serverPort: peer.conf.port,
      },
      nowMs,
      down,
    );
    attempt.reportSuccess(peer);
    const status = Number(upstreamRes.statusLine.split(' ')[1]);
    const response = proxiedResponse(ex, peer.conf.name, { status, headers: upstreamRes.headers, body: upstreamRes.body }, clock);
    return finish({ kind: 'response', response, exchange: ex }, nowMs);
  }
}

function downAt(caseName: string): Set<HostName> {
  if (caseName.startsWith('proxy-failover')) return new Set(['web2']);
  if (caseName.startsWith('proxy-backup')) return new Set(['web2', 'web1']);
  if (caseName.startsWith('proxy-all-down')) return new Set(['web2', 'web1', 'sorry']);
  return new Set();
}

describe('requests replayed against the recordings of nginx 1.22.1', () => {
  for (const c of recorded.cases) {
    it(c.name, () => {
      const nowMs = parseHttpDate(c.response.headers.find(([n]) => n === 'Date')![1])!;
      const [addr, port] = c.listen.split(':') as [string, string];
      const host = c.server === 'proxy1-sorry' ? 'proxy1' : (c.server as HostName);
      const res = serve(
        host,
        {
          method: c.request.method,
          path: c.request.path,
          headers: c.request.headers,
          remoteAddr: '127.0.0.1',
          remotePort: c.clientPort,
          serverAddr: addr,
          serverPort: Number(port),
        },
        nowMs,
        downAt(c.name),
      );
      expect(res.statusLine).toBe(c.response.statusLine);
      expect(res.headers).toEqual(c.response.headers);
      expect(res.body).toBe(c.response.body);
    });
  }

  it('wrote the access log lines the real servers wrote (apart from the time)', () => {
    const untimed = (line: string): string => line.replace(/\[[^\]]+\]/, '[T]');
    for (const host of ['web1', 'web2', 'sorry', 'proxy1']) {
      const real = readFileSync(join(FIXTURES, 'logs', `${host}.access.log`), 'utf8').trimEnd().split('\n');
      const ours = logs.get(`${BASE}/${host}/logs/access.log`) ?? [];
      expect(ours.map(untimed)).toEqual(real.map(untimed));
    }
    // and the time itself in the lab's zone: the recording ran within one second
    const first = readFileSync(join(FIXTURES, 'logs', 'web1.access.log'), 'utf8').split('\n')[0]!;
    expect(logs.get(`${BASE}/web1/logs/access.log`)![0]!.match(/\[[^\]]+\]/)![0]).toBe(first.match(/\[[^\]]+\]/)![0]);
  });

  it('kept the peers disabled for fail_timeout', () => {
    expect(upstreams.primary.map((p) => [p.conf.name, p.fails])).toEqual([
      ['127.0.0.1:18080', 1],
      ['127.0.0.1:18081', 1],
    ]);
    expect(upstreams.backup[0]!.fails).toBe(1);
    expect(upstreams.primary[0]!.conf.failTimeout).toBe(10 * SECOND);
  });
});
