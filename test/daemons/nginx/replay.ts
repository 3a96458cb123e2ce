import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessLogLines } from '../../../src/daemons/nginx/access-log';
import { loadNginxConf } from '../../../src/daemons/nginx/conf-builder';
import type { NginxConf } from '../../../src/daemons/nginx/conf-model';
import type { HostFs, HttpRequest } from '../../../src/daemons/nginx/exchange';
import { handleRequest, respondWithError, type RequestOutcome } from '../../../src/daemons/nginx/handle-request';
import {
  countsAsPeerFailure,
  nextUpstream,
  noteFailedAttempt,
  noteNoLiveUpstreams,
  notePeerDisabled,
  proxiedResponse,
  type AttemptError,
  type UpstreamRequest,
  type UpstreamResponse,
} from '../../../src/daemons/nginx/proxy';
import { errorLogPrefix } from '../../../src/daemons/nginx/error-log';
import type { HttpResponse } from '../../../src/daemons/nginx/response';
import { UpstreamPeers } from '../../../src/daemons/nginx/upstream-round-robin';
import { BASE, FIXTURES, fixtureText, recordingEnv, siteFiles } from './fixtures';

/** A recorded exchange of responses.json / extras.json (see test/fixtures/nginx/record.py). */
export interface RecordedCase {
  name: string;
  server: string;
  listen: string;
  clientPort: number;
  request: { method: string; path: string; version?: 'HTTP/1.0' | 'HTTP/1.1'; headers: [string, string][] };
  response: { statusLine: string; headers: [string, string][]; body: string };
}

export function loadRecording(file: string): { cases: RecordedCase[]; upstreamRequests?: string[] } {
  return JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
}

export const TZ_MINUTES = 480;

function hostFs(host: string): HostFs {
  const files = siteFiles(host);
  return {
    stat: (root, uri) => {
      const f = files.get(`${root}${uri}`.replace(/\/$/, ''));
      if (f === undefined) return undefined;
      return f === 'dir' ? { kind: 'dir', size: 4096, mtimeMs: 0 } : { kind: 'file', size: f.data.length, mtimeMs: f.mtimeMs };
    },
    read: (root, uri) => {
      const f = files.get(root + uri);
      return f === undefined || f === 'dir' ? undefined : f.data;
    },
  };
}

export function loadHost(host: string): NginxConf {
  const confPath = `${BASE}/${host}/conf/nginx.conf`;
  const r = loadNginxConf({ confPath, prefix: `${BASE}/${host}/` }, recordingEnv(confPath, fixtureText(`conf/${host}.conf`)));
  if (!r.ok) throw r.error;
  return r.conf;
}

/** How a port that runs no simulated nginx behaves. */
export type PortBehaviour = 'refused' | 'timeout' | ((req: UpstreamRequest) => UpstreamResponse);

/**
 * The recorded machines in one process: every nginx of the recording with its files, one UpstreamPeers per
 * upstream block (one worker), and the proxy loop that the TCP glue runs (select, connect, report, next).
 */
export class ReplayWorld {
  private readonly hosts = new Map<number, { name: string; conf: NginxConf; fs: HostFs }>();
  private readonly peers = new Map<string, UpstreamPeers>();
  readonly logs = new Map<string, string[]>();
  readonly stopped = new Set<string>();
  readonly ports = new Map<number, PortBehaviour>();
  private upstreamLocalPort = 40000;

  constructor(names: readonly string[]) {
    for (const name of names) {
      const conf = loadHost(name);
      for (const server of conf.http!.servers) for (const l of server.listens) this.hosts.set(l.port, { name, conf, fs: hostFs(name) });
    }
  }

  upstream(host: string, name: string): UpstreamPeers {
    const key = `${host}/${name}`;
    let p = this.peers.get(key);
    if (!p) {
      const conf = [...this.hosts.values()].find((h) => h.name === host)!.conf;
      p = new UpstreamPeers(conf.http!.upstreams.get(name)!);
      this.peers.set(key, p);
    }
    return p;
  }

