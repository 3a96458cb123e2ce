import { NginxConfError } from './conf-error';

/**
 * One step of nginx's configuration reader (ngx_conf_read_token): the words of a directive ended by `;` or `{`,
 * a closing `}`, or the end of the file. `line` is the line the reader was on when it stopped, which is the line
 * nginx puts in its messages.
 */
export type ConfToken =
  | { readonly kind: 'directive'; readonly args: readonly string[]; readonly block: boolean; readonly line: number }
  | { readonly kind: 'close'; readonly line: number }
  | { readonly kind: 'eof'; readonly line: number };

const isSpace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';

/** The byte nginx prints with %c: the first UTF-8 byte of a non-ASCII character, as a latin1 char. */
function rawByte(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (code < 0x80) return ch;
  if (code < 0x800) return String.fromCharCode(0xc0 | (code >> 6));
  if (code < 0x10000) return String.fromCharCode(0xe0 | (code >> 12));
  return String.fromCharCode(0xf0 | (code >> 18));
}

/** Backslash sequences nginx rewrites inside a word: \" \' \\ keep the char, \t \r \n become controls. */
function unescape(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '\\' && i + 1 < raw.length) {
      const next = raw[i + 1]!;
      if (next === '"' || next === "'" || next === '\\') {
        out += next;
        i++;
        continue;
      }
      const control = next === 't' ? '\t' : next === 'r' ? '\r' : next === 'n' ? '\n' : undefined;
      if (control !== undefined) {
        out += control;
        i++;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

/** Reads one file's text token by token, with nginx's quoting, escaping, comment and error rules. */
export class ConfLexer {
  private pos = 0;
  private line = 1;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  private fail(detail: string): never {
    throw new NginxConfError(detail, this.file, this.line);
  }

  next(): ConfToken {
    const args: string[] = [];
    const text = this.text;
    let word = '';
    let inWord = false;
    let quote: '"' | "'" | undefined;
    let needSpace = false;
    let variable = false;
    let comment = false;
    let escaped = false;
    const endWord = (): void => {
      args.push(unescape(word));
      word = '';
      inWord = false;
    };
    while (this.pos < text.length) {
      // Walk by code point so that a non-ASCII character is one unit, as nginx's byte-wise checks see its first byte.
      const ch = String.fromCodePoint(text.codePointAt(this.pos)!);
      this.pos += ch.length;
      if (ch === '\n') {
        this.line++;
        comment = false;
      }
      if (comment) continue;
      if (escaped) {
        escaped = false;
        word += ch;
        continue;
      }
      if (needSpace) {
        if (isSpace(ch)) {
          needSpace = false;
          continue;
        }
        if (ch === ';') return { kind: 'directive', args, block: false, line: this.line };
        if (ch === '{') return { kind: 'directive', args, block: true, line: this.line };
        if (ch !== ')') this.fail(`unexpected "${rawByte(ch)}"`);
        needSpace = false;
        continue;
      }
      if (!inWord) {
        if (isSpace(ch)) continue;
        switch (ch) {
          case ';':
          case '{':
            if (args.length === 0) this.fail(`unexpected "${ch}"`);
            return { kind: 'directive', args, block: ch === '{', line: this.line };
          case '}':
            if (args.length !== 0) this.fail('unexpected "}"');
            return { kind: 'close', line: this.line };
          case '#':
            comment = true;
            continue;
          case '\\':
            inWord = true;
            escaped = true;
            word = '\\';
            continue;
          case '"':
          case "'":
            inWord = true;
            quote = ch;
            continue;
          case '$':
            variable = true;
            inWord = true;
            word = ch;
            continue;
          default:
            inWord = true;
            word = ch;
            continue;
        }
      }
      // inside a word
      if (ch === '{' && variable) {
        word += ch;
        continue;
      }
      variable = false;
      if (ch === '\\') {
        escaped = true;
        word += ch;
        continue;
      }
      if (ch === '$') {
        variable = true;
        word += ch;
        continue;
      }
      if (quote !== undefined) {
        if (ch === quote) {
          quote = undefined;
          needSpace = true;
          endWord();
          continue;
        }
        word += ch;
        continue;
      }
      if (isSpace(ch) || ch === ';' || ch === '{') {
        endWord();
        if (ch === ';') return { kind: 'directive', args, block: false, line: this.line };
        if (ch === '{') return { kind: 'directive', args, block: true, line: this.line };
        continue;
      }
      word += ch;
    }
    if (args.length > 0 || inWord) this.fail('unexpected end of file, expecting ";" or "}"');
    return { kind: 'eof', line: this.line };
  }
}
