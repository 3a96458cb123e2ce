import { formatDiagnostic } from '../../../src/scenario/diagnostic';
import { parseScenario } from '../../../src/scenario/parse';
import type { ScenarioSpec } from '../../../src/scenario/spec';

/** Files the test scenarios may name, relative to the scenario. */
export const FILES: Record<string, string> = {
  'proxy1/keepalived.conf': 'vrrp_instance VI_PROXY_HA {\n}\n',
  'proxy1/notify.sh': '#!/bin/bash\nsystemctl start nginx\n',
};

export const readFiles = (rel: string): string | undefined => FILES[rel];

/** The diagnostics of a scenario given as lines, formatted `s.yaml:line:col: message`. */
export function errors(...lines: string[]): string[] {
  return parseScenario(lines.join('\n'), 's.yaml', readFiles).diagnostics.map(formatDiagnostic);
}

/** The spec of a scenario that must be valid. */
export function spec(...lines: string[]): ScenarioSpec {
  const r = parseScenario(lines.join('\n'), 's.yaml', readFiles);
  if (!r.spec) throw new Error(`expected a valid scenario:\n${r.diagnostics.map(formatDiagnostic).join('\n')}`);
  return r.spec;
}

/** A valid topology to put timelines and expectations on: lines 1-9. */
export const BASE = [
  'duration: 60s', //                                                      1
  'lans:', //                                                              2
  '  ext: { subnet: 172.16.23.0/24 }', //                                  3
  '  int: { subnet: 192.168.23.0/24 }', //                                 4
  'hosts:', //                                                             5
  '  proxy1: { nics: { eth0: { lan: ext, ip: 172.16.23.100/24 } } }', //   6
  '  proxy2: { nics: { eth0: { lan: ext, ip: 172.16.23.101/24 } } }', //   7
  '  client: { nics: { eth0: { lan: ext, ip: 172.16.23.1/24 } } }', //     8
  '  web1: { nics: { eth1: { lan: int, ip: 192.168.23.80/24 } } }', //     9
];
