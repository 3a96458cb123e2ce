import { familyOf, ipv4ToNumber } from './address';
import { ConfigErr } from './diagnostic';
import { type Draft, type InstanceDraft, type NotifyKind, type ScriptDraft, type SyncGroupDraft } from './draft';
import { table, type Keyword, type KeywordTable, type Parse } from './engine';
import { genericTable } from './generic';
import { interfaceExists } from './interfaces';
import { checkRoute, checkRule } from './routes';
import { defaultScriptUser, notifyArgs, scriptArgs } from './script-words';
import type { SourceRef, StaticLine, TrackedInterface, TrackedScriptRef, VirtualIp } from './model';
import { readDecimal, readInt, readUnsigned, trueFalse } from './numbers';

/** The keywords the VRRP process reads (keepalived/vrrp/vrrp_parser.c, trackers/track_file.c). */

type P = Parse<Draft>;
const SECOND = 1_000_000;
const UINT_MAX = 4294967295;
const TIMER_MAX_SEC = 1000;

function rep(p: P): (c: ConfigErr, t: string) => void {
  return (c, t) => p.report(c, t);
}

// A block's keywords can be reached without its object (keepalived's recovery from a missing `{` after
// a rejected block): they then act on a throwaway object, as nothing keepalived keeps is affected.

function lastInstance(p: P): InstanceDraft {
  return p.state.instances[p.state.instances.length - 1] ?? newInstance('', p.here());
}

function lastScript(p: P): ScriptDraft {
  return p.state.scripts[p.state.scripts.length - 1] ?? newScript('', p.here());
}

function lastGroup(p: P): SyncGroupDraft {
  return p.state.syncGroups[p.state.syncGroups.length - 1] ?? newGroup('', p.here());
}

// ---------------------------------------------------------------- vrrp_instance

function instanceKeyword(handler: (p: P, words: readonly string[], vi: InstanceDraft) => void): Keyword<Draft> {
  return { handler: (p, w) => handler(p, w, lastInstance(p)) };
}

function setNotify(kind: NotifyKind, keyword: string): Keyword<Draft> {
  return instanceKeyword((p, w, vi) => {
    if (vi.notify[kind]) {
      p.report(ConfigErr.GeneralError, `(${vi.name}) ${keyword} script already specified - ignoring ${p.word(w, 1)}`);
      return;
    }
    const args = notifyArgs(p, w);
    if (args) vi.notify[kind] = args;
  });
}

function flag(set: (vi: InstanceDraft, on: boolean) => void, name: string): Keyword<Draft> {
  return instanceKeyword((p, w, vi) => {
    if (w.length < 2) {
      set(vi, true);
      return;
    }
    const v = trueFalse(w[1]!);
    if (v === undefined) p.report(ConfigErr.GeneralError, `(${vi.name}) invalid ${name} ${w[1]} specified`);
    else set(vi, v);
  });
}

function garpDelay(set: (vi: InstanceDraft, v: number) => void, name: string): Keyword<Draft> {
  return instanceKeyword((p, w, vi) => {
    const v = readUnsigned(p.word(w, 1), 0, Math.floor(UINT_MAX / SECOND), rep(p));
    if (v === undefined) {
      p.report(ConfigErr.GeneralError, `(${vi.name}): ${name} '${w[1]}' invalid - ignoring`);
      return;
    }
    set(vi, v * SECOND);
  });
}

function garpRepeat(set: (vi: InstanceDraft, v: number) => void, name: string, min: number): Keyword<Draft> {
  return instanceKeyword((p, w, vi) => {
    let v = readUnsigned(p.word(w, 1), 0, UINT_MAX, rep(p));
    if (v === undefined) {
      p.report(ConfigErr.GeneralError, `(${vi.name}): ${name} '${w[1]}' invalid - ignoring`);
      return;
    }
    if (v < min) {
      p.report(ConfigErr.GeneralError, `(${vi.name}): ${name} must be greater than 0, setting to 1`);
      v = 1;
    }
    set(vi, v);
  });
}

