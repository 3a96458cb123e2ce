import { ConfigErr, severityOf, type Diagnostic, type Process } from './diagnostic';
import type { Line } from './reader';

/**
 * keepalived's keyword dispatcher (lib/parser.c `process_stream`, `alloc_value_block`, `skip_block`),
 * including its error recovery: an unknown keyword's `{` is ignored and its contents are read as keywords
 * of the enclosing block, whose `}` then closes early.
 */

export type Handler<S> = (p: Parse<S>, words: readonly string[]) => void;

export interface Keyword<S> {
  /** Called with the keyword's words (keyword first). */
  readonly handler?: Handler<S>;
  /** Keywords of the block this keyword opens. */
  readonly sub?: KeywordTable<S>;
  /** Called when the block closes normally (keepalived's sub_close_handler). */
  readonly close?: (p: Parse<S>) => void;
}

export type KeywordTable<S> = ReadonlyMap<string, Keyword<S>>;

/** A top-level keyword and the processes that act on it; the others skip its block silently. */
export interface RootKeyword<S> extends Keyword<S> {
  readonly processes: readonly Process[];
}

/** A handler asked for a word the line does not have: keepalived reports it and the process exits. */
export class MissingParameter extends Error {}

/** A keyword keepalived acted on, and where: `block` is the inventory's block path (`top`, `vrrp_instance` …). */
export interface KeywordUse {
  readonly block: string;
  readonly keyword: string;
  readonly file: string;
  readonly line: number;
}

export class Parse<S> {
  /** Every keyword this process dispatched to a handler or block, in order. */
  readonly used: KeywordUse[] = [];
  private pos = 0;
  private kwLevel = 0;
  /** keepalived's skip_sublevel: -1 = a `{` may follow, n > 0 = inside n skipped braces. */
  private skip = 0;
  /** The line being handled: reports carry its file and number. */
  line: Line | undefined;

  constructor(
    readonly process: Process,
    readonly state: S,
    private readonly lines: readonly Line[],
    private readonly out: Diagnostic[],
  ) {}

  /** Reports with the current line's `(file: Line N) ` prefix, as keepalived does while reading. */
  report(category: ConfigErr, text: string): void {
    const l = this.line;
    if (!l) {
      this.reportPlain(category, text);
      return;
    }
    const parent = this.process === 'parent';
    const no = parent ? l.parentNo : l.no;
    const prefix = parent && !l.namedInParent ? `(Line ${no}) ` : `(${l.file}: Line ${no}) `;
    this.out.push({
      file: l.file,
      line: no,
      severity: severityOf(category),
      category,
      process: this.process,
      text: prefix + text,
    });
  }

  /** Reports without a line: keepalived's checks after the whole file is read. */
  reportPlain(category: ConfigErr, text: string): void {
    this.out.push({
      file: '',
      line: 0,
      severity: severityOf(category),
      category,
      process: this.process,
      text,
    });
  }

  /** The word at `index`, or the keepalived "missing a parameter" error, which ends the parse. */
  word(words: readonly string[], index: number): string {
    const w = words[index];
    if (w !== undefined) return w;
    if (index > 0 && index - 1 < words.length) {
      this.report(
        ConfigErr.MissingParameter,
        `*** Configuration line starting \`${words[0]}\` is missing a parameter after keyword \`${words[index - 1]}\` at word position ${index + 1}`,
      );
    } else {
      this.report(
        ConfigErr.MissingParameter,
        `*** Configuration line starting \`${words[0] ?? '***MISSING ***'}\` is missing a parameter at word position ${index + 1}`,
      );
    }
    throw new MissingParameter();
  }

  /** Where the current line is, for diagnostics raised later about it. */
  here(): { file: string; line: number } {
    return { file: this.line?.file ?? '', line: this.line?.no ?? 0 };
  }

  /** Whether the next line is a lone `{` (a keyword opening a value block). */
  nextIsBlockStart(): boolean {
    for (let i = this.pos; i < this.lines.length; i++) {
      const w = this.lines[i]!.words;
      if (w.length > 0) return w.length === 1 && w[0] === '{';
    }
    return false;
  }

  /**
   * A value block keepalived opens with no keyword in its slot 0 (virtual_server_group): without its `{`
   * keepalived dereferences the empty slot and exits, reporting the line it read.
   */
  requireBlockStartOrAbort(): void {
    if (this.nextIsBlockStart()) return;
    this.next();
    this.report(ConfigErr.MissingParameter, '*** Configuration line starting `***MISSING ***` is missing a parameter at word position 1');
    throw new MissingParameter();
  }

