import { formatDuration, type Micros } from '../../sim/time';
import { REQUEST_ERRORS } from '../../daemons/client/trace-events';
import { VRRP_STATES, type Expectation, type TextMatch, type VrrpState } from '../spec';
import type { Fields, ParseContext, Read, YamlNode } from './context';
import { readHostRef, type Declared } from './references';
import { readInstant, readWindow } from './timing';
import { readBoolean, readDuration, readInteger, readIpv4, readNonEmpty, readOneOf, readRegex, readText } from './values';

/** Each expectation's key, and the keys an entry of that kind may have. */
const EXPECTATIONS = {
  vip: ['vip', 'on', 'not_on', 'at', 'within', 'after'],
  log: ['log', 'within', 'after'],
  state: ['state', 'at', 'within', 'after'],
  reach: ['reach', 'at', 'within', 'after'],
  requests: ['requests'],
  transition: ['transition', 'at', 'tolerance'],
} as const;

/** What the expectations may refer to besides names: the run's end, and the hosts that run a load. */
export interface ExpectContext {
  readonly declared: Declared;
  readonly duration: Micros | undefined;
  readonly loadHosts: ReadonlySet<string>;
}

export function parseExpectations(ctx: ParseContext, node: YamlNode, env: ExpectContext): Expectation[] {
  const out: Expectation[] = [];
  for (const item of ctx.list(node, "'expect'") ?? []) {
    const f = ctx.map(item, 'an expectation');
    const kind = f?.kind(EXPECTATIONS);
    if (!f || !kind) continue;
    const e = parseOne(f, kind, env);
    if (e) out.push(e);
  }
  return out;
}

const readState = readOneOf<VrrpState>(VRRP_STATES, 'VRRP state');

function parseOne(f: Fields, kind: keyof typeof EXPECTATIONS, env: ExpectContext): Expectation | undefined {
  const hostRef = readHostRef(env.declared);
  const pos = f.pos;
  switch (kind) {
    case 'vip': {
      const address = f.required('vip', readIpv4);
      if (f.has('on') === f.has('not_on')) {
        f.error(pos, `an address expectation needs either 'on' or 'not_on'${f.has('on') ? ', not both' : ''}`);
      }
      const present = f.has('on');
      const host = f.optional(present ? 'on' : 'not_on', hostRef);
      const window = readWindow(f, env.duration, false);
      if (!address || !host || !window || f.has('on') === f.has('not_on')) return undefined;
      return { kind: 'address', address, host, present, window, pos };
    }
    case 'log': {
      const log = f.required('log', (ctx, n) => readLog(ctx, n, hostRef));
      const window = readWindow(f, env.duration, true);
      return log && window ? { kind: 'log', ...log, window, pos } : undefined;
    }
    case 'state': {
      const state = f.required('state', (ctx, n) => {
        const s = ctx.map(n, "'state'");
        if (!s) return undefined;
        s.allow(['host', 'instance', 'is']);
        const host = s.required('host', hostRef);
        const instance = s.required('instance', readNonEmpty);
        const is = s.required('is', readState);
        return host && instance && is ? { host, instance, state: is } : undefined;
      });
      const window = readWindow(f, env.duration, false);
      return state && window ? { kind: 'state', ...state, window, pos } : undefined;
    }
    case 'reach': {
      const reach = f.required('reach', (ctx, n) => {
        const r = ctx.map(n, "'reach'");
        if (!r) return undefined;
        r.allow(['from', 'to', 'unreachable']);
        const from = r.required('from', hostRef);
        const to = r.required('to', readIpv4);
        const unreachable = r.optional('unreachable', readBoolean) ?? (r.has('unreachable') ? undefined : false);
        return from && to && unreachable !== undefined ? { from, to, unreachable } : undefined;
      });
      const window = readWindow(f, env.duration, false);
      return reach && window ? { kind: 'reach', ...reach, window, pos } : undefined;
    }
    case 'requests': {
      const requests = f.required('requests', (ctx, n) => readRequests(ctx, n, env));
      return requests ? { kind: 'requests', ...requests, pos } : undefined;
    }
    case 'transition': {
      const t = f.required('transition', (ctx, n) => {
        const m = ctx.map(n, "'transition'");
        if (!m) return undefined;
        m.allow(['host', 'instance', 'to', 'from']);
        const host = m.required('host', hostRef);
        const instance = m.required('instance', readNonEmpty);
        const to = m.required('to', readState);
        const from = m.optional('from', readState);
        if (!host || !instance || !to || (m.has('from') && !from)) return undefined;
        return { host, instance, to, ...(from ? { from } : {}) };
      });
      const at = f.required('at', readInstant(env.duration));
      const tolerance = f.optional('tolerance', readDuration) ?? (f.has('tolerance') ? undefined : 0);
      return t && at !== undefined && tolerance !== undefined ? { kind: 'transition', ...t, at, tolerance, pos } : undefined;
    }
  }
}