/** One line of virtual_ipaddress (keepalived's alloc_ipaddress for a VIP). */
export function parseIpAddress(p: P, words: readonly string[]): VirtualIp | undefined {
  const text = words[0]!;
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const family: 4 | 6 = text.includes(':') ? 6 : 4;
  const max = family === 6 ? 128 : 32;
  let prefix = max;
  if (slash >= 0) {
    const v = readUnsigned(text.slice(slash + 1), 0, max, rep(p));
    if (v === undefined) {
      p.report(ConfigErr.GeneralError, `Invalid address prefix len ${text.slice(slash + 1)} for address ${text} - using ${max}`);
    } else {
      prefix = v;
    }
  }
  if (familyOf(addr) !== family) {
    p.report(ConfigErr.GeneralError, `VRRP parsed invalid IP ${text}. skipping IP...`);
    return undefined;
  }
  const vip: { -readonly [K in keyof VirtualIp]: VirtualIp[K] } = {
    address: addr,
    family,
    prefix,
    noTrack: false,
    ref: p.here(),
  };
  let i = 1;
  let missing: string | undefined;
  while (i < words.length) {
    const w = words[i]!;
    const avail = words.length >= i + 2;
    if (w === 'dev' || w === 'scope' || w === 'broadcast' || w === 'brd' || w === 'label' || w === 'peer' || w === 'preferred_lft') {
      if (!avail) {
        missing = w;
        break;
      }
      const v = words[++i]!;
      if (w === 'dev') {
        if (vip.dev !== undefined) {
          p.report(ConfigErr.GeneralError, `Cannot specify ipaddress device more than once for ${text}`);
          return undefined;
        }
        if (!interfaceExists(p, v)) {
          p.report(ConfigErr.GeneralError, `WARNING - interface ${v} for ip address ${text} doesn't exist`);
          return undefined;
        }
        vip.dev = v;
      } else if (w === 'scope') {
        if (!/^(global|site|link|host|nowhere|[0-9]+)$/.test(v)) {
          p.report(ConfigErr.GeneralError, `Invalid scope '${v}' specified for ${text} - ignoring`);
        } else {
          vip.scope = v;
        }
      } else if (w === 'broadcast' || w === 'brd') {
        if (family === 6) {
          p.report(
            ConfigErr.GeneralError,
            `VRRP is trying to assign a broadcast ${w} to the IPv6 address ${text} !!?? WTF... skipping VIP...`,
          );
          return undefined;
        }
        if (v !== '-' && v !== '+' && familyOf(v) !== 4) {
          p.report(ConfigErr.GeneralError, `VRRP is trying to assign invalid broadcast ${v}. skipping VIP...`);
          return undefined;
        }
        vip.brd = v;
      } else if (w === 'label') {
        if (v.length >= 16) {
          p.report(ConfigErr.GeneralError, `Address label ${v} is longer than maximum length 15 - removing address`);
          return undefined;
        }
        vip.label = v;
      }
    } else if (w === 'no_track') {
      vip.noTrack = true;
    } else if (!['home', '-nodad', 'mngtmpaddr', 'noprefixroute', 'autojoin', 'use_vmac'].includes(w)) {
      p.report(ConfigErr.GeneralError, `Unknown configuration entry '${w}' for ip address - ignoring`);
    }
    i++;
  }
  if (missing !== undefined) {
    p.report(ConfigErr.GeneralError, `No ${missing} parameter specified for ${text}`);
    return undefined;
  }
  if (family === 6 && vip.scope !== undefined) {
    p.report(ConfigErr.GeneralError, `Cannot specify scope for IPv6 addresses (${text}) - ignoring scope`);
    delete vip.scope;
  }
  if (family === 6 && vip.label !== undefined) {
    p.report(ConfigErr.GeneralError, `Cannot specify label for IPv6 addresses (${text}) - ignoring label`);
    delete vip.label;
  }
  return vip;
}

function vipBlock(excluded: boolean): Keyword<Draft> {
  return instanceKeyword((p, w, vi) => {
    for (const line of p.valueLines(w)) {
      const vip = parseIpAddress(p, line);
      if (!vip) continue;
      if (!excluded) {
        if (vi.family === undefined) vi.family = vip.family;
        else if (vip.family !== vi.family) {
          p.report(ConfigErr.GeneralError, `(${vi.name}): address family must match VRRP instance [${line[0]}] - ignoring`);
          continue;
        }
      }
      (excluded ? vi.evips : vi.vips).push(vip);
    }
  });
}

