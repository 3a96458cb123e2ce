import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node as YamlNode } from 'yaml';
import type { ScenarioDiagnostic, SourcePos } from '../diagnostic';
import { closest } from './suggest';

export type { YamlNode };

/** Reads one YAML value into typed data, reporting what is wrong; undefined when it is unusable. */
export type Read<T> = (ctx: ParseContext, node: YamlNode) => T | undefined;

/** One `key: value` of a mapping; value is null when the key has no value. */
export interface Entry {
  readonly key: string;
  readonly keyPos: SourcePos;
  readonly value: YamlNode | null;
}

/** The diagnostics collected so far and the position of every node, for one scenario file. */
export class ParseContext {
  readonly diagnostics: ScenarioDiagnostic[] = [];

  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
    private readonly doc: Document,
  ) {}

  posAt(offset: number): SourcePos {
    const { line, col } = this.lines.linePos(offset);
    return { line, col };
  }

  pos(node: YamlNode): SourcePos {
    return this.posAt(node.range?.[0] ?? 0);
  }

  error(pos: SourcePos, message: string): void {
    this.diagnostics.push({ file: this.file, line: pos.line, col: pos.col, message });
  }

  /** Follows `*alias` to its anchored node, so an alias reads like the text it stands for. */
  resolve(node: YamlNode | null): YamlNode | null {
    if (node && isAlias(node)) return node.resolve(this.doc) ?? null;
    return node;
  }

  /** A mapping's entries, or an error when the node is something else. */
  map(node: YamlNode, what: string): Fields | undefined {
    if (!isMap(node)) {
      this.error(this.pos(node), `${what} must be a map, not ${describe(node)}`);
      return undefined;
    }
    const entries: Entry[] = [];
    for (const pair of node.items) {
      const key = this.resolve(pair.key as YamlNode | null);
      if (!key || !isScalar(key) || key.value === null || typeof key.value === 'object') {
        this.error(key ? this.pos(key) : this.pos(node), `keys of ${what} must be plain text`);
        continue;
      }
      const value = this.resolve(pair.value as YamlNode | null);
      entries.push({ key: scalarText(key), keyPos: this.pos(key), value: isNull(value) ? null : value });
    }
    return new Fields(this, this.pos(node), what, entries);
  }

  /** A sequence's items, or an error when the node is something else. */
  list(node: YamlNode, what: string): YamlNode[] | undefined {
    if (!isSeq(node)) {
      this.error(this.pos(node), `${what} must be a list, not ${describe(node)}`);
      return undefined;
    }
    return node.items.map((item) => this.resolve(item as YamlNode)).filter((n): n is YamlNode => n !== null);
  }
}

/** The entries of one mapping, with the checks every object of the format needs. */
export class Fields {
  private readonly byKey = new Map<string, Entry>();

  constructor(
    private readonly ctx: ParseContext,
    readonly pos: SourcePos,
    /** How the mapping is called in messages: "LAN 'ext'", "a timeline entry". */
    readonly what: string,
    readonly entries: readonly Entry[],
  ) {
    for (const e of entries) this.byKey.set(e.key, e);
  }

  error(pos: SourcePos, message: string): void {
    this.ctx.error(pos, message);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  entry(key: string): Entry | undefined {
    return this.byKey.get(key);
  }

  /** Reports every key not in `allowed`, suggesting the closest allowed spelling. */
  allow(allowed: readonly string[]): void {
    for (const e of this.entries) {
      if (allowed.includes(e.key)) continue;
      const guess = closest(e.key, allowed);
      this.ctx.error(
        e.keyPos,
        guess
          ? `unknown key '${e.key}'; did you mean '${guess}'?`
          : `unknown key '${e.key}' in ${this.what}; allowed keys: ${allowed.join(', ')}`,
      );
    }
  }

  /**
   * For mappings whose kind is told by which key is present (`run:`, `crash:` …): the one kind key found,
   * with the other keys checked against that kind's table. Without a kind key, misspelt keys are reported
   * with suggestions, or else the missing kind.
   */
  kind<K extends string>(table: Readonly<Record<K, readonly string[]>>): K | undefined {
    const kinds = Object.keys(table) as K[];
    const present = this.entries.filter((e) => (kinds as string[]).includes(e.key));
    if (present.length === 1) {
      const kind = present[0]!.key as K;
      this.allow(table[kind]);
      return kind;
    }
    if (present.length > 1) {
      const names = present.map((e) => `'${e.key}'`).join(' and ');
      this.ctx.error(present[1]!.keyPos, `${this.what} does one thing; it has ${names}`);
      return undefined;
    }
    const before = this.ctx.diagnostics.length;
    this.allow([...new Set(Object.values<readonly string[]>(table).flat())]);
    if (this.ctx.diagnostics.length === before) this.ctx.error(this.pos, `${this.what} needs one of: ${kinds.join(', ')}`);
    return undefined;
  }

  /** A key that must be present, read with `read`. */
  required<T>(key: string, read: Read<T>): T | undefined {
    if (!this.byKey.has(key)) {
      this.ctx.error(this.pos, `${this.what} needs '${key}'`);
      return undefined;
    }
    return this.optional(key, read);
  }

  /** A key that may be absent (undefined then). A key written without a value is an error. */
  optional<T>(key: string, read: Read<T>): T | undefined {
    const e = this.byKey.get(key);
    if (!e) return undefined;
    if (e.value === null) {
      this.ctx.error(e.keyPos, `'${key}' needs a value`);
      return undefined;
    }
    return read(this.ctx, e.value);
  }

  /** Position of a key's value (or of the key when it has none), for errors about the value. */
  valuePos(key: string): SourcePos {
    const e = this.byKey.get(key);
    if (!e) return this.pos;
    return e.value ? this.ctx.pos(e.value) : e.keyPos;
  }
}

function isNull(node: YamlNode | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

/** The text of a scalar as the user wrote it: `0755` stays `0755`, not 755. */
export function scalarText(node: YamlNode): string {
  if (!isScalar(node)) return '';
  if (typeof node.value === 'string') return node.value;
  return node.source ?? String(node.value);
}

/** "a map", "a list", "the number 42": how a node looks, for messages. */
export function describe(node: YamlNode): string {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    if (node.value === null) return 'nothing';
    if (typeof node.value === 'number') return `the number ${scalarText(node)}`;
    if (typeof node.value === 'boolean') return `'${scalarText(node)}'`;
    return `'${String(node.value)}'`;
  }
  return 'this';
}
