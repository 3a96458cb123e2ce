import { SECOND, type Micros } from '../../sim/time';
import {
  SERVICE_NAMES,
  SIGNALS,
  type RateSpec,
  type ServiceName,
  type Signal,
  type TimelineAction,
  type UrlSpec,
} from '../spec';
import type { Fields, ParseContext, Read, YamlNode } from './context';
import { parseIpv4Explained } from './ipv4';
import { readHostRef, readLanRef, readNicRef, type Declared } from './references';
import { readInstant } from './timing';
import { readBoolean, readDuration, readInteger, readIpv4, readNonEmpty, readOneOf, readRate, readText } from './values';

/** Each action's key, and the keys an entry of that kind may have. */
const ACTIONS = {
  run: ['at', 'on', 'run'],
  kill: ['at', 'on', 'kill', 'signal'],
  crash: ['at', 'crash'],
  boot: ['at', 'boot'],
  link: ['at', 'link', 'state'],
  partition: ['at', 'partition'],
  heal: ['at', 'heal'],
  ping: ['at', 'on', 'ping', 'count', 'interval'],
  load: ['from', 'to', 'on', 'load'],
  snapshot: ['at', 'on', 'snapshot'],
} as const;

export function parseTimeline(
  ctx: ParseContext,
  node: YamlNode,
  declared: Declared,
  duration: Micros | undefined,
): TimelineAction[] {
  const out: TimelineAction[] = [];
  for (const item of ctx.list(node, "'timeline'") ?? []) {
    const f = ctx.map(item, 'a timeline entry');
    const kind = f?.kind(ACTIONS);
    if (!f || !kind) continue;
    const action = kind === 'load' ? parseLoad(f, declared, duration) : parseAt(f, kind, declared, duration);
    if (action) out.push(action);
  }
  return out;
}

/** Reads every field first, so that one entry reports all its mistakes. */
function parseAt(
  f: Fields,
  kind: Exclude<keyof typeof ACTIONS, 'load'>,
  declared: Declared,
  duration: Micros | undefined,
): TimelineAction | undefined {
  const at = f.required('at', readInstant(duration));
  const host = (ACTIONS[kind] as readonly string[]).includes('on') ? f.required('on', readHostRef(declared)) : undefined;
  const action = readAction(f, kind, declared, host);
  return at === undefined || action === undefined ? undefined : ({ ...action, at, pos: f.pos } as TimelineAction);
}

type WithoutTime<A> = A extends unknown ? Omit<A, 'at' | 'pos'> : never;

function readAction(
  f: Fields,
  kind: Exclude<keyof typeof ACTIONS, 'load'>,
  declared: Declared,
  on: string | undefined,
): WithoutTime<Exclude<TimelineAction, { kind: 'load' }>> | undefined {
  const hostRef = readHostRef(declared);
  switch (kind) {
    case 'run': {
      const command = f.required('run', readNonEmpty);
      return on && command !== undefined ? { kind: 'run', host: on, command } : undefined;
    }
    case 'kill': {
      const service = f.required('kill', readOneOf<ServiceName>(SERVICE_NAMES, 'service'));
      const signal = f.optional('signal', readSignal) ?? (f.has('signal') ? undefined : 'TERM');
      return on && service && signal ? { kind: 'signal', host: on, service, signal } : undefined;
    }
    case 'crash':
    case 'boot': {
      const host = f.required(kind, hostRef);
      return host ? { kind, host } : undefined;
    }
    case 'link': {
      const nic = f.required('link', readNicRef(declared));
      const state = f.required('state', readOneOf(['up', 'down'] as const, 'link state'));
      return nic && state ? { kind: 'link', ...nic, state } : undefined;
    }
    case 'partition': {
      const p = f.required('partition', readPartition(declared));
      return p ? { kind: 'partition', ...p } : undefined;
    }
    case 'heal': {
      const lan = f.required('heal', readLanRef(declared));
      return lan ? { kind: 'heal', lan } : undefined;
    }
    case 'ping': {
      const target = f.required('ping', readIpv4);
      const count = f.optional('count', readInteger(1)) ?? (f.has('count') ? undefined : 1);
      const interval = f.optional('interval', readPositive) ?? (f.has('interval') ? undefined : SECOND);
      return on && target && count && interval ? { kind: 'ping', host: on, target, count, interval } : undefined;
    }
    case 'snapshot': {
      const command = f.required('snapshot', readNonEmpty);
      return on && command !== undefined ? { kind: 'snapshot', host: on, command } : undefined;
    }
  }
}

/** `KILL` or `SIGKILL`. */
const readSignal: Read<Signal> = (ctx, node) => {
  const text = readText(ctx, node);
  if (text === undefined) return undefined;
  const name = text.replace(/^SIG/, '');
  if ((SIGNALS as readonly string[]).includes(name)) return name as Signal;
  ctx.error(ctx.pos(node), `unknown signal '${text}'; expected one of: ${SIGNALS.join(', ')}`);
  return undefined;
};

const readPositive: Read<Micros> = (ctx, node) => {
  const us = readDuration(ctx, node);
  if (us === 0) ctx.error(ctx.pos(node), 'expected a duration longer than 0s');
  return us === 0 ? undefined : us;
};

