/**
 * The POSIX shell subset that notify scripts, vrrp_script commands and lab operators use: simple
 * commands with quoting, `$VAR`/`${VAR}`/`$?`/`$1`/`$@`, globs, redirections, pipelines, `&&`/`||`/`;`,
 * `!`, and `if … then … elif … else … fi`. Parsing is pure; errors come back as bash words them.
 */

export interface WordPart {
  readonly text: string;
  readonly quote: 'none' | 'single' | 'double';
}
export type Word = readonly WordPart[];

export interface Redirect {
  readonly fd: 1 | 2;
  readonly op: '>' | '>>' | '>&';
  /** A file word, or for `>&` the fd it duplicates (1 or 2). */
  readonly target: Word | 1 | 2;
}

export interface SimpleCommand {
  readonly type: 'simple';
  readonly assignments: ReadonlyArray<{ name: string; value: Word }>;
  readonly words: readonly Word[];
  readonly redirects: readonly Redirect[];
}

export interface IfCommand {
  readonly type: 'if';
  readonly branches: ReadonlyArray<{ cond: List; body: List }>;
  readonly orElse?: List;
  readonly redirects: readonly Redirect[];
}

export type Command = SimpleCommand | IfCommand;

export interface Pipeline {
  readonly negate: boolean;
  readonly commands: readonly Command[];
}

export interface AndOr {
  readonly first: Pipeline;
  readonly rest: ReadonlyArray<{ op: '&&' | '||'; pipeline: Pipeline }>;
  readonly background: boolean;
}

export type List = readonly AndOr[];

type Token = { kind: 'word'; word: Word } | { kind: 'op'; op: string };

const OPERATORS = ['&&', '||', '2>&1', '1>&2', '>&2', '&>', '2>>', '2>', '>>', '>', ';;', ';', '|', '&', '\n', '(', ')'];

export class ShellSyntaxError extends Error {}

function lex(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let parts: WordPart[] | undefined;
  let plain = '';
  const flushPlain = (): void => {
    if (plain) (parts ??= []).push({ text: plain, quote: 'none' });
    plain = '';
  };
  const endWord = (): void => {
    flushPlain();
    if (parts) tokens.push({ kind: 'word', word: parts });
    parts = undefined;
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t') {
      endWord();
      i++;
    } else if (c === '#' && parts === undefined && plain === '') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '\\') {
      if (src[i + 1] === '\n') i += 2;
      else {
        plain += src[i + 1] ?? '';
        // An escaped character is literal: mark it as quoted so no expansion touches it.
        flushPlain();
        const last = parts!.pop()!;
        parts!.push({ text: last.text, quote: 'single' });
        i += 2;
      }
    } else if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError("unexpected EOF while looking for matching `''");
      flushPlain();
      (parts ??= []).push({ text: src.slice(i + 1, end), quote: 'single' });
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\' && j + 1 < src.length && '"\\$`\n'.includes(src[j + 1]!)) {
          // \$ stays escaped from expansion: encode as a single-quoted piece.
          if (src[j + 1] === '$') {
            flushPlain();
            (parts ??= []).push({ text, quote: 'double' }, { text: '$', quote: 'single' });
            text = '';
          } else if (src[j + 1] !== '\n') text += src[j + 1];
          j += 2;
        } else text += src[j++];
      }
      if (j >= src.length) throw new ShellSyntaxError('unexpected EOF while looking for matching `"\'');
      flushPlain();
      (parts ??= []).push({ text, quote: 'double' });
      i = j + 1;
    } else {
      const op = OPERATORS.find((o) => src.startsWith(o, i));
      // `2>` only counts as an operator at the start of a word.
      const atWordStart = parts === undefined && plain === '';
      if (op && (atWordStart || !/^[12]/.test(op))) {
        endWord();
        tokens.push({ kind: 'op', op });
        i += op.length;
      } else {
        plain += c;
        i++;
      }
    }
  }
  endWord();
  return tokens;
}

export function wordText(w: Word): string {
  return w.map((p) => p.text).join('');
}

