import { describe, it, expect } from 'vitest';
import { loadNginxConf } from '../../../src/daemons/nginx/conf-builder';
import { handleRequest } from '../../../src/daemons/nginx/handle-request';
import type { HostFs } from '../../../src/daemons/nginx/exchange';
import { compileValue } from '../../../src/daemons/nginx/value';
import { evaluateVars } from '../../../src/daemons/nginx/variables';
import { recordingEnv } from './fixtures';

const CONF = '/etc/nginx/nginx.conf';
const r = loadNginxConf({ confPath: CONF, prefix: '/usr/share/nginx/' }, recordingEnv(CONF, 'events {}\nhttp {\nserver { listen 80; location / { return 200 ok; } }\n}\n'));
if (!r.ok) throw r.error;
const conf = r.conf;
const noFiles: HostFs = { stat: () => undefined, read: () => undefined };
const clock = { nowMs: 1669308430_000, tzOffsetMinutes: 0 };

function exchange(remotePort: number, agent?: string) {
  const o = handleRequest(
    conf,
    {
      method: 'GET',
      path: '/',
      headers: agent === undefined ? [] : [['User-Agent', agent]],
      remoteAddr: '10.0.0.9',
      remotePort,
      serverAddr: '10.0.0.1',
      serverPort: 80,
      connectionRequests: 1,
      connectionStartMs: clock.nowMs,
    },
    noFiles,
    clock,
  );
  return o.exchange;
}

describe('evaluateVars', () => {
  it('gives what the variables read each time, whether or not they read as the time before', () => {
    const value = compileValue('A-$server_addr:$remote_port [$http_user_agent]');
    const seen = [
      [1, 'x'],
      [1, 'x'],
      [2, 'x'],
      [2, undefined],
      [2, ''],
      [2, 'x'],
    ].map(([port, agent]) => evaluateVars(value, exchange(port as number, agent as string | undefined), clock));
    expect(seen).toEqual(['A-10.0.0.1:1 [x]', 'A-10.0.0.1:1 [x]', 'A-10.0.0.1:2 [x]', 'A-10.0.0.1:2 []', 'A-10.0.0.1:2 []', 'A-10.0.0.1:2 [x]']);
    expect(evaluateVars(compileValue('plain'), exchange(1), clock)).toBe('plain');
  });
});
