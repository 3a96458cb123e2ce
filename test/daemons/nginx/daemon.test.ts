import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registerClientCommands } from '../../../src/daemons/client';
import { nginxService } from '../../../src/daemons/nginx/service';
import type { Host } from '../../../src/host/host';
import { MS, SECOND } from '../../../src/sim/time';
import type { TraceRecord } from '../../../src/sim/trace';
import { world } from '../../host/helpers';

const SCEN = 'scenarios/proxy-ha';
const scenarioFile = (rel: string): string => readFileSync(`${SCEN}/${rel}`, 'utf8');
const CONF = '/usr/local/nginx/conf/nginx.conf';

/** A client on ext, the proxy on ext+int, web1 and web2 on int, each nginx host with the seed's files. */
function lab() {
  const w = world();
  const client = w.host('client', { eth0: { lan: 'ext', ip: '172.16.23.1/24' } });
  const proxy = w.host('proxy1', { eth0: { lan: 'ext', ip: '172.16.23.100/24' }, eth1: { lan: 'int', ip: '192.168.23.100/24' } });
  const web1 = w.host('web1', { eth0: { lan: 'int', ip: '192.168.23.80/24' } });
  const web2 = w.host('web2', { eth0: { lan: 'int', ip: '192.168.23.81/24' } });
  registerClientCommands(client);
  for (const h of [proxy, web1, web2]) h.services.define(nginxService(h));
  proxy.vfs.write(CONF, scenarioFile('proxy1/nginx.conf'));
  proxy.vfs.write('/usr/local/nginx/html/maintenance.html', scenarioFile('proxy1/maintenance.html'));
  for (const [h, name] of [[web1, 'web1'], [web2, 'web2']] as const) {
    h.vfs.write(CONF, scenarioFile(`${name}/nginx.conf`));
    h.vfs.write('/web/nginx/static/index.html', scenarioFile(`${name}/index.html`));
  }
  /** Runs a command line and lets `after` of simulated time pass. */
  const sh = (h: Host, line: string, after = 100 * MS) => {
    const r = w.run(h, line);
    w.sim.runUntil(w.sim.now + after);
    return r()!;
  };
  const curl = (url: string, after = 100 * MS) => sh(client, `curl -si ${url}`, after);
  const records = <K extends TraceRecord['kind']>(kind: K) => w.mem.records.filter((r): r is TraceRecord<K> => r.kind === kind);
  return { ...w, client, proxy, web1, web2, sh, curl, records };
}

const header = (response: string, name: string): string | undefined =>
  new RegExp(`^${name}: (.*)\\r$`, 'mi').exec(response)?.[1];

