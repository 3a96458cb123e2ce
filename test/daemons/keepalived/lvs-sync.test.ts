import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/scenario/parse';
import { runScenario } from '../../../src/scenario/runner';

// The seed's director configs with the sync daemon spelt as keepalived 2.2.7 wants it (global_defs).
const fixed = (n: 1 | 2) =>
  readFileSync(`scenarios/lvs-nat/director${n}/keepalived.conf`, 'utf8').replace(
    `router_id PROXY_HA${n}\n`,
    `router_id PROXY_HA${n}\nlvs_sync_daemon eth1 VI_LOCAL_ADDR\n`,
  );

const SCENARIO = `
duration: 20s
lans:
  ext: { subnet: 172.16.23.0/24 }
  int: { subnet: 192.168.23.0/24 }
hosts:
  director1:
    nics: { eth0: { lan: ext, ip: 172.16.23.100/24 }, eth1: { lan: int, ip: 192.168.23.100/24 } }
    files: { /etc/keepalived/keepalived.conf: d1.conf }
    services: [keepalived]
  director2:
    nics: { eth0: { lan: ext, ip: 172.16.23.101/24 }, eth1: { lan: int, ip: 192.168.23.101/24 } }
    files: { /etc/keepalived/keepalived.conf: d2.conf }
    services: [keepalived]
timeline:
  - { at: 8s, on: director1, snapshot: ipvsadm -L --daemon }
  - { at: 8s, on: director2, snapshot: ipvsadm -L --daemon }
  - { at: 10s, crash: director1 }
  - { at: 18s, on: director2, snapshot: ipvsadm -L --daemon }
`;

describe('lvs_sync_daemon: the IPVS sync daemon follows its VRRP instance', () => {
  it('master daemon on the MASTER director, backup on the other; the survivor of a crash turns master', () => {
    const { spec, diagnostics } = parseScenario(SCENARIO, 'sync.yaml', (rel) => fixed(rel === 'd1.conf' ? 1 : 2));
    expect(diagnostics).toEqual([]);
    const run = runScenario(spec!);
    const snaps = run.records.filter((r) => r.kind === 'snapshot') as unknown as Array<{ t: number; host: string; output: string }>;
    const at = (host: string, s: number) => snaps.find((x) => x.host === host && x.t === s * 1_000_000)!.output;
    const line = (state: string) => `${state} sync daemon (mcast=eth1, syncid=11, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n`;
    expect(at('director1', 8)).toBe(line('master'));
    expect(at('director2', 8)).toBe(line('backup'));
    expect(at('director2', 18)).toBe(line('master'));
  });
});
