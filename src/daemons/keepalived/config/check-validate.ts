import { formatServer, formatVs, formatVsge } from './check-keywords';
import { ConfigErr } from './diagnostic';
import type { CheckerDraft, Draft, RealServerDraft, VirtualServerDraft } from './draft';
import type { Parse } from './engine';
import type { Checker, RealServer, VirtualServer } from './model';

/**
 * The checker process's checks once the file is read (keepalived/check/check_data.c
 * `validate_check_config`, `check_check_script_security`), and the defaults they fill in.
 */

const SECOND = 1_000_000;

export function validateCheck(p: Parse<Draft>): VirtualServer[] {
  const d = p.state;
  const out: VirtualServer[] = [];
  const say = (text: string): void => p.reportPlain(ConfigErr.GeneralError, text);
  // keepalived drops (silently under -t) a virtual server whose group is not configured
  const known = d.virtualServers.filter((v) => v.address.kind !== 'group' || d.vsGroups.some((g) => g.name === (v.address as { group: string }).group));
  d.virtualServers.splice(0, d.virtualServers.length, ...known);
  for (const v of d.virtualServers) {
    if (v.realServers.length === 0) {
      say(`Virtual server ${formatVs(v)} has no real servers - ignoring`);
      continue;
    }
    const group = v.address.kind === 'group' ? d.vsGroups.find((g) => g.name === (v.address as { group: string }).group) : undefined;
    const groupHasAddr = group?.entries.some((e) => e.kind === 'range') ?? false;
    const groupHasFwmark = group?.entries.some((e) => e.kind === 'fwmark') ?? false;
    const isFwmark = v.address.kind === 'fwmark';
    if (v.haSuspend && (isFwmark || groupHasFwmark)) {
      say(`Virtual server ${formatVs(v)}: cannot use ha_suspend with fwmarks - clearing ha_suspend`);
      v.haSuspend = false;
    }
    if ((group && groupHasAddr) || (!group && !isFwmark && v.address.kind === 'ip')) {
      if (!v.protocol) {
        say(`Virtual server ${formatVs(v)}: no protocol set - defaulting to UDP`);
        v.protocol = 'UDP';
      }
      if (!v.persistenceTimeout && v.address.kind === 'ip' && v.address.port === 0) {
        say(`Virtual server ${formatVs(v)}: zero port only valid for persistent services - setting`);
        v.persistenceTimeout = 360 * SECOND;
      }
    }
    if (!v.persistenceTimeout && group?.entries.some((e) => e.kind === 'range' && !e.port)) {
      say(`Virtual server ${formatVs(v)}: zero port only valid for persistent services - setting`);
      v.persistenceTimeout = 360 * SECOND;
    }
    if (v.protocol && ((group && !groupHasAddr && groupHasFwmark) || (!group && isFwmark))) {
      say(`Warning: Virtual server ${formatVs(v)}: protocol specified for fwmark - protocol will be ignored`);
      delete v.protocol;
    }
    if (!v.lbAlgo) {
      say(`Virtual server ${formatVs(v)}: no scheduler set, setting default 'wlc'`);
      v.lbAlgo = 'wlc';
    }
    const kept: RealServerDraft[] = [];
    let weightSum = 0;
    for (const r of v.realServers) {
      if (kept.some((k) => k.ip === r.ip && k.port === r.port)) {
        say(`VS ${formatVs(v)}: real server ${formatServer(r.ip, r.port, v)} is duplicated - removing second rs`);
        continue;
      }
      if (!r.lvsMethod) {
        if (!v.lbKind) {
          say(`Virtual server ${formatVs(v)}: no forwarding method set, setting default NAT`);
          v.lbKind = 'NAT';
        }
        r.lvsMethod = v.lbKind;
      }
      weightSum += r.weight ?? v.weight ?? 1;
      kept.push(r);
    }
    v.realServers = kept;
    if (v.sorryServer && !v.lbKind) {
      say(`Virtual server ${formatVs(v)}: no forwarding method set, setting default NAT`);
      v.lbKind = 'NAT';
    }
    const quorum = v.quorum ?? 1;
    if (quorum > weightSum) {
      say(`Warning - quorum ${quorum} for ${formatVs(v)} exceeds total weight of real servers ${weightSum}, reducing quorum to ${weightSum}`);
      v.quorum = weightSum;
    }
    const q = v.quorum ?? 1;
    if ((v.hysteresis ?? 0) >= q) {
      say(`Virtual server ${formatVs(v)}: hysteresis ${v.hysteresis ?? 0} >= quorum ${q}; setting hysteresis to ${q - 1}`);
      v.hysteresis = q - 1;
    }
    portChecks(p, v, group?.entries ?? [], !!group, groupHasFwmark);
    out.push(finishVs(v));
  }
  checkScriptSecurity(p);
  return out;
}

