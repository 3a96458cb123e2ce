import { posix } from 'node:path';
import { ConfigErr } from './diagnostic';
import type { ConfigSource } from './source';

/**
 * keepalived's line reader (lib/parser.c `read_line`, `decomment`, `alloc_strvec`): files and includes,
 * comments, `@id` lines, `$NAME` definitions, and `{`/`}` split onto lines of their own. Every keepalived
 * process re-reads the whole text, so the reader runs once and each simulated process replays its output.
 */

/** A message the reader itself raises while producing a line. */
export interface ReaderNote {
  readonly category: ConfigErr;
  readonly text: string;
  /** The text the child processes print, when it differs (they read the parent's de-commented copy). */
  readonly childText?: string;
  /** Raised only in the parent process (missing include files: children read the parent's copy). */
  readonly parentOnly?: boolean;
}

export interface Line {
  /** Name keepalived prints for the file: as given, or as the include glob matched it. */
  readonly file: string;
  /** The parent process prints `(Line N)` rather than `(file: Line N)` for a lone main file. */
  readonly namedInParent: boolean;
  readonly no: number;
  /**
   * The number the parent process prints: it reads the file itself and counts newlines, so a last line
   * without one keeps the previous number; the other processes read the parent's newline-terminated copy.
   */
  readonly parentNo: number;
  /** The line as keepalived hands it to keyword handlers (de-commented, braces split off). */
  readonly text: string;
  /** Words of the line (quotes removed); empty for a line that only carries notes. */
  readonly words: readonly string[];
  readonly notes: readonly ReaderNote[];
}

export interface ReadResult {
  readonly lines: readonly Line[];
  /** Unclosed `{` at the end (keepalived: `There are N missing '}'s or extra '{'s`). */
  readonly openBlocks: number;
  /** A missing main file: `Config files missing '<path>'.` with no line. */
  readonly mainMissing: boolean;
  /** An include that must exist (`includem`/`includew`/…) did not: the parent gives up after parsing. */
  readonly fileError: boolean;
}

interface OpenFile {
  readonly name: string;
  readonly named: boolean;
  /** Directory relative includes resolve against (keepalived chdirs to an included file's directory). */
  readonly dir: string;
  readonly raw: readonly string[];
  /** The text does not end with a newline: keepalived does not count its last line (it counts '\n's). */
  readonly unterminated: boolean;
  idx: number;
  no: number;
  readonly strict: IncludeStrictness;
}

interface Definition {
  value: string;
  multiline: boolean;
}

/** Which missing-file conditions are errors for an include variant (`include`, `includer`, …). */
interface IncludeStrictness {
  readonly missing: boolean;
  readonly wildcardNoMatch: boolean;
}

const INCLUDE_VARIANTS: Record<string, IncludeStrictness> = {
  '': { missing: false, wildcardNoMatch: false },
  r: { missing: false, wildcardNoMatch: false },
  m: { missing: true, wildcardNoMatch: false },
  b: { missing: false, wildcardNoMatch: false },
  w: { missing: true, wildcardNoMatch: true },
  a: { missing: true, wildcardNoMatch: true },
};

const MAX_SUBSTITUTIONS = 64;
/** keepalived's MAXBUF: a substitution that would make a line this long is not made. */
const MAXBUF = 1024;
/** Lines a parse may take from multi-line definitions (a definition using itself would never end). */
const MAX_EXPANDED_LINES = 100_000;
const MAX_INCLUDE_DEPTH = 32;
/** Files a parse may open in all: includes that include each other would otherwise never end. */
const MAX_FILES = 256;

export function readConfig(mainPath: string, source: ConfigSource, configId: string | undefined): ReadResult {
  return new Reader(source, configId).run(mainPath);
}

class Reader {
  private readonly files: OpenFile[] = [];
  private readonly defs = new Map<string, Definition>();
  private readonly out: Line[] = [];
  /** Lines still to come from a multi-line definition being expanded. */
  private readonly expansion: string[] = [];
  private residue: string | undefined;
  private depth = 0;
  private pendingDef: Definition | undefined;
  private fileError = false;
  private notes: ReaderNote[] = [];
  private expanded = 0;
  private opened = 0;
  private physicalInclude = false;

  constructor(
    private readonly source: ConfigSource,
    private readonly configId: string | undefined,
  ) {
    this.defs.set('_HASH', { value: '#', multiline: false });
    this.defs.set('_BANG', { value: '!', multiline: false });
  }

