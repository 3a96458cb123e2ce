import { familyOf } from './address';
import { ConfigErr } from './diagnostic';
import type { CheckerDraft, Draft, RealServerDraft, VirtualServerDraft } from './draft';
import type { Keyword, KeywordTable, Parse } from './engine';
import { genericTable } from './generic';
import type { CheckerKind, LvsMethod, StatusRange, VirtualServerGroupEntry } from './model';
import { readTimer, readUnsigned, TIMER_MAXIMUM, trueFalse } from './numbers';
import { defaultScriptUser, notifyArgs, scriptArgs } from './script-words';

/** The keywords the checker process reads (keepalived/check/check_parser.c, check_*.c). */

type P = Parse<Draft>;
const SECOND = 1_000_000;
const UINT_MAX = 4294967295;
const IPVS_WEIGHT_LIMIT = 2147483647;
const SCHEDULERS = new Set(['rr', 'wrr', 'lc', 'wlc', 'lblc', 'sh', 'mh', 'dh', 'fo', 'ovf', 'lblcr', 'sed', 'nq', 'twos']);

function rep(p: P): (c: ConfigErr, t: string) => void {
  return (c, t) => p.report(c, t);
}

// A block's keywords can be reached without its object (keepalived's recovery from a missing `{` after
// a rejected block): they then act on a throwaway object.

function vs(p: P): VirtualServerDraft {
  return p.state.virtualServers[p.state.virtualServers.length - 1] ?? newVs(p, { kind: 'fwmark', fwmark: 0 });
}

function rs(p: P): RealServerDraft {
  const v = vs(p);
  return v.realServers[v.realServers.length - 1] ?? (p.state.currentRs ??= { ref: p.here(), ip: '0.0.0.0', checkers: [], extra: {} });
}

function checker(p: P): CheckerDraft {
  const r = rs(p);
  return r.checkers[r.checkers.length - 1] ?? newChecker('TCP_CHECK', p);
}

function newChecker(kind: CheckerKind, p: P): CheckerDraft {
  return { kind, ref: p.here(), urls: [], enableSni: false, fastRecovery: false, miscPath: [], miscDynamic: false, dropped: false, extra: {} };
}

const PROTO_NAME: Record<string, string> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };

/** keepalived's `[ip]:proto:port` for a server of this virtual server. */
export function formatServer(ip: string, port: number | undefined, v: VirtualServerDraft): string {
  const proto = v.protocol ? PROTO_NAME[v.protocol]! : 'none';
  const shown = ip.includes(':') ? `[${ip}]` : `[${ip}]`;
  return `${shown}:${proto}:${port ?? 0}`;
}

/** keepalived's FMT_VS. */
/** keepalived's format_vsge: `ip,port` or `first-last,port`. */
export function formatVsge(e: { ip?: string; last?: number; port?: number }): string {
  const ip = e.ip ?? '';
  if (e.last === undefined) return `${ip},${e.port ?? 0}`;
  const parts = ip.split('.');
  const end = ip.includes(':') ? ip : [...parts.slice(0, 3), String(e.last)].join('.');
  return `${ip}-${end},${e.port ?? 0}`;
}

export function formatVs(v: VirtualServerDraft): string {
  const a = v.address;
  if (a.kind === 'group') return `[${a.group}]:0`;
  if (a.kind === 'fwmark') return `FWM ${a.fwmark}`;
  return formatServer(a.ip, a.port, v);
}

function lvsMethod(p: P, words: readonly string[], serverType: string): LvsMethod | undefined {
  const m = p.word(words, 1);
  if (m === 'NAT' || m === 'DR' || m === 'TUN') return m;
  p.report(ConfigErr.GeneralError, `PARSER : unknown [${m}] routing method for ${serverType} server.`);
  return undefined;
}

function timer(p: P, words: readonly string[], msg: string, set: (us: number) => void, min = 1, max = TIMER_MAXIMUM): void {
  const v = readTimer(p.word(words, 1), min, max, rep(p));
  if (v === undefined) p.report(ConfigErr.GeneralError, msg.replace('%s', words[1]!));
  else set(v);
}

