import type { TrackedScriptRef, VrrpInstance } from '../config';
import type { LintFinding } from './types';
import { compareIp, sourceIp, where, type Member } from './vrid-groups';

/**
 * Does a tracked script failing really move the VIP? keepalived's arithmetic
 * (keepalived/vrrp/vrrp_track.c): a failed script with weight w < 0 adds w, a good one with w > 0 adds w
 * (`reverse` swaps the two), weight 0 puts the instance in FAULT; the result is clamped to 1..254 and
 * owners (255) ignore weights. A BACKUP takes over only from a lower-priority master: equal priority
 * never preempts, and only two MASTERs resolve a tie, by the higher IP.
 */

/** A script's contribution: w·m while good for w > 0, while failed for w < 0 (m = -1 with `reverse`). */
function contribution(t: TrackedScriptRef): number {
  return t.reverse ? -t.weight : t.weight;
}

/** Priority when all of an instance's scripts are healthy. */
function healthy(vi: VrrpInstance): number {
  if (vi.priority === 255) return 255;
  let p = vi.priority;
  for (const t of vi.trackScript) if (t.weight > 0) p += contribution(t);
  return clamp(p);
}

/** Priority when `script` has failed and the others are healthy; undefined = FAULT. */
function failed(vi: VrrpInstance, script: TrackedScriptRef): number | undefined {
  if (script.weight === 0) return undefined;
  let p = vi.priority;
  for (const t of vi.trackScript) {
    if (t === script) {
      if (t.weight < 0) p += contribution(t);
    } else if (t.weight > 0) p += contribution(t);
  }
  return clamp(p);
}

function clamp(p: number): number {
  return Math.max(1, Math.min(254, p));
}

export function weights(group: readonly Member[]): LintFinding[] {
  const out: LintFinding[] = [];
  if (group.length < 2) return out;
  const ranked = [...group].sort((a, b) => {
    const d = healthy(b.instance) - healthy(a.instance);
    return d !== 0 ? d : -(compareIp(sourceIp(a), sourceIp(b)) ?? 0);
  });
  const master = ranked[0]!;
  const vrid = master.instance.virtualRouterId;
  const mHealthy = healthy(master.instance);
  for (const backup of ranked.slice(1)) {
    const bHealthy = healthy(backup.instance);
    for (const s of master.instance.trackScript) {
      const after = failed(master.instance, s);
      if (after === undefined || master.instance.priority === 255) continue;
      const at = { host: master.host.host, ref: s.ref };
      const hosts = [master.host.host, backup.host.host];
      const arithmetic = `${mHealthy}${after >= mHealthy ? '+' : '-'}${Math.abs(after - mHealthy)} = ${after}`;
      const needed = -(mHealthy - bHealthy + 1);
      if (after > bHealthy) {
        out.push({
          code: 'weight-no-failover',
          severity: 'warning',
          hosts,
          at,
          message: `VRID ${vrid}: when ${s.name} fails on ${where(master)}, its priority becomes ${arithmetic}, still above ${where(backup)}'s ${bHealthy}: the VIP stays on the failed node.`,
          why: 'A BACKUP only takes over when the master advertises a lower priority than its own.',
          fix: `Give ${s.name} a weight of ${needed} or lower on ${master.host.host} (or raise ${backup.host.host}'s priority), or use weight 0 to make a failure put the instance in FAULT.`,
        });
      } else if (after === bHealthy) {
        const cmp = compareIp(sourceIp(master), sourceIp(backup));
        const ipNote =
          cmp === undefined
            ? 'If both ever become MASTER (start-up, a healed partition) the higher IP address wins.'
            : `If both ever become MASTER (start-up, a healed partition) ${where(cmp > 0 ? master : backup)} wins by its higher IP address.`;
        out.push({
          code: 'weight-tie',
          severity: 'warning',
          hosts,
          at,
          message: `VRID ${vrid}: when ${s.name} fails on ${where(master)}, its priority becomes ${arithmetic}, equal to ${where(backup)}'s ${bHealthy}: a tie, not a failover.`,
          why: `A BACKUP never preempts a master of equal priority, so the VIP stays on the failed node. ${ipNote}`,
          fix: `Give ${s.name} a weight of ${needed} or lower on ${master.host.host}, so the failed master drops below ${bHealthy}.`,
        });
      }
    }
    for (const s of backup.instance.trackScript) {
      const after = failed(backup.instance, s);
      if (after === undefined || after <= bHealthy) continue;
      if (after > mHealthy) {
        out.push({
          code: 'weight-unexpected-failover',
          severity: 'warning',
          hosts: [backup.host.host, master.host.host],
          at: { host: backup.host.host, ref: s.ref },
          message: `VRID ${vrid}: when ${s.name} fails on ${where(backup)}, its priority rises to ${after}, above ${where(master)}'s ${mHealthy}: the backup takes the VIP because its own check failed.`,
          why: 'With `reverse` a failure adds to the priority instead of taking from it.',
          fix: `Drop \`reverse\` from ${s.name}'s weight on ${backup.host.host}, or make the weight negative.`,
        });
      }
    }
  }
  return out;
}

/** Scripts tracked with weight 0: a failure means FAULT, which users often do not expect (keepalived issue #484). */
export function faultScripts(group: readonly Member[]): LintFinding[] {
  const out: LintFinding[] = [];
  for (const m of group) {
    for (const s of m.instance.trackScript) {
      if (s.weight !== 0 || m.instance.priority === 255) continue;
      out.push({
        code: 'weight-zero-fault',
        severity: 'info',
        hosts: [m.host.host],
        at: { host: m.host.host, ref: s.ref },
        message: `${where(m)}: ${s.name} is tracked with weight 0 (keepalived's default): when it fails the instance enters FAULT.`,
        why: 'In FAULT the instance drops its VIPs and stops advertising, whatever the other routers do; the failover is certain but the node also stops being a backup.',
        fix: `If you meant to lower the priority instead, give ${s.name} a negative weight larger than the priority gap.`,
      });
    }
  }
  return out;
}
