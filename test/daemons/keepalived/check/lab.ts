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
export function webServer(host: Host, port: number, files: Map<string, string>) {
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
  return { paths, listener: l };
}

/** The seed's LVS director (proxy1) with web1 and web2 serving test.html, and its checker child started. */
export function lab(opts: { web2Listening?: boolean; logAll?: boolean; detail?: boolean } = {}) {
  const w = world(7);
  const director = w.host('proxy1', { eth0: { lan: 'ext', ip: '172.16.23.100/24' }, eth1: { lan: 'int', ip: '192.168.23.100/24' } });
  const web1 = w.host('web1', { eth0: { lan: 'int', ip: '192.168.23.80/24' } });
  const web2 = w.host('web2', { eth0: { lan: 'int', ip: '192.168.23.81/24' } });
  const files1 = new Map([['/test.html', 'Just test for WEB1\n']]);
  const files2 = new Map([['/test.html', 'Just test for WEB2\n']]);
  const seen1 = webServer(web1, 80, files1).paths;
  if (opts.web2Listening ?? true) webServer(web2, 8080, files2);
  const ipvs = new Ipvs();
  const text = opts.logAll ? seedLvsText().replace('global_defs {', 'global_defs {\nchecker_log_all_failures') : seedLvsText();
  const checker = new CheckerProcess(director, conf(text), ipvs, opts.detail ?? false);
  const proc = director.processes.spawn('keepalived', ['keepalived', '-D'], checker, 1);
  checker.start(proc);
  const logs = () =>
    w.mem.records.flatMap((r) => (r.kind === 'log' && (r as { ident?: string }).ident === 'Keepalived_healthcheckers' ? [{ t: r.t / SECOND, text: (r as { text?: string }).text! }] : []));
  const dests = () => ipvs.listServices().flatMap((s) => s.dests.map((d) => `${d.addr}:${d.port}`));
  return { ...w, director, files1, files2, seen1, ipvs, checker, proc, logs, dests };
}