function script(p: P, words: readonly string[]): string[] | undefined {
  return scriptArgs(p, words);
}

/**
 * keepalived's inet_stosockaddr: the port (1..65535, a port of all zeros counting as none) is read first
 * and reported like any number; then the address, without any `-range` or `/mask`.
 */
function sockaddr(p: P, ip: string, port: string | undefined): boolean {
  if (port !== undefined && readUnsigned(port, 1, 65535, rep(p)) === undefined) return false;
  const bare = ip.split(/[-/]/)[0]!;
  return familyOf(bare) === (ip.includes(':') ? 6 : 4);
}

/** A port word as keepalived passes it on: undefined when absent or all zeros. */
function portWord(w: string | undefined): string | undefined {
  return w !== undefined && /[^0]/.test(w) ? w : undefined;
}

// ---------------------------------------------------------------- checkers

function checkerCommon(): Record<string, Keyword<Draft>> {
  return {
    connect_ip: {
      handler: (p, w) => {
        const ip = p.word(w, 1);
        if (familyOf(ip) === undefined) p.report(ConfigErr.GeneralError, `Invalid connect_ip address ${ip} - ignoring`);
        else checker(p).connectIp = ip;
      },
    },
    connect_port: {
      handler: (p, w) => {
        const v = readUnsigned(p.word(w, 1), 0, 65535, rep(p));
        if (v === undefined) p.report(ConfigErr.GeneralError, `Invalid checker connect_port '${w[1]}'`);
        else checker(p).connectPort = v;
      },
    },
    bindto: {
      handler: (p, w) => {
        const ip = p.word(w, 1);
        if (familyOf(ip) === undefined) p.report(ConfigErr.GeneralError, `Invalid bindto address ${ip} - ignoring`);
        else checker(p).bindto = ip;
      },
    },
    bind_port: {
      handler: (p, w) => {
        const v = readUnsigned(p.word(w, 1), 0, 65535, rep(p));
        if (v === undefined) p.report(ConfigErr.GeneralError, `Invalid checker bind_port '${w[1]}'`);
        else checker(p).bindPort = v;
      },
    },
    bind_if: {
      handler: (p, w) => {
        const name = p.word(w, 1);
        if (name.length >= 16) p.report(ConfigErr.GeneralError, `Interface name ${name} is too long - ignoring`);
        else checker(p).bindIf = name;
      },
    },
    connect_timeout: {
      handler: (p, w) => timer(p, w, 'connect_timeout %s invalid - ignoring', (v) => (checker(p).connectTimeout = v), 1, UINT_MAX),
    },
    fwmark: {
      handler: (p, w) => {
        const v = readUnsigned(p.word(w, 1), 0, UINT_MAX, rep(p));
        if (v === undefined) p.report(ConfigErr.GeneralError, `Invalid fwmark connection value '${w[1]}'`);
        else checker(p).fwmark = v;
      },
    },
    retry: {
      handler: (p, w) => {
        const v = readUnsigned(p.word(w, 1), 0, UINT_MAX, rep(p));
        if (v === undefined) p.report(ConfigErr.GeneralError, `Invalid retry connection value '${w[1]}'`);
        else checker(p).retry = v;
      },
    },
    delay_before_retry: {
      handler: (p, w) =>
        timer(p, w, 'Invalid delay_before_retry connection value \'%s\'', (v) => (checker(p).delayBeforeRetry = v), 0),
    },
    warmup: {
      handler: (p, w) => timer(p, w, 'Invalid warmup connection value \'%s\'', (v) => (checker(p).warmup = v), 0),
    },
    delay_loop: {
      handler: (p, w) => timer(p, w, 'delay_loop \'%s\' is invalid - ignoring', (v) => (checker(p).delayLoop = v)),
    },
    alpha: {
      handler: (p, w) => {
        const v = w.length < 2 ? true : trueFalse(w[1]!);
        if (v === undefined) p.report(ConfigErr.GeneralError, `Invalid alpha parameter ${w[1]}`);
        else checker(p).alpha = v;
      },
    },
    log_all_failures: {
      handler: (p, w) => {
        const v = w.length < 2 ? true : trueFalse(w[1]!);
        if (v === undefined) p.report(ConfigErr.GeneralError, `Invalid log_all_failures parameter ${w[1]}`);
        else checker(p).logAllFailures = v;
      },
    },
  };
}