describe('nginx daemon: start, test, signals', () => {
  it('nginx -t prints exactly what nginx 1.22.1 prints, with its exit status', () => {
    const l = lab();
    expect(l.sh(l.web1, 'nginx -t')).toEqual({
      code: 0,
      stdout: '',
      stderr: `nginx: the configuration file ${CONF} syntax is ok\nnginx: configuration file ${CONF} test is successful\n`,
    });
    // The text as published: typographic quotes; nginx prints the byte 0xE2 raw.
    l.web1.vfs.write(CONF, readFileSync('test/fixtures/nginx/conf/web1.published.conf'));
    expect(l.sh(l.web1, 'nginx -t')).toEqual({
      code: 1,
      stdout: '',
      stderr: `nginx: [emerg] unexpected "\u00e2" in ${CONF}:14\nnginx: configuration file ${CONF} test failed\n`,
    });
    // …and as root on a machine without the user nginx, getpwnam fails first (line 1).
    l.web1.vfs.write('/etc/passwd', 'root:x:0:0:root:/root:/bin/bash\n');
    expect(l.sh(l.web1, 'nginx -t -q').stderr).toBe(`nginx: [emerg] getpwnam("nginx") failed in ${CONF}:1\nnginx: configuration file ${CONF} test failed\n`);
  });

  it('a configuration nginx refuses: service nginx start fails with the message, nothing runs', () => {
    const l = lab();
    l.web1.vfs.write(CONF, 'events {}\nhttp { server { listen 80 } }\n');
    const r = l.sh(l.web1, 'service nginx start');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`nginx: [emerg] unexpected "}" in ${CONF}:2\n`);
    expect(l.web1.processes.byName('nginx')).toEqual([]);
    // before reading its configuration nginx logs to its compiled-in error log
    expect(l.web1.vfs.readText('/usr/local/nginx/logs/error.log')).toMatch(
      /^2022\/11\/25 00:00:00 \[emerg\] \d+#\d+: unexpected "\}" in \/usr\/local\/nginx\/conf\/nginx\.conf:2\n$/,
    );
    expect(l.sh(l.web1, 'nginx').code).toBe(1);
  });

  it('serves the static page with the seed headers and writes the access log line (file and trace)', () => {
    const l = lab();
    expect(l.sh(l.web1, 'service nginx start').code).toBe(0);
    expect(l.web1.processes.byName('nginx').map((p) => p.argv[0])).toEqual([
      'nginx: master process /usr/local/nginx/sbin/nginx',
      'nginx: worker process',
    ]);
    expect(l.web1.vfs.readText('/usr/local/nginx/logs/nginx.pid')).toBe(`${l.web1.services.main('nginx')!.pid}\n`);
    registerClientCommands(l.proxy);
    const res = l.sh(l.proxy, 'curl -si http://192.168.23.80/');
    expect(res.stdout).toBe(
      'HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Fri, 25 Nov 2022 00:00:00 GMT\r\nContent-Type: text/html\r\n' +
        'Content-Length: 125\r\nLast-Modified: Fri, 25 Nov 2022 00:00:00 GMT\r\nConnection: keep-alive\r\n' +
        'ETag: "63800580-7d"\r\nX-upS: WEB1-192.168.23.80:80\r\nAccept-Ranges: bytes\r\n\r\n' +
        scenarioFile('web1/index.html'),
    );
    const line = '192.168.23.100 - - [25/Nov/2022:00:00:00 +0000] "GET / HTTP/1.1" 200 125 "-" "curl/7.76.1" "-"';
    expect(l.web1.vfs.readText('/var/log/nginx/access.log')).toBe(`${line}\n`);
    expect(l.records('nginx.access').map((r) => [r.host, r.line])).toEqual([['web1', line]]);
  });

  it('serves test.html with the bytes whose md5 the write-up prints (what the LVS checkers compare)', () => {
    const l = lab();
    registerClientCommands(l.proxy);
    const digests: Record<string, string> = { web1: '60f16b089b6c69717ffdd41fc0896652', web2: 'b75859919db38e0501fa02de82026078' };
    for (const [h, name, url] of [[l.web1, 'web1', 'http://192.168.23.80/test.html'], [l.web2, 'web2', 'http://192.168.23.81:8080/test.html']] as const) {
      h.vfs.write('/web/nginx/static/test.html', scenarioFile(`${name}/test.html`));
      l.sh(h, 'service nginx start');
      const body = l.sh(l.proxy, `curl -s ${url}`).stdout;
      expect(createHash('md5').update(body).digest('hex')).toBe(digests[name]);
    }
  });

  it('proxies round robin through the upstream and falls back to the backup sorry block', () => {
    const l = lab();
    for (const h of [l.proxy, l.web1, l.web2]) l.sh(h, 'service nginx start');
    const ups = [1, 2, 3, 4].map(() => header(l.curl('http://172.16.23.100/').stdout, 'X-upS'));
    expect(ups).toEqual(['WEB1-192.168.23.80:80', 'WEB2-192.168.23.81:8080', 'WEB1-192.168.23.80:80', 'WEB2-192.168.23.81:8080']);
    l.sh(l.web1, 'killall nginx');
    l.sh(l.web2, 'nginx -s stop');
    const sorry = l.curl('http://172.16.23.100/').stdout;
    expect(sorry).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(header(sorry, 'X-Sorry')).toBe('SorryServer-127.0.0.1:8080');
    expect(header(sorry, 'X-Proxy')).toBe('Proxy100-172.16.23.100:80');
    expect(sorry.endsWith(scenarioFile('proxy1/maintenance.html'))).toBe(true);
    const errors = l.proxy.vfs.readText('/var/log/nginx/error.log')!.split('\n').filter(Boolean);
    expect(errors.map((e) => e.replace(/^.*?: \*\d+ /, ''))).toEqual([
      'connect() failed (111: Connection refused) while connecting to upstream, client: 172.16.23.1, server: localhost, request: "GET / HTTP/1.1", upstream: "http://192.168.23.80:80/", host: "172.16.23.100"',
      'connect() failed (111: Connection refused) while connecting to upstream, client: 172.16.23.1, server: localhost, request: "GET / HTTP/1.1", upstream: "http://192.168.23.81:8080/", host: "172.16.23.100"',
    ]);
    // connection numbers count accepted and upstream connections alike: 4 × (client + upstream), then client 9
    expect(errors[0]).toMatch(/ \*9 connect/);
  });

  it('502 with the error_page when every upstream refuses; 504 when the connect times out', () => {
    const l = lab();
    l.sh(l.proxy, 'service nginx start');
    // web1 and web2 are not running; move the sorry block away from the backup's port 8080
    l.proxy.vfs.write(CONF, scenarioFile('proxy1/nginx.conf').replace('listen 8080;', 'listen 8081;'));
    l.sh(l.proxy, 'nginx -s reload');
    const bad = l.curl('http://172.16.23.100/').stdout;
    // error_page 502 → /50x.html, the stock page nginx installs, with status 502
    expect(bad).toMatch(/^HTTP\/1\.1 502 Bad Gateway\r\n/);
    expect(header(bad, 'Content-Length')).toBe('497');
    expect(header(bad, 'X-Proxy')).toBeUndefined();
    // an upstream that never answers the SYN (its link is down): proxy_connect_timeout, then 504
    l.proxy.vfs.write(
      CONF,
      'events {}\nhttp { server { listen 80; proxy_connect_timeout 2s; location / { proxy_pass http://192.168.23.99; } } }\n',
    );
    l.sh(l.proxy, 'nginx -s reload');
    const t0 = l.sim.now;
    const r = l.curl('http://172.16.23.100/', 5 * SECOND);
    expect(r.stdout).toMatch(/^HTTP\/1\.1 504 Gateway Time-out\r\n/);
    expect(header(r.stdout, 'Content-Length')).toBe('167');
    const timedOut = l.records('nginx.error').filter((e) => e.t > t0);
    expect(timedOut.map((e) => e.line.replace(/^.*?: \*\d+ /, ''))).toEqual([
      'upstream timed out (110: Connection timed out) while connecting to upstream, client: 172.16.23.1, server: , request: "GET / HTTP/1.1", upstream: "http://192.168.23.99:80/", host: "172.16.23.100"',
    ]);
    // the client's request reached the proxy 1.5 RTT after t0 (ARP, SYN, ACK + request); the timeout runs 2 s from the connect
    expect(timedOut[0]!.t - t0).toBeGreaterThanOrEqual(2 * SECOND);
    expect(timedOut[0]!.t - t0).toBeLessThan(2 * SECOND + 5 * MS);
    // an upstream that accepts and never answers: proxy_read_timeout, then 504
    l.web1.tcp.listen(0, 80, () => ({}));
    l.proxy.vfs.write(
      CONF,
      'events {}\nhttp { server { listen 80; proxy_read_timeout 1s; location / { proxy_pass http://192.168.23.80; } } }\n',
    );
    l.sh(l.proxy, 'nginx -s reload');
    const t1 = l.sim.now;
    expect(l.curl('http://172.16.23.100/', 2 * SECOND).stdout).toMatch(/^HTTP\/1\.1 504 Gateway Time-out\r\n/);
    const readTimeout = l.records('nginx.error').filter((e) => e.t > t1);
    expect(readTimeout.map((e) => e.line.replace(/^.*?: \*\d+ /, '').split(',')[0])).toEqual([
      'upstream timed out (110: Connection timed out) while reading response header from upstream',
    ]);
    expect(readTimeout[0]!.t - t1).toBeGreaterThanOrEqual(SECOND);
    expect(readTimeout[0]!.t - t1).toBeLessThan(SECOND + 5 * MS);
  });

  it('reload: a bad new configuration keeps the old one and logs the error; a good one takes over', () => {
    const l = lab();
    l.sh(l.web1, 'service nginx start');
    registerClientCommands(l.proxy);
    const get = () => l.sh(l.proxy, 'curl -si http://192.168.23.80/').stdout;
    const master = l.web1.services.main('nginx')!;
    l.web1.vfs.write(CONF, scenarioFile('web1/nginx.conf').replace(/\}\s*$/, ''));
    expect(l.sh(l.web1, 'service nginx reload').code).toBe(0);
    expect(header(get(), 'X-upS')).toBe('WEB1-192.168.23.80:80');
    expect(l.web1.vfs.readText('/var/log/nginx/error.log')).toMatch(
      new RegExp(`^2022/11/25 00:00:00 \\[emerg\\] ${master.pid}#${master.pid}: unexpected end of file, expecting "}" in ${CONF}:\\d+\\n$`),
    );
    l.web1.vfs.write(CONF, scenarioFile('web1/nginx.conf').replace('X-upS WEB1', 'X-upS WEB1-reloaded'));
    const oldWorker = l.web1.processes.byName('nginx')[1]!;
    expect(l.sh(l.web1, 'nginx -s reload').code).toBe(0);
    expect(header(get(), 'X-upS')).toBe('WEB1-reloaded-192.168.23.80:80');
    expect(oldWorker.alive).toBe(false);
    expect(l.web1.services.main('nginx')).toBe(master);
  });

  it('stop, quit, killall and a killed worker', () => {
    const l = lab();
    l.sh(l.web1, 'service nginx start');
    registerClientCommands(l.proxy);
    const get = () => l.sh(l.proxy, 'curl -s http://192.168.23.80/');
    const worker = l.web1.processes.byName('nginx')[1]!;
    l.sh(l.web1, `kill -9 ${worker.pid}`);
    const [, respawned] = l.web1.processes.byName('nginx');
    expect(respawned!.pid).toBeGreaterThan(worker.pid);
    expect(l.web1.vfs.readText('/var/log/nginx/error.log')).toContain(`[alert] ${worker.ppid}#${worker.ppid}: worker process ${worker.pid} exited on signal 9\n`);
    expect(get().code).toBe(0);
    expect(l.sh(l.web1, 'nginx -s quit').code).toBe(0);
    expect(l.web1.processes.byName('nginx')).toEqual([]);
    expect(l.web1.vfs.stat('/usr/local/nginx/logs/nginx.pid')).toBeUndefined();
    expect(get().code).toBe(7); // curl: connection refused
    expect(l.sh(l.web1, 'nginx -s reload')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'nginx: [error] open() "/usr/local/nginx/logs/nginx.pid" failed (2: No such file or directory)\n',
    });
    expect(l.sh(l.web1, 'nginx').code).toBe(0);
    expect(get().code).toBe(0);
    expect(l.sh(l.web1, 'nginx').stderr).toBe(`${'nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)\n'.repeat(5)}nginx: [emerg] still could not bind()\n`);
    expect(l.sh(l.web1, 'killall nginx').code).toBe(0);
    expect(l.sh(l.web1, 'killall -0 nginx').code).toBe(1);
    expect(get().code).toBe(7);
  });

  it('listening on a VIP works once the VIP is on the host', () => {
    const l = lab();
    registerClientCommands(l.proxy);
    l.web1.vfs.write(CONF, scenarioFile('web1/nginx.conf').replace('listen 80;', 'listen 192.168.23.88:80;'));
    expect(l.sh(l.web1, 'nginx').stderr).toBe('nginx: [emerg] bind() to 192.168.23.88:80 failed (99: Cannot assign requested address)\n');
    l.sh(l.web1, 'ip addr add 192.168.23.88/32 dev eth0');
    expect(l.sh(l.web1, 'nginx').code).toBe(0);
    expect(l.sh(l.proxy, 'curl -sI http://192.168.23.88/').stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });
});