function isKeyword(t: Token | undefined, kw: string): boolean {
  return t?.kind === 'word' && t.word.length === 1 && t.word[0]!.quote === 'none' && t.word[0]!.text === kw;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parseAll(): List {
    const list = this.list([]);
    if (this.i < this.tokens.length) throw this.unexpected();
    return list;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private unexpected(): ShellSyntaxError {
    const t = this.peek();
    const text = !t ? 'EOF' : t.kind === 'op' ? (t.op === '\n' ? 'newline' : t.op) : wordText(t.word);
    return new ShellSyntaxError(`syntax error near unexpected token \`${text}'`);
  }

  private skipNewlines(): void {
    while (this.peek()?.kind === 'op' && (this.peek() as { op: string }).op === '\n') this.i++;
  }

  private list(terminators: string[]): List {
    const out: AndOr[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (!t || terminators.some((k) => isKeyword(t, k))) return out;
      if (t.kind === 'op' && t.op !== '!') {
        if (t.op === ';' && out.length > 0) {
          this.i++;
          continue;
        }
        throw this.unexpected();
      }
      let andOr = this.andOr();
      const sep = this.peek();
      if (sep?.kind === 'op' && (sep.op === ';' || sep.op === '&' || sep.op === '\n')) {
        this.i++;
        if (sep.op === '&') andOr = { ...andOr, background: true };
      }
      out.push(andOr);
    }
  }

  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: Array<{ op: '&&' | '||'; pipeline: Pipeline }> = [];
    for (;;) {
      const t = this.peek();
      if (t?.kind === 'op' && (t.op === '&&' || t.op === '||')) {
        this.i++;
        this.skipNewlines();
        rest.push({ op: t.op, pipeline: this.pipeline() });
      } else return { first, rest, background: false };
    }
  }

  private pipeline(): Pipeline {
    let negate = false;
    if (isKeyword(this.peek(), '!')) {
      negate = true;
      this.i++;
    }
    const commands = [this.command()];
    while (this.peek()?.kind === 'op' && (this.peek() as { op: string }).op === '|') {
      this.i++;
      this.skipNewlines();
      commands.push(this.command());
    }
    return { negate, commands };
  }

  private command(): Command {
    if (isKeyword(this.peek(), 'if')) return this.ifCommand();
    return this.simple();
  }

  private expectKeyword(kw: string): void {
    if (!isKeyword(this.peek(), kw)) throw this.unexpected();
    this.i++;
  }

  private ifCommand(): IfCommand {
    this.expectKeyword('if');
    const branches: Array<{ cond: List; body: List }> = [];
    let orElse: List | undefined;
    for (;;) {
      const cond = this.list(['then']);
      this.expectKeyword('then');
      const body = this.list(['elif', 'else', 'fi']);
      branches.push({ cond, body });
      if (isKeyword(this.peek(), 'elif')) {
        this.i++;
        continue;
      }
      if (isKeyword(this.peek(), 'else')) {
        this.i++;
        orElse = this.list(['fi']);
      }
      this.expectKeyword('fi');
      return { type: 'if', branches, ...(orElse && { orElse }), redirects: this.redirects() };
    }
  }

  private redirects(): Redirect[] {
    const out: Redirect[] = [];
    for (;;) {
      const r = this.redirect();
      if (!r) return out;
      out.push(r);
    }
  }

  private redirect(): Redirect | undefined {
    const t = this.peek();
    if (t?.kind !== 'op') return undefined;
    const fileTarget = (fd: 1 | 2, op: '>' | '>>'): Redirect => {
      this.i++;
      const w = this.peek();
      if (w?.kind !== 'word') throw this.unexpected();
      this.i++;
      return { fd, op, target: w.word };
    };
    switch (t.op) {
      case '>':
        return fileTarget(1, '>');
      case '>>':
        return fileTarget(1, '>>');
      case '2>':
        return fileTarget(2, '>');
      case '2>>':
        return fileTarget(2, '>>');
      case '2>&1':
        this.i++;
        return { fd: 2, op: '>&', target: 1 };
      case '>&2':
      case '1>&2':
        this.i++;
        return { fd: 1, op: '>&', target: 2 };
      default:
        return undefined;
    }
  }

  private simple(): SimpleCommand {
    const assignments: Array<{ name: string; value: Word }> = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const t = this.peek();
      if (!t) break;
      if (t.kind === 'op') {
        if (t.op === '&>') {
          const [out] = [this.fileAfter()];
          redirects.push({ fd: 1, op: '>', target: out }, { fd: 2, op: '>&', target: 1 });
          continue;
        }
        const r = this.redirect();
        if (r) {
          redirects.push(r);
          continue;
        }
        break;
      }
      const first = t.word[0]!;
      const m = words.length === 0 && first.quote === 'none' ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text) : null;
      if (m) {
        const rest: WordPart[] = [{ text: first.text.slice(m[0].length), quote: 'none' }, ...t.word.slice(1)];
        assignments.push({ name: m[1]!, value: rest });
      } else words.push(t.word);
      this.i++;
    }
    if (words.length === 0 && assignments.length === 0 && redirects.length === 0) throw this.unexpected();
    return { type: 'simple', assignments, words, redirects };
  }

  private fileAfter(): Word {
    this.i++;
    const w = this.peek();
    if (w?.kind !== 'word') throw this.unexpected();
    this.i++;
    return w.word;
  }
}

/** Parses a script or command line; throws ShellSyntaxError with bash's wording. */
export function parseShell(src: string): List {
  return new Parser(lex(src)).parseAll();
}
