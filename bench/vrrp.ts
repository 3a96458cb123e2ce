import { readFileSync } from 'node:fs';
import { parseScenario } from '../src/scenario/parse';
import { SERVICES } from '../src/scenario/services';
import { buildWorld } from '../src/scenario/world';
import { DAY } from '../src/sim/time';

const SCENARIO = `
duration: 1d
lans: { ext: { subnet: 172.16.23.0/24 } }
hosts:
  proxy1:
    nics: { eth0: { lan: ext, ip: 172.16.23.100/24 } }
    files: { /etc/keepalived/keepalived.conf: proxy1/keepalived.conf }
    services: [keepalived]
  proxy2:
    nics: { eth0: { lan: ext, ip: 172.16.23.101/24 } }
    files: { /etc/keepalived/keepalived.conf: proxy2/keepalived.conf }
    services: [keepalived]
`;

/**
 * The seed's two proxies (plain VRRP, 1 advert/s) for `simSeconds`, trace off: simulated seconds per
 * wall second, and the heap after the run (to show it does not grow with the duration).
 */
export function benchVrrp(simUs: number): { simPerWall: number; events: number; seconds: number; heapMb: number } {
  const { spec } = parseScenario(SCENARIO, 'bench-vrrp.yaml', (rel) => readFileSync(`scenarios/proxy-ha/${rel}`, 'utf8'));
  if (!spec) throw new Error('bench scenario did not parse');
  const world = buildWorld(spec, SERVICES);
  const start = process.hrtime.bigint();
  world.sim.runUntil(simUs);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  globalThis.gc?.();
  return { simPerWall: simUs / 1e6 / seconds, events: world.sim.eventsProcessed, seconds, heapMb: process.memoryUsage().heapUsed / 2 ** 20 };
}

export const ONE_DAY = DAY;