describe('nginx daemon: the installed files and the wire', () => {
  it('a fresh install serves the stock welcome page; the binary path runs the same command', () => {
    const w = world();
    const web = w.host('web', { eth0: { lan: 'int', ip: '192.168.23.80/24' } });
    const client = w.host('client', { eth0: { lan: 'int', ip: '192.168.23.1/24' } });
    registerClientCommands(client);
    web.services.define(nginxService(web));
    const test = w.run(web, '/usr/local/nginx/sbin/nginx -t');
    const start = w.run(web, 'service nginx start');
    const res = w.run(client, 'curl -si http://192.168.23.80/');
    w.sim.runUntil(SECOND);
    expect(test()!.code).toBe(0);
    expect(start()!.code).toBe(0);
    expect(res()!.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*Content-Length: 615\r\n[^]*<title>Welcome to nginx!<\/title>/);
    // the stock conf has no access_log: the default logs/access.log in the combined format
    expect(web.vfs.readText('/usr/local/nginx/logs/access.log')).toBe(
      '192.168.23.1 - - [25/Nov/2022:00:00:00 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/7.76.1"\n',
    );
  });

  it('a request line that is not HTTP gets 400 and the connection is closed; a pipelined pair is answered in order', () => {
    const l = lab();
    l.sh(l.web1, 'service nginx start');
    const replies: string[] = [];
    let closed = false;
    const send = (bytes: string) => {
      const sock = l.proxy.tcp.connect(
        { dst: l.ip('192.168.23.80'), dport: 80 },
        {
          onConnect: (s) => s.write(bytes),
          onData: (_s, d) => replies.push(Buffer.from(d).toString('latin1')),
          onEnd: (s) => {
            closed = true;
            s.close();
          },
        },
      );
      l.sim.runUntil(l.sim.now + 100 * MS);
      return sock;
    };
    send('HELLO\r\n\r\n');
    expect(replies.join('')).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[^]*Connection: close\r\n/);
    expect(closed).toBe(true);
    replies.length = 0;
    closed = false;
    const sock = send('GET /index.html HTTP/1.1\r\nHost: a\r\n\r\nGET /nope HTTP/1.1\r\nHost: b\r\n\r\n');
    const text = replies.join('');
    expect(text.match(/^HTTP\/1\.1 \d+/gm)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 404']);
    expect(closed).toBe(false);
    // keepalive_timeout 5 (the seed's): nginx closes the idle connection
    l.sim.runUntil(l.sim.now + 5 * SECOND);
    expect(closed).toBe(true);
    expect(sock.state).not.toBe('ESTABLISHED');
  });
});

