import { familyOf, isInetAton, ipv4ToNumber } from './address';
import { ConfigErr } from './diagnostic';
import type { Draft, GlobalDraft } from './draft';
import type { Keyword, Parse } from './engine';
import { genericTable, keep } from './generic';
import { readDecimal, readInt, readUnsigned, trueFalse } from './numbers';

/** global_defs, read by keepalived's parent process (keepalived/core/global_parser.c). */

type P = Parse<Draft>;
const SECOND = 1_000_000;
const UINT_MAX = 4294967295;

function g(handler: (p: P, w: readonly string[], g: GlobalDraft) => void): Keyword<Draft> {
  return { handler: (p, w) => handler(p, w, p.state.global) };
}

function rep(p: P): (c: ConfigErr, t: string) => void {
  return (c, t) => p.report(c, t);
}

/** A global flag: bare keyword = on, or an explicit true/false word. */
function onOff(set: (g: GlobalDraft, v: boolean) => void): Keyword<Draft> {
  return g((p, w, gd) => {
    const v = w.length < 2 ? true : trueFalse(w[1]!);
    if (v === undefined) p.report(ConfigErr.GeneralError, `Invalid value for ${w[0]} specified`);
    else set(gd, v);
  });
}

function seconds(set: (g: GlobalDraft, us: number) => void): Keyword<Draft> {
  return g((p, w, gd) => {
    const v = readUnsigned(p.word(w, 1), 0, Math.floor(UINT_MAX / SECOND), rep(p));
    if (v === undefined) p.report(ConfigErr.GeneralError, `${w[0]} '${w[1]}' invalid - ignoring`);
    else set(gd, v * SECOND);
  });
}

function repeat(set: (g: GlobalDraft, n: number) => void, min: number): Keyword<Draft> {
  return g((p, w, gd) => {
    let v = readUnsigned(p.word(w, 1), 0, UINT_MAX, rep(p));
    if (v === undefined) {
      p.report(ConfigErr.GeneralError, `${w[0]} '${w[1]}' invalid - ignoring`);
      return;
    }
    if (v < min) {
      p.report(ConfigErr.GeneralError, `${w[0]} must be greater than 0, setting to 1`);
      v = 1;
    }
    set(gd, v);
  });
}

function mcastGroup(family: 4 | 6, set: (g: GlobalDraft, ip: string) => void): Keyword<Draft> {
  return g((p, w, gd) => {
    const ip = p.word(w, 1);
    const fam = familyOf(ip);
    const name = `vrrp_mcast_group${family}`;
    if (fam === undefined) {
      p.report(ConfigErr.GeneralError, `Can't parse ${name} [${ip}]. Skipping`);
    } else if (fam !== family) {
      p.report(ConfigErr.GeneralError, `${name} [${ip}] is not IPv${family}. Skipping`);
    } else if (family === 4 && (ipv4ToNumber(ip) < 0xe0000000 || ipv4ToNumber(ip) > 0xefffffff)) {
      p.report(ConfigErr.GeneralError, `${name} [${ip}] is not multicast. Skipping`);
    } else if (family === 6 && !/^ff/i.test(ip)) {
      p.report(ConfigErr.GeneralError, `${name} [${ip}] is not multicast. Skipping`);
    } else {
      set(gd, ip);
    }
  });
}

