import { readFileSync } from 'node:fs';
import { parseScenario } from '../src/scenario/parse';
import { runScenario } from '../src/scenario/runner';

/** The seed's proxy (3.3.3 nginx.conf, access log on) in front of web1 and web2, loaded by one client. */
function scenario(rate: number, seconds: number): string {
  return `
duration: ${seconds + 1}s
lans:
  ext: { subnet: 172.16.23.0/24 }
  int: { subnet: 192.168.23.0/24 }
hosts:
  client:
    nics: { eth0: { lan: ext, ip: 172.16.23.1/24 } }
  proxy1:
    nics:
      eth0: { lan: ext, ip: 172.16.23.100/24 }
      eth1: { lan: int, ip: 192.168.23.100/24 }
    files:
      /usr/local/nginx/conf/nginx.conf: proxy1/nginx.conf
      /usr/local/nginx/html/maintenance.html: proxy1/maintenance.html
    services: [nginx]
  web1:
    nics: { eth0: { lan: int, ip: 192.168.23.80/24 } }
    files: { /usr/local/nginx/conf/nginx.conf: web1/nginx.conf, /web/nginx/static/index.html: web1/index.html }
    services: [nginx]
  web2:
    nics: { eth0: { lan: int, ip: 192.168.23.81/24 } }
    files: { /usr/local/nginx/conf/nginx.conf: web2/nginx.conf, /web/nginx/static/index.html: web2/index.html }
    services: [nginx]
timeline:
  - { from: 0s, to: ${seconds}s, on: client, load: { url: "http://172.16.23.100/", rate: ${rate}/s } }
`;
}

/**
 * Simulated HTTP requests per wall second through one nginx proxy to two nginx web servers, each request on
 * new connections (client → proxy → web server), run the way `vrrpsim run` runs a scenario. `rate` × `seconds`
 * stays below the client's ephemeral ports (28,232 per destination within TIME_WAIT's 60 s).
 */
export function benchNginxHttp(
  rate: number,
  seconds: number,
): { rate: number; cpuRate: number; requests: number; failed: number; events: number; seconds: number } {
  const { spec } = parseScenario(scenario(rate, seconds), 'bench-http.yaml', (rel) => readFileSync(`scenarios/proxy-ha/${rel}`, 'utf8'));
  if (!spec) throw new Error('bench scenario did not parse');
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const run = runScenario(spec);
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu0);
  // CPU time of this process: the figure that does not depend on what else the machine is doing
  const cpu = (used.user + used.system) / 1e6;
  const requests = run.records.filter((r) => r.kind === 'http.request');
  const failed = requests.filter((r) => r.kind === 'http.request' && r.status !== 200).length;
  return { rate: requests.length / wall, cpuRate: requests.length / cpu, requests: requests.length, failed, events: run.events, seconds: wall };
}
