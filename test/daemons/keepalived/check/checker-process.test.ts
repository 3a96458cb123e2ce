import { describe, expect, it } from 'vitest';
import { CheckerProcess } from '../../../../src/daemons/keepalived/check';
import type { Host } from '../../../../src/host/host';
import type { TcpHandler, TcpSocket } from '../../../../src/host/tcp/socket';
import { Ipvs } from '../../../../src/kernel/ipvs';
import { SECOND } from '../../../../src/sim/time';
import { world } from '../../../host/helpers';
import { conf, seedLvsText } from './conf';

/**
 * A web server answering HTTP/1.0 GETs from a table of files and closing, as nginx does for a request
 * without keep-alive: 200 with the file, else 404.
 */
function webServer(host: Host, port: number, files: Map<string, string>): string[] {
  const paths: string[] = [];
  const handler: TcpHandler = {
    onData(s: TcpSocket, data: Uint8Array) {
      const text = ((s.context as string | undefined) ?? '') + new TextDecoder().decode(data);
      s.context = text;
      if (!text.includes('\r\n\r\n')) return;
      const path = text.split(' ')[1] ?? '/';
      paths.push(path);
      const body = files.get(path);
      const status = body === undefined ? '404 Not Found' : '200 OK';
      const b = body ?? '<html>\r\n<head><title>404 Not Found</title></head>\r\n</html>\r\n';
      s.write(`HTTP/1.1 ${status}\r\nServer: nginx/1.22.1\r\nContent-Length: ${b.length}\r\nConnection: close\r\n\r\n${b}`);
      s.end();
    },
  };
  const l = host.tcp.listen(0, port, () => handler);
  if (typeof l === 'string') throw new Error(l);
  return paths;
}

function lab(opts: { web2Listening?: boolean; logAll?: boolean } = {}) {
  const w = world(7);
  const director = w.host('proxy1', { eth0: { lan: 'ext', ip: '172.16.23.100/24' }, eth1: { lan: 'int', ip: '192.168.23.100/24' } });
  const web1 = w.host('web1', { eth0: { lan: 'int', ip: '192.168.23.80/24' } });
  const web2 = w.host('web2', { eth0: { lan: 'int', ip: '192.168.23.81/24' } });
  const files1 = new Map([['/test.html', 'Just test for WEB1\n']]);
  const files2 = new Map([['/test.html', 'Just test for WEB2\n']]);
  const seen1 = webServer(web1, 80, files1);
  if (opts.web2Listening ?? true) webServer(web2, 8080, files2);
  const ipvs = new Ipvs();
  const text = opts.logAll ? seedLvsText().replace('global_defs {', 'global_defs {\nchecker_log_all_failures') : seedLvsText();
  const checker = new CheckerProcess(director, conf(text), ipvs, false);
  const proc = director.processes.spawn('keepalived', ['keepalived', '-D'], checker, 1);
  checker.start(proc);
  const logs = () =>
    w.mem.records.flatMap((r) => (r.kind === 'log' && (r as { ident?: string }).ident === 'Keepalived_healthcheckers' ? [{ t: r.t / SECOND, text: (r as { text?: string }).text! }] : []));
  const dests = () => ipvs.listServices().flatMap((s) => s.dests.map((d) => `${d.addr}:${d.port}`));
  return { ...w, director, files1, files2, seen1, ipvs, checker, proc, logs, dests };
}

