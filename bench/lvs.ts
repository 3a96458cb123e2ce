import { readFileSync } from 'node:fs';
import { parseScenario } from '../src/scenario/parse';
import { SERVICES } from '../src/scenario/services';
import { scheduleTimeline } from '../src/scenario/timeline';
import { buildWorld } from '../src/scenario/world';
import { handleLoadAction } from '../src/daemons/client';
import { SECOND } from '../src/sim/time';
import { ipvsOf } from '../src/kernel/ipvs/netfilter';

/**
 * The seed's LVS-NAT lab as scenarios/lvs-nat/test-html-removed.yaml builds it (directors with the seed's
 * keepalived.conf: VRRP sync group, HTTP_GET checkers, IPVS NAT; web1, web2 and the sorry server running
 * nginx behind the VIP gateway 192.168.23.105), with a client loading http://172.16.23.80/ from 5 s on, once
 * VRRP has brought the VIPs up (requests before that fail, as they would in the lab).
 */
function scenario(rate: number, seconds: number): string {
  return `
duration: ${seconds}s
lans:
  ext: { subnet: 172.16.23.0/24, latency: 100us }
  int: { subnet: 192.168.23.0/24, latency: 100us }
hosts:
  client:
    nics: { eth0: { lan: ext, ip: 172.16.23.1/24 } }
  director1:
    nics:
      eth0: { lan: ext, ip: 172.16.23.100/24 }
      eth1: { lan: int, ip: 192.168.23.100/24 }
    sysctl: { net.ipv4.ip_forward: 1 }
    files:
      /etc/keepalived/keepalived.conf: director1/keepalived.conf
      /etc/sysconfig/keepalived: { content: "KEEPALIVED_OPTIONS=\\"-D\\"\\n" }
    services: [keepalived]
  director2:
    nics:
      eth0: { lan: ext, ip: 172.16.23.101/24 }
      eth1: { lan: int, ip: 192.168.23.101/24 }
    sysctl: { net.ipv4.ip_forward: 1 }
    files:
      /etc/keepalived/keepalived.conf: director2/keepalived.conf
      /etc/sysconfig/keepalived: { content: "KEEPALIVED_OPTIONS=\\"-D\\"\\n" }
    services: [keepalived]
  web1:
    nics: { eth0: { lan: int, ip: 192.168.23.80/24 } }
    gateway: 192.168.23.105
    files:
      /usr/local/nginx/conf/nginx.conf: ../proxy-ha/web1/nginx.conf
      /web/nginx/static/index.html: ../proxy-ha/web1/index.html
      /web/nginx/static/test.html: ../proxy-ha/web1/test.html
    services: [nginx]
  web2:
    nics: { eth0: { lan: int, ip: 192.168.23.81/24 } }
    gateway: 192.168.23.105
    files:
      /usr/local/nginx/conf/nginx.conf: ../proxy-ha/web2/nginx.conf
      /web/nginx/static/index.html: ../proxy-ha/web2/index.html
      /web/nginx/static/test.html: ../proxy-ha/web2/test.html
    services: [nginx]
  sorry:
    nics: { eth0: { lan: int, ip: 192.168.23.121/24 } }
    gateway: 192.168.23.105
    files:
      /usr/local/nginx/conf/nginx.conf: ../proxy-ha/sorry/nginx.conf
      /usr/local/nginx/html/maintenance.html: ../proxy-ha/sorry/maintenance.html
    services: [nginx]
timeline:
  - { from: 5s, to: ${seconds}s, on: client, load: { url: "http://172.16.23.80/", rate: ${rate}/s } }
`;
}

export interface LvsFigures {
  /** Simulated seconds per wall second. */
  readonly simPerWall: number;
  /** The same per CPU second of this process (less sensitive to what else the machine runs). */
  readonly simPerCpu: number;
  readonly eventsPerSecond: number;
  readonly events: number;
  readonly seconds: number;
  readonly requests: number;
  readonly failed: number;
  /** Heap after the run (after a full GC when node runs with --expose-gc), MB. */
  readonly heapMb: number;
  /** IPVS connection entries on the master director at the end (they expire by their state's timeout). */
  readonly ipvsConnections: number;
  /** The client's sockets at the end (mostly TIME_WAIT). */
  readonly clientSockets: number;
}

/**
 * `seconds` of the LVS-NAT lab with a client doing `rate` requests per second, each on a new connection,
 * run the way `vrrpsim run` runs a scenario but with requests counted rather than kept (an hour at 100/s
 * is 360,000 of them): simulated seconds per wall second, events per second, and the state that must stay
 * bounded (heap, IPVS connection table, client sockets).
 */
export function benchLvs(rate: number, seconds: number): LvsFigures {
  const { spec } = parseScenario(scenario(rate, seconds), 'scenarios/lvs-nat/bench-lvs.yaml', (rel) =>
    readFileSync(`scenarios/lvs-nat/${rel}`, 'utf8'),
  );
  if (!spec) throw new Error('bench scenario did not parse');
  const world = buildWorld(spec, SERVICES);
  let requests = 0;
  let failed = 0;
  world.sim.trace.attach(
    {
      write: (r) => {
        if (r.kind !== 'http.request') return;
        requests++;
        if (r.status !== 200) failed++;
      },
    },
    new Set(['http.request']),
  );
  scheduleTimeline(world, spec.timeline, (a) => handleLoadAction(world, a));
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  world.sim.runUntil(spec.duration);
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu0);
  const cpu = (used.user + used.system) / 1e6;
  globalThis.gc?.();
  const director = world.hosts.get('director1')!;
  return {
    simPerWall: spec.duration / SECOND / wall,
    simPerCpu: spec.duration / SECOND / cpu,
    eventsPerSecond: world.sim.eventsProcessed / wall,
    events: world.sim.eventsProcessed,
    seconds: wall,
    requests,
    failed,
    heapMb: process.memoryUsage().heapUsed / 2 ** 20,
    ipvsConnections: ipvsOf(director)?.conns.size ?? 0,
    clientSockets: world.hosts.get('client')!.tcp.connections.size,
  };
}
