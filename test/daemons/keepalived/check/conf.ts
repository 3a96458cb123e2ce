import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKeepalivedConf, type KeepalivedConfig } from '../../../../src/daemons/keepalived/config';

/**
 * Parses keepalived.conf text as the daemon would (interfaces eth0, eth1), on a machine that has the
 * default script user keepalived_script: without it keepalived drops MISC_CHECK scripts.
 */
export function conf(text: string): KeepalivedConfig {
  const r = parseKeepalivedConf('/etc/keepalived/keepalived.conf', { read: () => text, glob: (p) => (p === '/etc/keepalived/keepalived.conf' ? [p] : []) }, { interfaces: ['eth0', 'eth1'], userExists: () => true });
  return r.config;
}

/** The seed lab's LVS director configuration (experiment 5), verbatim. */
export function seedLvsText(): string {
  return readFileSync(join(__dirname, '../../../fixtures/keepalived/seed/lvs-master.conf'), 'utf8');
}
