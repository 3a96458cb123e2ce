import { resolvePath } from '../vfs';
import type { Host } from '../host';
import type { CommandFn, Shell } from '../shell/shell';

const text = new TextDecoder();

const cat: CommandFn<Host> = (ctx) => {
  const files = ctx.argv.slice(1);
  if (files.length === 0) {
    ctx.out(ctx.stdin);
    return 0;
  }
  let code = 0;
  for (const f of files) {
    const path = resolvePath(ctx.cwd, f);
    const file = ctx.host.vfs.stat(path);
    if (!file) {
      ctx.err(`cat: ${f}: ${ctx.host.vfs.isDirectory(path) ? 'Is a directory' : 'No such file or directory'}\n`);
      code = 1;
    } else ctx.out(text.decode(file.data));
  }
  return code;
};

const echo: CommandFn<Host> = (ctx) => {
  let args = ctx.argv.slice(1);
  let newline = true;
  let escapes = false;
  while (args[0] && /^-[neE]+$/.test(args[0])) {
    if (args[0].includes('n')) newline = false;
    if (args[0].includes('e')) escapes = true;
    args = args.slice(1);
  }
  let s = args.join(' ');
  if (escapes) s = s.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  ctx.out(s + (newline ? '\n' : ''));
  return 0;
};

const mv: CommandFn<Host> = (ctx) => {
  const args = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  if (args.length !== 2) {
    ctx.err(args.length < 2 ? "mv: missing destination file operand after '" + (args[0] ?? '') + "'\n" : 'mv: too many arguments\n');
    return 1;
  }
  const vfs = ctx.host.vfs;
  const from = resolvePath(ctx.cwd, args[0]!);
  let to = resolvePath(ctx.cwd, args[1]!);
  if (vfs.isDirectory(to) && !vfs.stat(to)) to = `${to}/${from.split('/').pop()}`;
  if (!vfs.rename(from, to)) {
    ctx.err(`mv: cannot stat '${args[0]}': No such file or directory\n`);
    return 1;
  }
  return 0;
};

const cp: CommandFn<Host> = (ctx) => {
  const args = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  if (args.length !== 2) {
    ctx.err('cp: missing destination file operand\n');
    return 1;
  }
  const vfs = ctx.host.vfs;
  const src = vfs.stat(resolvePath(ctx.cwd, args[0]!));
  if (!src) {
    ctx.err(`cp: cannot stat '${args[0]}': No such file or directory\n`);
    return 1;
  }
  let to = resolvePath(ctx.cwd, args[1]!);
  if (vfs.isDirectory(to) && !vfs.stat(to)) to = `${to}/${args[0]!.split('/').pop()}`;
  vfs.write(to, src.data, src.mode);
  return 0;
};

const rm: CommandFn<Host> = (ctx) => {
  const force = ctx.argv.slice(1).some((a) => /^-[a-zA-Z]*f/.test(a));
  let code = 0;
  for (const f of ctx.argv.slice(1).filter((a) => !a.startsWith('-'))) {
    if (!ctx.host.vfs.remove(resolvePath(ctx.cwd, f)) && !force) {
      ctx.err(`rm: cannot remove '${f}': No such file or directory\n`);
      code = 1;
    }
  }
  return code;
};

const touch: CommandFn<Host> = (ctx) => {
  for (const f of ctx.argv.slice(1).filter((a) => !a.startsWith('-'))) {
    const path = resolvePath(ctx.cwd, f);
    const old = ctx.host.vfs.stat(path);
    ctx.host.vfs.write(path, old?.data ?? '', old?.mode);
  }
  return 0;
};

const md5sum: CommandFn<Host> = (ctx) => {
  let code = 0;
  for (const f of ctx.argv.slice(1)) {
    const sum = ctx.host.vfs.md5(resolvePath(ctx.cwd, f));
    if (sum === undefined) {
      ctx.err(`md5sum: ${f}: No such file or directory\n`);
      code = 1;
    } else ctx.out(`${sum}  ${f}\n`);
  }
  return code;
};

const ls: CommandFn<Host> = (ctx) => {
  const targets = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  let code = 0;
  for (const t of targets.length ? targets : [ctx.cwd]) {
    const path = resolvePath(ctx.cwd, t);
    if (ctx.host.vfs.stat(path)) ctx.out(`${t}\n`);
    else if (ctx.host.vfs.isDirectory(path)) {
      const names = ctx.host.vfs.list(path);
      if (names.length) ctx.out(names.join('\n') + '\n');
    } else {
      ctx.err(`ls: cannot access '${t}': No such file or directory\n`);
      code = 2;
    }
  }
  return code;
};

