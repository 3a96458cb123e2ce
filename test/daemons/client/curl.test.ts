import { describe, expect, it } from 'vitest';
import { registerClientCommands } from '../../../src/daemons/client';
import { SECOND } from '../../../src/sim/time';
import { world } from '../../host/helpers';
import { tinyServer, type Behaviour } from './tiny-server';

function lab(behaviour?: Behaviour) {
  const w = world();
  const client = w.host('client', { eth0: { lan: 'ext', ip: '172.16.23.1/24' } });
  const web = w.host('web1', { eth0: { lan: 'ext', ip: '172.16.23.80/24' } });
  registerClientCommands(client);
  const server = behaviour ? tinyServer(web, 80, behaviour) : undefined;
  const curl = (args: string, until = 400 * SECOND) => {
    const r = w.run(client, `curl ${args}`);
    w.sim.runUntil(w.sim.now + until);
    return r()!;
  };
  return { ...w, client, web, server, curl };
}

describe('curl', () => {
  it('prints the body, sends what curl 7.76.1 sends', () => {
    const l = lab('ok');
    expect(l.curl('http://172.16.23.80/')).toEqual({ code: 0, stdout: 'hello from web1\n', stderr: '' });
    expect(l.server!.requests).toEqual(['GET / HTTP/1.1\r\nHost: 172.16.23.80\r\nUser-Agent: curl/7.76.1\r\nAccept: */*\r\n\r\n']);
  });

  it('-I sends HEAD and prints the header block; -i prints it before the body', () => {
    const l = lab('ok');
    const head = 'HTTP/1.1 200 OK\r\nServer: tiny\r\nX-Served-By: web1\r\nContent-Type: text/plain\r\nContent-Length: 16\r\nConnection: keep-alive\r\n\r\n';
    expect(l.curl('-sI 172.16.23.80').stdout).toBe(head);
    expect(l.server!.requests[0]!.startsWith('HEAD / HTTP/1.1\r\n')).toBe(true);
    expect(l.curl('-i http://172.16.23.80/x').stdout).toBe(head + 'hello from web1\n');
  });

  it('-v shows the connection, the request and the response head', () => {
    const l = lab('ok');
    const r = l.curl('-v -H "X-Test: 1" http://172.16.23.80/index.html');
    expect(r.stderr).toBe(
      [
        '*   Trying 172.16.23.80:80...\n',
        '* Connected to 172.16.23.80 (172.16.23.80) port 80 (#0)\n',
        '> GET /index.html HTTP/1.1\r\n',
        '> Host: 172.16.23.80\r\n',
        '> User-Agent: curl/7.76.1\r\n',
        '> Accept: */*\r\n',
        '> X-Test: 1\r\n',
        '> \r\n',
        '* Mark bundle as not supporting multiuse\n',
        '< HTTP/1.1 200 OK\r\n',
        '< Server: tiny\r\n',
        '< X-Served-By: web1\r\n',
        '< Content-Type: text/plain\r\n',
        '< Content-Length: 16\r\n',
        '< Connection: keep-alive\r\n',
        '< \r\n',
        '* Connection #0 to host 172.16.23.80 left intact\n',
      ].join(''),
    );
  });

  it('reads chunked and close-delimited bodies', () => {
    expect(lab('chunked').curl('-s http://172.16.23.80/').stdout).toBe('hello from web1\n');
    expect(lab('close-delimited').curl('-s http://172.16.23.80/').stdout).toBe('hello from web1\n');
  });

  it('-o writes the body to a file', () => {
    const l = lab('ok');
    expect(l.curl('-s -o /tmp/page http://172.16.23.80/')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(l.client.vfs.readText('/tmp/page')).toBe('hello from web1\n');
  });

  it('Connection refused: exit 7 after one round trip', () => {
    const l = lab();
    const r = l.curl('http://172.16.23.80/', SECOND);
    expect(r).toEqual({ code: 7, stdout: '', stderr: 'curl: (7) Failed to connect to 172.16.23.80 port 80: Connection refused\n' });
    expect(l.mem.records.find((x) => x.kind === 'shell.run')!.t).toBe(400);
  });

  it('-v on a refused connect', () => {
    expect(lab().curl('-v http://172.16.23.80:8080/', SECOND).stderr).toBe(
      '*   Trying 172.16.23.80:8080...\n' +
        '* connect to 172.16.23.80 port 8080 failed: Connection refused\n' +
        '* Failed to connect to 172.16.23.80 port 8080: Connection refused\n' +
        '* Closing connection 0\n' +
        'curl: (7) Failed to connect to 172.16.23.80 port 8080: Connection refused\n',
    );
  });

  it('--connect-timeout on an address nobody answers for', () => {
    const l = lab();
    l.web.ip.hooks.localIn.push((p) => (p.payload.kind === 'tcp' ? 'drop' : 'accept'));
    expect(l.curl('--connect-timeout 3 http://172.16.23.80/', 10 * SECOND)).toEqual({
      code: 28,
      stdout: '',
      stderr: 'curl: (28) Connection timed out after 3001 milliseconds\n',
    });
  });

  it('without a limit the kernel gives up after 127 s', () => {
    const l = lab();
    l.web.ip.hooks.localIn.push((p) => (p.payload.kind === 'tcp' ? 'drop' : 'accept'));
    expect(l.curl('-sS http://172.16.23.80/').stderr).toBe('curl: (7) Failed to connect to 172.16.23.80 port 80: Connection timed out\n');
    expect(l.mem.records.find((x) => x.kind === 'shell.run')!.t).toBe(127 * SECOND);
  });

  it('an absent host on the LAN: No route to host after 3 s', () => {
    const l = lab();
    expect(l.curl('http://172.16.23.99/').stderr).toBe('curl: (7) Failed to connect to 172.16.23.99 port 80: No route to host\n');
  });

  it('-m on a server that never answers', () => {
    const l = lab('silent');
    expect(l.curl('-m 2 http://172.16.23.80/', 5 * SECOND).stderr).toBe(
      'curl: (28) Operation timed out after 2001 milliseconds with 0 bytes received\n',
    );
  });

  it('reset, empty reply and a short body, each with its exit status', () => {
    expect(lab('reset').curl('http://172.16.23.80/', SECOND)).toMatchObject({ code: 56, stderr: 'curl: (56) Recv failure: Connection reset by peer\n' });
    expect(lab('empty').curl('http://172.16.23.80/', SECOND)).toMatchObject({ code: 52, stderr: 'curl: (52) Empty reply from server\n' });
    expect(lab('partial').curl('http://172.16.23.80/', SECOND)).toMatchObject({
      code: 18,
      stdout: 'hello from web1\n',
      stderr: 'curl: (18) transfer closed with 100 bytes remaining to read\n',
    });
  });

  it('-s hides errors, -sS shows them', () => {
    expect(lab().curl('-s http://172.16.23.80/', SECOND)).toEqual({ code: 7, stdout: '', stderr: '' });
    expect(lab().curl('-sS http://172.16.23.80/', SECOND).code).toBe(7);
  });

  it('names come from /etc/hosts; bad URLs and options fail as curl does', () => {
    const l = lab('ok');
    l.client.vfs.write('/etc/hosts', '127.0.0.1 localhost\n172.16.23.80 web1 www\n');
    expect(l.curl('-s http://www/').stdout).toBe('hello from web1\n');
    expect(l.curl('http://nowhere/')).toEqual({ code: 6, stdout: '', stderr: 'curl: (6) Could not resolve host: nowhere\n' });
    expect(l.curl('https://172.16.23.80/').code).toBe(1);
    expect(l.curl('http://:80/').code).toBe(3);
    expect(l.curl('')).toMatchObject({ code: 2, stderr: "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n" });
    expect(l.curl('--bogus x').stderr).toBe("curl: option --bogus: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
  });

  it('records each request in the trace', () => {
    const l = lab('ok');
    l.curl('-s http://172.16.23.80/');
    const r = l.mem.records.find((x) => x.kind === 'http.request');
    expect(r).toMatchObject({ host: 'client', url: 'http://172.16.23.80/', sent: 0, status: 200, latency: 600 });
    expect((r as { headers: Record<string, string> }).headers['x-served-by']).toBe('web1');
  });
});
