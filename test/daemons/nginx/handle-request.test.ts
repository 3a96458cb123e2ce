import { describe, expect, it } from 'vitest';
import { formatLogLine } from '../../../src/daemons/nginx/access-log';
import { loadNginxConf } from '../../../src/daemons/nginx/conf-builder';
import type { NginxConf } from '../../../src/daemons/nginx/conf-model';
import type { HostFs, HttpRequest } from '../../../src/daemons/nginx/exchange';
import { handleRequest, normalizeUri, type RequestOutcome } from '../../../src/daemons/nginx/handle-request';
import { listenSockets } from '../../../src/daemons/nginx/listen-sockets';
import { findLocation } from '../../../src/daemons/nginx/location-match';
import { giveUpStatus, nextUpstream, proxiedResponse, responseFailure } from '../../../src/daemons/nginx/proxy';
import { serializeResponse } from '../../../src/daemons/nginx/response';
import { findServer } from '../../../src/daemons/nginx/server-select';
import { specialResponseBody, statusLine } from '../../../src/daemons/nginx/special-response';
import { compileValue } from '../../../src/daemons/nginx/value';
import { recordingEnv } from './fixtures';

const CONF = '/etc/nginx/nginx.conf';
function conf(http: string): NginxConf {
  const r = loadNginxConf({ confPath: CONF, prefix: '/usr/share/nginx/' }, recordingEnv(CONF, `events {}\nhttp {\n${http}\n}\n`));
  if (!r.ok) throw r.error;
  return r.conf;
}
const noFiles: HostFs = { stat: () => undefined, read: () => undefined };
const clock = { nowMs: 1669308430_000, tzOffsetMinutes: 480 };
function get(c: NginxConf, path: string, extra: Partial<HttpRequest> = {}): RequestOutcome {
  return handleRequest(
    c,
    { method: 'GET', path, headers: [['Host', 'example.org']], remoteAddr: '10.0.0.9', remotePort: 5000, serverAddr: '10.0.0.1', serverPort: 80, connectionRequests: 1, connectionStartMs: clock.nowMs, ...extra },
    noFiles,
    clock,
  );
}
const body = (o: RequestOutcome): string => (o.kind === 'response' ? o.response.body : `<${o.kind}>`);

describe('location choice', () => {
  const c = conf(`server {
    location = /exact { return 200 exact; }
    location ^~ /img/ { return 200 img; }
    location ~* \\.(png|jpg)$ { return 200 png; }
    location /images/ { return 200 images; }
    location ~ ^/images/ { return 200 images-regex; }
    location /outer/ {
      location /outer/inner/ { return 200 inner; }
      location ~ \\.txt$ { return 200 outer-txt; }
      return 200 outer;
    }
    location / { return 200 root; }
  }`);
  it.each([
    ['/exact', 'exact'],
    ['/exact/', 'root'],
    ['/img/a.png', 'img'],
    ['/x/a.PNG', 'png'],
    ['/images/a', 'images-regex'],
    ['/images/a.png', 'png'],
    ['/outer/x', 'outer'],
    ['/outer/inner/x', 'inner'],
    ['/outer/inner/x.txt', 'outer-txt'],
    ['/other', 'root'],
  ])('%s → %s', (path, expected) => {
    expect(body(get(c, path))).toBe(expected);
  });

  it('keeps regex captures for $1', () => {
    const server = c.http!.servers[0]!;
    expect(findLocation(server, '/a/b.jpg').captures).toEqual(['jpg']);
    expect(findLocation(server, '/exact').captures).toEqual([]);
  });

  it('answers a URI asked again as the first time, per server (the answers are remembered)', () => {
    const other = conf('server { location ~ ^/a/(.*)$ { return 200 other; } location / { return 200 root; } }').http!.servers[0]!;
    const server = c.http!.servers[0]!;
    for (let i = 0; i < 3; i++) {
      expect(findLocation(server, '/a/b.jpg').location?.name).toBe('\\.(png|jpg)$');
      expect(findLocation(server, '/a/b.jpg').captures).toEqual(['jpg']);
      expect(findLocation(other, '/a/b.jpg').captures).toEqual(['b.jpg']);
      expect(findLocation(server, '/outer/inner/x').location?.name).toBe('/outer/inner/');
    }
    // more URIs than are remembered: the earlier ones are searched again, with the same answers
    for (let i = 0; i < 1100; i++) expect(findLocation(other, `/a/${i}`).captures).toEqual([`${i}`]);
    expect(findLocation(server, '/x/a.PNG').captures).toEqual(['PNG']);
  });
});