describe('nginx daemon: error_log level', () => {
  it('warn lets "upstream server temporarily disabled" through; the default (error) does not', () => {
    const l = lab();
    l.proxy.vfs.write(CONF, scenarioFile('proxy1/nginx.conf').replace('error_log /var/log/nginx/error.log;', 'error_log /var/log/nginx/error.log warn;'));
    l.sh(l.proxy, 'service nginx start');
    l.curl('http://172.16.23.100/');
    const lines = l.proxy.vfs.readText('/var/log/nginx/error.log')!.split('\n').filter(Boolean);
    expect(lines.map((e) => /\[(\w+)\] \d+#\d+: \*\d+ ([^,]*)/.exec(e)!.slice(1).join(' '))).toEqual([
      'error connect() failed (111: Connection refused) while connecting to upstream',
      'warn upstream server temporarily disabled while connecting to upstream',
      'error connect() failed (111: Connection refused) while connecting to upstream',
      'warn upstream server temporarily disabled while connecting to upstream',
    ]);
    l.proxy.vfs.write(CONF, scenarioFile('proxy1/nginx.conf').replace('error_log /var/log/nginx/error.log;', 'error_log /var/log/nginx/error.log loud;'));
    expect(l.sh(l.proxy, 'nginx -t').stderr).toContain(`nginx: [emerg] invalid log level "loud" in ${CONF}:4\n`);
  });
});

