import '../daemons/keepalived/trace-events';
import '../daemons/client/trace-events';
import { formatDuration, type Micros } from '../sim/time';
import type { TraceRecord } from '../sim/trace';
import type { Expectation, TextMatch, Window } from './spec';
import type { World } from './world';

export interface ExpectationResult {
  readonly expectation: Expectation;
  readonly ok: boolean;
  /** What was asserted, in words. */
  readonly what: string;
  /** What happened instead (or the confirming fact). */
  readonly detail: string;
}

/** Active probes some expectations need while the run goes on (a ping for `reach`). */
export function scheduleProbes(world: World, expectations: readonly Expectation[]): Map<Expectation, boolean[]> {
  const probes = new Map<Expectation, boolean[]>();
  for (const e of expectations) {
    if (e.kind !== 'reach') continue;
    const results: boolean[] = [];
    probes.set(e, results);
    const host = world.hosts.get(e.from)!;
    const times = probeTimes(e.window, world.spec.duration);
    for (const t of times) {
      world.sim.at(t, () => host.run(`ping -c 1 -W 1 ${e.to.text}`, (r) => results.push(r.code === 0)));
    }
  }
  return probes;
}

function probeTimes(w: Window, duration: Micros): Micros[] {
  const SECOND = 1_000_000;
  if (w.kind === 'at') return [w.at];
  const from = w.kind === 'within' ? w.after : 0;
  const to = w.kind === 'within' ? w.until : duration;
  const out: Micros[] = [];
  for (let t = from; t <= to - SECOND; t += SECOND) out.push(t);
  return out.length ? out : [from];
}

export function judge(
  expectations: readonly Expectation[],
  records: readonly TraceRecord[],
  probes: ReadonlyMap<Expectation, boolean[]>,
  duration: Micros,
): ExpectationResult[] {
  return expectations.map((e) => judgeOne(e, records, probes, duration));
}

function windowText(w: Window): string {
  if (w.kind === 'at') return `at ${formatDuration(w.at)}`;
  if (w.kind === 'within') return `within ${formatDuration(w.until - w.after)} after ${formatDuration(w.after)}`;
  return 'during the run';
}

function inWindow(t: Micros, w: Window): boolean {
  if (w.kind === 'at') return t <= w.at;
  if (w.kind === 'within') return t > w.after && t <= w.until;
  return true;
}

function matches(m: TextMatch, text: string): boolean {
  return m.kind === 'substring' ? text.includes(m.text) : new RegExp(m.source).test(text);
}

function matchText(m: TextMatch): string {
  return m.kind === 'substring' ? JSON.stringify(m.text) : `/${m.source}/`;
}

/** Does `holds(t)` hold at some instant of the window? State only changes at events, so the instants to check are the window's start and each event in it. */
function someInstant(w: Window, changes: readonly Micros[], holds: (t: Micros) => boolean, duration: Micros): boolean {
  if (w.kind === 'at') return holds(w.at);
  const from = w.kind === 'within' ? w.after : 0;
  const to = w.kind === 'within' ? w.until : duration;
  if (holds(from)) return true;
  return changes.some((c) => c > from && c <= to && holds(c));
}

