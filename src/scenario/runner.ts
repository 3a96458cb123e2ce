import { MemorySink, Trace, type TraceRecord, type TraceSink } from '../sim/trace';
import type { Micros } from '../sim/time';
import { PcapWriter } from '../net/pcap';
import type { ScenarioDiagnostic } from './diagnostic';
import { judge, scheduleProbes, type ExpectationResult } from './expectations';
import { SERVICES } from './services';
import { handleLoadAction } from '../daemons/client';
import type { ScenarioSpec, TimelineAction } from './spec';
import { scheduleTimeline } from './timeline';
import { buildWorld, type ServiceFactory, type World } from './world';

export interface RunOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** Capture every LAN into a pcap. */
  readonly pcap?: boolean;
  /** Extra trace subscribers (JSONL file, console timeline). */
  readonly sinks?: readonly TraceSink[];
  /** Keep every record in memory (default: only what expectations and queries need). */
  readonly keepAllRecords?: boolean;
  readonly services?: ReadonlyMap<string, ServiceFactory>;
}

export interface RunResult {
  readonly spec: ScenarioSpec;
  readonly world: World;
  readonly records: readonly TraceRecord[];
  readonly results: readonly ExpectationResult[];
  readonly ok: boolean;
  readonly pcaps: ReadonlyMap<string, Uint8Array>;
  readonly events: number;
  readonly duration: Micros;
}

/** The kinds expectations and trace queries read; the rest streams to sinks only. */
const KEPT = new Set(['addr.add', 'addr.del', 'host.power', 'log', 'vrrp.state', 'vrrp.priority', 'http.request', 'snapshot', 'timeline.action']);

/** Checks what only the runner knows: that every service named has a daemon behind it. */
export function checkRunnable(spec: ScenarioSpec, services: ReadonlyMap<string, ServiceFactory> = SERVICES): ScenarioDiagnostic[] {
  const out: ScenarioDiagnostic[] = [];
  for (const h of spec.hosts) {
    for (const s of h.services) {
      if (!services.has(s.name)) {
        out.push({ file: spec.file, ...s.pos, message: `service '${s.name}' has no simulated daemon in this version of vrrpsim` });
      }
    }
  }
  return out;
}

/** Builds the world, plays the timeline for the scenario's duration and judges the expectations. */
export function runScenario(spec0: ScenarioSpec, opts: RunOptions = {}, handleExtra?: (w: World, a: TimelineAction) => boolean): RunResult {
  const spec = opts.seed !== undefined ? { ...spec0, seed: opts.seed } : spec0;
  const trace = new Trace();
  const mem = new MemorySink();
  const all = opts.keepAllRecords === true;
  trace.attach(mem, all ? undefined : KEPT);
  for (const s of opts.sinks ?? []) trace.attach(s);
  const world = buildWorld(spec, opts.services ?? SERVICES, trace);
  const pcaps = new Map<string, PcapWriter>();
  if (opts.pcap) {
    for (const [name, lan] of world.lans) {
      const w = new PcapWriter(Math.floor(spec.start / 1000));
      pcaps.set(name, w);
      lan.onFrame((t, frame) => w.addFrame(t, frame));
    }
  }
  scheduleTimeline(world, spec.timeline, (a) => handleExtra?.(world, a) || handleLoadAction(world, a));
  const probes = scheduleProbes(world, spec.expect);
  world.sim.runUntil(spec.duration);
  trace.close();
  const results = judge(spec.expect, mem.records, probes, spec.duration);
  return {
    spec,
    world,
    records: mem.records,
    results,
    ok: results.every((r) => r.ok),
    pcaps: new Map([...pcaps].map(([k, w]) => [k, w.toBytes()])),
    events: world.sim.eventsProcessed,
    duration: spec.duration,
  };
}
