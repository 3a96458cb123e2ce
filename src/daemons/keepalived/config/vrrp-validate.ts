import { ConfigErr } from './diagnostic';
import type { Draft, InstanceDraft, NotifyKind } from './draft';
import type { Parse } from './engine';
import type { GlobalDefs, VrrpInstance, VrrpScript, VrrpSyncGroup } from './model';

/**
 * The VRRP process's checks once the file is read (keepalived/vrrp/vrrp.c `vrrp_complete_init`,
 * `chk_min_cfg`, `vrrp_complete_instance`; vrrp_sync.c; vrrp_daemon.c), in keepalived's order, and the
 * defaults they fill in. `keepalived -t` stops at the first fatal one; so does this.
 */

const SECOND = 1_000_000;

export function completeGlobal(d: Draft): GlobalDefs {
  const g = d.global;
  // vrrp_min_garp changes only the values not set explicitly
  const garpDelay = g.vrrpGarpMasterDelay ?? (g.vrrpMinGarp ? 0 : 5 * SECOND);
  const garpRepeat = g.vrrpGarpMasterRepeat ?? (g.vrrpMinGarp ? 1 : 5);
  const out: GlobalDefs = {
    notificationEmail: g.notificationEmail,
    smtpConnectTimeout: g.smtpConnectTimeout ?? 30 * SECOND,
    enableScriptSecurity: g.enableScriptSecurity,
    vrrpVersion: g.vrrpVersion ?? 2,
    vrrpStrict: g.vrrpStrict,
    vrrpMcastGroup4: g.vrrpMcastGroup4 ?? '224.0.0.18',
    vrrpMcastGroup6: g.vrrpMcastGroup6 ?? 'ff02::12',
    vrrpStartupDelay: g.vrrpStartupDelay ?? 0,
    vrrpGarpMasterDelay: garpDelay,
    vrrpGarpMasterRepeat: garpRepeat,
    vrrpGarpMasterRefresh: g.vrrpGarpMasterRefresh ?? 0,
    vrrpGarpMasterRefreshRepeat: g.vrrpGarpMasterRefreshRepeat ?? (g.vrrpMinGarp ? 0 : 1),
    vrrpGarpLowerPrioDelay: g.vrrpGarpLowerPrioDelay ?? garpDelay,
    vrrpGarpLowerPrioRepeat: g.vrrpGarpLowerPrioRepeat ?? garpRepeat,
    vrrpGarpInterval: g.vrrpGarpInterval ?? 0,
    vrrpGnaInterval: g.vrrpGnaInterval ?? 0,
    vrrpMinGarp: g.vrrpMinGarp,
    vrrpLowerPrioNoAdvert: g.vrrpLowerPrioNoAdvert ?? false,
    vrrpHigherPrioSendAdvert: g.vrrpHigherPrioSendAdvert ?? false,
    vrrpDownTimerAdverts: g.vrrpDownTimerAdverts ?? 3,
    vrrpSkipCheckAdvAddr: g.vrrpSkipCheckAdvAddr,
    vrrpCheckUnicastSrc: g.vrrpCheckUnicastSrc,
    logUnknownVrids: g.logUnknownVrids,
    checkerLogAllFailures: g.checkerLogAllFailures,
    lvsFlush: g.lvsFlush,
    extra: g.extra,
    ...(g.routerId !== undefined ? { routerId: g.routerId } : {}),
    ...(g.notificationEmailFrom !== undefined ? { notificationEmailFrom: g.notificationEmailFrom } : {}),
    ...(g.smtpServer !== undefined ? { smtpServer: g.smtpServer } : {}),
    ...(g.scriptUser !== undefined ? { scriptUser: g.scriptUser } : {}),
    ...(g.maxAutoPriority !== undefined ? { maxAutoPriority: g.maxAutoPriority } : {}),
  };
  const syncd = g.lvsSyncDaemon ?? g.lvsSyncdFromInstance;
  return syncd ? { ...out, lvsSyncDaemon: syncd } : out;
}

const NOTIFY_KINDS: readonly NotifyKind[] = ['backup', 'master', 'fault', 'stop', 'deleted', 'notify', 'masterRxLowerPri'];

