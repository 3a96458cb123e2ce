import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNginxConf, nginxTestOutput } from '../../../src/daemons/nginx/conf-builder';
import { parseNginxTime } from '../../../src/daemons/nginx/directive-args';
import { SECOND } from '../../../src/sim/time';
import { BASE, FIXTURES, fixtureText, recordingEnv } from './fixtures';

const PREFIX = `${BASE}/conftest`;
const CONF = `${PREFIX}/conf/nginx.conf`;

describe('nginx -t against the real nginx 1.22.1', () => {
  const cases = readdirSync(join(FIXTURES, 'conftest')).filter((f) => f.endsWith('.conf'));
  it.each(cases)('%s', (file) => {
    const text = fixtureText(`conftest/${file}`);
    const expected = readFileSync(join(FIXTURES, 'conftest', file.replace(/\.conf$/, '.out')), 'latin1');
    const result = loadNginxConf({ confPath: CONF, prefix: `${PREFIX}/` }, recordingEnv(CONF, text));
    const out = nginxTestOutput(result, CONF);
    expect(`${out.stderr}exit ${out.exitCode}\n`.replaceAll(PREFIX, 'PREFIX')).toBe(expected);
  });
});

describe('model of the seed proxy', () => {
  const conf = `${BASE}/proxy1/conf/nginx.conf`;
  const result = loadNginxConf({ confPath: conf, prefix: `${BASE}/proxy1/` }, recordingEnv(conf, fixtureText('conf/proxy1.conf')));
  if (!result.ok) throw result.error;
  const http = result.conf.http!;

  it('has the upstream with its backup and defaults', () => {
    const ups = http.upstreams.get('static')!;
    expect(ups.implicit).toBe(false);
    expect(ups.servers.map((s) => [s.name, s.addr, s.port, s.weight, s.maxFails, s.failTimeout, s.backup])).toEqual([
      ['127.0.0.1:18080', '127.0.0.1', 18080, 1, 1, 10 * SECOND, false],
      ['127.0.0.1:18081', '127.0.0.1', 18081, 1, 1, 10 * SECOND, false],
      ['127.0.0.1:18083', '127.0.0.1', 18083, 1, 1, 10 * SECOND, true],
    ]);
  });

  it('has both servers, their locations and inherited settings', () => {
    const [main, sorry] = http.servers;
    expect(main!.listens).toEqual([{ addr: '127.0.0.1', port: 18090, defaultServer: false }]);
    expect(main!.locations.map((l) => `${l.modifier} ${l.name}`)).toEqual([
      '~ \\.(gif|jpg|jpeg|png|bmp|swf)$',
      '~ \\.(js|css)$',
      ' /',
      '= /50x.html',
    ]);
    expect(main!.locations[0]!.settings.expires).toEqual({ kind: 'access', seconds: 30 * 86400 });
    expect(main!.locations[0]!.settings.root).toBe(`${BASE}/proxy1/html`);
    expect(main!.locations[2]!.proxyPass).toEqual({ upstream: 'static', proxyHost: 'static' });
    expect(main!.locations[3]!.settings.errorPages.get(502)).toBeDefined();
    expect(main!.settings.keepaliveTimeout).toBe(5 * SECOND);
    expect(main!.settings.types.get('png')).toBe('image/png');
    expect(main!.settings.accessLogs).toEqual([{ path: `${BASE}/proxy1/logs/access.log`, format: 'main' }]);
    expect(sorry!.serverNames).toEqual(['sorry']);
    expect(sorry!.locations[0]!.rewrites).toHaveLength(1);
    expect(result.conf.unsupported).toEqual([]);
    expect(result.conf.workerProcesses).toBe(1);
  });

  it('makes an implicit upstream for proxy_pass to an address', () => {
    const text = 'events {}\nhttp { server { location / { proxy_pass http://10.0.0.1:8080/app/; } } }\n';
    const r = loadNginxConf({ confPath: conf, prefix: '/p/' }, recordingEnv(conf, text));
    if (!r.ok) throw r.error;
    expect(r.conf.http!.upstreams.get('10.0.0.1:8080')).toMatchObject({ implicit: true, servers: [{ addr: '10.0.0.1', port: 8080 }] });
    expect(r.conf.http!.servers[0]!.locations[0]!.proxyPass).toEqual({ upstream: '10.0.0.1:8080', proxyHost: '10.0.0.1:8080', uri: '/app/' });
  });

  it('reports directives it accepts but does not simulate', () => {
    const text = 'events {}\nhttp { charset utf-8; server { location / { if ($x) { return 404; } } } }\n';
    const r = loadNginxConf({ confPath: conf, prefix: '/p/' }, recordingEnv(conf, text));
    if (!r.ok) throw r.error;
    expect(r.conf.unsupported.map((d) => `${d.name}:${d.line}`)).toEqual(['charset:2', 'if:2']);
    expect(r.conf.http!.servers[0]!.locations[0]!.rewrites).toEqual([]);
  });

  it('follows includes with globs relative to the conf directory', () => {
    const text = 'events {}\nhttp { include conf.d/*.conf; }\n';
    const env = recordingEnv(conf, text, {
      [`${BASE}/proxy1/conf/conf.d/b.conf`]: 'server { listen 81; }\n',
      [`${BASE}/proxy1/conf/conf.d/a.conf`]: 'server { listen 80; }\n',
    });
    const r = loadNginxConf({ confPath: conf, prefix: '/p/' }, env);
    if (!r.ok) throw r.error;
    expect(r.conf.http!.servers.map((s) => s.listens[0]!.port)).toEqual([80, 81]);
    const bad = recordingEnv(conf, text, { [`${BASE}/proxy1/conf/conf.d/a.conf`]: 'server { lisen 80; }\n' });
    const rb = loadNginxConf({ confPath: conf, prefix: '/p/' }, bad);
    expect(rb.ok ? '' : rb.error.message).toBe(`unknown directive "lisen" in ${BASE}/proxy1/conf/conf.d/a.conf:1`);
  });

  it('reads quotes and escapes like nginx', () => {
    const text = `events {}\nhttp { server { add_header X-A "a\\"b" always; add_header X-B 'c d\\t'; add_header X-C e\\;f; } }\n`;
    const r = loadNginxConf({ confPath: conf, prefix: '/p/' }, recordingEnv(conf, text));
    if (!r.ok) throw r.error;
    expect(r.conf.http!.servers[0]!.settings.addHeaders.map((h) => [h.name, h.value.join(''), h.always])).toEqual([
      ['X-A', 'a"b', true],
      ['X-B', 'c d\t', false],
      ['X-C', 'e\\;f', false], // nginx keeps the backslash before any other char
    ]);
  });

  it('parses nginx time values', () => {
    expect(parseNginxTime('30d')).toBe(30 * 86400 * SECOND);
    expect(parseNginxTime('1h30m')).toBe(5400 * SECOND);
    expect(parseNginxTime('75')).toBe(75 * SECOND);
    expect(parseNginxTime('500ms')).toBe(500_000);
    expect(parseNginxTime('30q')).toBeUndefined();
  });
});