describe('virtual servers', () => {
  const c = conf(`
    server { listen 80; server_name example.org www.example.org; return 200 a; }
    server { listen 80 default_server; server_name *.example.com; return 200 b; }
    server { listen 80; server_name www.*; return 200 c; }
    server { listen 80; server_name ~^api\\d+\\.net$; return 200 d; }
    server { listen 10.0.0.2:80; return 200 e; }`);
  it.each([
    ['example.org', 'a'],
    ['WWW.Example.Org', 'a'],
    ['x.example.com', 'b'],
    ['www.other.net', 'c'],
    ['api7.net', 'd'],
    ['unknown', 'b'],
  ])('Host %s → %s', (host, expected) => {
    expect(body(get(c, '/', { headers: [['Host', `${host}:80`]] }))).toBe(expected);
  });
  it('sends connections to a specific address only to its servers', () => {
    expect(body(get(c, '/', { serverAddr: '10.0.0.2', headers: [['Host', 'example.org']] }))).toBe('e');
    expect(findServer(c.http!, '10.0.0.3', 81, 'x')).toBeUndefined();
    expect(listenSockets(c)).toEqual([{ addr: '*', port: 80 }]);
  });
});

describe('rewrite and return', () => {
  const c = conf(`server {
    rewrite ^/old/(.*)$ /new/$1;
    location /new/ { return 200 "new $uri $args"; }
    location /r { rewrite ^ /x?a=1 redirect; }
    location /q { rewrite ^ /x?a=1? redirect; }
    location /gone { return 444; }
    location /ext { return https://example.net/; }
  }`);
  it('applies server-level rewrites before the location search', () => {
    expect(body(get(c, '/old/a?z=2'))).toBe('new /new/a z=2');
  });
  it('redirects with the replacement arguments, then the request ones', () => {
    const o = get(c, '/r?b=2');
    expect(o.kind === 'response' && o.response.headers.find(([n]) => n === 'Location')).toEqual(['Location', 'http://example.org/x?a=1&b=2']);
    const q = get(c, '/q?b=2');
    expect(q.kind === 'response' && q.response.statusLine).toBe('HTTP/1.1 302 Moved Temporarily');
  });
  it('redirects to the local address when there is no Host header', () => {
    const o = get(c, '/r', { headers: [], version: 'HTTP/1.0' });
    expect(o.kind === 'response' && o.response.headers.find(([n]) => n === 'Location')?.[1]).toBe('http://10.0.0.1/x?a=1');
  });
  it('closes the connection for 444 and redirects for a URL', () => {
    expect(get(c, '/gone').kind).toBe('close');
    const o = get(c, '/ext');
    expect(o.kind === 'response' && [o.response.status, o.response.headers.find(([n]) => n === 'Location')?.[1]]).toEqual([302, 'https://example.net/']);
  });
});

describe('built-in pages', () => {
  it('have the sizes of nginx 1.22.1', () => {
    const size = (code: number, tokens = true): number => specialResponseBody(code, tokens)!.length;
    expect([size(404), size(404, false), size(403), size(502), size(504), size(500), size(503), size(301)]).toEqual([
      153, 146, 153, 157, 167, 177, 197, 169,
    ]);
    expect(specialResponseBody(302, true)).toContain('<title>302 Found</title>');
    expect(statusLine(302)).toBe('HTTP/1.1 302 Moved Temporarily');
    expect(specialResponseBody(418, true)).toBeUndefined();
  });
});