function statusCodes(p: P, words: readonly string[]): StatusRange[] {
  const out: StatusRange[] = [];
  for (const w of words.slice(1)) {
    const m = /^([0-9]+)(?:-([0-9]+))?$/.exec(w);
    const from = m ? Number(m[1]) : NaN;
    const to = m ? Number(m[2] ?? m[1]) : NaN;
    if (!m || from < 100 || to > 599 || from > to) {
      p.report(ConfigErr.GeneralError, `Invalid HTTP_GET status code '${w}'`);
      continue;
    }
    out.push({ from, to });
  }
  return out;
}

function lastUrl(p: P): CheckerDraft['urls'][number] {
  const c = checker(p);
  return c.urls[c.urls.length - 1] ?? { statusCode: [], regexNoMatch: false };
}

function urlTable(kind: 'HTTP_GET' | 'SSL_GET'): KeywordTable<Draft> {
  return genericTable(
    `virtual_server.real_server.${kind}.url`,
    {
      path: {
        handler: (p, w) => {
          lastUrl(p).path = p.word(w, 1);
        },
      },
      digest: {
        handler: (p, w) => {
          const d = p.word(w, 1);
          const u = lastUrl(p);
          if (u.digest !== undefined) {
            p.report(ConfigErr.GeneralError, `Digest '${d}' is a duplicate`);
            return;
          }
          if (d.length !== 32) {
            p.report(ConfigErr.GeneralError, `digest '${d}' character length should be 32 rather than ${d.length}`);
            return;
          }
          const bad = /[^0-9a-fA-F]/.exec(d);
          if (bad) {
            const at = bad.index - (bad.index % 2);
            p.report(ConfigErr.GeneralError, `Unable to interpret hex digit in '${d}' at offset ${at}/${at + 1}`);
            return;
          }
          u.digest = d.toLowerCase();
        },
      },
      status_code: {
        handler: (p, w) => {
          lastUrl(p).statusCode = statusCodes(p, w);
        },
      },
      virtualhost: {
        handler: (p, w) => {
          if (w.length < 2) p.report(ConfigErr.GeneralError, 'Missing HTTP_GET virtualhost name');
          else lastUrl(p).virtualhost = w[1]!;
        },
      },
      regex: {
        handler: (p, w) => {
          lastUrl(p).regex = p.word(w, 1);
        },
      },
      regex_no_match: {
        handler: (p) => {
          lastUrl(p).regexNoMatch = true;
        },
      },
    },
    (p) => checker(p).extra,
  );
}

function checkerBlock(kind: CheckerKind, own: Record<string, Keyword<Draft>>, close?: (p: P, c: CheckerDraft) => void): Keyword<Draft> {
  return {
    handler: (p) => {
      rs(p).checkers.push(newChecker(kind, p));
    },
    sub: genericTable(`virtual_server.real_server.${kind}`, { ...checkerCommon(), ...own }, (p) => checker(p).extra),
    ...(close ? { close: (p: P) => close(p, checker(p)) } : {}),
  };
}

