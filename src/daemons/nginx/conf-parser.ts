import { NginxConfError } from './conf-error';
import { ConfLexer } from './conf-lexer';
import { DIRECTIVE_TABLE } from './directive-table';

/** What the parser may read: files of the simulated host. `glob` returns matching paths (any order). */
export interface ConfReader {
  read(path: string): string | undefined;
  glob(pattern: string): string[];
}

/** Where a directive stands: nginx's configuration contexts; `raw` is the inside of types/map/geo-like blocks. */
export type ConfContext = 'main' | 'events' | 'http' | 'server' | 'location' | 'upstream' | 'sif' | 'lif' | 'lmt' | 'raw';

export interface ConfDirective {
  readonly name: string;
  readonly args: readonly string[];
  readonly file: string;
  readonly line: number;
}

/**
 * Called in document order as each directive is read, like nginx's directive handlers, so that a semantic error
 * early in the file wins over a syntax error later. Errors are thrown as NginxConfError.
 */
export interface ConfHandler {
  directive(d: ConfDirective, ctx: ConfContext): void;
  blockStart(d: ConfDirective, ctx: ConfContext): void;
  blockEnd(d: ConfDirective, ctx: ConfContext): void;
}

interface Rule {
  readonly contexts: ReadonlySet<string>;
  readonly block: boolean;
  readonly check: (argc: number) => boolean;
}

function compileRule(contexts: string, spec: string): Rule {
  const block = spec.endsWith('{');
  const s = block ? spec.slice(0, -1) : spec;
  let check: (argc: number) => boolean;
  if (s === 'flag') check = (n) => n === 1;
  else if (s === 'any') check = () => true;
  else if (s === '1+') check = (n) => n >= 1;
  else if (s === '2+') check = (n) => n >= 2;
  else {
    const counts = new Set([...s].map(Number));
    check = (n) => counts.has(n);
  }
  return { contexts: new Set(contexts.split(' ')), block, check };
}

const RULES = new Map<string, Rule[]>();
for (const [name, contexts, spec] of DIRECTIVE_TABLE) {
  const list = RULES.get(name) ?? [];
  list.push(compileRule(contexts, spec));
  RULES.set(name, list);
}

/** Blocks whose inside is a list of free-form lines handed to their own handler (ngx_conf_t.handler). */
const RAW_BLOCKS = new Set(['types', 'map', 'geo', 'split_clients', 'charset_map', 'match']);

function childContext(name: string, ctx: ConfContext): ConfContext {
  if (RAW_BLOCKS.has(name)) return 'raw';
  switch (name) {
    case 'events':
      return 'events';
    case 'http':
      return 'http';
    case 'server':
      return 'server';
    case 'upstream':
      return 'upstream';
    case 'location':
      return 'location';
    case 'if':
      return ctx === 'server' ? 'sif' : 'lif';
    case 'limit_except':
      return 'lmt';
    default:
      // ssl/mail/stream-like blocks are not in the table, so they never get here
      return ctx;
  }
}

const GLOB_CHARS = /[*?[]/;

/** Directory part with its trailing slash: nginx's conf prefix for a file given with -c. */
function dirnameOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1);
}

/**
 * Reads `confPath` and everything it includes, checks every directive against nginx's directive table
 * (unknown / not allowed here / not terminated / argument count) and hands each one to `handler`.
 * Relative include paths are taken from the directory of the main file, as nginx does with -c.
 */
export function parseConf(confPath: string, reader: ConfReader, handler: ConfHandler): void {
  const confPrefix = dirnameOf(confPath);
  const text = reader.read(confPath);
  if (text === undefined) {
    throw new NginxConfError(`open() "${confPath}" failed (2: No such file or directory)`);
  }
  parseFile(confPath, text, 'main', false);

  function parseFile(file: string, body: string, ctx: ConfContext, inBlock: boolean): void {
    const lexer = new ConfLexer(body, file);
    parseBlock(lexer, file, ctx, inBlock);
  }

  /** Reads statements until the block's `}` (inBlock) or the end of the file. */
  function parseBlock(lexer: ConfLexer, file: string, ctx: ConfContext, inBlock: boolean): void {
    for (;;) {
      const tok = lexer.next();
      if (tok.kind === 'close') {
        if (!inBlock) throw new NginxConfError('unexpected "}"', file, tok.line);
        return;
      }
      if (tok.kind === 'eof') {
        if (inBlock) throw new NginxConfError('unexpected end of file, expecting "}"', file, tok.line);
        return;
      }
      const [name, ...args] = tok.args as [string, ...string[]];
      const d: ConfDirective = { name, args, file, line: tok.line };
      if (ctx === 'raw') {
        if (name === 'include') {
          include(d, ctx);
          continue;
        }
        if (tok.block) throw new NginxConfError('unexpected "{"', file, tok.line);
        handler.directive(d, ctx);
        continue;
      }
      const rule = findRule(d, ctx);
      if (!rule.block && tok.block) {
        throw new NginxConfError(`directive "${name}" is not terminated by ";"`, file, tok.line);
      }
      if (rule.block && !tok.block) throw new NginxConfError(`directive "${name}" has no opening "{"`, file, tok.line);
      if (!rule.check(args.length)) {
        throw new NginxConfError(`invalid number of arguments in "${name}" directive`, file, tok.line);
      }
      if (name === 'include') {
        include(d, ctx);
        continue;
      }
      if (!tok.block) {
        handler.directive(d, ctx);
        continue;
      }
      handler.blockStart(d, ctx);
      parseBlock(lexer, file, childContext(name, ctx), true);
      handler.blockEnd(d, ctx);
    }
  }

  function findRule(d: ConfDirective, ctx: ConfContext): Rule {
    const rules = RULES.get(d.name);
    if (rules === undefined) throw new NginxConfError(`unknown directive "${d.name}"`, d.file, d.line);
    const rule = rules.find((r) => r.contexts.has(ctx) || r.contexts.has('any'));
    if (rule === undefined) throw new NginxConfError(`"${d.name}" directive is not allowed here`, d.file, d.line);
    return rule;
  }

  function include(d: ConfDirective, ctx: ConfContext): void {
    const arg = d.args[0]!;
    const path = arg.startsWith('/') ? arg : confPrefix + arg;
    if (GLOB_CHARS.test(path)) {
      // glob(3) sorts its matches; an empty match is fine for a pattern
      for (const match of [...reader.glob(path)].sort()) includeFile(match, d, ctx);
      return;
    }
    includeFile(path, d, ctx);
  }

  function includeFile(path: string, d: ConfDirective, ctx: ConfContext): void {
    const body = reader.read(path);
    if (body === undefined) {
      throw new NginxConfError(`open() "${path}" failed (2: No such file or directory)`, d.file, d.line);
    }
    parseFile(path, body, ctx, false);
  }
}
