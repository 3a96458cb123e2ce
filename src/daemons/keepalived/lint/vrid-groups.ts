import type { VrrpInstance } from '../config';
import type { LintHost } from './types';

/** A VRRP instance on a host, with the LAN it speaks on. */
export interface Member {
  readonly host: LintHost;
  readonly instance: VrrpInstance;
  readonly lan: string;
}

/**
 * Instances of all hosts grouped by the virtual router they form: same LAN, same VRID, same address
 * family. keepalived on one LAN sees every advert of a VRID, whatever the instance names.
 */
export function vridGroups(hosts: readonly LintHost[]): Member[][] {
  const groups = new Map<string, Member[]>();
  for (const host of hosts) {
    for (const instance of host.config.vrrpInstances) {
      if (instance.interface === undefined || instance.virtualRouterId === 0) continue;
      const lan = host.lanOf?.(instance.interface) ?? `interface ${instance.interface}`;
      const family = instance.virtualIpaddress[0]?.family ?? 4;
      const key = `${lan}\u0000${instance.virtualRouterId}\u0000${family}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push({ host, instance, lan });
    }
  }
  return [...groups.values()];
}

/** keepalived's source address for an instance: mcast/unicast_src_ip, else the interface's address. */
export function sourceIp(m: Member): string | undefined {
  return m.instance.unicastSrcIp ?? m.instance.mcastSrcIp ?? (m.instance.interface ? m.host.ipOf?.(m.instance.interface) : undefined);
}

/** Numeric IPv4 comparison, as keepalived compares addresses (undefined when either is unknown). */
export function compareIp(a: string | undefined, b: string | undefined): number | undefined {
  if (a === undefined || b === undefined) return undefined;
  const na = a.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
  const nb = b.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
  return na - nb;
}

export function where(m: Member): string {
  return `${m.host.host} (${m.instance.name})`;
}