function httpChecker(kind: 'HTTP_GET' | 'SSL_GET'): Keyword<Draft> {
  return checkerBlock(
    kind,
    {
      nb_get_retry: {
        handler: (p, w) => {
          p.report(ConfigErr.GeneralError, "nb_get_retry is deprecated - please use 'retry'");
          const v = readUnsigned(p.word(w, 1), 0, UINT_MAX, rep(p));
          if (v === undefined) p.report(ConfigErr.GeneralError, `Invalid nb_get_retry value '${w[1]}'`);
          else checker(p).retry = v;
        },
      },
      virtualhost: {
        handler: (p, w) => {
          if (w.length < 2) p.report(ConfigErr.GeneralError, 'HTTP_GET virtualhost name missing');
          else checker(p).virtualhost = w[1]!;
        },
      },
      http_protocol: {
        handler: (p, w) => {
          if (w.length < 2) {
            p.report(ConfigErr.GeneralError, 'Missing http_protocol version');
            return;
          }
          const v = w[1]!;
          if (v === '1.0' || v === '1.1') checker(p).httpProtocol = v;
          else if (v === '1.0C' || v === '1.0c') checker(p).httpProtocol = '1.0C';
          else p.report(ConfigErr.GeneralError, `Invalid http_protocol version ${v}`);
        },
      },
      enable_sni: {
        handler: (p, w) => {
          const v = w.length < 2 ? true : trueFalse(w[1]!);
          if (v === undefined) p.report(ConfigErr.GeneralError, `Invalid enable_sni parameter ${w[1]}`);
          else checker(p).enableSni = v;
        },
      },
      fast_recovery: {
        handler: (p, w) => {
          const v = w.length < 2 ? true : trueFalse(w[1]!);
          if (v === undefined) p.report(ConfigErr.GeneralError, `Invalid fast_recovery parameter ${w[1]}`);
          else checker(p).fastRecovery = v;
        },
      },
      url: {
        handler: (p) => {
          checker(p).urls.push({ statusCode: [], regexNoMatch: false });
        },
        sub: urlTable(kind),
        close: (p) => {
          const c = checker(p);
          if (c.urls.length > 0 && lastUrl(p).path === undefined) {
            p.report(ConfigErr.GeneralError, 'HTTP/SSL_GET checker url has no path - ignoring');
            c.urls.pop();
          }
        },
      },
    },
    (p, c) => {
      if (c.urls.length === 0) {
        p.report(ConfigErr.GeneralError, 'HTTP/SSL_GET checker has no urls specified - ignoring');
        c.dropped = true;
      }
    },
  );
}

const CHECKERS: Record<string, Keyword<Draft>> = {
  HTTP_GET: httpChecker('HTTP_GET'),
  SSL_GET: httpChecker('SSL_GET'),
  TCP_CHECK: checkerBlock('TCP_CHECK', {}),
  UDP_CHECK: checkerBlock('UDP_CHECK', {}),
  PING_CHECK: checkerBlock('PING_CHECK', {}),
  DNS_CHECK: checkerBlock('DNS_CHECK', {}),
  SMTP_CHECK: checkerBlock('SMTP_CHECK', {
    helo_name: {
      handler: (p, w) => {
        if (w.length < 2) p.report(ConfigErr.GeneralError, 'SMTP_CHECK helo name missing');
        else addExtraWords(checker(p), w);
      },
    },
    host: {
      handler: () => undefined,
      sub: genericTable('virtual_server.real_server.SMTP_CHECK.host', checkerCommon(), (p) => checker(p).extra),
    },
  }),
  MISC_CHECK: checkerBlock(
    'MISC_CHECK',
    {
      misc_path: {
        handler: (p, w) => {
          checker(p).miscPath = script(p, w) ?? [];
        },
      },
      misc_timeout: {
        handler: (p, w) => {
          const v = readUnsigned(p.word(w, 1), 0, Math.floor(UINT_MAX / SECOND), rep(p));
          if (v === undefined) p.report(ConfigErr.GeneralError, `Invalid misc_timeout value '${w[1]}'`);
          else checker(p).miscTimeout = v * SECOND;
        },
      },
      misc_dynamic: {
        handler: (p) => {
          checker(p).miscDynamic = true;
        },
      },
      user: {
        handler: (p, w) => {
          if (w.length < 2) p.report(ConfigErr.GeneralError, `No user specified for misc checker script ${checker(p).miscPath.join(' ')}`);
          else checker(p).user = w.slice(1).join(' ');
        },
      },
    },
    (p, c) => {
      if (c.miscPath.length === 0) {
        p.report(ConfigErr.GeneralError, 'No script path has been specified for MISC_CHECKER - skipping');
        c.dropped = true;
      } else if (c.user === undefined && !defaultScriptUser(p)) {
        p.report(ConfigErr.GeneralError, `Unable to set default user for misc script ${c.miscPath.join(' ')} - removing`);
        c.dropped = true;
      }
    },
  ),
  FILE_CHECK: checkerBlock(
    'FILE_CHECK',
    {
      track_file: {
        handler: (p, w) => {
          const name = p.word(w, 1);
          if (!p.state.trackFiles.some((t) => t.name === name)) p.report(ConfigErr.GeneralError, `track_file ${name} not found`);
          else checker(p).target = name;
        },
      },
    },
    (p, c) => {
      if (c.target === undefined) {
        p.report(ConfigErr.GeneralError, 'FILE_CHECK has no track_file specified - ignoring');
        c.dropped = true;
      }
    },
  ),
  BFD_CHECK: checkerBlock(
    'BFD_CHECK',
    {
    name: {
      handler: (p, w) => {
        const r = rs(p);
        const where = formatServer(r.ip, r.port, vs(p));
        addExtraWords(checker(p), w);
        if (w.length !== 2) {
          p.report(ConfigErr.GeneralError, `(${where}) BFD_CHECK - No or too many names specified - skipping checker`);
          return;
        }
        const known = (p.state.extra['bfd_instance'] ?? []).some((b) => b[0] === w[1]);
        if (!known) {
          p.report(ConfigErr.GeneralError, `(${where}) BFD_CHECK - BFD ${w[1]} not configured`);
          return;
        }
        checker(p).target = w[1]!;
      },
    },
    },
    (p, c) => {
      if (c.extra['name'] === undefined) {
        const r = rs(p);
        p.report(ConfigErr.GeneralError, `(${formatServer(r.ip, r.port, vs(p))}) No name has been specified for BFD_CHECKER - skipping`);
      }
      if (c.target === undefined) c.dropped = true;
    },
  ),
};