const chmod: CommandFn<Host> = (ctx) => {
  const [mode, ...files] = ctx.argv.slice(1);
  let code = 0;
  for (const f of files) {
    const path = resolvePath(ctx.cwd, f);
    const file = ctx.host.vfs.stat(path);
    if (!file) {
      ctx.err(`chmod: cannot access '${f}': No such file or directory\n`);
      code = 1;
      continue;
    }
    const m = /^[0-7]{3,4}$/.test(mode ?? '') ? parseInt(mode!, 8) : /\+x/.test(mode ?? '') ? file.mode | 0o111 : file.mode;
    ctx.host.vfs.write(path, file.data, m);
  }
  return code;
};

const grep: CommandFn<Host> = (ctx) => {
  const args = ctx.argv.slice(1);
  const quiet = args.includes('-q');
  const invert = args.includes('-v');
  const [pattern, ...files] = args.filter((a) => !a.startsWith('-'));
  if (pattern === undefined) {
    ctx.err('Usage: grep [OPTION]... PATTERNS [FILE]...\n');
    return 2;
  }
  const inputs = files.length ? files.map((f) => ctx.host.vfs.readText(resolvePath(ctx.cwd, f)) ?? '') : [ctx.stdin];
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch {
    re = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  }
  let found = false;
  for (const input of inputs) {
    for (const line of input.split('\n')) {
      if (line === '' || re.test(line) === invert) continue;
      found = true;
      if (!quiet) ctx.out(line + '\n');
    }
  }
  return found ? 0 : 1;
};

/** test / [ : the file and string tests scripts use. */
const test: CommandFn<Host> = (ctx) => {
  let args = ctx.argv.slice(1);
  if (ctx.argv[0] === '[') {
    if (args.at(-1) !== ']') {
      ctx.err("bash: [: missing `]'\n");
      return 2;
    }
    args = args.slice(0, -1);
  }
  const r = evalTest(args, ctx.host, ctx.cwd);
  if (r === undefined) {
    ctx.err(`bash: test: ${args.join(' ')}: unary operator expected\n`);
    return 2;
  }
  return r ? 0 : 1;
};

function evalTest(args: string[], host: Host, cwd: string): boolean | undefined {
  if (args.length === 0) return false;
  if (args[0] === '!') {
    const r = evalTest(args.slice(1), host, cwd);
    return r === undefined ? undefined : !r;
  }
  if (args.length === 1) return args[0] !== '';
  if (args.length === 2) {
    const [op, v] = args as [string, string];
    const path = resolvePath(cwd, v);
    const f = host.vfs.stat(path);
    switch (op) {
      case '-e':
        return host.vfs.exists(path);
      case '-f':
        return f !== undefined;
      case '-d':
        return !f && host.vfs.isDirectory(path);
      case '-s':
        return (f?.data.length ?? 0) > 0;
      case '-x':
        return f !== undefined && (f.mode & 0o111) !== 0;
      case '-r':
      case '-w':
        return f !== undefined;
      case '-z':
        return v === '';
      case '-n':
        return v !== '';
      default:
        return undefined;
    }
  }
  if (args.length === 3) {
    const [a, op, b] = args as [string, string, string];
    const x = Number(a);
    const y = Number(b);
    switch (op) {
      case '=':
      case '==':
        return a === b;
      case '!=':
        return a !== b;
      case '-eq':
        return x === y;
      case '-ne':
        return x !== y;
      case '-lt':
        return x < y;
      case '-le':
        return x <= y;
      case '-gt':
        return x > y;
      case '-ge':
        return x >= y;
    }
  }
  return undefined;
}

export function registerFileCommands(shell: Shell<Host>): void {
  shell.register('cat', cat);
  shell.register('echo', echo);
  shell.register('mv', mv);
  shell.register('cp', cp);
  shell.register('rm', rm);
  shell.register('touch', touch);
  shell.register('md5sum', md5sum);
  shell.register('ls', ls);
  shell.register('chmod', chmod);
  shell.register('grep', grep);
  shell.register('test', test);
  shell.register('[', test);
  shell.register('true', () => 0);
  shell.register('false', () => 1);
}
