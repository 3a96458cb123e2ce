import type { Micros } from './time';

/**
 * The catalogue of trace events, by kind. Each layer adds its own kinds by declaration merging:
 *
 *   declare module '../sim/trace' { interface TraceEvents { 'link.down': { lan: string; port: string } } }
 *
 * so the kernel knows no packet or daemon, yet every emit and every reader is type-checked.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface TraceEvents {}

export type TraceKind = keyof TraceEvents;

/** One recorded event: simulated time, kind, and the kind's fields. */
export type TraceRecord<K extends TraceKind = TraceKind> = K extends TraceKind
  ? { readonly t: Micros; readonly kind: K } & Readonly<TraceEvents[K]>
  : never;

export interface TraceSink {
  write(record: TraceRecord): void;
  close?(): void;
}

/**
 * A set of subscribers (ns-3's trace sources): the JSONL file, the console timeline and the in-memory
 * store for tests are sinks. With no sink attached an emit costs one length check.
 */
export class Trace {
  private sinks: TraceSink[] = [];
  /** Set by the simulator that owns the trace. */
  clock: () => Micros = () => 0;

  get enabled(): boolean {
    return this.sinks.length > 0;
  }

  attach(sink: TraceSink): () => void {
    this.sinks.push(sink);
    return () => {
      this.sinks = this.sinks.filter((s) => s !== sink);
    };
  }

  emit<K extends TraceKind>(kind: K, data: TraceEvents[K]): void {
    const sinks = this.sinks;
    if (sinks.length === 0) return;
    const record = { t: this.clock(), kind, ...data } as unknown as TraceRecord;
    for (let i = 0; i < sinks.length; i++) sinks[i]!.write(record);
  }

  close(): void {
    for (const s of this.sinks) s.close?.();
  }
}

/** Keeps every record in memory: what tests and the library face query. */
export class MemorySink implements TraceSink {
  readonly records: TraceRecord[] = [];
  write(record: TraceRecord): void {
    this.records.push(record);
  }
}

/**
 * One JSON object per line. The writer is injected (the CLI passes a file stream) so the simulation
 * itself never touches the file system. Key order is the emit order, hence byte-identical for a seed.
 */
export class JsonLinesSink implements TraceSink {
  constructor(private readonly out: (line: string) => void) {}
  write(record: TraceRecord): void {
    this.out(JSON.stringify(record) + '\n');
  }
}

/** Calls a formatter per record and prints the lines it returns (the console timeline). */
export class FormattingSink implements TraceSink {
  constructor(
    private readonly format: (record: TraceRecord) => string | undefined,
    private readonly out: (line: string) => void,
  ) {}
  write(record: TraceRecord): void {
    const line = this.format(record);
    if (line !== undefined) this.out(line);
  }
}