  private finish(outcome: RequestOutcome, nowMs: number): HttpResponse {
    if (outcome.kind !== 'response') throw new Error(`expected a response, got ${outcome.kind}`);
    for (const { path, line } of accessLogLines(outcome.exchange, outcome.response, { nowMs, tzOffsetMinutes: TZ_MINUTES })) {
      this.logs.set(path, [...(this.logs.get(path) ?? []), line]);
    }
    const errorLog = outcome.exchange.conf.errorLog;
    for (const e of outcome.exchange.errors) {
      if (e.level !== 'error') continue; // error_log's default level
      const line = errorLogPrefix(nowMs, TZ_MINUTES, e.level, 1, 1) + e.text;
      this.logs.set(errorLog, [...(this.logs.get(errorLog) ?? []), line]);
    }
    return outcome.response;
  }

  private behaviour(port: number): PortBehaviour | { name: string } {
    const host = this.hosts.get(port);
    if (host && !this.stopped.has(host.name)) return host;
    return this.ports.get(port) ?? 'refused';
  }

  serve(req: HttpRequest, nowMs: number): HttpResponse {
    const host = this.hosts.get(req.serverPort)!;
    const clock = { nowMs, tzOffsetMinutes: TZ_MINUTES };
    const outcome = handleRequest(host.conf, req, host.fs, clock);
    if (outcome.kind !== 'proxy') return this.finish(outcome, nowMs);
    const ex = outcome.exchange;
    const attempt = this.upstream(host.name, outcome.upstream.name).begin();
    let attempts = 0;
    for (;;) {
      const peer = attempt.select(nowMs * 1000);
      if (!peer) {
        noteNoLiveUpstreams(ex, outcome.upstream.name);
        return this.finish(respondWithError(ex, 502, host.fs, clock), nowMs);
      }
      attempts++;
      const target = this.behaviour(peer.conf.port);
      let answer: UpstreamResponse | AttemptError;
      if (target === 'refused') answer = 'refused';
      else if (target === 'timeout') answer = 'read-timeout';
      else if (typeof target === 'function') answer = target(outcome.request);
      else {
        const res = this.serve(
          {
            method: outcome.request.method,
            path: outcome.request.target,
            version: outcome.request.version,
            headers: outcome.request.headers,
            remoteAddr: '127.0.0.1',
            remotePort: this.upstreamLocalPort++,
            serverAddr: peer.conf.addr,
            serverPort: peer.conf.port,
            connectionRequests: 1,
            connectionStartMs: nowMs,
          },
          nowMs,
        );
        answer = { status: res.status, headers: res.headers, body: res.body };
      }
      if (typeof answer === 'string') {
        const failure = noteFailedAttempt(ex, peer.conf.name, answer);
        if (!countsAsPeerFailure(failure)) attempt.reportNext();
        else if (attempt.reportFailure(peer, nowMs * 1000)) notePeerDisabled(ex, peer.conf.name);
        const decision = nextUpstream(ex, failure, attempt.tries, attempts, answer === 'read-timeout');
        if (decision.next) continue;
        return this.finish(respondWithError(ex, decision.status, host.fs, clock), nowMs);
      }
      attempt.reportSuccess(peer);
      return this.finish({ kind: 'response', response: proxiedResponse(ex, peer.conf.name, answer, clock), exchange: ex }, nowMs);
    }
  }
}

/** The request of a recorded case, the first on the connection it was made on (opened at `nowMs`). */
export function recordedRequest(c: RecordedCase, nowMs: number): HttpRequest {
  const [addr, port] = c.listen.split(':') as [string, string];
  return {
    method: c.request.method,
    path: c.request.path,
    ...(c.request.version ? { version: c.request.version } : {}),
    headers: c.request.headers,
    remoteAddr: '127.0.0.1',
    remotePort: c.clientPort,
    serverAddr: addr,
    serverPort: Number(port),
    connectionRequests: 1,
    connectionStartMs: nowMs,
  };
}
