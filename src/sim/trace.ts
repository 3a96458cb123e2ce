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
 * store for tests are sinks. A sink may subscribe to some kinds only; an emit that no sink wants costs a
 * map look-up and builds no record.
 */
export class Trace {
  private sinks: { readonly sink: TraceSink; readonly kinds: ReadonlySet<string> | undefined }[] = [];
  /** The sinks of each kind emitted so far, in attach order (rebuilt when the sinks change). */
  private byKind = new Map<string, TraceSink[]>();
  /** Set by the simulator that owns the trace. */
  clock: () => Micros = () => 0;

  /** Some sink is attached (it may still not want every kind: see `wants`). */
  get enabled(): boolean {
    return this.sinks.length > 0;
  }

  /** Subscribes `sink` to every kind, or to `kinds` only. Returns the unsubscribe function. */
  attach(sink: TraceSink, kinds?: ReadonlySet<string>): () => void {
    const entry = { sink, kinds };
    this.sinks.push(entry);
    this.byKind = new Map();
    return () => {
      this.sinks = this.sinks.filter((e) => e !== entry);
      this.byKind = new Map();
    };
  }

  /** Does any sink take `kind`? Emitters that format costly fields ask first. */
  wants(kind: TraceKind): boolean {
    return this.sinksOf(kind).length > 0;
  }

  emit<K extends TraceKind>(kind: K, data: TraceEvents[K]): void {
    if (this.sinks.length === 0) return;
    const sinks = this.sinksOf(kind);
    if (sinks.length === 0) return;
    const record = { t: this.clock(), kind, ...data } as unknown as TraceRecord;
    for (let i = 0; i < sinks.length; i++) sinks[i]!.write(record);
  }

  /**
   * What emit does, for a record the emitter built whole: `t` (the simulator's now), `kind`, then the kind's
   * fields. Spares the copy emit makes, where one is emitted per simulated request.
   */
  emitRecord(record: TraceRecord): void {
    if (this.sinks.length === 0) return;
    const sinks = this.sinksOf(record.kind);
    for (let i = 0; i < sinks.length; i++) sinks[i]!.write(record);
  }

  close(): void {
    for (const { sink } of this.sinks) sink.close?.();
  }

  private sinksOf(kind: string): TraceSink[] {
    let list = this.byKind.get(kind);
    if (list === undefined) {
      list = this.sinks.filter((e) => e.kinds === undefined || e.kinds.has(kind)).map((e) => e.sink);
      this.byKind.set(kind, list);
    }
    return list;
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