function portChecks(
  p: Parse<Draft>,
  v: VirtualServerDraft,
  entries: readonly { kind: string; port?: number; ip?: string; last?: number }[],
  isGroup: boolean,
  groupHasFwmark: boolean,
): void {
  const say = (text: string): void => p.reportPlain(ConfigErr.GeneralError, text);
  if (isGroup) {
    if (groupHasFwmark) {
      for (const r of v.realServers) {
        if (r.lvsMethod === 'NAT') continue;
        if (r.port) {
          say(`WARNING - fwmark virtual server ${formatVs(v)}, real server ${formatServer(r.ip, r.port, v)} has port specified - port will be ignored`);
        }
      }
    }
    for (const e of entries) {
      if (e.kind !== 'range') continue;
      for (const r of v.realServers) {
        if (r.lvsMethod === 'NAT') continue;
        if (r.port && (e.port ?? 0) !== r.port) {
          say(`virtual server ${formatVs(v)}:[${formatVsge(e)}] and real server ${formatServer(r.ip, r.port, v)} ports don't match`);
        }
      }
    }
    return;
  }
  const vsPort = v.address.kind === 'ip' ? v.address.port : 0;
  for (const r of v.realServers) {
    if (r.lvsMethod === 'NAT') {
      if (v.address.kind === 'ip' && !r.port) r.port = vsPort;
      continue;
    }
    if (v.address.kind === 'fwmark') {
      if (r.port) {
        say(`WARNING - fwmark virtual server ${formatVs(v)}, real server ${formatServer(r.ip, r.port, v)} has port specified - clearing`);
        r.port = 0;
      }
    } else if (!r.port) {
      r.port = vsPort;
    } else if (r.port !== vsPort) {
      say(`WARNING - virtual server ${formatVs(v)} and real server ${formatServer(r.ip, r.port, v)} ports don't match - resetting`);
      r.port = vsPort;
    }
  }
  const sorry = v.sorryServer;
  if (sorry && v.lbKind !== 'NAT') {
    if (v.address.kind === 'fwmark') {
      if (sorry.port) {
        say(`WARNING - virtual server ${formatVs(v)}, sorry server has port specified - clearing`);
        sorry.port = 0;
      }
    } else if (!sorry.port) {
      sorry.port = vsPort;
    } else if (sorry.port !== vsPort) {
      say(`WARNING - virtual server ${formatVs(v)} and sorry server ports don't match - resetting`);
      sorry.port = vsPort;
    }
  }
}

function checkScriptSecurity(p: Parse<Draft>): void {
  const d = p.state;
  const commands: string[][] = [];
  for (const v of d.virtualServers) {
    if (v.quorumUp) commands.push(v.quorumUp);
    if (v.quorumDown) commands.push(v.quorumDown);
    for (const r of v.realServers) {
      if (r.notifyUp) commands.push(r.notifyUp);
      if (r.notifyDown) commands.push(r.notifyDown);
      for (const c of r.checkers) if (c.kind === 'MISC_CHECK' && !c.dropped) commands.push(c.miscPath);
    }
  }
  const runs = commands.some((c) => c.length > 0 && d.scriptExists(c[0]!.split(/[ \t]+/)[0]!));
  if (runs && !d.global.enableScriptSecurity) {
    p.reportPlain(ConfigErr.SecurityError, 'SECURITY VIOLATION - check scripts are being executed but script_security not enabled.');
  }
}

function finishVs(v: VirtualServerDraft): VirtualServer {
  const delayLoop = v.delayLoop ?? 60 * SECOND;
  return {
    ref: v.ref,
    address: v.address,
    delayLoop,
    lbAlgo: v.lbAlgo ?? 'wlc',
    lbKind: v.lbKind ?? 'NAT',
    protocol: v.protocol ?? 'UDP',
    persistenceTimeout: v.persistenceTimeout ?? 0,
    quorum: v.quorum ?? 1,
    hysteresis: v.hysteresis ?? 0,
    sorryServerInhibit: v.sorryServerInhibit,
    inhibitOnFailure: v.inhibitOnFailure ?? false,
    alpha: v.alpha ?? false,
    omega: v.omega,
    haSuspend: v.haSuspend,
    realServers: v.realServers.map((r) => finishRs(r, v, delayLoop)),
    extra: v.extra,
    ...(v.ipFamily !== undefined ? { ipFamily: v.ipFamily } : {}),
    ...(v.persistenceGranularity !== undefined ? { persistenceGranularity: v.persistenceGranularity } : {}),
    ...(v.persistenceEngine !== undefined ? { persistenceEngine: v.persistenceEngine } : {}),
    ...(v.quorumUp ? { quorumUp: v.quorumUp.join(' ') } : {}),
    ...(v.quorumDown ? { quorumDown: v.quorumDown.join(' ') } : {}),
    ...(v.sorryServer
      ? { sorryServer: { ip: v.sorryServer.ip, port: v.sorryServer.port ?? (v.address.kind === 'ip' ? v.address.port : 0) } }
      : {}),
    ...(v.virtualhost !== undefined ? { virtualhost: v.virtualhost } : {}),
  };
}

