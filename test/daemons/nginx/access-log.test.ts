import { describe, it, expect } from 'vitest';
import { AccessLogWriter, formatLogLine } from '../../../src/daemons/nginx/access-log';
import { loadNginxConf } from '../../../src/daemons/nginx/conf-builder';
import type { HostFs } from '../../../src/daemons/nginx/exchange';
import { handleRequest } from '../../../src/daemons/nginx/handle-request';
import { compileValue } from '../../../src/daemons/nginx/value';
import { AppendFile } from '../../../src/host/append-file';
import { recordingEnv } from './fixtures';

const CONF = '/etc/nginx/nginx.conf';
const r = loadNginxConf({ confPath: CONF, prefix: '/usr/share/nginx/' }, recordingEnv(CONF, 'events {}\nhttp {\nserver { listen 80; location / { return 200 ok; } }\n}\n'));
if (!r.ok) throw r.error;
const conf = r.conf;
const noFiles: HostFs = { stat: () => undefined, read: () => undefined };

function served(path: string, agent: string, nowMs: number) {
  const clock = { nowMs, tzOffsetMinutes: 0 };
  const o = handleRequest(
    conf,
    { method: 'GET', path, headers: [['User-Agent', agent]], remoteAddr: '10.0.0.9', remotePort: 5000, serverAddr: '10.0.0.1', serverPort: 80, connectionRequests: 1, connectionStartMs: nowMs },
    noFiles,
    clock,
  );
  if (o.kind !== 'response') throw new Error(o.kind);
  return { ex: o.exchange, response: o.response, clock };
}

const text = (d: Uint8Array): string => Buffer.from(d).toString('latin1');

describe('AccessLogWriter', () => {
  it('writes what formatLogLine makes, line after line, whether a line repeats the one before or not', () => {
    const main = compileValue('$remote_addr [$time_local] "$request" $status "$http_user_agent"');
    const short = compileValue('$status $request_uri');
    const file = new AppendFile(new Uint8Array(0), 0o644, () => 0);
    const writer = new AccessLogWriter();
    const want: string[] = [];
    const steps: [typeof main, string, string, number, string?][] = [
      [main, '/', 'curl', 1669308430_000],
      [main, '/', 'curl', 1669308430_500],
      [main, '/', 'curl', 1669308430_900],
      [main, '/', 'curl', 1669308431_000], // the next second
      [main, '/', 'curl', 1669308431_000, 'an error line between'],
      [main, '/', 'curl', 1669308431_000],
      [short, '/', 'curl', 1669308431_000],
      [main, '/', 'wget', 1669308431_000],
      [main, '/', 'wget', 1669308431_000],
      [main, '/', '"q"', 1669308431_000],
      [main, '/', '"q"', 1669308431_000],
    ];
    for (const [format, path, agent, nowMs, other] of steps) {
      if (other !== undefined) {
        file.appendLine(other);
        want.push(other);
      }
      const { ex, response, clock } = served(path, agent, nowMs);
      writer.write(file, format, ex, response, clock);
      want.push(formatLogLine(format, ex, response, clock));
    }
    expect(text(file.data)).toBe(want.map((l) => `${l}\n`).join(''));
    expect(file.lineCount).toBe(want.length);
    expect(want[10]).toContain('"\\x22q\\x22"');
  });
});