  run(mainPath: string): ReadResult {
    const matches = this.source.glob(mainPath);
    const texts = matches.map((m) => this.source.read(m));
    if (matches.length === 0 || texts.every((t) => t === undefined)) {
      return { lines: [], openBlocks: 0, mainMissing: true, fileError: false };
    }
    const named = matches.length > 1;
    // glob order is the order keepalived reads several matching main files in
    for (let i = matches.length - 1; i >= 0; i--) {
      const text = texts[i];
      if (text === undefined) continue;
      this.files.push({
        name: matches[i]!,
        named,
        dir: posix.dirname(matches[i]!),
        raw: splitLines(text),
        unterminated: text !== '' && !text.endsWith('\n'),
        idx: 0,
        no: 0,
        strict: INCLUDE_VARIANTS['r']!,
      });
    }
    for (;;) {
      const line = this.nextLine();
      if (line === undefined) break;
      this.emit(line);
    }
    this.flushNotes();
    return { lines: this.out, openBlocks: this.depth, mainMissing: false, fileError: this.fileError };
  }

  private current(): OpenFile | undefined {
    return this.files[this.files.length - 1];
  }

  private note(category: ConfigErr, text: string, parentOnly = false): void {
    this.notes.push(parentOnly ? { category, text, parentOnly } : { category, text });
  }

  /** Notes raised while reading lines that produced nothing (a missing include) still need a line. */
  private flushNotes(): void {
    if (this.notes.length === 0) return;
    const f = this.current() ?? this.lastFile;
    this.out.push({
      file: f?.name ?? '',
      namedInParent: f?.named ?? false,
      no: f?.no ?? 0,
      parentNo: f ? parentNo(f) : 0,
      text: '',
      words: [],
      notes: this.notes,
    });
    this.notes = [];
  }

  private lastFile: OpenFile | undefined;

  /** The next non-empty, de-commented, substituted line with braces split off, or undefined at the end. */
  private nextLine(): string | undefined {
    let buf: string | undefined;
    do {
      buf = this.rawLine();
      if (buf === undefined) return undefined;
      buf = this.substitute(buf);
    } while (buf === '' || this.include(buf));
    return this.splitBraces(buf);
  }

  /** One de-commented line: residue of a split line, then a definition's lines, then the files. */
  private rawLine(): string | undefined {
    // an include the parent sees at the start of a physical line is expanded in its copy of the text;
    // any other (after a brace, from a definition) is met again, and reported, by every process
    this.physicalInclude = false;
    if (this.residue !== undefined) {
      const r = this.residue;
      this.residue = undefined;
      return r;
    }
    if (this.expansion.length > 0) return this.expansion.shift();
    for (;;) {
      const f = this.current();
      if (!f) return undefined;
      if (f.idx >= f.raw.length) {
        this.lastFile = this.files.pop();
        continue;
      }
      const text = f.raw[f.idx++]!;
      f.no++;
      if (text === '') {
        if (this.pendingDef) this.pendingDef = undefined;
        continue;
      }
      let unterminated: string | undefined;
      const line = decomment(text, (t) => (unterminated = t));
      if (unterminated !== undefined) {
        this.notes.push({ category: ConfigErr.GeneralError, text: `Unterminated quote '${unterminated}'`, childText: `Unterminated quote '${line}'` });
      }
      if (this.pendingDef) {
        this.continueDefinition(line);
        continue;
      }
      if (line !== '') {
        this.physicalInclude = /^include[rmwba]?[ \t]/.test(line);
        return line;
      }
    }
  }

  private continueDefinition(line: string): void {
    const def = this.pendingDef!;
    let text = line;
    let more = false;
    if (text.endsWith('\\')) {
      text = text.slice(0, -1).replace(/[ \t]+$/, '');
      more = true;
    }
    if (text !== '' || !more) def.value += (def.value === '' ? '' : '\n') + text;
    if (!more) this.pendingDef = undefined;
  }

  /** `@id` / `@^id` selection, `$NAME=value` definitions and `$NAME` substitution. */
  private substitute(line: string): string {
    let buf = line;
    for (let round = 0; round < MAX_SUBSTITUTIONS; round++) {
      if (buf.startsWith('@')) {
        const reverse = buf[1] === '^';
        const start = reverse ? 2 : 1;
        const m = /[ \t]/.exec(buf.slice(start));
        if (!m) return '';
        const id = buf.slice(start, start + m.index);
        if ((this.configId === undefined || id !== this.configId) !== reverse) return '';
        buf = buf.slice(start + m.index).replace(/^[ \t]+/, '');
      }
      if (buf.startsWith('$') && this.define(buf)) return '';
      if (buf.startsWith('~')) return buf;
      if (this.defs.size === 0 || !buf.includes('$')) return buf;
      const replaced = this.replaceParams(buf);
      if (replaced === undefined) return buf;
      buf = decomment(replaced, (t) => this.note(ConfigErr.GeneralError, `Unterminated quote '${t}'`));
      if (!buf.startsWith('@') && !buf.includes('$')) return buf;
    }
    return buf;
  }

