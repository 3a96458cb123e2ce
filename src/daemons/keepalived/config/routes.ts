import { familyOf } from './address';
import { ConfigErr } from './diagnostic';
import type { Draft } from './draft';
import type { Parse } from './engine';
import { interfaceExists } from './interfaces';
import { readUnsigned } from './numbers';

/**
 * static_routes / virtual_routes and static_rules / virtual_rules lines (keepalived/vrrp/vrrp_iproute.c
 * `alloc_route`, vrrp_iprule.c `alloc_rule`): the checks that decide whether keepalived keeps a line and
 * what it says about it. The kept lines stay as words; vrrpsim hands them to the host's route table.
 */

type P = Parse<Draft>;

const ROUTE_TYPES = new Set(['unicast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'local', 'broadcast', 'anycast', 'multicast', 'nat']);
const ROUTE_OPTS_WITH_VALUE = new Set([
  'tos', 'dsfield', 'table', 'protocol', 'scope', 'metric', 'priority', 'preference', 'mtu', 'advmss', 'rtt', 'rttvar',
  'reordering', 'window', 'cwnd', 'ssthresh', 'realms', 'rto_min', 'initcwnd', 'initrwnd', 'features', 'congctl',
  'pref', 'expires', 'ttl-propagate', 'vrf', 'track_group', 'hoplimit', 'quickack', 'fastopen_no_cookie',
]);

/** rt_tables types can be given by number (0..255). */
function isTypeNumber(text: string): boolean {
  return /^[0-9]+$/.test(text) && Number(text) <= 255;
}

function validPrefix(text: string): boolean {
  const [addr, len, more] = text.split('/');
  if (more !== undefined || addr === undefined) return false;
  const fam = familyOf(addr);
  if (fam === undefined) return false;
  if (len === undefined) return true;
  return /^[0-9]+$/.test(len) && Number(len) <= (fam === 4 ? 32 : 128);
}

/** keepalived's parse_route → parse_ipaddress: reports a bad prefix or address as it does. */
function routeDestination(p: P, text: string): boolean {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const family = text.includes(':') ? 6 : 4;
  const max = family === 6 ? 128 : 32;
  if (slash >= 0 && readUnsigned(text.slice(slash + 1), 0, max, (c, t) => p.report(c, t)) === undefined) {
    p.report(ConfigErr.GeneralError, `Invalid address prefix len ${text.slice(slash + 1)} for address ${text} - using ${max}`);
  }
  if (familyOf(addr) !== family) {
    p.report(ConfigErr.GeneralError, `VRRP parsed invalid IP ${text}. skipping IP...`);
    return false;
  }
  return true;
}

/** One route line; returns whether keepalived keeps it. */
export function checkRoute(p: P, w: readonly string[]): boolean {
  let dest: string | undefined;
  let oif = false;
  let noTrack = false;
  for (let i = 0; i < w.length; i++) {
    const s = w[i]!;
    if (s === 'src' || s === 'via' || s === 'gw' || s === 'from') {
      if (s === 'gw') p.report(ConfigErr.GeneralError, '"gw" for routes is deprecated. Please use "via"');
      const v = p.word(w, ++i);
      if (familyOf(v) === undefined && !validPrefix(v)) {
        p.report(ConfigErr.GeneralError, `VRRP parsed invalid IP ${v}. skipping IP...`);
        p.report(ConfigErr.GeneralError, `invalid route ${s === 'gw' ? 'via' : s} address ${v}`);
        return false;
      }
    } else if (s === 'dev' || s === 'oif') {
      const name = p.word(w, ++i);
      if (!interfaceExists(p, name)) {
        p.report(ConfigErr.GeneralError, `WARNING - interface ${name} for VROUTE nexthop doesn't exist`);
        return false;
      }
      oif = true;
    } else if (s === 'or') {
      p.report(ConfigErr.GeneralError, '"or" for routes is deprecated. Please use "nexthop"');
      const v = p.word(w, ++i);
      if (familyOf(v) === undefined) {
        p.report(ConfigErr.GeneralError, `Invalid "or" address ${v}`);
        return false;
      }
    } else if (s === 'no_track') {
      noTrack = true;
    } else if (s === 'onlink' || s === 'inet' || s === 'inet6') {
      // flags without a value
    } else if (ROUTE_OPTS_WITH_VALUE.has(s)) {
      i++;
    } else if (s === 'nexthop') {
      break;
    } else {
      let j = i;
      if (w[j] === 'to') j++;
      // a route type, by name or number (rt_tables lookup), precedes the destination
      if (ROUTE_TYPES.has(w[j]!) || isTypeNumber(w[j]!)) j++;
      const d = p.word(w, j);
      if (d !== 'default' && !routeDestination(p, d)) {
        p.report(ConfigErr.GeneralError, `unknown route keyword ${d}`);
        return false;
      }
      dest = d;
      i = j;
    }
  }
  if (dest === undefined) {
    p.report(ConfigErr.GeneralError, 'Route must have a destination');
    return false;
  }
  if (!noTrack && !oif) {
    p.report(ConfigErr.GeneralError, `Warning - cannot track route ${dest} with no interface specified, not tracking`);
  }
  return true;
}

/** keepalived numbers rules without a preference downwards from 16384, per address family. */
export interface RuleCounter {
  v4: number;
  v6: number;
}

const RULE_OPTS_WITH_VALUE = new Set([
  'tos', 'dsfield', 'fwmark', 'realms', 'suppress_prefixlength', 'sup_pl', 'suppress_ifgroup', 'sup_group',
  'tunnel-id', 'uidrange', 'protocol', 'ipproto', 'sport', 'dport', 'track_group',
]);

/** One rule line; returns whether keepalived keeps it. */
export function checkRule(p: P, w: readonly string[], counter: RuleCounter): boolean {
  let family: 4 | 6 | undefined;
  let priority = false;
  let action = false;
  for (let i = 0; i < w.length; i++) {
    const s = w[i]!;
    if (s === 'from' || s === 'to') {
      const v = p.word(w, ++i);
      if (v !== 'all') {
        const addr = v.split('/')[0]!;
        const fam = familyOf(addr);
        if (fam === undefined || !validPrefix(v)) {
          p.report(ConfigErr.GeneralError, `VRRP parsed invalid IP ${v}. skipping IP...`);
          p.report(ConfigErr.GeneralError, `Invalid rule ${s} address ${v}`);
          return false;
        }
        if (family !== undefined && family !== fam) {
          p.report(ConfigErr.GeneralError, 'rule specification has mixed IPv4 and IPv6');
          return false;
        }
        family = fam;
      }
    } else if (s === 'table' || s === 'lookup' || s === 'goto') {
      action = true;
      i++;
    } else if (s === 'blackhole' || s === 'prohibit' || s === 'unreachable' || s === 'nop' || s === 'l3mdev') {
      action = true;
    } else if (s === 'preference' || s === 'priority' || s === 'pref' || s === 'order') {
      priority = true;
      i++;
    } else if (s === 'dev' || s === 'iif' || s === 'oif') {
      const name = p.word(w, ++i);
      if (!interfaceExists(p, name)) {
        p.report(ConfigErr.GeneralError, `WARNING - interface ${name} for rule doesn't exist`);
        return false;
      }
    } else if (s === 'inet' || s === 'inet6' || s === 'not' || s === 'no_track') {
      // flags without a value
    } else if (RULE_OPTS_WITH_VALUE.has(s)) {
      i++;
    } else if (ROUTE_TYPES.has(s) || isTypeNumber(s)) {
      // a route type other than blackhole/prohibit/unreachable is no rule action
      p.report(ConfigErr.GeneralError, `Invalid rule action ${s}`);
      return false;
    } else {
      p.report(ConfigErr.GeneralError, `Unknown rule option ${s}`);
      return false;
    }
  }
  if (!action) {
    p.report(ConfigErr.GeneralError, 'No action specified for rule - ignoring');
    return false;
  }
  if (!priority) {
    const n = family === 6 ? counter.v6-- : counter.v4--;
    p.report(ConfigErr.GeneralError, `Rule has no preference specified - setting to ${n}. This is probably not what you want.`);
  }
  return true;
}