/** check_vrrp_script_security: any script that would really run needs enable_script_security. */
function scriptSecurity(p: Parse<Draft>): void {
  const d = p.state;
  if (d.instances.length === 0) return;
  const commands: string[][] = [];
  for (const s of [...d.scripts]) {
    if (s.script.length > 0 && d.scriptExists(s.script[0]!.split(/[ \t]+/)[0]!)) {
      commands.push(s.script);
      continue;
    }
    p.reportPlain(ConfigErr.GeneralError, `Disabling track script ${s.name} since not found/accessible`);
    d.scripts.splice(d.scripts.indexOf(s), 1);
    for (const vi of d.instances) vi.trackScript = vi.trackScript.filter((t) => t.name !== s.name);
    for (const g of d.syncGroups) g.trackScript = g.trackScript.filter((t) => t.name !== s.name);
  }
  for (const vi of d.instances) for (const k of NOTIFY_KINDS) if (vi.notify[k]) commands.push(vi.notify[k]!);
  for (const g of d.syncGroups) for (const k of NOTIFY_KINDS) if (g.notify[k]) commands.push(g.notify[k]!);
  const runs = commands.some((c) => c.length > 0 && d.scriptExists(c[0]!.split(/[ \t]+/)[0]!));
  if (runs && !d.global.enableScriptSecurity) {
    p.reportPlain(ConfigErr.SecurityError, 'SECURITY VIOLATION - scripts are being executed but script_security not enabled.');
  }
}

interface Completed {
  readonly instances: VrrpInstance[];
  readonly scripts: VrrpScript[];
  readonly syncGroups: VrrpSyncGroup[];
}

/** Runs the VRRP process's post-parse checks; returns the completed model parts. */
export function validateVrrp(p: Parse<Draft>, global: GlobalDefs): Completed {
  const d = p.state;
  const scripts = d.scripts.map(
    (s): VrrpScript => ({
      name: s.name,
      ref: s.ref,
      script: s.script,
      interval: s.interval ?? SECOND,
      timeout: s.timeout ?? 0,
      weight: s.weight,
      weightReverse: s.weightReverse,
      rise: s.rise ?? 1,
      fall: s.fall ?? 1,
      initFail: s.initFail,
      ...(s.user !== undefined ? { user: s.user } : {}),
    }),
  );
  const groupOf = new Map<string, string>();
  const syncGroups: VrrpSyncGroup[] = [];
  // what was written, before the checks below fill in keepalived's defaults
  const written = new Map(d.instances.map((vi) => [vi, { state: vi.state !== undefined, priority: vi.priority !== undefined }]));
  const result = (): Completed => ({
    instances: d.instances.map((vi) => finish(vi, global, groupOf, written.get(vi)!)),
    scripts,
    syncGroups,
  });

  if (d.nonExistentInterface) {
    p.reportPlain(ConfigErr.BadIf, 'Non-existent interface specified in configuration');
    return result();
  }
  scriptSecurity(p);
  for (const vi of d.instances) {
    if (vi.vrid === undefined) {
      p.reportPlain(ConfigErr.GeneralError, `(${vi.name}) the virtual router id must be set`);
      return result();
    }
    // keepalived 2.2.7 checks this before it marks unicast instances as such
    if (vi.interface === undefined) {
      p.reportPlain(ConfigErr.GeneralError, `(${vi.name}) Unknown interface!`);
      return result();
    }
  }
  for (const g of d.syncGroups) {
    if (!g.group) {
      p.reportPlain(ConfigErr.GeneralError, `Sync group ${g.name} has no virtual router(s). removing`);
      continue;
    }
    const members: string[] = [];
    for (const name of g.group) {
      if (!d.instances.some((i) => i.name === name)) {
        p.reportPlain(ConfigErr.GeneralError, `Virtual router ${name} specified in sync group ${g.name} doesn't exist - ignoring`);
        continue;
      }
      if (groupOf.has(name)) {
        p.reportPlain(ConfigErr.GeneralError, `Virtual router ${name} cannot exist in more than one sync group; ignoring ${g.name}`);
        continue;
      }
      groupOf.set(name, g.name);
      members.push(name);
    }
    if (members.length === 0) {
      p.reportPlain(ConfigErr.GeneralError, `Sync group ${g.name}, no matching virtual router found in group declaration - removing`);
      continue;
    }
    if (members.length === 1) {
      p.reportPlain(ConfigErr.GeneralError, `Sync group ${g.name} has only 1 virtual router(s) - this probably isn't what you want`);
    }
    syncGroups.push({
      name: g.name,
      ref: g.ref,
      group: members,
      trackInterface: g.trackInterface,
      trackScript: g.trackScript,
      syncGroupTrackingWeight: g.trackingWeight,
      extra: g.extra,
      ...notifyFields(g.notify),
    });
  }
  for (const vi of d.instances) {
    if (!completeInstance(p, vi, global, groupOf)) return result();
  }
  vridConflicts(p, d.instances);
  return result();
}