describe('nginx daemon: a client that gives up', () => {
  it('closing while the request is proxied: 499 in the access log, the upstream connection is closed', () => {
    const l = lab();
    let upstreamClosed = false;
    l.web1.tcp.listen(0, 80, () => ({ onEnd: (s) => ((upstreamClosed = true), s.close()) }));
    l.proxy.vfs.write(CONF, "events {}\nhttp { log_format s '$status $body_bytes_sent'; access_log /var/log/a.log s; server { listen 80; location / { proxy_pass http://192.168.23.80; } } }\n");
    l.sh(l.proxy, 'service nginx start');
    const r = l.sh(l.client, 'curl -s -m 1 http://172.16.23.100/', 2 * SECOND);
    expect(r.code).toBe(28); // curl: operation timed out
    expect(l.proxy.vfs.readText('/var/log/a.log')).toBe('499 0\n');
    expect(upstreamClosed).toBe(true);
  });
});

describe('nginx daemon: SIGSTOP', () => {
  it('a stopped nginx still exists for killall -0 but answers only after SIGCONT', () => {
    const l = lab();
    registerClientCommands(l.proxy);
    l.sh(l.web1, 'service nginx start');
    l.sh(l.web1, 'killall -STOP nginx');
    expect(l.sh(l.web1, 'killall -0 nginx').code).toBe(0);
    const r = l.run(l.proxy, 'curl -s -o /dev/null http://192.168.23.80/');
    l.sim.runUntil(l.sim.now + 10 * SECOND);
    expect(r()).toBeUndefined(); // connected (the kernel accepts), no answer
    l.sh(l.web1, 'killall -CONT nginx');
    expect(r()!.code).toBe(0);
    expect(l.web1.vfs.readText('/var/log/nginx/access.log')).toContain('[25/Nov/2022:00:00:10 +0000] "GET / HTTP/1.1" 200 125');
  });
});