  private define(buf: string): boolean {
    const m = /^\$([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(.*)$/.exec(buf);
    if (!m) return false;
    let value = m[2]!;
    const multiline = value.endsWith('\\');
    if (multiline) value = value.slice(0, -1).replace(/[ \t]+$/, '');
    const def: Definition = { value, multiline };
    this.defs.set(m[1]!, def);
    if (multiline) this.pendingDef = def;
    return true;
  }

  /** Replaces every known `$NAME` / `${NAME}`; undefined when nothing was replaced. */
  private replaceParams(buf: string): string | undefined {
    let found = false;
    let out = '';
    let i = 0;
    while (i < buf.length) {
      const c = buf[i]!;
      if (c !== '$' || i + 1 >= buf.length) {
        out += c;
        i++;
        continue;
      }
      const braces = buf[i + 1] === '{';
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(buf.slice(i + (braces ? 2 : 1)));
      const name = m?.[0];
      const end = name === undefined ? -1 : i + (braces ? 2 : 1) + name.length;
      const terminated =
        name !== undefined && (braces ? buf[end] === '}' : end >= buf.length || ' \t,)'.includes(buf[end]!));
      const def = terminated ? this.defs.get(name!) : undefined;
      const after = braces ? end + 1 : end;
      const wholeRest = after >= buf.length;
      if (!def || (def.multiline && !wholeRest)) {
        out += c;
        i++;
        continue;
      }
      found = true;
      if (def.multiline) {
        const [first, ...rest] = def.value.split('\n');
        this.expanded += rest.length;
        if (this.expanded > MAX_EXPANDED_LINES) return undefined;
        this.expansion.unshift(...rest);
        out += first ?? '';
      } else {
        out += def.value;
      }
      i = after;
      if (out.length + buf.length - i >= MAXBUF) return undefined;
    }
    return found ? out : undefined;
  }

  /** `include GLOB` (and includer/m/w/b/a): opens the matching files in place. */
  private include(buf: string): boolean {
    const m = /^include([rmwba]?)[ \t]+(.*)$/.exec(buf);
    if (!m) return false;
    const strict = INCLUDE_VARIANTS[m[1]!]!;
    const pattern = m[2]!.replace(/^[ \t]+/, '');
    const from = this.current();
    if (this.files.length >= MAX_INCLUDE_DEPTH || this.opened >= MAX_FILES) return true;
    const resolved = pattern.startsWith('/') || !from ? pattern : posix.join(from.dir, pattern);
    const matches = this.source.glob(resolved);
    if (matches.length === 0) {
      if (this.missingPart(resolved)) {
        this.note(strict.missing ? ConfigErr.FileNotFound : ConfigErr.Ok, `Config files missing '${pattern}'.`, this.physicalInclude);
        if (strict.missing) this.fileError = true;
      } else if (strict.wildcardNoMatch) {
        this.note(ConfigErr.FileNotFound, `No config files matched '${pattern}'.`, this.physicalInclude);
        this.fileError = true;
      }
      // reported at the include line itself
      this.flushNotes();
      return true;
    }
    const prefix = resolved.slice(0, resolved.length - pattern.length);
    for (let i = matches.length - 1; i >= 0; i--) {
      const path = matches[i]!;
      const text = this.source.read(path);
      if (text === undefined || ++this.opened > MAX_FILES) continue;
      const shown = !pattern.startsWith('/') && path.startsWith(prefix) ? path.slice(prefix.length) : path;
      this.files.push({
        name: shown,
        named: true,
        dir: posix.dirname(path),
        raw: splitLines(text),
        unterminated: text !== '' && !text.endsWith('\n'),
        idx: 0,
        no: 0,
        strict,
      });
    }
    return true;
  }

  /** Whether a literal (wildcard-free) component of the pattern does not exist, as glob's lstat sees it. */
  private missingPart(pattern: string): boolean {
    const parts = pattern.split('/');
    let path = pattern.startsWith('/') ? '' : '';
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (/[*?[]/.test(part) || /\{[^}]*,[^}]*\}/.test(part)) return false;
      path = i === 0 ? part : `${path}/${part}`;
      if (path === '' || path === '.' || path === '..') continue;
      if (this.source.glob(path).length === 0) return true;
    }
    return true;
  }

