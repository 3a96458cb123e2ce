import type { LintContext, LintFinding, LintHost } from './types';

/**
 * LVS-NAT rewrites only the client → server direction: the replies must come back through the director
 * that holds the connection, so the real servers' default gateway has to be an address that moves with
 * the director role, a VRRP VIP (the seed lab's 192.168.23.105).
 */
export function natGateways(hosts: readonly LintHost[], gatewayOf: LintContext['gatewayOf']): LintFinding[] {
  const vips = new Set<string>();
  for (const h of hosts) {
    for (const vi of h.config.vrrpInstances) for (const v of vi.virtualIpaddress) vips.add(v.address);
  }
  const out: LintFinding[] = [];
  const seen = new Set<string>();
  for (const h of hosts) {
    for (const vs of h.config.virtualServers) {
      for (const rs of vs.realServers) {
        if ((rs.lvsMethod ?? vs.lbKind) !== 'NAT' || seen.has(rs.ip)) continue;
        seen.add(rs.ip);
        const gw = gatewayOf?.(rs.ip);
        const at = { host: h.host, ref: rs.ref };
        if (gw !== undefined) {
          if (vips.has(gw)) continue;
          out.push({
            code: 'nat-gateway-not-vip',
            severity: 'error',
            hosts: [h.host],
            at,
            message: `Real server ${rs.ip} (lb_kind NAT) routes through ${gw}, which is not a VRRP virtual address of the directors.`,
            why: 'Replies leave through that gateway with the real server as source instead of returning through the director that rewrote the request, so clients never see an answer (or only while that gateway happens to be the active director).',
            fix: `Add a floating gateway VIP on the real servers' network to the directors' VRRP instances (in a sync group with the external VIP) and make it ${rs.ip}'s default gateway, or use lb_kind DR.`,
          });
          continue;
        }
        if (gatewayOf) continue;
        if ([...vips].some((v) => sameSlash24(v, rs.ip))) continue;
        out.push({
          code: 'nat-no-gateway-vip',
          severity: 'warning',
          hosts: [h.host],
          at,
          message: `Real server ${rs.ip} is used with lb_kind NAT, but no VRRP virtual address is on its network (taken as ${rs.ip.split('.').slice(0, 3).join('.')}.0/24).`,
          why: 'In NAT mode the real servers must send replies back through the active director; without a VIP there for them to use as gateway, replies bypass the director after a failover (or always).',
          fix: "Add a VRRP instance on the directors' internal interface with a gateway VIP, group it with the external one in a vrrp_sync_group, and point the real servers' default route at it.",
        });
      }
    }
  }
  return out;
}

function sameSlash24(a: string, b: string): boolean {
  const pa = a.split('.');
  const pb = b.split('.');
  return pa.length === 4 && pb.length === 4 && pa[0] === pb[0] && pa[1] === pb[1] && pa[2] === pb[2];
}