/** `matches:` (a substring) or `regex:`, exactly one of them. */
function readTextMatch(f: Fields): TextMatch | undefined {
  if (f.has('matches') === f.has('regex')) {
    f.error(f.pos, `${f.what} needs either 'matches' or 'regex'${f.has('regex') ? ', not both' : ''}`);
    return undefined;
  }
  if (f.has('matches')) {
    const text = f.optional('matches', readNonEmpty);
    return text === undefined ? undefined : { kind: 'substring', text };
  }
  const source = f.optional('regex', readRegex);
  return source === undefined ? undefined : { kind: 'regex', source };
}

function readLog(ctx: ParseContext, node: YamlNode, hostRef: Read<string>): { host: string; match: TextMatch } | undefined {
  const f = ctx.map(node, "'log'");
  if (!f) return undefined;
  f.allow(['host', 'matches', 'regex']);
  const host = f.required('host', hostRef);
  const match = readTextMatch(f);
  return host && match ? { host, match } : undefined;
}

type Requests = Omit<Extract<Expectation, { kind: 'requests' }>, 'kind' | 'pos'>;

function readRequests(ctx: ParseContext, node: YamlNode, env: ExpectContext): Requests | undefined {
  const f = ctx.map(node, "'requests'");
  if (!f) return undefined;
  f.allow(['from', 'between', 'opened_before', 'failed_at_most', 'answered_by', 'failed_with']);
  const from = f.required('from', readHostRef(env.declared));
  if (from && !env.loadHosts.has(from)) f.error(f.valuePos('from'), `no load runs on host '${from}' in the timeline`);
  const between = f.has('between')
    ? f.optional('between', (c, n) => readBetween(c, n, env.duration))
    : env.duration === undefined
      ? undefined
      : ([0, env.duration] as const);
  const failedAtMost = f.optional('failed_at_most', readInteger(0));
  const answeredBy = f.optional('answered_by', (c, n) => {
    const a = c.map(n, "'answered_by'");
    if (!a) return undefined;
    a.allow(['header', 'matches', 'regex']);
    const header = a.required('header', readHeaderName);
    const match = readTextMatch(a);
    return header && match ? { header, match } : undefined;
  });
  const openedBefore = f.optional('opened_before', readInstant(env.duration));
  const failedWith = f.optional('failed_with', readOneOf(REQUEST_ERRORS, 'request error'));
  if (failedWith !== undefined && (f.has('failed_at_most') || f.has('answered_by'))) {
    f.error(f.valuePos('failed_with'), `'failed_with' asks that every request failed: it goes with neither 'failed_at_most' nor 'answered_by'`);
    return undefined;
  }
  if (!from || !env.loadHosts.has(from) || !between) return undefined;
  if ((f.has('failed_at_most') && failedAtMost === undefined) || (f.has('answered_by') && !answeredBy)) return undefined;
  if ((f.has('opened_before') && openedBefore === undefined) || (f.has('failed_with') && failedWith === undefined)) return undefined;
  // No criterion given: every request must be answered.
  const judged = failedAtMost === undefined && !answeredBy && failedWith === undefined ? { failedAtMost: 0 } : {};
  return {
    from,
    between,
    ...judged,
    ...(failedAtMost !== undefined ? { failedAtMost } : {}),
    ...(answeredBy ? { answeredBy } : {}),
    ...(openedBefore !== undefined ? { openedBefore } : {}),
    ...(failedWith !== undefined ? { failedWith } : {}),
  };
}

function readBetween(ctx: ParseContext, node: YamlNode, duration: Micros | undefined): readonly [Micros, Micros] | undefined {
  const items = ctx.list(node, "'between'");
  if (!items) return undefined;
  if (items.length !== 2) {
    ctx.error(ctx.pos(node), `'between' needs two instants, [from, to], not ${items.length}`);
    return undefined;
  }
  const [a, b] = items.map((n) => readInstant(duration)(ctx, n));
  if (a === undefined || b === undefined) return undefined;
  if (b < a) {
    ctx.error(ctx.pos(items[1]!), `'between' must go forward in time: ${formatDuration(b)} is before ${formatDuration(a)}`);
    return undefined;
  }
  return [a, b];
}

/** An HTTP field name (RFC 9110 token). */
const readHeaderName: Read<string> = (ctx, node) => {
  const text = readText(ctx, node);
  if (text === undefined) return undefined;
  if (/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(text)) return text;
  ctx.error(ctx.pos(node), `'${text}' is not an HTTP header name`);
  return undefined;
};