function notifyFields(n: Partial<Record<NotifyKind, string[]>>): {
  notifyMaster?: string;
  notifyBackup?: string;
  notifyFault?: string;
  notifyStop?: string;
  notify?: string;
} {
  const out: Record<string, string> = {};
  if (n.master) out['notifyMaster'] = n.master.join(' ');
  if (n.backup) out['notifyBackup'] = n.backup.join(' ');
  if (n.fault) out['notifyFault'] = n.fault.join(' ');
  if (n.stop) out['notifyStop'] = n.stop.join(' ');
  if (n.notify) out['notify'] = n.notify.join(' ');
  return out;
}

/** vrrp_complete_instance's messages; mutates the draft the way keepalived corrects the instance. */
function completeInstance(p: Parse<Draft>, vi: InstanceDraft, global: GlobalDefs, groupOf: Map<string, string>): boolean {
  const say = (text: string, cat = ConfigErr.GeneralError): void => p.reportPlain(cat, `(${vi.name}) ${text}`);
  const strict = vi.strictMode ?? global.vrrpStrict;
  if (vi.family === 6) {
    if (vi.version === 2 && strict) {
      say('cannot use IPv6 with VRRP version 2; setting version 3');
      vi.version = 3;
    } else if (vi.version === undefined) vi.version = 3;
  }
  vi.family ??= 4;
  vi.version ??= global.vrrpVersion;
  if (vi.vips.length === 0) {
    if (vi.version === 3 || strict) {
      say('No VIP specified; at least one is required');
      return false;
    }
    say('No VIP specified; at least one is sensible');
  }
  vi.priority ??= vi.state === 'MASTER' ? 255 : 100;
  vi.state ??= vi.priority === 255 ? 'MASTER' : 'BACKUP';
  if (strict && (vi.state === 'MASTER') !== (vi.priority === 255)) {
    say('State MASTER must match being address owner');
    vi.state = vi.priority === 255 ? 'MASTER' : 'BACKUP';
  }
  if (vi.authType !== undefined) {
    if (strict) {
      say('Strict mode does not support authentication. Ignoring.');
      delete vi.authType;
    } else if (vi.version === 3) {
      say('VRRP version 3 does not support authentication. Ignoring.');
      delete vi.authType;
    } else if (!vi.authPass) {
      say('Authentication specified but no password given. Ignoring');
      delete vi.authType;
    } else if (vi.family === 6 && vi.authType === 'AH') {
      say('Cannot use AH authentication with IPv6. ignoring');
      delete vi.authType;
    } else if (vi.authType === 'AH' && vi.state === 'MASTER' && vi.priority !== 255) {
      say('Initial state master is incompatible with AH authentication - clearing');
      vi.state = 'BACKUP';
    }
  }
  if (vi.interface === undefined && vi.unicastSrcIp === undefined && vi.mcastSrcIp === undefined) {
    p.reportPlain(ConfigErr.GeneralError, `(${vi.name}): Unicast instances must have unicast_src_ip or interface`);
    return false;
  }
  if (vi.unicastConfigured && vi.unicastPeer.length === 0) {
    say(
      'A unicast keyword has been specified without any unicast peers. Defaulting to multicast. This usage is deprecated - please update your configuration.',
      ConfigErr.Deprecated,
    );
  }
  if (vi.priority === 255 && vi.nopreempt) {
    say('nopreempt is incompatible with priority 255. resetting nopreempt');
    vi.nopreempt = false;
  }
  if (vi.state === 'MASTER') {
    if (vi.nopreempt) {
      say('Warning - nopreempt will not work with initial state MASTER - clearing');
      vi.nopreempt = false;
    }
    if (vi.preemptDelay) {
      say('Warning - preempt delay will not work with initial state MASTER - clearing');
      vi.preemptDelay = 0;
    }
  }
  if (vi.preemptDelay) {
    if (strict) {
      say('preempt_delay is incompatible with strict mode - resetting');
      vi.preemptDelay = 0;
    }
    if (vi.nopreempt) {
      say('preempt_delay is incompatible with nopreempt mode - resetting');
      vi.preemptDelay = 0;
    }
  }
  if (vi.downTimerAdverts !== undefined && vi.downTimerAdverts !== 3 && strict) {
    say('down_timer_adverts is incompatible with strict mode - resetting');
    vi.downTimerAdverts = 3;
  }
  vi.accept ??= vi.priority === 255 ? true : !strict;
  if (vi.accept && vi.priority !== 255 && strict && vi.version === 2) {
    say('warning - accept mode for VRRP version 2 does not comply with RFC3768 - resetting');
    vi.accept = false;
  }
  if (vi.mcastDstIp !== undefined && vi.unicastPeer.length > 0) {
    say('multicast destination specified with unicast - ignoring');
  }
  if (strict && vi.garpLowerPrioRepeat) {
    say('Strict mode requires no repeat garps. resetting');
    vi.garpLowerPrioRepeat = 0;
  }
  if (strict && vi.garpLowerPrioDelay) {
    say('Strict mode requires no repeat garp delay. resetting');
    vi.garpLowerPrioDelay = 0;
  }
  if (strict && vi.lowerPrioNoAdvert === false) {
    say('Strict mode requires no lower priority advert. resetting');
    vi.lowerPrioNoAdvert = true;
  }
  if (strict && vi.higherPrioSendAdvert === true) {
    say('strict mode requires higher_prio_send_advert to be clear. resetting');
    vi.higherPrioSendAdvert = false;
  }
  vi.advertInt ??= SECOND;
  if (vi.version === 2) {
    if (vi.advertInt >= 256 * SECOND) {
      say(`VRRPv2 advertisement interval ${(vi.advertInt / SECOND).toFixed(2)}s is out of range. Must be less than 256s. Setting to 255s`);
      vi.advertInt = 255 * SECOND;
    } else if (vi.advertInt % SECOND) {
      say(`VRRPv2 advertisement interval ${(vi.advertInt / SECOND).toFixed(6)}s must be an integer. rounding`);
      vi.advertInt = Math.max(SECOND, Math.round(vi.advertInt / SECOND) * SECOND);
    }
  } else if (vi.advertInt >= 4096 * 10_000) {
    say(`VRRPv3 advertisement interval ${(vi.advertInt / SECOND).toFixed(2)}s is out of range. Must be less than 40.96s. Setting to 40.95s`);
    vi.advertInt = 4095 * 10_000;
  } else if (vi.advertInt % 10_000) {
    say(`VRRPv3 advertisement interval ${(vi.advertInt / SECOND).toFixed(6)}s must be in units of 10ms - rounding`);
    vi.advertInt = Math.max(10_000, Math.round(vi.advertInt / 10_000) * 10_000);
  }
  if (vi.interface !== undefined) {
    vi.trackInterface = vi.trackInterface.filter((t) => {
      if (t.name !== vi.interface) return true;
      say(`Ignoring track_interface ${t.name} since own interface`);
      return false;
    });
  }
  if (vi.vips.length === 0) say('No VIP specified; at least one is sensible', ConfigErr.Warning);
  const group = groupOf.get(vi.name);
  const syncNoWeight = group !== undefined && !p.state.syncGroups.find((g) => g.name === group)?.trackingWeight;
  if (syncNoWeight || vi.priority === 255) {
    const why = syncNoWeight ? 'SYNC group' : 'address owner';
    vi.trackInterface = vi.trackInterface.flatMap((t) => {
      if (!t.weight) return [t];
      say(`ignoring ${t.name} tracked interface ${syncNoWeight ? 'weight ' : ''}due to ${why}`);
      return syncNoWeight ? [{ ...t, weight: 0 }] : [];
    });
    vi.trackScript = vi.trackScript.filter((t) => {
      if (!t.weight) return true;
      say(`ignoring tracked script ${t.name} with weights due to ${syncNoWeight ? 'SYNC group' : 'address_owner'}`);
      return false;
    });
  }
  return true;
}