function finishRs(r: RealServerDraft, v: VirtualServerDraft, vsDelayLoop: number): RealServer {
  const delayLoop = r.delayLoop ?? vsDelayLoop;
  return {
    ref: r.ref,
    ip: r.ip,
    port: r.port ?? 0,
    weight: r.weight ?? v.weight ?? 1,
    checkers: r.checkers.filter((c) => !c.dropped).map((c) => finishChecker(c, r, v, delayLoop)),
    extra: r.extra,
    ...(r.lvsMethod !== undefined ? { lvsMethod: r.lvsMethod } : {}),
    ...(r.inhibitOnFailure !== undefined ? { inhibitOnFailure: r.inhibitOnFailure } : {}),
    ...(r.notifyUp ? { notifyUp: r.notifyUp.join(' ') } : {}),
    ...(r.notifyDown ? { notifyDown: r.notifyDown.join(' ') } : {}),
    ...(r.uthreshold !== undefined ? { uthreshold: r.uthreshold } : {}),
    ...(r.lthreshold !== undefined ? { lthreshold: r.lthreshold } : {}),
  };
}

/** Checker value → real server → virtual server → checker-type default (keepalived's inheritance). */
function finishChecker(c: CheckerDraft, r: RealServerDraft, v: VirtualServerDraft, delayLoop: number): Checker {
  const http = c.kind === 'HTTP_GET' || c.kind === 'SSL_GET';
  const loop = c.delayLoop ?? delayLoop;
  const defaultRetry = c.kind === 'MISC_CHECK' ? 0 : c.kind === 'DNS_CHECK' ? 3 : 1;
  const defaultDbr = http ? 3 * SECOND : c.kind === 'DNS_CHECK' ? loop : SECOND;
  const out: Record<string, unknown> = {
    kind: c.kind,
    ref: c.ref,
    connectTimeout: c.connectTimeout ?? r.connectTimeout ?? v.connectTimeout ?? 5 * SECOND,
    retry: c.retry ?? r.retry ?? v.retry ?? defaultRetry,
    delayBeforeRetry: c.delayBeforeRetry ?? r.delayBeforeRetry ?? v.delayBeforeRetry ?? defaultDbr,
    warmup: c.warmup ?? r.warmup ?? v.warmup ?? loop,
    delayLoop: loop,
    alpha: c.alpha ?? r.alpha ?? v.alpha ?? false,
    logAllFailures: c.logAllFailures ?? false,
    extra: c.extra,
  };
  const optional: [string, unknown][] = [
    ['connectIp', c.connectIp],
    ['connectPort', c.connectPort],
    ['bindto', c.bindto],
    ['bindPort', c.bindPort],
    ['bindIf', c.bindIf],
    ['fwmark', c.fwmark],
  ];
  if (http) {
    out['urls'] = c.urls.map((u) => (u.statusCode.length ? u : { ...u, statusCode: DEFAULT_STATUS }));
    out['httpProtocol'] = c.httpProtocol ?? '1.0';
    out['enableSni'] = c.enableSni;
    out['fastRecovery'] = c.fastRecovery;
    optional.push(['virtualhost', c.virtualhost ?? r.virtualhost ?? v.virtualhost]);
  } else if (c.kind === 'MISC_CHECK') {
    out['miscPath'] = c.miscPath;
    out['miscTimeout'] = c.miscTimeout ?? 0;
    out['miscDynamic'] = c.miscDynamic;
    optional.push(['user', c.user]);
  } else {
    optional.push(['target', c.target]);
  }
  for (const [k, val] of optional) if (val !== undefined) out[k] = val;
  return out as unknown as Checker;
}

const DEFAULT_STATUS = [{ from: 200, to: 299 }] as const;