function trackInterfaces(p: P, owner: string, lines: Iterable<string[]>, into: TrackedInterface[]): void {
  for (const line of lines) {
    const name = line[0]!;
    if (!interfaceExists(p, name)) {
      p.report(ConfigErr.GeneralError, `(${owner}) tracked interface ${name} doesn't exist`);
      continue;
    }
    if (into.some((t) => t.name === name)) {
      p.report(ConfigErr.GeneralError, `(${owner}) duplicate track_interface ${name} - ignoring`);
      continue;
    }
    let weight = 0;
    let reverse = false;
    if (line.length >= 2) {
      if (line[1] !== 'weight') {
        p.report(ConfigErr.GeneralError, `(${owner}) unknown track_interface ${name} option ${line[1]} - ignoring`);
        continue;
      }
      if (line.length === 2) {
        p.report(ConfigErr.GeneralError, `(${owner}) weight without value specified for track_interface ${name} - ignoring`);
        continue;
      }
      const v = readInt(line[2]!, -254, 254, rep(p));
      if (v === undefined) {
        p.report(
          ConfigErr.GeneralError,
          `(${owner}) weight ${line[2]} for ${name} must be between [-253..253] inclusive. Ignoring...`,
        );
      } else if (v === 254 || v === -254) {
        p.report(ConfigErr.GeneralError, `(${owner}) weight for ${name} cannot be +/-254. Setting to +/-253`);
        weight = v < 0 ? -253 : 253;
      } else {
        weight = v;
      }
      if (line.length >= 4) {
        if (line[3] === 'reverse') reverse = true;
        else p.report(ConfigErr.GeneralError, `(${owner}) unknown track_interace ${name} weight option ${line[3]} - ignoring`);
      }
    }
    into.push({ name, weight, reverse });
  }
}

function trackScripts(p: P, owner: string, lines: Iterable<string[]>, into: TrackedScriptRef[]): void {
  for (const line of lines) {
    const name = line[0]!;
    const script = p.state.scripts.find((s) => s.name === name);
    const ref = p.here();
    if (!script) {
      p.report(ConfigErr.GeneralError, `(${owner}) track script ${name} not found, ignoring...`);
      continue;
    }
    if (into.some((t) => t.name === name)) {
      p.report(ConfigErr.GeneralError, `(${owner}) duplicate track_script ${name} - ignoring`);
      continue;
    }
    let weight = script.weight;
    let reverse = script.weightReverse;
    if (line.length >= 2) {
      if (line[1] !== 'weight') {
        p.report(ConfigErr.GeneralError, `(${owner}) unknown track script option ${line[1]} - ignoring`);
        continue;
      }
      if (line.length === 2) {
        p.report(ConfigErr.GeneralError, `(${owner}) weight without value specified for track script ${name} - ignoring`);
        continue;
      }
      const v = readInt(line[2]!, -254, 254, rep(p));
      if (v === undefined) {
        p.report(
          ConfigErr.GeneralError,
          `(${owner}) track script ${name}: weight must be between [-253..253] inclusive, ignoring...`,
        );
      } else if (v === 254 || v === -254) {
        p.report(ConfigErr.GeneralError, `(${owner}) weight for ${name} cannot be +/-254. Setting to +/-253`);
        weight = v < 0 ? -253 : 253;
      } else {
        weight = v;
      }
      if (line.length >= 4) {
        if (line[3] === 'reverse') reverse = true;
        else if (line[3] === 'noreverse') reverse = false;
        else p.report(ConfigErr.GeneralError, `(${owner}) unknown track_script ${name} weight option ${line[3]} - ignoring`);
      }
    }
    into.push({ name, weight, reverse, ref });
  }
}

type LineCheck = (p: P, words: readonly string[]) => boolean;

function staticBlock(pick: (d: Draft) => StaticLine[], check: LineCheck): Keyword<Draft> {
  return {
    handler: (p, w) => {
      const list = pick(p.state);
      for (const line of p.valueLines(w)) if (check(p, line)) list.push({ words: line, ref: p.here() });
    },
  };
}

const routeLine: LineCheck = (p, w) => checkRoute(p, w);
const ruleLine: LineCheck = (p, w) => checkRule(p, w, p.state.ruleCounter);
const staticAddressLine: LineCheck = (p, w) => {
  const ip = parseIpAddress(p, w);
  if (!ip) return false;
  if (ip.dev === undefined && p.state.interfaces && !p.state.interfaces.has('eth0') && !p.state.global.extra['default_interface']) {
    p.report(ConfigErr.Fatal, `Static address ${w[0]} requires either an interface or default interface must exist`);
    return false;
  }
  return true;
};

