import { resolvePath, type Vfs } from '../vfs';
import { parseShell, ShellSyntaxError, type AndOr, type Command, type List, type Pipeline, type Redirect, type SimpleCommand, type Word } from './parse';

/** What a command sees: its arguments, stdin, output streams and the host's facilities. */
export interface CommandContext<H = unknown> {
  readonly host: H;
  readonly argv: readonly string[];
  readonly stdin: string;
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  out(text: string): void;
  err(text: string): void;
  /** Runs another command line in a child shell (init scripts calling `service`, etc.). */
  run(line: string, done: (r: ShellResult) => void): void;
}

/**
 * A command returns its exit status at once, or `undefined` and calls `done` later in simulated time
 * (ping, curl, sleep, a restart that waits for the old process to exit).
 */
export type CommandFn<H = unknown> = (ctx: CommandContext<H>, done: (code: number) => void) => number | undefined;

export interface ShellResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ShellOptions {
  readonly env?: Record<string, string>;
  /** $0, $1 … for scripts. */
  readonly args?: readonly string[];
  readonly stdin?: string;
  readonly cwd?: string;
}

interface Frame {
  vars: Record<string, string>;
  args: readonly string[];
  status: number;
  cwd: string;
  exited: boolean;
}

const MAX_DEPTH = 16;

/**
 * The simulated shell: runs command lines and script files from the host's VFS against a fixed table
 * of commands. Nothing here ever reaches the real machine. Execution is continuation-passing so that a
 * command can take simulated time without blocking the event loop.
 */
export class Shell<H = unknown> {
  private readonly commands = new Map<string, CommandFn<H>>();

  constructor(
    private readonly host: H,
    private readonly vfs: Vfs,
  ) {}

  register(name: string, fn: CommandFn<H>): void {
    this.commands.set(name, fn);
  }

  has(name: string): boolean {
    return this.commands.has(name);
  }

  run(line: string, opts: ShellOptions, done: (r: ShellResult) => void): void {
    this.runAt(line, opts, 0, done);
  }

  private runAt(line: string, opts: ShellOptions, depth: number, done: (r: ShellResult) => void): void {
    let list: List;
    try {
      list = parseShell(line);
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      done({ code: 2, stdout: '', stderr: `bash: ${e.message}\n` });
      return;
    }
    const frame: Frame = {
      vars: { ...(opts.env ?? {}) },
      args: opts.args ?? ['bash'],
      status: 0,
      cwd: opts.cwd ?? '/root',
      exited: false,
    };
    let stdout = '';
    let stderr = '';
    const io = {
      out: (s: string) => (stdout += s),
      err: (s: string) => (stderr += s),
    };
    this.runList(list, frame, io, opts.stdin ?? '', depth, () => done({ code: frame.status, stdout, stderr }));
  }

  private runList(list: List, f: Frame, io: Io, stdin: string, depth: number, k: () => void): void {
    let i = 0;
    const next = (): void => {
      if (i >= list.length || f.exited) return k();
      const item = list[i++]!;
      if (item.background) {
        // `cmd &`: starts, the script goes on at once with status 0.
        this.runAndOr(item, { ...f, vars: { ...f.vars } }, io, stdin, depth, () => {});
        f.status = 0;
        next();
      } else this.runAndOr(item, f, io, stdin, depth, next);
    };
    next();
  }

  private runAndOr(a: AndOr, f: Frame, io: Io, stdin: string, depth: number, k: () => void): void {
    let i = -1;
    const next = (): void => {
      if (f.exited) return k();
      i++;
      if (i === 0) return this.runPipeline(a.first, f, io, stdin, depth, next);
      if (i > a.rest.length) return k();
      const { op, pipeline } = a.rest[i - 1]!;
      if ((op === '&&' && f.status !== 0) || (op === '||' && f.status === 0)) return next();
      this.runPipeline(pipeline, f, io, stdin, depth, next);
    };
    next();
  }

