/**
 * The library face, for vitest and scripts: load a scenario, run it, query the trace.
 *
 *   const run = runScenarioFile('scenarios/basics/arp-and-ping.yaml');
 *   holderAt(run, '10.0.0.80', 12_500_000)   // → 'r2'
 */
import { formatDiagnostic } from './scenario/diagnostic';
import { loadScenarioFile } from './scenario/load';
import { runScenario, type RunOptions, type RunResult } from './scenario/runner';
import type { TraceRecord } from './sim/trace';
import type { Micros } from './sim/time';

export { runScenario, type RunOptions, type RunResult } from './scenario/runner';
export { parseScenario } from './scenario/parse';
export { loadScenarioFile } from './scenario/load';
export { parseDuration, formatDuration, SECOND, MS } from './sim/time';
export type { ScenarioSpec } from './scenario/spec';

/** Loads and runs a scenario file; bad input throws with every `file:line:col: message`. */
export function runScenarioFile(path: string, opts: RunOptions = {}): RunResult {
  const { spec, diagnostics } = loadScenarioFile(path);
  if (!spec || diagnostics.length) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  return runScenario(spec, opts);
}

/** The hosts that held `ip` at instant t (more than one is a split brain). */
export function holdersAt(run: RunResult, ip: string, t: Micros): string[] {
  const held = new Map<string, boolean>();
  for (const r of run.records) {
    if (r.t > t) break;
    if ((r.kind === 'addr.add' || r.kind === 'addr.del') && r.ip === ip) held.set(r.host, r.kind === 'addr.add');
    // A host without power answers for nothing; at boot it gets its configured addresses back (addr.add).
    else if (r.kind === 'host.power' && !r.up) held.delete(r.host);
  }
  return [...held].filter(([, h]) => h).map(([host]) => host);
}

/** The single holder of `ip` at t, or undefined (none, or several). */
export function holderAt(run: RunResult, ip: string, t: Micros): string | undefined {
  const h = holdersAt(run, ip, t);
  return h.length === 1 ? h[0] : undefined;
}

/** Instants at which `host`'s `instance` entered `state`. */
export function transitions(run: RunResult, host: string, instance: string, state: string): Micros[] {
  return run.records
    .filter((r): r is TraceRecord<'vrrp.state'> => r.kind === 'vrrp.state' && r.host === host && r.instance === instance && r.to === state)
    .map((r) => r.t);
}

/** Log lines of a host (text after the syslog prefix), optionally only those containing `substring`. */
export function logLines(run: RunResult, host: string, substring = ''): Array<{ t: Micros; text: string }> {
  return run.records
    .filter((r): r is TraceRecord<'log'> => r.kind === 'log' && r.host === host && r.text.includes(substring))
    .map((r) => ({ t: r.t, text: r.text }));
}