function judgeOne(
  e: Expectation,
  records: readonly TraceRecord[],
  probes: ReadonlyMap<Expectation, boolean[]>,
  duration: Micros,
): ExpectationResult {
  switch (e.kind) {
    case 'address': {
      const ip = e.address.text;
      // A host without power holds nothing; at boot its configured addresses come back as addr.add.
      const events = records.filter(
        (r): r is TraceRecord<'addr.add'> | TraceRecord<'addr.del'> | TraceRecord<'host.power'> =>
          ((r.kind === 'addr.add' || r.kind === 'addr.del') && r.host === e.host && r.ip === ip) ||
          (r.kind === 'host.power' && r.host === e.host && !r.up),
      );
      const has = (t: Micros): boolean => {
        let present = false;
        for (const r of events) if (r.t <= t) present = r.kind === 'addr.add';
        return present;
      };
      const ok = someInstant(e.window, events.map((r) => r.t), (t) => has(t) === e.present, duration);
      const holders = [...new Set(records.filter((r) => r.kind === 'addr.add' && r.ip === ip).map((r) => (r as TraceRecord<'addr.add'>).host))];
      return {
        expectation: e,
        ok,
        what: `${ip} ${e.present ? 'on' : 'not on'} ${e.host} ${windowText(e.window)}`,
        detail: ok ? 'held' : `it did not; hosts that held ${ip} during the run: ${holders.join(', ') || 'none'}`,
      };
    }
    case 'log': {
      const hit = records.find(
        (r): r is TraceRecord<'log'> => r.kind === 'log' && r.host === e.host && inWindow(r.t, e.window) && matches(e.match, r.text),
      );
      const ok = hit !== undefined;
      return {
        expectation: e,
        ok,
        what: `log of ${e.host} has ${matchText(e.match)} ${e.window.kind === 'at' ? `by ${formatDuration(e.window.at)}` : windowText(e.window)}`,
        detail: hit ? `at ${formatDuration(hit.t)}: ${hit.text}` : 'no such line',
      };
    }
    case 'state': {
      const events = records.filter(
        (r): r is TraceRecord<'vrrp.state'> => r.kind === 'vrrp.state' && r.host === e.host && r.instance === e.instance,
      );
      const stateAt = (t: Micros): string => {
        let s = 'INIT';
        for (const r of events) if (r.t <= t) s = r.to;
        return s;
      };
      const ok = someInstant(e.window, events.map((r) => r.t), (t) => stateAt(t) === e.state, duration);
      const at = e.window.kind === 'at' ? e.window.at : e.window.kind === 'within' ? e.window.until : duration;
      return {
        expectation: e,
        ok,
        what: `${e.host} ${e.instance} is ${e.state} ${windowText(e.window)}`,
        detail: ok ? 'held' : `it was ${stateAt(at)} at ${formatDuration(at)}`,
      };
    }
    case 'transition': {
      const hits = records.filter(
        (r): r is TraceRecord<'vrrp.state'> =>
          r.kind === 'vrrp.state' && r.host === e.host && r.instance === e.instance && r.to === e.to && (e.from === undefined || r.from === e.from),
      );
      const hit = hits.find((r) => Math.abs(r.t - e.at) <= e.tolerance);
      const nearest = hits.reduce<TraceRecord<'vrrp.state'> | undefined>(
        (best, r) => (!best || Math.abs(r.t - e.at) < Math.abs(best.t - e.at) ? r : best),
        undefined,
      );
      return {
        expectation: e,
        ok: hit !== undefined,
        what: `${e.host} ${e.instance} ${e.from ? `${e.from} → ` : ''}${e.to} at ${formatDuration(e.at)} ± ${formatDuration(e.tolerance)}`,
        detail: hit ? `at ${formatDuration(hit.t)}` : nearest ? `nearest at ${formatDuration(nearest.t)}` : 'never happened',
      };
    }
    case 'reach': {
      const results = probes.get(e) ?? [];
      const ok = e.unreachable ? results.length > 0 && results.every((r) => !r) : results.some((r) => r);
      return {
        expectation: e,
        ok,
        what: `${e.to.text} ${e.unreachable ? 'unreachable' : 'reachable'} from ${e.from} ${windowText(e.window)}`,
        detail: `${results.filter((r) => r).length} of ${results.length} pings answered`,
      };
    }
    case 'requests': {
      const [from, to] = e.between;
      const before = e.openedBefore;
      const reqs = records.filter(
        (r): r is TraceRecord<'http.request'> =>
          r.kind === 'http.request' &&
          r.host === e.from &&
          r.sent >= from &&
          r.sent <= to &&
          (before === undefined || openedAt(r) < before),
      );
      const failed = reqs.filter((r) => r.error !== undefined || (r.status ?? 0) >= 500);
      const problems: string[] = [];
      if (reqs.length === 0) problems.push(`no request was made in that interval${before === undefined ? '' : ` on a connection opened before ${formatDuration(before)}`}`);
      if (e.failedWith !== undefined) {
        const other = reqs.filter((r) => r.error !== e.failedWith);
        if (other.length) problems.push(`${other.length} did not fail with ${e.failedWith}: ${outcome(other[0]!)} at ${formatDuration(other[0]!.sent)}`);
      }
      if (e.failedAtMost !== undefined && failed.length > e.failedAtMost) problems.push(`${failed.length} failed`);
      if (e.answeredBy) {
        const h = e.answeredBy.header.toLowerCase();
        const wrong = reqs.filter((r) => r.status !== undefined && !matches(e.answeredBy!.match, r.headers[h] ?? ''));
        if (wrong.length) problems.push(`${wrong.length} answered with ${e.answeredBy.header}: ${wrong[0]!.headers[h] ?? '(none)'}`);
      }
      const parts = [
        ...(e.failedAtMost !== undefined ? [`at most ${e.failedAtMost} failed`] : []),
        ...(e.answeredBy ? [`answered by ${e.answeredBy.header} ${matchText(e.answeredBy.match)}`] : []),
        ...(e.failedWith !== undefined ? [`all failed with ${e.failedWith}`] : []),
      ];
      const on = before === undefined ? '' : ` on connections opened before ${formatDuration(before)}`;
      return {
        expectation: e,
        ok: problems.length === 0,
        what: `requests from ${e.from} between ${formatDuration(from)} and ${formatDuration(to)}${on}: ${parts.join(', ')}`,
        detail: problems.length ? problems.join('; ') : `${reqs.length} requests, ${failed.length} failed`,
      };
    }
  }
}

/** When the request's connection was opened: a keep-alive load says so; otherwise the request opened its own. */
function openedAt(r: TraceRecord<'http.request'>): Micros {
  return r.opened ?? r.sent;
}

/** `200`, `reset` … */
function outcome(r: TraceRecord<'http.request'>): string {
  return r.error ?? String(r.status);
}