  /** keepalived puts a `{` or `}` (outside quotes) on a line of its own; the rest follows as another line. */
  private splitBraces(buf: string): string {
    if (!buf.includes('{') && !buf.includes('}')) return trimBlanks(buf);
    let line = buf;
    let at = -1;
    if (line[0] === '{' || line[0] === '}') {
      at = 0;
    } else {
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        const c = line[i]!;
        if (c === '"') {
          quoted = !quoted;
        } else if (!quoted && (c === '{' || c === '}')) {
          at = i;
          break;
        }
      }
    }
    if (at >= 0) {
      const skip = at === 0 ? 1 + (/^[ \t]*/.exec(line.slice(1))?.[0].length ?? 0) : 0;
      const rest = line.slice(at + skip).replace(/[ \t]+$/, '');
      if (rest !== '') {
        this.residue = rest;
        line = line.slice(0, at + skip);
      }
    }
    line = line.replace(/[ \t]+$/, '');
    if (line === '{') {
      this.depth++;
    } else if (line === '}') {
      if (this.depth-- < 1) {
        this.note(ConfigErr.UnexpectedEob, "Extra '}' found");
        this.depth = 0;
      }
    }
    return line;
  }

  private emit(text: string): void {
    const f = this.current() ?? this.lastFile!;
    const words = tokenize(text, (t) => this.note(ConfigErr.UnmatchedQuote, `Unmatched quote: '${t}'`));
    this.out.push({ file: f.name, namedInParent: f.named, no: f.no, parentNo: parentNo(f), text, words, notes: this.notes });
    this.notes = [];
  }
}

function parentNo(f: OpenFile): number {
  return f.unterminated && f.idx >= f.raw.length ? f.no - 1 : f.no;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.replace(/\r+$/, '') : l));
}

/**
 * keepalived's `decomment`: strips leading blanks, a comment from the first `!`/`#` outside quotes,
 * `\!`/`\#` escapes, and trailing blanks; a trailing `\` is kept (definitions continue on it).
 */
export function decomment(text: string, unterminated: (line: string) => void): string {
  if (!SPECIAL.test(text)) return trimBlanks(text);
  const str = text.replace(/^[ \t]+/, '');
  let out = '';
  let quote = false;
  let cont = false;
  let cut = -1;
  for (let i = 0; i < str.length; i++) {
    const c = str[i]!;
    if (c === '"') {
      if (cut < 0) quote = !quote;
    } else if (c === '\\') {
      if (i + 1 < str.length) {
        const n = str[i + 1]!;
        if (!quote && (n === '#' || n === '!')) {
          out += n;
          i++;
          continue;
        }
        out += c + n;
        i++;
        continue;
      }
      cont = true;
      break;
    } else if (!quote && cut < 0 && (c === '!' || c === '#')) {
      cut = out.length;
    }
    out += c;
  }
  if (quote) unterminated(cont ? out : out);
  if (cut >= 0) out = out.slice(0, cut);
  out = out.replace(/[ \t]+$/, '');
  return cont ? `${out}\\` : out;
}

const SPECIAL = /[!#"\\]/;

function trimBlanks(text: string): string {
  let a = 0;
  let b = text.length;
  while (a < b && (text.charCodeAt(a) === 32 || text.charCodeAt(a) === 9)) a++;
  while (b > a && (text.charCodeAt(b - 1) === 32 || text.charCodeAt(b - 1) === 9)) b--;
  return a === 0 && b === text.length ? text : text.slice(a, b);
}

/** keepalived's `alloc_strvec`: words split on blanks, a `"..."` is one word without its quotes. */
export function tokenize(text: string, unmatched: (line: string) => void): string[] {
  const words: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && isBlank(text.charCodeAt(i))) i++;
    if (i >= n) break;
    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      if (close < 0) {
        unmatched(text);
        break;
      }
      words.push(text.slice(i + 1, close));
      i = close + 1;
    } else {
      const start = i;
      while (i < n && !isBlank(text.charCodeAt(i)) && text[i] !== '"') i++;
      words.push(text.slice(start, i));
    }
  }
  return words;
}

function isBlank(c: number): boolean {
  // WHITE_SPACE in keepalived: space, tab, CR, LF, FF, VT
  return c === 32 || (c >= 9 && c <= 13);
}