  /** keepalived's skip_block: ignore the rest of the block being opened. */
  skipBlock(): void {
    this.skip = -1;
  }

  /** The next line's words, replaying the reader's notes for this process; undefined at the end. */
  private next(): readonly string[] | undefined {
    for (;;) {
      const l = this.lines[this.pos++];
      if (!l) {
        // at the end of the text no file is open: keepalived prints later reports without a line
        this.line = undefined;
        return undefined;
      }
      this.line = l;
      for (const n of l.notes) {
        if (!n.parentOnly || this.process === 'parent') {
          this.report(n.category, this.process !== 'parent' && n.childText !== undefined ? n.childText : n.text);
        }
      }
      if (l.words.length > 0) return l.words;
    }
  }

  /**
   * keepalived's alloc_value_block: the lines of a `{ … }` value block (e.g. virtual_ipaddress), each as
   * words, without the braces. Lazy: each line is read when the caller asks for it, so reports made while
   * handling it carry its line number, as keepalived's do.
   */
  *valueLines(words: readonly string[]): Generator<string[]> {
    if (words.length > 1 && words[1] !== '{') {
      this.report(ConfigErr.GeneralError, `Block ${words[0]} has extra parameters ${words[1]} ...`);
    }
    let needBob = words[1] !== '{';
    for (;;) {
      const w = this.next();
      if (!w) return;
      let vec = w;
      if (needBob) {
        needBob = false;
        if (vec[0] === '{') {
          if (vec.length === 1) continue;
          vec = vec.slice(1);
        }
      }
      if (vec[vec.length - 1] === '}') {
        if (vec.length > 1) yield vec.slice(0, -1);
        return;
      }
      yield [...vec];
    }
  }

  /** All the lines of a value block at once. */
  valueBlock(words: readonly string[]): string[][] {
    return [...this.valueLines(words)];
  }

  /** Runs the whole stream against the top-level keywords. */
  run(roots: ReadonlyMap<string, RootKeyword<S>>): void {
    this.stream(roots, false, 'top');
  }

  private stream(table: ReadonlyMap<string, Keyword<S> | RootKeyword<S>>, needBobIn: boolean, block: string): boolean {
    let needBob = needBobIn;
    for (;;) {
      const words = this.next();
      if (!words) return false;
      let str = words[0]!;
      if (this.skip === -1) {
        if (str === '{') {
          this.skip = 1;
          needBob = false;
          continue;
        }
        this.skip = 0;
      }
      if (this.skip > 0) {
        for (const w of words) {
          str = w;
          if (w === '{') this.skip++;
          else if (w === '}' && --this.skip === 0) break;
        }
        if (str === '}' && this.skip === 0 && this.kwLevel > 0) return true;
        continue;
      }
      if (needBob) {
        needBob = false;
        if (str === '{' && this.kwLevel > 0) continue;
        this.report(ConfigErr.MissingBob, "Missing '{' at beginning of configuration block");
      } else if (str === '{') {
        this.report(ConfigErr.UnexpectedBob, "Unexpected '{' - ignoring");
        continue;
      }
      if (str === '}' && this.kwLevel > 0) return false;
      const kw = table.get(str);
      if (!kw) {
        this.report(ConfigErr.UnknownKeyword, `Unknown keyword '${str}'`);
        continue;
      }
      const active = this.kwLevel > 0 || !('processes' in kw) || kw.processes.includes(this.process);
      if (!active) {
        // another process's block: keepalived installs no sub-keywords for it and skips its { … }
        this.skip = words[words.length - 1] === '{' ? 1 : -1;
        continue;
      }
      this.used.push({ block, keyword: str, file: this.line!.file, line: this.line!.no });
      let args = words;
      let bobNeeded = false;
      if (kw.sub) {
        if (words.length > 1 && words[words.length - 1] === '{') args = words.slice(0, -1);
        else bobNeeded = true;
      }
      if (kw.handler) kw.handler(this, args);
      if (kw.sub) {
        this.kwLevel++;
        const skipped = this.stream(kw.sub, bobNeeded, block === 'top' ? str : `${block}.${str}`);
        this.kwLevel--;
        if (!skipped && kw.close) kw.close(this);
      }
    }
  }
}

/** Builds a keyword table from entries, for readable declarations. */
export function table<S>(entries: Record<string, Keyword<S>>): KeywordTable<S> {
  return new Map(Object.entries(entries));
}
