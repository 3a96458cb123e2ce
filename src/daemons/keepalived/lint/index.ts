import { consistency } from './consistency';
import { httpDigests } from './http-digest';
import { natGateways } from './nat-gateway';
import type { LintContext, LintFinding, LintHost } from './types';
import { vridGroups } from './vrid-groups';
import { faultScripts, weights } from './weights';

export type { LintContext, LintFinding, LintHost, LintSeverity } from './types';

/**
 * vrrpsim's own checks across the keepalived.conf of every host of a cluster: what `keepalived -t`
 * cannot see because it reads one file. Pure: the scenario layer supplies LANs, addresses, served
 * files and routes through `hosts` and `ctx`.
 */
export function lintKeepalived(hosts: readonly LintHost[], ctx: LintContext = {}): LintFinding[] {
  const out: LintFinding[] = [];
  for (const group of vridGroups(hosts)) {
    out.push(...consistency(group), ...weights(group), ...faultScripts(group));
  }
  if (ctx.servedFile) out.push(...httpDigests(hosts, ctx.servedFile));
  out.push(...natGateways(hosts, ctx.gatewayOf));
  return out;
}