function addExtraWords(c: CheckerDraft, w: readonly string[]): void {
  (c.extra[w[0]!] ??= []).push(w.slice(1));
}

// ---------------------------------------------------------------- real_server

function rsTimer(message: string, set: (r: RealServerDraft, v: number) => void, min = 1, max = TIMER_MAXIMUM): Keyword<Draft> {
  return { handler: (p, w) => timer(p, w, message, (v) => set(rs(p), v), min, max) };
}

const REAL_SERVER: KeywordTable<Draft> = genericTable(
  'virtual_server.real_server',
  {
    weight: {
      handler: (p, w) => {
        const v = readUnsigned(p.word(w, 1), 0, IPVS_WEIGHT_LIMIT, rep(p));
        if (v === undefined) p.report(ConfigErr.GeneralError, `Real server weight ${w[1]} is outside range 0-${IPVS_WEIGHT_LIMIT}`);
        else rs(p).weight = v;
      },
    },
    lvs_method: {
      handler: (p, w) => {
        const m = lvsMethod(p, w, 'real');
        if (m) rs(p).lvsMethod = m;
      },
    },
    uthreshold: {
      handler: (p, w) => {
        const v = readUnsigned(p.word(w, 1), 0, UINT_MAX, rep(p));
        if (v === undefined) p.report(ConfigErr.GeneralError, `Invalid real_server uthreshold '${w[1]}' - ignoring`);
        else rs(p).uthreshold = v;
      },
    },
    lthreshold: {
      handler: (p, w) => {
        const v = readUnsigned(p.word(w, 1), 0, UINT_MAX, rep(p));
        if (v === undefined) p.report(ConfigErr.GeneralError, `Invalid real_server lthreshold '${w[1]}' - ignoring`);
        else rs(p).lthreshold = v;
      },
    },
    inhibit_on_failure: {
      handler: (p, w) => {
        const v = w.length < 2 ? true : trueFalse(w[1]!);
        if (v === undefined) p.report(ConfigErr.GeneralError, `Invalid inhibit_on_failure parameter ${w[1]}`);
        else rs(p).inhibitOnFailure = v;
      },
    },
    notify_up: {
      handler: (p, w) => {
        const args = notifyArgs(p, w);
        if (args) rs(p).notifyUp = args;
      },
    },
    notify_down: {
      handler: (p, w) => {
        const args = notifyArgs(p, w);
        if (args) rs(p).notifyDown = args;
      },
    },
    alpha: {
      handler: (p, w) => {
        const v = w.length < 2 ? true : trueFalse(w[1]!);
        if (v === undefined) p.report(ConfigErr.GeneralError, `Invalid alpha parameter ${w[1]}`);
        else rs(p).alpha = v;
      },
    },
    retry: {
      handler: (p, w) => {
        const v = readUnsigned(p.word(w, 1), 0, UINT_MAX, rep(p));
        if (v === undefined) p.report(ConfigErr.GeneralError, `retry value invalid - ${w[1]}`);
        else rs(p).retry = v;
      },
    },
    connect_timeout: rsTimer('real server connect_timeout %s invalid - ignoring', (r, v) => (r.connectTimeout = v), 1, UINT_MAX),
    delay_loop: rsTimer("real server delay_loop '%s' invalid - ignoring", (r, v) => (r.delayLoop = v)),
    delay_before_retry: rsTimer("real server delay_before_retry '%s' invalid - ignoring", (r, v) => (r.delayBeforeRetry = v), 0),
    warmup: rsTimer("real server warmup '%s' invalid - ignoring", (r, v) => (r.warmup = v), 0),
    virtualhost: {
      handler: (p, w) => {
        if (w.length < 2) p.report(ConfigErr.GeneralError, 'real server virtualhost missing');
        else rs(p).virtualhost = w[1]!;
      },
    },
    ...CHECKERS,
  },
  (p) => rs(p).extra,
);