function readPartition(declared: Declared): Read<{ lan: string; groups: string[][] }> {
  return (ctx, node) => {
    const f = ctx.map(node, "'partition'");
    if (!f) return undefined;
    f.allow(['lan', 'groups']);
    const lan = f.required('lan', readLanRef(declared));
    const groups = f.required('groups', (c, n) => readGroups(c, n, declared, lan));
    return lan && groups ? { lan, groups } : undefined;
  };
}

function readGroups(ctx: ParseContext, node: YamlNode, declared: Declared, lan: string | undefined): string[][] | undefined {
  const lists = ctx.list(node, "'groups'");
  if (!lists) return undefined;
  if (lists.length === 0) ctx.error(ctx.pos(node), "'groups' needs at least one group of hosts");
  const seen = new Set<string>();
  let ok = lists.length > 0;
  const groups = lists.map((g) => {
    const items = ctx.list(g, 'a partition group');
    if (!items || items.length === 0) {
      if (items) ctx.error(ctx.pos(g), 'a partition group needs at least one host');
      ok = false;
      return [];
    }
    return items.flatMap((item) => {
      const host = readHostRef(declared)(ctx, item);
      const pos = ctx.pos(item);
      if (host === undefined) ok = false;
      else if (seen.has(host)) {
        ctx.error(pos, `host '${host}' is in two groups`);
        ok = false;
      } else if (lan !== undefined && ![...declared.hosts.get(host)!.values()].includes(lan)) {
        ctx.error(pos, `host '${host}' has no NIC on LAN '${lan}'`);
        ok = false;
      }
      if (host !== undefined) seen.add(host);
      return host === undefined ? [] : [host];
    });
  });
  return ok ? groups : undefined;
}

function parseLoad(f: Fields, declared: Declared, duration: Micros | undefined): TimelineAction | undefined {
  const from = f.optional('from', readInstant(duration)) ?? (f.has('from') ? undefined : 0);
  // Without 'to' the load runs to the end; an invalid duration has its own error.
  const to = f.optional('to', readInstant(duration)) ?? (f.has('to') ? undefined : duration);
  const host = f.required('on', readHostRef(declared));
  const load = f.required('load', readLoad);
  if (from !== undefined && to !== undefined && to <= from) {
    f.error(f.valuePos('to'), `'to' must be later than 'from'`);
    return undefined;
  }
  if (from === undefined || to === undefined || !host || !load) return undefined;
  return { kind: 'load', from, to, host, ...load, pos: f.pos };
}

/** More persistent connections than this is a mistake rather than a load (ab caps -c at 20000). */
const MAX_CONNECTIONS = 20000;

type LoadFields = { url: UrlSpec; rate: RateSpec; timeout: Micros; keepalive: boolean; connections: number };

const readLoad: Read<LoadFields> = (ctx, node) => {
  const f = ctx.map(node, "'load'");
  if (!f) return undefined;
  f.allow(['url', 'rate', 'timeout', 'keepalive', 'connections']);
  const url = f.required('url', readUrl);
  const rate = f.required('rate', readRate);
  const timeout = f.optional('timeout', readPositive) ?? (f.has('timeout') ? undefined : 5 * SECOND);
  const keepalive = f.optional('keepalive', readBoolean) ?? (f.has('keepalive') ? undefined : false);
  const connections = f.optional('connections', readInteger(1)) ?? (f.has('connections') ? undefined : 1);
  if (connections !== undefined && connections > MAX_CONNECTIONS) {
    f.error(f.valuePos('connections'), `at most ${MAX_CONNECTIONS} connections, not ${connections}`);
    return undefined;
  }
  if (f.has('connections') && keepalive === false) {
    f.error(f.valuePos('connections'), `'connections' needs 'keepalive: true' (without it every request opens its own connection)`);
    return undefined;
  }
  if (!url || !rate || !timeout || keepalive === undefined || connections === undefined) return undefined;
  return { url, rate, timeout, keepalive, connections };
};

/** `http://172.16.23.80:8080/test.html`: the simulation has no DNS, so the host is an address. */
const readUrl: Read<UrlSpec> = (ctx, node) => {
  const text = readText(ctx, node);
  if (text === undefined) return undefined;
  const pos = ctx.pos(node);
  const m = /^http:\/\/([^/:?#]+)(?::(\d{1,5}))?([/?][^#\s]*)?$/.exec(text);
  if (!m) {
    ctx.error(pos, `bad URL '${text}' (like http://172.16.23.80/test.html)`);
    return undefined;
  }
  const ip = parseIpv4Explained(m[1]!);
  if ('reason' in ip) {
    ctx.error(pos, `the host of URL '${text}' must be an IPv4 address (the simulation has no DNS)`);
    return undefined;
  }
  const port = m[2] === undefined ? 80 : Number(m[2]);
  if (port < 1 || port > 65535) {
    ctx.error(pos, `port ${port} of URL '${text}' is not in 1..65535`);
    return undefined;
  }
  const path = m[3] === undefined ? '/' : m[3].startsWith('?') ? `/${m[3]}` : m[3];
  return { text, address: { text: m[1]!, value: ip.value, pos }, port, path };
};