export const GLOBAL_DEFS = genericTable(
  'global_defs',
  {
  router_id: g((p, w, gd) => {
    if (w.length < 2) p.report(ConfigErr.GeneralError, 'routerid name missing - ignoring');
    else gd.routerId = w[1]!;
  }),
  notification_email: g((p, w, gd) => {
    const before = gd.notificationEmail.length;
    for (const line of p.valueLines(w)) gd.notificationEmail.push(...line);
    if (gd.notificationEmail.length === before) p.report(ConfigErr.GeneralError, 'Warning - empty notification_email block');
  }),
  notification_email_from: g((p, w, gd) => {
    if (w.length < 2) p.report(ConfigErr.GeneralError, 'emailfrom missing - ignoring');
    else gd.notificationEmailFrom = w[1]!;
  }),
  smtp_server: g((p, w, gd) => {
    const host = p.word(w, 1);
    const port = w[2] ?? '25';
    // an address is tried first, then a name: a bad port is read (and reported) by both attempts
    let portOk = readUnsigned(port, 1, 65535, rep(p)) !== undefined;
    if (!portOk && !/[-/]/.test(host)) portOk = readUnsigned(port, 1, 65535, rep(p)) !== undefined;
    // not an address: keepalived resolves it with getaddrinfo, which also takes inet_aton forms ("10.1");
    // there is no DNS in a simulation, so any name with a letter is taken to resolve
    const name = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.?$/.test(host) && /[A-Za-z]/.test(host.replace(/\.$/, '').split('.').pop()!);
    const ok = portOk && (familyOf(host) !== undefined || isInetAton(host) || name);
    if (!ok) p.report(ConfigErr.GeneralError, `Invalid smtp server ${host} ${port}`);
    else gd.smtpServer = host;
  }),
  smtp_connect_timeout: g((p, w, gd) => {
    const v = readUnsigned(p.word(w, 1), 0, Math.floor(UINT_MAX / SECOND), rep(p));
    if (v === undefined) {
      p.report(ConfigErr.GeneralError, `smtp_connect_timeout '${w[1]}' must be in [0, ${Math.floor(UINT_MAX / SECOND)}] - ignoring`);
      return;
    }
    // keepalived's own spelling
    if (v === 0) p.report(ConfigErr.GeneralError, 'smtp_conect_timeout must be greater than 0, setting to 1');
    gd.smtpConnectTimeout = Math.max(1, v) * SECOND;
  }),
  enable_script_security: g((_p, _w, gd) => {
    gd.enableScriptSecurity = true;
  }),
  script_user: g((p, w, gd) => {
    if (w.length < 2) {
      p.report(ConfigErr.GeneralError, 'No script username specified');
      return;
    }
    gd.scriptUser = w[1]!;
    p.state.defaultUser = p.state.userExists(w[1]!) ? 'ok' : 'fail';
    if (p.state.defaultUser === 'fail') p.report(ConfigErr.GeneralError, 'Error setting global script uid/gid');
  }),
  vrrp_version: g((p, w, gd) => {
    const v = readInt(p.word(w, 1), 2, 3, rep(p));
    if (v === undefined) p.report(ConfigErr.GeneralError, 'VRRP Error: Version must be either 2 or 3');
    else gd.vrrpVersion = v as 2 | 3;
  }),
  vrrp_strict: g((_p, _w, gd) => {
    gd.vrrpStrict = true;
  }),
  vrrp_mcast_group4: mcastGroup(4, (gd, ip) => (gd.vrrpMcastGroup4 = ip)),
  vrrp_mcast_group6: mcastGroup(6, (gd, ip) => (gd.vrrpMcastGroup6 = ip)),
  vrrp_startup_delay: g((p, w, gd) => {
    const v = readDecimal(p.word(w, 1), SECOND / 1000, UINT_MAX, 6, rep(p));
    if (v === undefined) p.report(ConfigErr.GeneralError, `vrrp_startup_delay '${w[1]}' is invalid`);
    else gd.vrrpStartupDelay = v;
  }),
  vrrp_garp_master_delay: seconds((gd, v) => (gd.vrrpGarpMasterDelay = v)),
  vrrp_garp_master_repeat: repeat((gd, v) => (gd.vrrpGarpMasterRepeat = v), 1),
  vrrp_garp_master_refresh: g((p, w, gd) => {
    const v = readUnsigned(p.word(w, 1), 0, UINT_MAX, rep(p));
    if (v === undefined) p.report(ConfigErr.GeneralError, `Invalid vrrp_garp_master_refresh '${w[1]}' - ignoring`);
    gd.vrrpGarpMasterRefresh = (v ?? 0) * SECOND;
  }),
  vrrp_garp_master_refresh_repeat: repeat((gd, v) => (gd.vrrpGarpMasterRefreshRepeat = v), 1),
  vrrp_garp_lower_prio_delay: seconds((gd, v) => (gd.vrrpGarpLowerPrioDelay = v)),
  vrrp_garp_lower_prio_repeat: repeat((gd, v) => (gd.vrrpGarpLowerPrioRepeat = v), 0),
  vrrp_garp_interval: g((p, w, gd) => {
    const v = readDecimal(p.word(w, 1), 1, UINT_MAX, 6, rep(p));
    if (v === undefined) p.report(ConfigErr.GeneralError, `vrrp_garp_interval '${w[1]}' is invalid`);
    else gd.vrrpGarpInterval = v;
  }),
  vrrp_gna_interval: g((p, w, gd) => {
    const v = readDecimal(p.word(w, 1), 1, UINT_MAX, 6, rep(p));
    if (v === undefined) p.report(ConfigErr.GeneralError, `vrrp_gna_interval '${w[1]}' is invalid`);
    else gd.vrrpGnaInterval = v;
  }),
  vrrp_min_garp: onOff((gd, v) => (gd.vrrpMinGarp = v)),
  vrrp_lower_prio_no_advert: onOff((gd, v) => (gd.vrrpLowerPrioNoAdvert = v)),
  vrrp_higher_prio_send_advert: onOff((gd, v) => (gd.vrrpHigherPrioSendAdvert = v)),
  vrrp_down_timer_adverts: g((p, w, gd) => {
    const v = readUnsigned(p.word(w, 1), 1, 100, rep(p));
    if (v === undefined) p.report(ConfigErr.GeneralError, `Invalid vrrp_down_timer_adverts [1:100] '${w[1]}'`);
    else gd.vrrpDownTimerAdverts = v;
  }),
  vrrp_skip_check_adv_addr: onOff((gd, v) => (gd.vrrpSkipCheckAdvAddr = v)),
  vrrp_check_unicast_src: g((_p, _w, gd) => {
    gd.vrrpCheckUnicastSrc = true;
  }),
  log_unknown_vrids: g((_p, _w, gd) => {
    gd.logUnknownVrids = true;
  }),
  checker_log_all_failures: onOff((gd, v) => (gd.checkerLogAllFailures = v)),
  dynamic_interfaces: g((_p, _w, gd) => {
    gd.dynamicInterfaces = true;
  }),
  lvs_flush: g((_p, _w, gd) => {
    gd.lvsFlush = true;
  }),
  lvs_sync_daemon: g((p, w, gd) => {
    if (gd.lvsSyncDaemon) {
      p.report(
        ConfigErr.GeneralError,
        `lvs_sync_daemon has already been specified as ${gd.lvsSyncDaemon.interface} ${gd.lvsSyncDaemon.instance} - ignoring`,
      );
      return;
    }
    if (w.length < 2) {
      p.report(ConfigErr.GeneralError, 'lvs_sync_daemon requires interface');
      return;
    }
    let instance = '';
    let syncId: number | undefined;
    const syncid = (text: string): number | undefined => {
      const v = readUnsigned(text, 0, 255, rep(p));
      if (v === undefined) p.report(ConfigErr.GeneralError, `Invalid syncid (${text}) - defaulting to vrid`);
      return v;
    };
    for (let i = 2; i < w.length; i++) {
      if (w[i] === 'inst' && w[i + 1] !== undefined) instance = w[++i]!;
      else if (w[i] === 'id' && w[i + 1] !== undefined) syncId = syncid(w[++i]!);
      else if (i === 2) instance = w[i]!;
      else if (i === 3) {
        syncId = syncid(w[i]!);
        if (syncId !== undefined) p.report(ConfigErr.GeneralError, 'Please use keyword "id" before lvs_sync_daemon SYNCID');
      } else p.report(ConfigErr.GeneralError, `Unknown option ${w[i]} specified for lvs_sync_daemon`);
    }
    gd.lvsSyncDaemon = syncId === undefined ? { interface: w[1]!, instance } : { interface: w[1]!, instance, syncId };
  }),
  max_auto_priority: g((p, w, gd) => {
    if (w.length < 2) {
      gd.maxAutoPriority = 99;
      return;
    }
    const v = readInt(w[1]!, -1, 99, rep(p));
    if (v === undefined) p.report(ConfigErr.GeneralError, `max_auto_priority '${w[1]}' must be in [0, 99] (or -1 to disable) - ignoring`);
    else gd.maxAutoPriority = v;
  }),
},
  (p) => p.state.global.extra,
);

/** Top-level keywords of the parent process that vrrpsim checks (the others are kept as they are). */
export const PARENT_ROOTS: Record<string, Keyword<Draft>> = {
  net_namespace: {
    handler: (p, w) => {
      if (w.length < 2) p.report(ConfigErr.GeneralError, 'net_namespace name missing - ignoring');
      else if (p.state.extra['net_namespace']) p.report(ConfigErr.GeneralError, `Duplicate net_namespace definition ${w[1]} - ignoring`);
      else keep(p, w, p.state.extra);
    },
  },
  instance: {
    handler: (p, w) => {
      if (w.length < 2) p.report(ConfigErr.GeneralError, 'instance name missing - ignoring');
      else if (p.state.extra['instance']) p.report(ConfigErr.GeneralError, `Duplicate instance definition ${w[1]} - ignoring`);
      else keep(p, w, p.state.extra);
    },
  },
  child_wait_time: {
    handler: (p, w) => {
      const v = readUnsigned(p.word(w, 1), 0, UINT_MAX, rep(p));
      if (v === undefined) p.report(ConfigErr.GeneralError, `Invalid child_wait_time ${w[1]}`);
      else keep(p, w, p.state.extra);
    },
  },
};