describe('proxy decisions', () => {
  it('maps the last failure to the status nginx gives up with', () => {
    expect(['error', 'timeout', 'invalid_header', 'http_500', 'http_503', 'http_404'].map((f) => giveUpStatus(f as never))).toEqual([
      502, 504, 502, 500, 503, 404,
    ]);
  });
  it('retries only listed failures, while tries remain, and not a sent POST', () => {
    const c = conf(`upstream u { server 10.0.0.5; server 10.0.0.6; }
      server { location / { proxy_pass http://u; } location /t { proxy_pass http://u; proxy_next_upstream error timeout http_503; proxy_next_upstream_tries 2; } }`);
    const o = get(c, '/');
    if (o.kind !== 'proxy') throw new Error(o.kind);
    expect(o.request.text).toBe('GET / HTTP/1.0\r\nHost: u\r\nConnection: close\r\nHost: example.org\r\n\r\n'.replace('Host: example.org\r\n', ''));
    expect(nextUpstream(o.exchange, 'error', 1, 1, false)).toEqual({ next: true });
    expect(nextUpstream(o.exchange, 'error', 0, 1, false)).toEqual({ next: false, status: 502 });
    expect(nextUpstream(o.exchange, 'http_503', 1, 1, true)).toEqual({ next: false, status: 503 });
    const post = get(c, '/', { method: 'POST' });
    if (post.kind !== 'proxy') throw new Error(post.kind);
    expect(nextUpstream(post.exchange, 'timeout', 1, 1, true)).toEqual({ next: false, status: 504 });
    expect(nextUpstream(post.exchange, 'error', 1, 1, false)).toEqual({ next: true });
    const t = get(c, '/t');
    if (t.kind !== 'proxy') throw new Error(t.kind);
    expect(nextUpstream(t.exchange, 'http_503', 1, 1, true)).toEqual({ next: true });
    expect(nextUpstream(t.exchange, 'http_503', 1, 2, true)).toEqual({ next: false, status: 503 });
  });
});

describe('small pieces', () => {
  it('normalises URIs like nginx', () => {
    expect(normalizeUri('/a/./b//c/../d%20e.html')).toBe('/a/b/d e.html');
    expect(normalizeUri('/a/..')).toBe('/');
    expect(normalizeUri('/..')).toBeUndefined();
  });
  it('compiles values with variables', () => {
    expect(compileValue('WEB1-$server_addr:${server_port}x$1')).toEqual(['WEB1-', { variable: 'server_addr' }, ':', { variable: 'server_port' }, 'x', { variable: '1' }]);
    expect(compileValue('cost $ 5')).toEqual(['cost $ 5']);
  });
  it('writes - for empty variables and escapes like escape=default', () => {
    const c = conf('server { location / { return 200 x; } }');
    const o = get(c, '/', { headers: [['Host', 'h'], ['User-Agent', 'a"b\\c\x01é']] });
    if (o.kind !== 'response') throw new Error(o.kind);
    const line = formatLogLine(compileValue('$remote_user "$http_user_agent" $status $body_bytes_sent $http_referer'), o.exchange, o.response, clock);
    expect(line).toBe('- "a\\x22b\\x5Cc\\x01\\xE9" 200 1 -');
  });
});