  private runPipeline(p: Pipeline, f: Frame, io: Io, stdin: string, depth: number, k: () => void): void {
    // Commands of a pipeline run one after another, each reading the previous one's output: every
    // command here produces its output at once or at its end, so that is what a real pipe delivers.
    let i = 0;
    let input = stdin;
    const step = (): void => {
      const last = i === p.commands.length - 1;
      let captured = '';
      const stageIo: Io = last ? io : { out: (s) => (captured += s), err: io.err };
      this.runCommand(p.commands[i]!, f, stageIo, input, depth, () => {
        if (last) {
          if (p.negate) f.status = f.status === 0 ? 1 : 0;
          return k();
        }
        input = captured;
        i++;
        step();
      });
    };
    step();
  }

  private runCommand(c: Command, f: Frame, io: Io, stdin: string, depth: number, k: () => void): void {
    const redirected = this.applyRedirects(c.redirects, f, io);
    if (typeof redirected === 'string') {
      io.err(`bash: ${redirected}\n`);
      f.status = 1;
      return k();
    }
    const { io: cio, flush } = redirected;
    const finish = (): void => {
      flush();
      k();
    };
    if (c.type === 'if') return this.runIf(c.branches, c.orElse, 0, f, cio, stdin, depth, finish);
    this.runSimple(c, f, cio, stdin, depth, finish);
  }

  private runIf(
    branches: ReadonlyArray<{ cond: List; body: List }>,
    orElse: List | undefined,
    i: number,
    f: Frame,
    io: Io,
    stdin: string,
    depth: number,
    k: () => void,
  ): void {
    if (i >= branches.length) {
      if (orElse) return this.runList(orElse, f, io, stdin, depth, k);
      f.status = 0;
      return k();
    }
    const b = branches[i]!;
    this.runList(b.cond, f, io, stdin, depth, () => {
      if (f.exited) return k();
      if (f.status === 0) this.runList(b.body, f, io, stdin, depth, k);
      else this.runIf(branches, orElse, i + 1, f, io, stdin, depth, k);
    });
  }

  private runSimple(c: SimpleCommand, f: Frame, io: Io, stdin: string, depth: number, k: () => void): void {
    const argv = c.words.flatMap((w) => this.expand(w, f));
    const assigned: Record<string, string> = {};
    for (const a of c.assignments) assigned[a.name] = this.expand(a.value, f, false).join('');
    if (argv.length === 0) {
      Object.assign(f.vars, assigned);
      f.status = 0;
      return k();
    }
    const name = argv[0]!;
    const env = { ...f.vars, ...assigned };
    switch (name) {
      case 'exit':
        f.status = argv[1] !== undefined ? Number(argv[1]) & 255 : f.status;
        f.exited = true;
        return k();
      case 'cd': {
        const dir = resolvePath(f.cwd, argv[1] ?? '/root');
        if (!this.vfs.isDirectory(dir)) {
          io.err(`bash: cd: ${argv[1]}: No such file or directory\n`);
          f.status = 1;
        } else {
          f.cwd = dir;
          f.status = 0;
        }
        return k();
      }
      case 'export':
        for (const a of argv.slice(1)) {
          const eq = a.indexOf('=');
          if (eq > 0) f.vars[a.slice(0, eq)] = a.slice(eq + 1);
        }
        f.status = 0;
        return k();
    }
    const setStatus = (code: number): void => {
      f.status = code;
      k();
    };
    if (name.includes('/')) return this.runScript(name, argv, env, f, io, stdin, depth, setStatus);
    const fn = this.commands.get(name);
    if (!fn) {
      io.err(`bash: ${name}: command not found\n`);
      return setStatus(127);
    }
    const ctx: CommandContext<H> = {
      host: this.host,
      argv,
      stdin,
      env,
      cwd: f.cwd,
      out: io.out,
      err: io.err,
      run: (line, done) => {
        if (depth >= MAX_DEPTH) return done({ code: 1, stdout: '', stderr: 'bash: maximum nesting depth exceeded\n' });
        this.runAt(line, { env, cwd: f.cwd }, depth + 1, done);
      },
    };
    let settled = false;
    const done = (code: number): void => {
      if (settled) return;
      settled = true;
      setStatus(code);
    };
    const code = fn(ctx, done);
    if (code !== undefined) done(code);
  }