const INSTANCE: KeywordTable<Draft> = genericTable(
  'vrrp_instance',
  {
  state: instanceKeyword((p, w, vi) => {
    const s = p.word(w, 1);
    if (s === 'MASTER') vi.state = 'MASTER';
    else if (s === 'BACKUP') {
      if (vi.state === 'MASTER') p.report(ConfigErr.GeneralError, `(${vi.name}) state previously set as MASTER - ignoring BACKUP`);
      else vi.state = 'BACKUP';
    } else {
      p.report(ConfigErr.GeneralError, `(${vi.name}) unknown state '${s}', defaulting to BACKUP`);
      vi.state = 'BACKUP';
    }
  }),
  interface: instanceKeyword((p, w, vi) => {
    const name = p.word(w, 1);
    if (name.length >= 16) {
      p.report(ConfigErr.GeneralError, `Interface name '${name}' too long - ignoring`);
      return;
    }
    if (!interfaceExists(p, name)) {
      p.report(ConfigErr.GeneralError, `WARNING - interface ${name} for vrrp_instance ${vi.name} doesn't exist`);
      vi.interfaceMissing = true;
      delete vi.interface;
      return;
    }
    if (name === 'lo' && p.state.interfaces) {
      p.report(ConfigErr.GeneralError, `(${vi.name}) cannot use a loopback interface (${name}) for vrrp - ignoring`);
      delete vi.interface;
      return;
    }
    vi.interface = name;
  }),
  virtual_router_id: instanceKeyword((p, w, vi) => {
    const v = readUnsigned(p.word(w, 1), 1, 255, rep(p));
    if (v === undefined) {
      p.report(ConfigErr.GeneralError, `(${vi.name}): VRID '${w[1]}' not valid - must be between 1 & 255`);
      return;
    }
    vi.vrid = v;
  }),
  priority: instanceKeyword((p, w, vi) => {
    const v = readUnsigned(p.word(w, 1), 1, 255, rep(p));
    if (v === undefined) {
      p.report(ConfigErr.GeneralError, `(${vi.name}) Priority not valid! must be between 1 & 255. Using default 100`);
      vi.priority = 100;
    } else {
      vi.priority = v;
    }
  }),
  advert_int: instanceKeyword((p, w, vi) => {
    const v = readDecimal(p.word(w, 1), SECOND / 100, 255 * SECOND, 6, rep(p));
    if (v === undefined || v <= 0) {
      p.report(ConfigErr.GeneralError, `(${vi.name}) Advert interval (${w[1]}) not valid! Must be > 0 - ignoring`);
    } else {
      vi.advertInt = v;
    }
  }),
  version: instanceKeyword((p, w, vi) => {
    const v = readInt(p.word(w, 1), 2, 3, rep(p));
    if (v === undefined) {
      p.report(ConfigErr.GeneralError, `(${vi.name}): Version must be either 2 or 3`);
      return;
    }
    if ((vi.version !== undefined && vi.version !== v) || (v === 2 && vi.family === 6)) {
      p.report(
        ConfigErr.GeneralError,
        `(${vi.name}) vrrp_version ${v} conflicts with configured or deduced version ${vi.version ?? 0}; ignoring.`,
      );
      return;
    }
    vi.version = v as 2 | 3;
  }),
  virtual_ipaddress: vipBlock(false),
  virtual_ipaddress_excluded: vipBlock(true),
  track_interface: instanceKeyword((p, w, vi) => trackInterfaces(p, vi.name, p.valueLines(w), vi.trackInterface)),
  track_script: instanceKeyword((p, w, vi) => trackScripts(p, vi.name, p.valueLines(w), vi.trackScript)),
  track_file: instanceKeyword((p, w, vi) => {
    for (const line of p.valueLines(w)) {
      const name = line[0]!;
      if (!p.state.trackFiles.some((t) => t.name === name)) {
        p.report(ConfigErr.GeneralError, `(${vi.name}) track file ${name} not found, ignoring...`);
        continue;
      }
      const weight = line[1] === 'weight' && line[2] !== undefined ? readInt(line[2], -254, 254, rep(p)) : undefined;
      vi.trackFile.push(weight === undefined ? { name, reverse: line[3] === 'reverse' } : { name, weight, reverse: line[3] === 'reverse' });
    }
  }),
  dont_track_primary: instanceKeyword((_p, _w, vi) => {
    vi.dontTrackPrimary = true;
  }),
  mcast_src_ip: instanceKeyword((p, w, vi) => {
    const ip = p.word(w, 1);
    if (familyOf(ip) === undefined) {
      p.report(ConfigErr.GeneralError, `Configuration error: VRRP instance[${vi.name}] malformed src address[${ip}]. Skipping...`);
      return;
    }
    vi.mcastSrcIp = ip;
  }),
  mcast_dst_ip: instanceKeyword((p, w, vi) => {
    const ip = p.word(w, 1);
    const fam = familyOf(ip.split(/[-/]/)[0]!);
    if (fam === undefined || fam !== (ip.includes(':') ? 6 : 4)) {
      p.report(ConfigErr.GeneralError, `(${vi.name}) malformed mcast dest address ${ip}. Skipping...`);
      return;
    }
    if (vi.family === undefined) vi.family = fam;
    else if (fam !== vi.family) {
      p.report(ConfigErr.GeneralError, `(${vi.name}) mcast dest address ${ip} MUST match VRRP instance family. Skipping...`);
      return;
    }
    const multicast = fam === 4 ? ipv4ToNumber(ip) >= 0xe0000000 && ipv4ToNumber(ip) <= 0xefffffff : /^ff[0-9a-f]2:/i.test(ip);
    if (!multicast) {
      p.report(ConfigErr.GeneralError, `(${vi.name}) mcast_dst_ip ${ip} not${fam === 6 ? ' link-local' : ''} multicast. Skipping...`);
      return;
    }
    vi.mcastDstIp = ip;
  }),
  unicast_src_ip: instanceKeyword((p, w, vi) => {
    vi.unicastConfigured = true;
    const ip = p.word(w, 1);
    if (familyOf(ip) === undefined) {
      p.report(ConfigErr.GeneralError, `Configuration error: VRRP instance[${vi.name}] malformed src address[${ip}]. Skipping...`);
      return;
    }
    vi.unicastSrcIp = ip;
  }),
  unicast_peer: instanceKeyword((p, w, vi) => {
    vi.unicastConfigured = true;
    for (const line of p.valueLines(w)) {
      const ip = line[0]!;
      const fam = familyOf(ip);
      if (fam === undefined) {
        p.report(
          ConfigErr.GeneralError,
          `Configuration error: VRRP instance[${vi.name}] malformed unicast peer address[${ip}]. Skipping...`,
        );
        continue;
      }
      if (vi.family === undefined) vi.family = fam;
      else if (fam !== vi.family) {
        p.report(
          ConfigErr.GeneralError,
          `Configuration error: VRRP instance[${vi.name}] and unicast peer address[${ip}] MUST be of the same family !!! Skipping...`,
        );
        continue;
      }
      vi.unicastPeer.push(ip);
    }
  }),
  unicast_ttl: instanceKeyword((p, w, vi) => {
    const v = readUnsigned(p.word(w, 1), 1, 255, rep(p));
    if (v === undefined) p.report(ConfigErr.GeneralError, `(${vi.name}) invalid unicast_ttl ${w[1]} specified`);
    else vi.unicastTtl = v;
  }),
  nopreempt: instanceKeyword((_p, _w, vi) => {
    vi.nopreempt = true;
  }),
  preempt: instanceKeyword((_p, _w, vi) => {
    vi.nopreempt = false;
  }),
  preempt_delay: instanceKeyword((p, w, vi) => {
    const v = readDecimal(p.word(w, 1), 0, TIMER_MAX_SEC * SECOND, 6, rep(p));
    if (v === undefined) {
      p.report(ConfigErr.GeneralError, `(${vi.name}) Preempt_delay not valid! must be between 0-${TIMER_MAX_SEC}`);
      vi.preemptDelay = 0;
    } else {
      vi.preemptDelay = v;
    }
  }),
  notify_master: setNotify('master', 'notify_master'),
  notify_backup: setNotify('backup', 'notify_backup'),
  notify_fault: setNotify('fault', 'notify_fault'),
  notify_stop: setNotify('stop', 'notify_stop'),
  notify_deleted: setNotify('deleted', 'notify_deleted'),
  notify: setNotify('notify', 'notify'),
  notify_master_rx_lower_pri: setNotify('masterRxLowerPri', 'notify_master_rx_lower_pri'),
  smtp_alert: flag((vi, on) => (vi.smtpAlert = on), 'smtp_alert'),
  lvs_sync_daemon_interface: instanceKeyword((p, w, vi) => {
    p.report(ConfigErr.GeneralError, `(${vi.name}) Specifying lvs_sync_daemon_interface against a vrrp is deprecated.`);
    p.report(ConfigErr.GeneralError, `      ${' '.repeat(Math.max(0, vi.name.length - 2))}Please use global lvs_sync_daemon`);
    const g = p.state.global;
    const current = g.lvsSyncDaemon?.interface ?? g.lvsSyncdFromInstance?.interface;
    if (current !== undefined) {
      p.report(ConfigErr.GeneralError, `(${vi.name}) lvs_sync_daemon_interface has already been specified as ${current} - ignoring`);
      return;
    }
    g.lvsSyncdFromInstance = { interface: p.word(w, 1), instance: vi.name };
  }),
  garp_master_delay: garpDelay((vi, v) => (vi.garpMasterDelay = v), 'garp_master_delay'),
  garp_master_refresh: garpDelay((vi, v) => (vi.garpMasterRefresh = v), 'garp_master_refresh'),
  garp_master_repeat: garpRepeat((vi, v) => (vi.garpMasterRepeat = v), 'garp_master_repeat', 1),
  garp_master_refresh_repeat: garpRepeat((vi, v) => (vi.garpMasterRefreshRepeat = v), 'garp_master_refresh_repeat', 1),
  garp_lower_prio_delay: garpDelay((vi, v) => (vi.garpLowerPrioDelay = v), 'garp_lower_prio_delay'),
  garp_lower_prio_repeat: garpRepeat((vi, v) => (vi.garpLowerPrioRepeat = v), 'garp_lower_prio_repeat', 0),
  lower_prio_no_advert: flag((vi, on) => (vi.lowerPrioNoAdvert = on), 'lower_prio_no_advert'),
  higher_prio_send_advert: flag((vi, on) => (vi.higherPrioSendAdvert = on), 'higher_prio_send_advert'),
  skip_check_adv_addr: flag((vi, on) => (vi.skipCheckAdvAddr = on), 'skip_check_adv_addr'),
  strict_mode: flag((vi, on) => (vi.strictMode = on), 'strict_mode'),
  accept: instanceKeyword((_p, _w, vi) => {
    vi.accept = true;
  }),
  no_accept: instanceKeyword((_p, _w, vi) => {
    vi.accept = false;
  }),
  down_timer_adverts: instanceKeyword((p, w, vi) => {
    const v = readUnsigned(p.word(w, 1), 1, 100, rep(p));
    if (v === undefined) p.report(ConfigErr.GeneralError, `(${vi.name}) down_timer_adverts must be between 1 and 100. ignoring ${w[1]}`);
    else vi.downTimerAdverts = v;
  }),
  use_vmac: instanceKeyword((_p, w, vi) => {
    vi.useVmac = w[1] ?? `vrrp.${vi.vrid ?? 0}`;
  }),
  virtual_routes: instanceKeyword((p, w, vi) => {
    for (const line of p.valueLines(w)) if (routeLine(p, line)) vi.virtualRoutes.push({ words: line, ref: p.here() });
  }),
  virtual_rules: instanceKeyword((p, w, vi) => {
    for (const line of p.valueLines(w)) if (ruleLine(p, line)) vi.virtualRules.push({ words: line, ref: p.here() });
  }),
  authentication: {
    sub: table<Draft>({
      auth_type: instanceKeyword((p, w, vi) => {
        const t = p.word(w, 1);
        if (t === 'AH' || t === 'PASS') vi.authType = t;
        else p.report(ConfigErr.GeneralError, `(${vi.name}) unknown authentication type '${t}'`);
      }),
      auth_pass: instanceKeyword((p, w, vi) => {
        let pass = p.word(w, 1);
        if (pass.length > 8) {
          p.report(ConfigErr.GeneralError, 'Truncating auth_pass to 8 characters');
          pass = pass.slice(0, 8);
        }
        vi.authPass = pass;
      }),
    }),
  },
  },
  (p) => lastInstance(p).extra,
);