describe('CheckerProcess on a director with two web servers (seed experiments 5 and 6)', () => {
  it('starts: IPVS programmed at once, checkers activated, first checks within 1 s + warmup', () => {
    const l = lab();
    expect(l.dests()).toEqual(['192.168.23.81:8080', '192.168.23.80:80']);
    l.sim.runUntil(8 * SECOND);
    const texts = l.logs().map((x) => x.text);
    expect(texts.slice(0, 4)).toEqual([
      'Gained quorum 1+0=1 <= 2 for VS [172.16.23.80]:tcp:80',
      'Activating healthchecker for service [192.168.23.80]:tcp:80 for VS [172.16.23.80]:tcp:80',
      'Activating healthchecker for service [192.168.23.81]:tcp:8080 for VS [172.16.23.80]:tcp:80',
      'Activating BFD healthchecker',
    ]);
    const ups = l.logs().filter((x) => x.text.startsWith('Remote Web server'));
    expect(ups.map((x) => x.text)).toEqual(expect.arrayContaining([
      'Remote Web server [192.168.23.80]:tcp:80 succeed on service.',
      'Remote Web server [192.168.23.81]:tcp:8080 succeed on service.',
    ]));
    for (const u of ups) expect(u.t).toBeGreaterThan(1);
    for (const u of ups) expect(u.t).toBeLessThan(7.1);
    expect(l.seen1[0]).toBe('/test.html');
  });

  it('test.html renamed on both: removed after 4 failed attempts, sorry server in; back: out again', () => {
    const l = lab();
    l.sim.runUntil(30 * SECOND);
    l.files1.delete('/test.html');
    l.files2.delete('/test.html');
    l.sim.runUntil(60 * SECOND);
    const gone = l.logs().filter((x) => x.t >= 30);
    const texts = gone.map((x) => x.text);
    expect(texts).toContain('HTTP_CHECK on service [192.168.23.80]:tcp:80 failed after 3 retries.');
    expect(texts).toContain('Removing service [192.168.23.80]:tcp:80 from VS [172.16.23.80]:tcp:80');
    expect(texts).toContain('Adding sorry server [192.168.23.121]:tcp:8080 to VS [172.16.23.80]:tcp:80');
    // 9–15 s after the files went (plus the attempts' milliseconds).
    const removed = gone.find((x) => x.text.startsWith('Removing service [192.168.23.80]'))!.t;
    expect(removed).toBeGreaterThan(39);
    expect(removed).toBeLessThan(45.1);
    expect(l.dests()).toEqual(['192.168.23.121:8080']);

    l.files1.set('/test.html', 'Just test for WEB1\n');
    l.sim.runUntil(80 * SECOND);
    const back = l.logs().filter((x) => x.t >= 60);
    const firstOk = back.find((x) => x.text === 'MD5 digest success to [192.168.23.80]:tcp:80 url(/test.html)')!.t;
    const up = back.find((x) => x.text === 'Remote Web server [192.168.23.80]:tcp:80 succeed on service.')!.t;
    expect(up - firstOk).toBeGreaterThan(6);
    expect(up - firstOk).toBeLessThan(6.1);
    expect(back.filter((x) => x.t === up).map((x) => x.text)).toEqual([
      'MD5 digest success to [192.168.23.80]:tcp:80 url(/test.html)',
      'Remote Web server [192.168.23.80]:tcp:80 succeed on service.',
      'Adding service [192.168.23.80]:tcp:80 to VS [172.16.23.80]:tcp:80',
      'Gained quorum 1+0=1 <= 1 for VS [172.16.23.80]:tcp:80',
      'Removing sorry server [192.168.23.121]:tcp:8080 from VS [172.16.23.80]:tcp:80',
      'Adding alive servers to the pool for VS [172.16.23.80]:tcp:80',
    ]);
    expect(l.dests()).toEqual(['192.168.23.80:80']);
  });

  it('a real server that refuses the connection goes down at its first check (retries primed at start)', () => {
    const l = lab({ web2Listening: false, logAll: true });
    l.sim.runUntil(8 * SECOND);
    const lines = l.logs().filter((x) => x.text.includes('192.168.23.81'));
    expect(lines.slice(1).map((x) => x.text)).toEqual([
      'Connection failed server [192.168.23.81]:tcp:8080.',
      'HTTP_CHECK on service [192.168.23.81]:tcp:8080 failed after 3 retries.',
      'Removing service [192.168.23.81]:tcp:8080 from VS [172.16.23.80]:tcp:80',
    ]);
    expect(l.dests()).toEqual(['192.168.23.80:80']);
  });

  it('SIGTERM: services shut down and the child exits', () => {
    const l = lab();
    l.sim.runUntil(10 * SECOND);
    l.checker.terminate();
    expect(l.logs().slice(-3).map((x) => x.text)).toEqual([
      'Shutting down service [192.168.23.80]:tcp:80 from VS [172.16.23.80]:tcp:80',
      'Shutting down service [192.168.23.81]:tcp:8080 from VS [172.16.23.80]:tcp:80',
      'Stopped',
    ]);
    expect(l.ipvs.listServices()).toEqual([]);
    expect(l.proc.alive).toBe(false);
  });
});