  /** Runs an executable file of the VFS: a `#!` shell script is interpreted by this shell. */
  private runScript(
    path: string,
    argv: readonly string[],
    env: Record<string, string>,
    f: Frame,
    io: Io,
    stdin: string,
    depth: number,
    k: (code: number) => void,
  ): void {
    const abs = resolvePath(f.cwd, path);
    const file = this.vfs.stat(abs);
    if (!file) {
      io.err(`bash: ${path}: No such file or directory\n`);
      return k(127);
    }
    if ((file.mode & 0o111) === 0) {
      io.err(`bash: ${path}: Permission denied\n`);
      return k(126);
    }
    const text = this.vfs.readText(abs) ?? '';
    const shebang = /^#!\s*(\S+)/.exec(text);
    if (shebang && !/\/(ba|da)?sh$/.test(shebang[1]!)) {
      io.err(`bash: ${path}: ${shebang[1]}: bad interpreter: No such file or directory\n`);
      return k(126);
    }
    if (depth >= MAX_DEPTH) {
      io.err(`bash: ${path}: maximum nesting depth exceeded\n`);
      return k(1);
    }
    this.runAt(text, { env, args: argv, stdin, cwd: f.cwd }, depth + 1, (r) => {
      io.out(r.stdout);
      io.err(r.stderr);
      k(r.code);
    });
  }

  private applyRedirects(redirects: readonly Redirect[], f: Frame, io: Io): { io: Io; flush: () => void } | string {
    if (redirects.length === 0) return { io, flush: () => {} };
    let out = io.out;
    let err = io.err;
    const files: Array<{ path: string; append: boolean; text: string }> = [];
    for (const r of redirects) {
      let sink: (s: string) => void;
      if (r.op === '>&') sink = r.target === 1 ? out : err;
      else {
        const path = resolvePath(f.cwd, this.expand(r.target as Word, f, false).join(''));
        if (path === '/dev/null') sink = () => {};
        else {
          const entry = { path, append: r.op === '>>', text: '' };
          files.push(entry);
          sink = (s) => (entry.text += s);
        }
      }
      if (r.fd === 1) out = sink;
      else err = sink;
    }
    return {
      io: { out, err },
      flush: () => {
        for (const file of files) {
          if (file.append) this.vfs.append(file.path, file.text);
          else this.vfs.write(file.path, file.text);
        }
      },
    };
  }

  /** Parameter expansion, then field splitting and globbing of unquoted parts. */
  private expand(w: Word, f: Frame, split = true): string[] {
    let text = '';
    let unquotedExpansion = false;
    let globbable = false;
    for (const part of w) {
      if (part.quote === 'single') {
        text += part.text;
        continue;
      }
      const expanded = part.text.replace(/\$(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*|[0-9?@#*$])/g, (_m, name: string) => {
        if (part.quote === 'none') unquotedExpansion = true;
        return this.param(name.replace(/^\{|\}$/g, ''), f);
      });
      if (part.quote === 'none' && /[*?[]/.test(part.text)) globbable = true;
      text += expanded;
    }
    if (globbable && split) {
      const matches = this.vfs.glob(resolvePath(f.cwd, text));
      if (matches.length > 0) return text.startsWith('/') ? matches : matches.map((m) => m.slice(f.cwd.length + 1));
    }
    if (split && unquotedExpansion) return text.split(/[ \t\n]+/).filter((s) => s !== '');
    return [text];
  }

  private param(name: string, f: Frame): string {
    if (name === '?') return String(f.status);
    if (name === '@' || name === '*') return f.args.slice(1).join(' ');
    if (name === '#') return String(Math.max(0, f.args.length - 1));
    if (name === '$') return '1';
    if (/^\d+$/.test(name)) return f.args[Number(name)] ?? '';
    return f.vars[name] ?? '';
  }
}

interface Io {
  out(s: string): void;
  err(s: string): void;
}