// ---------------------------------------------------------------- virtual_server

function vsTimer(msg: string, set: (v: VirtualServerDraft, us: number) => void, min = 1, max = TIMER_MAXIMUM): Keyword<Draft> {
  return { handler: (p, w) => timer(p, w, msg, (v) => set(vs(p), v), min, max) };
}

function scheduler(): Keyword<Draft> {
  return {
    handler: (p, w) => {
      const s = p.word(w, 1);
      if (!SCHEDULERS.has(s)) p.report(ConfigErr.GeneralError, `Invalid lvs_scheduler '${s}' - ignoring`);
      else vs(p).lbAlgo = s;
    },
  };
}

function forwarding(): Keyword<Draft> {
  return {
    handler: (p, w) => {
      const m = lvsMethod(p, w, 'virtual');
      if (m) vs(p).lbKind = m;
    },
  };
}

const VIRTUAL_SERVER: KeywordTable<Draft> = genericTable(
  'virtual_server',
  {
    ip_family: {
      handler: (p, w) => {
        const f = p.word(w, 1);
        if (f === 'inet') vs(p).ipFamily = 4;
        else if (f === 'inet6') vs(p).ipFamily = 6;
        else p.report(ConfigErr.GeneralError, `unknown address family ${f}`);
      },
    },
    delay_loop: vsTimer("virtual server delay loop '%s' invalid - ignoring", (v, us) => (v.delayLoop = us)),
    connect_timeout: vsTimer('virtual server connect_timeout %s invalid - ignoring', (v, us) => (v.connectTimeout = us), 1, UINT_MAX),
    delay_before_retry: vsTimer("virtual server delay before retry '%s' invalid - ignoring", (v, us) => (v.delayBeforeRetry = us), 0),
    warmup: vsTimer("virtual server warmup '%s' invalid - ignoring", (v, us) => (v.warmup = us), 0),
    retry: {
      handler: (p, w) => {
        const v = readUnsigned(p.word(w, 1), 0, UINT_MAX, rep(p));
        if (v === undefined) p.report(ConfigErr.GeneralError, `retry value invalid - ${w[1]}`);
        else vs(p).retry = v;
      },
    },
    lb_algo: scheduler(),
    lvs_sched: scheduler(),
    lb_kind: forwarding(),
    lvs_method: forwarding(),
    protocol: {
      handler: (p, w) => {
        const s = p.word(w, 1).toUpperCase();
        if (s === 'TCP' || s === 'UDP' || s === 'SCTP') vs(p).protocol = s;
        else p.report(ConfigErr.GeneralError, `Unknown protocol ${w[1]} - ignoring`);
      },
    },
    persistence_timeout: {
      handler: (p, w) => {
        if (w.length < 2) {
          vs(p).persistenceTimeout = 360 * SECOND;
          return;
        }
        const v = readUnsigned(w[1]!, 1, 2678400, rep(p));
        if (v === undefined) p.report(ConfigErr.GeneralError, 'persistence_timeout invalid');
        else vs(p).persistenceTimeout = v * SECOND;
      },
    },
    persistence_granularity: {
      handler: (p, w) => {
        vs(p).persistenceGranularity = p.word(w, 1);
      },
    },
    persistence_engine: {
      handler: (p, w) => {
        vs(p).persistenceEngine = p.word(w, 1);
      },
    },
    quorum: {
      handler: (p, w) => {
        const v = readUnsigned(p.word(w, 1), 1, UINT_MAX, rep(p));
        if (v === undefined) p.report(ConfigErr.GeneralError, `Quorum ${w[1]} must be in [1, ${UINT_MAX}]. Setting to 1.`);
        vs(p).quorum = v ?? 1;
      },
    },
    hysteresis: {
      handler: (p, w) => {
        const v = readUnsigned(p.word(w, 1), 0, UINT_MAX, rep(p));
        if (v === undefined) p.report(ConfigErr.GeneralError, `Hysteresis ${w[1]} must be in [0, ${UINT_MAX}] - ignoring`);
        else vs(p).hysteresis = v;
      },
    },
    quorum_up: {
      handler: (p, w) => {
        const args = notifyArgs(p, w);
        if (args) vs(p).quorumUp = args;
      },
    },
    quorum_down: {
      handler: (p, w) => {
        const args = notifyArgs(p, w);
        if (args) vs(p).quorumDown = args;
      },
    },
    sorry_server: {
      handler: (p, w) => {
        const ip = p.word(w, 1);
        const port = portWord(w[2]);
        if (!sockaddr(p, ip, port)) {
          p.report(ConfigErr.GeneralError, `Invalid sorry server IP address ${ip} - skipping`);
          return;
        }
        vs(p).sorryServer = port === undefined ? { ip } : { ip, port: Number(port) };
      },
    },
    sorry_server_inhibit: {
      handler: (p) => {
        if (!vs(p).sorryServer) p.report(ConfigErr.GeneralError, 'Ignoring sorry_server inhibit used before or without sorry_server');
        else vs(p).sorryServerInhibit = true;
      },
    },
    inhibit_on_failure: {
      handler: (p, w) => {
        const v = w.length < 2 ? true : trueFalse(w[1]!);
        if (v === undefined) p.report(ConfigErr.GeneralError, `Invalid inhibit_on_failure parameter ${w[1]}`);
        else vs(p).inhibitOnFailure = v;
      },
    },
    alpha: {
      handler: (p, w) => {
        const v = w.length < 2 ? true : trueFalse(w[1]!);
        if (v === undefined) p.report(ConfigErr.GeneralError, `Invalid alpha parameter ${w[1]}`);
        else vs(p).alpha = v;
      },
    },
    omega: {
      handler: (p) => {
        vs(p).omega = true;
      },
    },
    weight: {
      handler: (p, w) => {
        const v = readUnsigned(p.word(w, 1), 1, IPVS_WEIGHT_LIMIT, rep(p));
        if (v === undefined) p.report(ConfigErr.GeneralError, `Virtual server weight ${w[1]} is outside range 1-${IPVS_WEIGHT_LIMIT}`);
        else vs(p).weight = v;
      },
    },
    ha_suspend: {
      handler: (p) => {
        vs(p).haSuspend = true;
      },
    },
    virtualhost: {
      handler: (p, w) => {
        if (w.length < 2) p.report(ConfigErr.GeneralError, 'virtual server virtualhost missing');
        else vs(p).virtualhost = w[1]!;
      },
    },
    real_server: {
      handler: (p, w) => {
        const v = vs(p);
        const ip = p.word(w, 1);
        const port = portWord(w[2]);
        const r: RealServerDraft = { ref: p.here(), ip, checkers: [], extra: {} };
        if (!sockaddr(p, ip, port)) {
          p.report(ConfigErr.GeneralError, `Invalid real server ip address/port ${ip}/${w[2] ?? '(null)'} - skipping`);
          p.skipBlock();
          return;
        }
        if (port !== undefined) r.port = Number(port);
        v.realServers.push(r);
      },
      sub: REAL_SERVER,
    },
  },
  (p) => vs(p).extra,
);

