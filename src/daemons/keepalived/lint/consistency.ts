import type { LintFinding } from './types';
import { compareIp, sourceIp, where, type Member } from './vrid-groups';

/**
 * Routers of one virtual router must agree on what keepalived checks in every advert
 * (keepalived/vrrp/vrrp.c `vrrp_check_packet`): a mismatch makes each side drop the other's adverts, so
 * both become MASTER and hold the VIPs (split brain).
 */
export function consistency(group: readonly Member[]): LintFinding[] {
  const out: LintFinding[] = [];
  const [first, ...rest] = group;
  if (!first) return out;
  const hosts = group.map((m) => m.host.host);
  const vrid = first.instance.virtualRouterId;
  const lan = first.lan;
  const at = { host: first.host.host, ref: first.instance.ref };

  for (const m of rest) {
    const a = first.instance;
    const b = m.instance;
    if (a.version !== b.version) {
      out.push({
        code: 'vrid-version-mismatch',
        severity: 'error',
        hosts,
        at,
        message: `VRID ${vrid} on ${lan}: ${where(first)} speaks VRRPv${a.version}, ${where(m)} VRRPv${b.version}.`,
        why: `keepalived drops adverts of the other version ("wrong version. Received ${b.version} and expect ${a.version}"), so both routers become MASTER.`,
        fix: `Set the same \`version\` (or global \`vrrp_version\`) on every router of VRID ${vrid}.`,
      });
      continue;
    }
    if (a.version === 2 && ((a.authType ?? 'none') !== (b.authType ?? 'none') || (a.authPass ?? '') !== (b.authPass ?? ''))) {
      const what =
        (a.authType ?? 'none') !== (b.authType ?? 'none')
          ? `auth_type ${a.authType ?? 'none'} vs ${b.authType ?? 'none'}`
          : `auth_pass '${a.authPass ?? ''}' vs '${b.authPass ?? ''}' (as keepalived keeps them, 8 characters at most)`;
      out.push({
        code: 'vrid-auth-mismatch',
        severity: 'error',
        hosts,
        at,
        message: `VRID ${vrid} on ${lan}: ${where(first)} and ${where(m)} differ in authentication: ${what}.`,
        why: 'Each side logs "received an invalid passwd!" (or "received a N auth, expecting M!") for every advert of the other and ignores it: both become MASTER and hold the VIPs.',
        fix: 'Use the same `authentication { auth_type … auth_pass … }` block on every router of this VRID (only the first 8 characters of auth_pass count).',
      });
    }
    if (a.version === 2 && a.advertInt !== b.advertInt) {
      out.push({
        code: 'vrid-advert-int-mismatch',
        severity: 'error',
        hosts,
        at,
        message: `VRID ${vrid} on ${lan}: advert_int ${a.advertInt / 1e6}s on ${where(first)}, ${b.advertInt / 1e6}s on ${where(m)}.`,
        why: 'VRRPv2 keepalived drops adverts whose interval differs from its own ("advertisement interval mismatch"), so both routers become MASTER.',
        fix: `Use the same advert_int on every router of VRID ${vrid}.`,
      });
    }
    const va = vipSet(a.virtualIpaddress);
    const vb = vipSet(b.virtualIpaddress);
    if (va !== vb) {
      out.push({
        code: 'vrid-vip-mismatch',
        severity: 'error',
        hosts,
        at,
        message: `VRID ${vrid} on ${lan}: virtual_ipaddress differs: ${where(first)} has [${va}], ${where(m)} has [${vb}].`,
        why: 'keepalived checks the address list of every advert ("received an unexpected ip number count" / "ip address associated with VRID not present in MASTER advert") and ignores a master whose list differs: both routers can end up MASTER.',
        fix: `Give every router of VRID ${vrid} the same virtual_ipaddress list (put host-specific addresses in virtual_ipaddress_excluded).`,
      });
    }
  }

  out.push(...unicastPeers(group, hosts, vrid, lan));

  const masters = group.filter((m) => m.instance.state === 'MASTER' && m.instance.priority < 255);
  for (let i = 0; i < masters.length; i++) {
    for (let j = i + 1; j < masters.length; j++) {
      const a = masters[i]!;
      const b = masters[j]!;
      if (a.instance.priority !== b.instance.priority) continue;
      const cmp = compareIp(sourceIp(a), sourceIp(b));
      const winner = cmp === undefined ? 'the router with the higher IP address' : where(cmp > 0 ? a : b);
      out.push({
        code: 'equal-priority-masters',
        severity: 'warning',
        hosts: [a.host.host, b.host.host],
        at: { host: a.host.host, ref: a.instance.ref },
        message: `VRID ${vrid} on ${lan}: ${where(a)} and ${where(b)} are both \`state MASTER\` with priority ${a.instance.priority}.`,
        why: `\`state MASTER\` does not make a router master: both start as BACKUP and whichever hears no advert first takes over; a BACKUP never preempts an equal-priority MASTER, and when both are MASTER at once (start-up race, healed partition) ${winner} wins. Who is master depends on timing.`,
        fix: 'Give the preferred master a higher priority (e.g. 100 vs 99) and set the other one to `state BACKUP`.',
      });
    }
  }
  return out;
}

function vipSet(vips: readonly { address: string }[]): string {
  return vips
    .map((v) => v.address)
    .sort()
    .join(', ');
}

/** unicast_peer lists must name every other router of the VRID (and not the router itself). */
function unicastPeers(group: readonly Member[], hosts: string[], vrid: number, lan: string): LintFinding[] {
  const out: LintFinding[] = [];
  for (const a of group) {
    const peers = a.instance.unicastPeer;
    if (peers.length === 0) continue;
    const at = { host: a.host.host, ref: a.instance.ref };
    const self = sourceIp(a);
    if (self !== undefined && peers.includes(self)) {
      out.push({
        code: 'unicast-peer-self',
        severity: 'warning',
        hosts: [a.host.host],
        at,
        message: `VRID ${vrid} on ${lan}: ${where(a)} lists its own address ${self} in unicast_peer.`,
        why: 'keepalived sends its adverts to every listed peer, itself included; the list is usually copied from another node and then misses that node.',
        fix: `Remove ${self} from ${a.host.host}'s unicast_peer and make sure every other router of the VRID is listed.`,
      });
    }
    for (const b of group) {
      if (b === a) continue;
      const ip = sourceIp(b);
      if (ip === undefined || peers.includes(ip)) continue;
      out.push({
        code: 'unicast-peer-missing',
        severity: 'error',
        hosts,
        at,
        message: `VRID ${vrid} on ${lan}: ${where(a)} sends its adverts by unicast to [${peers.join(', ')}], not to ${where(b)} (${ip}).`,
        why: `${b.host.host} never hears ${a.host.host}'s adverts, so it becomes MASTER as well: both hold the VIPs.`,
        fix: `Add ${ip} to unicast_peer on ${a.host.host}.`,
      });
    }
  }
  return out;
}