function vridConflicts(p: Parse<Draft>, instances: readonly InstanceDraft[]): void {
  for (let i = 0; i < instances.length; i++) {
    const a = instances[i]!;
    for (let j = i + 1; j < instances.length; j++) {
      const b = instances[j]!;
      if (a.family !== b.family || a.vrid !== b.vrid) continue;
      if ((a.unicastPeer.length > 0) !== (b.unicastPeer.length > 0)) continue;
      if (a.unicastPeer.length === 0 && a.interface !== undefined && a.interface === b.interface) {
        p.reportPlain(
          ConfigErr.GeneralError,
          `${a.name} and ${b.name} both use VRID ${a.vrid} with IPv${a.family ?? 4} on interface ${a.interface}`,
        );
      }
    }
  }
}

function finish(
  vi: InstanceDraft,
  global: GlobalDefs,
  groupOf: Map<string, string>,
  written: { state: boolean; priority: boolean },
): VrrpInstance {
  const strict = vi.strictMode ?? global.vrrpStrict;
  const priority = vi.priority ?? (vi.state === 'MASTER' ? 255 : 100);
  const version = vi.version ?? (vi.family === 6 ? 3 : global.vrrpVersion);
  const notify = notifyFields(vi.notify);
  const out: VrrpInstance = {
    name: vi.name,
    ref: vi.ref,
    state: vi.state ?? (priority === 255 ? 'MASTER' : 'BACKUP'),
    stateConfigured: written.state,
    virtualRouterId: vi.vrid ?? 0,
    priority,
    priorityConfigured: written.priority,
    version,
    advertInt: vi.advertInt ?? SECOND,
    virtualIpaddress: vi.vips,
    virtualIpaddressExcluded: vi.evips,
    trackInterface: vi.trackInterface,
    trackScript: vi.trackScript,
    trackFile: vi.trackFile,
    dontTrackPrimary: vi.dontTrackPrimary,
    unicastPeer: vi.unicastPeer,
    nopreempt: vi.nopreempt,
    preemptDelay: vi.preemptDelay ?? 0,
    garpMasterDelay: vi.garpMasterDelay ?? global.vrrpGarpMasterDelay,
    garpMasterRepeat: vi.garpMasterRepeat ?? global.vrrpGarpMasterRepeat,
    garpMasterRefresh: vi.garpMasterRefresh ?? global.vrrpGarpMasterRefresh,
    garpMasterRefreshRepeat: vi.garpMasterRefreshRepeat ?? global.vrrpGarpMasterRefreshRepeat,
    garpLowerPrioDelay: vi.garpLowerPrioDelay ?? (strict ? 0 : global.vrrpGarpLowerPrioDelay),
    garpLowerPrioRepeat: vi.garpLowerPrioRepeat ?? (strict ? 0 : global.vrrpGarpLowerPrioRepeat),
    lowerPrioNoAdvert: vi.lowerPrioNoAdvert ?? (strict ? true : global.vrrpLowerPrioNoAdvert),
    higherPrioSendAdvert: vi.higherPrioSendAdvert ?? (strict ? false : global.vrrpHigherPrioSendAdvert),
    downTimerAdverts: vi.downTimerAdverts ?? global.vrrpDownTimerAdverts,
    skipCheckAdvAddr: vi.skipCheckAdvAddr ?? global.vrrpSkipCheckAdvAddr,
    strictMode: strict,
    accept: vi.accept ?? (priority === 255 ? true : !strict),
    smtpAlert: vi.smtpAlert ?? false,
    extra: vi.extra,
    ...(vi.interface !== undefined ? { interface: vi.interface } : {}),
    ...(vi.authType !== undefined ? { authType: vi.authType } : {}),
    ...(vi.authPass !== undefined ? { authPass: vi.authPass } : {}),
    ...(vi.mcastSrcIp !== undefined ? { mcastSrcIp: vi.mcastSrcIp } : {}),
    ...(vi.mcastDstIp !== undefined && vi.unicastPeer.length === 0 ? { mcastDstIp: vi.mcastDstIp } : {}),
    ...(vi.unicastSrcIp !== undefined ? { unicastSrcIp: vi.unicastSrcIp } : {}),
    ...(vi.unicastTtl !== undefined ? { unicastTtl: vi.unicastTtl } : {}),
    ...(vi.useVmac !== undefined ? { useVmac: vi.useVmac } : {}),
    ...(vi.notify.deleted ? { notifyDeleted: vi.notify.deleted.join(' ') } : {}),
    ...(vi.notify.masterRxLowerPri ? { notifyMasterRxLowerPri: vi.notify.masterRxLowerPri.join(' ') } : {}),
    ...(groupOf.has(vi.name) ? { syncGroup: groupOf.get(vi.name)! } : {}),
    ...notify,
  };
  return out;
}