function newInstance(name: string, ref: SourceRef): InstanceDraft {
  return {
    name,
    ref,
    interfaceMissing: false,
    vips: [],
    evips: [],
    trackInterface: [],
    trackScript: [],
    trackFile: [],
    dontTrackPrimary: false,
    unicastConfigured: false,
    unicastPeer: [],
    nopreempt: false,
    notify: {},
    virtualRoutes: [],
    virtualRules: [],
    extra: {},
  };
}

// ---------------------------------------------------------------- vrrp_script

function newScript(name: string, ref: SourceRef): ScriptDraft {
  return { name, ref, script: [], weight: 0, weightReverse: false, initFail: false };
}

function newGroup(name: string, ref: SourceRef): SyncGroupDraft {
  return { name, ref, trackInterface: [], trackScript: [], notify: {}, trackingWeight: false, extra: {} };
}

function scriptKeyword(handler: (p: P, words: readonly string[], s: ScriptDraft) => void): Keyword<Draft> {
  return { handler: (p, w) => handler(p, w, lastScript(p)) };
}

const SCRIPT: KeywordTable<Draft> = genericTable('vrrp_script', {
  script: scriptKeyword((p, w, s) => {
    s.script = scriptArgs(p, w) ?? [];
  }),
  interval: scriptKeyword((p, w, s) => {
    const v = readUnsigned(p.word(w, 1), 0, Math.floor(UINT_MAX / SECOND), rep(p));
    if (v === undefined) {
      p.report(
        ConfigErr.GeneralError,
        `(${s.name}): vrrp script interval '${w[1]}' must be between 1 and ${Math.floor(UINT_MAX / SECOND)} - ignoring`,
      );
      return;
    }
    if (v === 0) p.report(ConfigErr.GeneralError, `(${s.name}): vrrp script interval must be greater than 0, setting to 1`);
    s.interval = Math.max(1, v) * SECOND;
  }),
  timeout: scriptKeyword((p, w, s) => {
    const v = readUnsigned(p.word(w, 1), 0, Math.floor(UINT_MAX / SECOND), rep(p));
    if (v === undefined) {
      p.report(ConfigErr.GeneralError, `(${s.name}): vrrp script timeout '${w[1]}' invalid - ignoring`);
      return;
    }
    if (v === 0) p.report(ConfigErr.GeneralError, `(${s.name}): vrrp script timeout must be greater than 0, setting to 1`);
    s.timeout = Math.max(1, v) * SECOND;
  }),
  weight: scriptKeyword((p, w, s) => {
    const v = readInt(p.word(w, 1), -253, 253, rep(p));
    if (v === undefined) p.report(ConfigErr.GeneralError, `vrrp_script ${s.name} weight ${w[1]} must be in [-253, 253]`);
    else s.weight = v;
    if (w.length >= 3) {
      if (w[2] === 'reverse') s.weightReverse = true;
      else p.report(ConfigErr.GeneralError, `vrrp_script ${s.name} unknown weight option ${w[2]}`);
    }
  }),
  rise: scriptKeyword((p, w, s) => {
    const v = readUnsigned(p.word(w, 1), 1, 2147483647, rep(p));
    if (v === undefined) p.report(ConfigErr.GeneralError, `(${s.name}): vrrp script rise value '${w[1]}' invalid, defaulting to 1`);
    s.rise = v ?? 1;
  }),
  fall: scriptKeyword((p, w, s) => {
    const v = readUnsigned(p.word(w, 1), 1, 2147483647, rep(p));
    if (v === undefined) p.report(ConfigErr.GeneralError, `(${s.name}): vrrp script fall value '${w[1]}' invalid, defaulting to 1`);
    s.fall = v ?? 1;
  }),
  user: scriptKeyword((p, w, s) => {
    s.user = w.slice(1).join(' ') || p.word(w, 1);
    if (!p.state.userExists(w[1]!)) {
      p.report(ConfigErr.GeneralError, `Unable to set uid/gid for script ${s.script.map((a) => `'${a}'`).join(' ')}`);
      s.userFailed = true;
    }
  }),
  init_fail: scriptKeyword((_p, _w, s) => {
    s.initFail = true;
  }),
});