function newVs(p: P, address: VirtualServerDraft['address']): VirtualServerDraft {
  delete p.state.currentRs;
  return {
    ref: p.here(),
    address,
    sorryServerInhibit: false,
    omega: false,
    haSuspend: false,
    realServers: [],
    extra: {},
  };
}

/** Top-level keywords of the checker process. */
export const CHECK_ROOTS: Record<string, Keyword<Draft>> = {
  virtual_server_group: {
    handler: (p, w) => {
      const name = p.word(w, 1);
      p.requireBlockStartOrAbort();
      const entries: VirtualServerGroupEntry[] = [];
      for (const line of p.valueLines(w.slice(0, 1))) {
        if (line[0] === 'fwmark') {
          const v = readUnsigned(p.word(line, 1), 0, UINT_MAX, rep(p));
          if (v === undefined) p.report(ConfigErr.GeneralError, `(${name}): fwmark '${line[1]}' must be in [0, ${UINT_MAX}] - ignoring`);
          else entries.push({ kind: 'fwmark', fwmark: v });
          continue;
        }
        const text = line[0]!;
        const port = portWord(line[1]);
        if (!sockaddr(p, text, port)) {
          p.report(
            ConfigErr.GeneralError,
            `Invalid virtual server group IP address ${text} ${port ? '/port' : ''}${port ? '/' : ''}${port ?? ''} - skipping`,
          );
          continue;
        }
        const m = /^([^-/]+)(?:-([0-9a-fA-F]+))?/.exec(text)!;
        const entry: { -readonly [K in keyof VirtualServerGroupEntry]: VirtualServerGroupEntry[K] } = { kind: 'range', ip: m[1]! };
        if (m[2] !== undefined) entry.last = parseInt(m[2], text.includes(':') ? 16 : 10);
        if (port !== undefined) entry.port = Number(port);
        entries.push(entry);
      }
      if (entries.length === 0) p.report(ConfigErr.GeneralError, `virtual server group ${name} has no entries - removing`);
      else p.state.vsGroups.push({ name, entries });
    },
  },
  virtual_server: {
    handler: (p, w) => {
      const a = p.word(w, 1);
      if (a === 'group') {
        p.state.virtualServers.push(newVs(p, { kind: 'group', group: p.word(w, 2) }));
        return;
      }
      if (a === 'fwmark') {
        const v = readUnsigned(p.word(w, 2), 0, UINT_MAX, rep(p));
        if (v === undefined) {
          p.report(ConfigErr.GeneralError, `virtual server fwmark '${w[2]}' must be in [0, ${UINT_MAX}] - ignoring`);
          p.skipBlock();
          return;
        }
        p.state.virtualServers.push(newVs(p, { kind: 'fwmark', fwmark: v }));
        return;
      }
      // keepalived accepts a missing or zero port (legacy configs)
      const portText = portWord(w[2]);
      if (!sockaddr(p, a, portText)) {
        const shown = portText === undefined ? ` ${a}` : `/port ${a}/${portText}`;
        p.report(ConfigErr.GeneralError, `Invalid virtual server IP address${shown} - skipping`);
        p.skipBlock();
        return;
      }
      const port = portText === undefined ? 0 : Number(portText);
      const v = newVs(p, { kind: 'ip', ip: a, port });
      v.port = port;
      p.state.virtualServers.push(v);
    },
    sub: VIRTUAL_SERVER,
  },
};