describe('proxying a body and a response', () => {
  const c = conf('upstream u { server 10.0.0.5; server 10.0.0.6; } server { location / { proxy_pass http://u; proxy_next_upstream error http_502; } }');

  it('passes the body with its own Content-Length', () => {
    const o = get(c, '/form', { method: 'POST', headers: [['Host', 'h'], ['Content-Length', '3'], ['Content-Type', 'x/y']], body: 'a=b' });
    if (o.kind !== 'proxy') throw new Error(o.kind);
    expect(o.request.text).toBe('POST /form HTTP/1.0\r\nHost: u\r\nConnection: close\r\nContent-Length: 3\r\nContent-Type: x/y\r\n\r\na=b');
  });

  it('treats a listed upstream status as a failure and others as the answer', () => {
    const o = get(c, '/');
    if (o.kind !== 'proxy') throw new Error(o.kind);
    expect(responseFailure(o.exchange.settings, 502)).toBe('http_502');
    expect(responseFailure(o.exchange.settings, 503)).toBeUndefined();
  });

  it('writes the response bytes', () => {
    const o = get(c, '/');
    if (o.kind !== 'proxy') throw new Error(o.kind);
    const res = proxiedResponse(o.exchange, '10.0.0.5:80', { status: 404, headers: [['Server', 'x'], ['Content-Length', '2'], ['X-A', 'b']], body: 'no' }, clock);
    expect(serializeResponse(res)).toBe(
      'HTTP/1.1 404 Not Found\r\nServer: nginx/1.22.1\r\nDate: Thu, 24 Nov 2022 16:47:10 GMT\r\nContent-Length: 2\r\nConnection: keep-alive\r\nX-A: b\r\n\r\nno',
    );
  });

  it("takes the upstream's first Content-Type and Content-Length, passes its other fields but the hidden ones", () => {
    for (let round = 0; round < 2; round++) {
      const o = get(c, '/');
      if (o.kind !== 'proxy') throw new Error(o.kind);
      const headers: [string, string][] = [
        ['content-TYPE', 'a/b'],
        ['X-Pad', 'p'],
        ['Content-Length', '2'],
        ['Content-Type', 'c/d'],
        ['content-length', '9'],
        ['ETag', '"e"'],
        ['x-accel-buffering', 'no'],
        ['Keep-Alive', 'timeout=5'],
        ['X-B', 'b'],
      ];
      const res = proxiedResponse(o.exchange, '10.0.0.5:80', { status: 200, headers, body: 'ok' }, clock);
      expect(res.headers.slice(2)).toEqual([['Content-Type', 'a/b'], ['Content-Length', '2'], ['Connection', 'keep-alive'], ['ETag', '"e"'], ['X-B', 'b']]);
    }
  });
});

describe('keep-alive limits (ngx_http_update_location_config)', () => {
  const connection = (o: RequestOutcome): string | undefined =>
    o.kind === 'response' ? o.response.headers.find(([n]) => n === 'Connection')?.[1] : undefined;
  const c = (extra: string) => conf(`${extra}\nserver { listen 80; location / { return 200 "ok"; } }`);

  it('keepalive_requests (default 1000): the 1000th request on a connection is answered with Connection: close', () => {
    const d = c('');
    expect(connection(get(d, '/', { connectionRequests: 999 }))).toBe('keep-alive');
    expect(connection(get(d, '/', { connectionRequests: 1000 }))).toBe('close');
    const two = c('keepalive_requests 2;');
    expect(connection(get(two, '/', { connectionRequests: 1 }))).toBe('keep-alive');
    expect(connection(get(two, '/', { connectionRequests: 2 }))).toBe('close');
  });

  it('keepalive_time (default 1h): a connection older than that is closed after the request', () => {
    expect(connection(get(c(''), '/', { connectionStartMs: clock.nowMs - 3_600_000 }))).toBe('keep-alive');
    expect(connection(get(c(''), '/', { connectionStartMs: clock.nowMs - 3_600_001 }))).toBe('close');
    expect(connection(get(c('keepalive_time 10s;'), '/', { connectionStartMs: clock.nowMs - 10_001 }))).toBe('close');
  });

  it("the client's Connection field decides, without case: HTTP/1.1 keeps unless close, HTTP/1.0 only with keep-alive", () => {
    const d = c('');
    const asking = (version: 'HTTP/1.0' | 'HTTP/1.1', value?: string) =>
      connection(get(d, '/', { version, headers: value === undefined ? [] : [['connection', value]] }));
    expect([asking('HTTP/1.1'), asking('HTTP/1.1', 'CLOSE'), asking('HTTP/1.1', 'Keep-Alive'), asking('HTTP/1.1', 'close2')]).toEqual(['keep-alive', 'close', 'keep-alive', 'keep-alive']);
    expect([asking('HTTP/1.0'), asking('HTTP/1.0', 'Keep-ALIVE'), asking('HTTP/1.0', 'close'), asking('HTTP/1.0', 'keep-alive\xe9')]).toEqual(['close', 'keep-alive', 'close', 'close']);
  });

  it('keepalive_requests takes a number', () => {
    const r = loadNginxConf({ confPath: CONF, prefix: '/usr/share/nginx/' }, recordingEnv(CONF, 'events {}\nhttp {\nkeepalive_requests many;\n}\n'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('"keepalive_requests" directive invalid number');
  });
});