// ---------------------------------------------------------------- vrrp_sync_group

function groupNotify(kind: NotifyKind): Keyword<Draft> {
  return {
    handler: (p, w) => {
      const g = lastGroup(p);
      if (g.notify[kind]) {
        p.report(ConfigErr.GeneralError, `vrrp group ${g.name}: ${w[0]} script already specified - ignoring ${p.word(w, 1)}`);
        return;
      }
      const args = notifyArgs(p, w);
      if (args) g.notify[kind] = args;
    },
  };
}

const SYNC_GROUP: KeywordTable<Draft> = genericTable(
  'vrrp_sync_group',
  {
  group: {
    handler: (p, w) => {
      const g = lastGroup(p);
      if (g.group) {
        p.report(ConfigErr.GeneralError, `Group list already specified for sync group ${g.name}`);
        p.skipBlock();
        return;
      }
      const names = p.valueBlock(w).flat();
      if (names.length === 0) p.report(ConfigErr.GeneralError, `Warning - sync group ${g.name} has empty group block`);
      else g.group = names;
    },
  },
  track_interface: { handler: (p, w) => trackInterfaces(p, lastGroup(p).name, p.valueLines(w), lastGroup(p).trackInterface) },
  track_script: { handler: (p, w) => trackScripts(p, lastGroup(p).name, p.valueLines(w), lastGroup(p).trackScript) },
  notify_master: groupNotify('master'),
  notify_backup: groupNotify('backup'),
  notify_fault: groupNotify('fault'),
  notify_stop: groupNotify('stop'),
  notify: groupNotify('notify'),
  global_tracking: {
    handler: (p) => {
      const g = lastGroup(p);
      p.report(ConfigErr.GeneralError, `(${g.name}) global_tracking is deprecated. Use track_interface/script/file on the sync group`);
      g.trackingWeight = true;
    },
  },
  sync_group_tracking_weight: {
    handler: (p) => {
      lastGroup(p).trackingWeight = true;
    },
  },
  },
  (p) => lastGroup(p).extra,
);

// ---------------------------------------------------------------- track_file

const TRACK_FILE: KeywordTable<Draft> = genericTable('track_file', {
  file: {
    handler: (p, w) => {
      const t = p.state.trackFiles[p.state.trackFiles.length - 1];
      if (t) p.state.trackFiles[p.state.trackFiles.length - 1] = { ...t, file: p.word(w, 1) };
    },
  },
  weight: {
    handler: (p, w) => {
      const t = p.state.trackFiles[p.state.trackFiles.length - 1];
      const v = readInt(p.word(w, 1), -254, 254, rep(p));
      if (t)
        p.state.trackFiles[p.state.trackFiles.length - 1] = {
        ...t,
        weight: v ?? t.weight,
        weightReverse: w[2] === 'reverse',
      };
    },
  },
});

function trackFileRoot(deprecated: boolean): Keyword<Draft> {
  return {
    handler: (p, w) => {
      if (deprecated) p.report(ConfigErr.Deprecated, '"vrrp_track_file" is deprecated, please use "track_file"');
      // read by the checker process too (FILE_CHECK): keep one entry per name
      const name = p.word(w, 1);
      const again = p.state.trackFiles.findIndex((t) => t.name === name);
      if (again >= 0) p.state.trackFiles.splice(again, 1);
      p.state.trackFiles.push({ name, weight: 1, weightReverse: false });
    },
    sub: TRACK_FILE,
  };
}

/** Top-level keywords of the VRRP process. */
export const VRRP_ROOTS: Record<string, Keyword<Draft>> = {
  vrrp_instance: {
    handler: (p, w) => {
      if (w.length !== 2) {
        p.report(ConfigErr.GeneralError, 'vrrp_instance must have a name');
        p.skipBlock();
        return;
      }
      if (p.state.instances.some((i) => i.name === w[1])) {
        p.report(ConfigErr.GeneralError, `vrrp instance ${w[1]} already defined`);
        p.skipBlock();
        return;
      }
      p.state.instances.push(newInstance(w[1]!, p.here()));
    },
    sub: INSTANCE,
    close: (p) => {
      const vi = lastInstance(p);
      if (vi.unicastPeer.length === 0 && vi.unicastTtl !== undefined) {
        p.report(ConfigErr.GeneralError, `(${vi.name}): Cannot use unicast_ttl without unicast peers - resetting`);
        delete vi.unicastTtl;
      }
    },
  },
  vrrp_script: {
    handler: (p, w) => {
      p.state.scripts.push(newScript(p.word(w, 1), p.here()));
    },
    sub: SCRIPT,
    close: (p) => {
      const s = lastScript(p);
      let remove = s.userFailed === true;
      if (s.script.length === 0) {
        p.report(ConfigErr.GeneralError, `No script set for vrrp_script ${s.name} - removing`);
        remove = true;
      } else if (!remove && s.user === undefined && !defaultScriptUser(p)) {
        p.report(ConfigErr.GeneralError, `Unable to set default user for vrrp script ${s.name} - removing`);
        remove = true;
      }
      if (remove) {
        p.state.scripts.pop();
        p.state.removedScripts.add(s.name);
      }
    },
  },
  vrrp_sync_group: {
    handler: (p, w) => {
      if (w.length !== 2) {
        p.report(ConfigErr.GeneralError, 'vrrp_sync_group must have a name - skipping');
        p.skipBlock();
        return;
      }
      if (p.state.syncGroups.some((g) => g.name === w[1])) {
        p.report(ConfigErr.GeneralError, `vrrp sync group ${w[1]} already defined`);
        p.skipBlock();
        return;
      }
      p.state.syncGroups.push(newGroup(w[1]!, p.here()));
    },
    sub: SYNC_GROUP,
  },
  static_ipaddress: staticBlock((d) => d.staticIpaddress, staticAddressLine),
  static_routes: staticBlock((d) => d.staticRoutes, routeLine),
  static_rules: staticBlock((d) => d.staticRules, ruleLine),
  track_file: trackFileRoot(false),
  vrrp_track_file: trackFileRoot(true),
};

