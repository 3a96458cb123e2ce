import { parseSignal, type SignalName } from '../process';
import type { Host } from '../host';
import type { CommandFn, Shell } from '../shell/shell';

/** Splits `-9`, `-KILL`, `-s TERM`, `-0` from the operands. */
function signalArgs(argv: readonly string[], cmd: string): { sig: SignalName | 0; rest: string[] } | string {
  const args = argv.slice(1);
  let sig: SignalName | 0 = 'TERM';
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-s' || a === '--signal') {
      const s = parseSignal(args[++i] ?? '');
      if (s === undefined) return `${cmd}: ${args[i]}: invalid signal specification`;
      sig = s;
    } else if (/^-\w+$/.test(a) && rest.length === 0) {
      const s = parseSignal(a.slice(1));
      if (s === undefined) return `${cmd}: ${a.slice(1)}: invalid signal specification`;
      sig = s;
    } else rest.push(a);
  }
  return { sig, rest };
}

const kill: CommandFn<Host> = (ctx) => {
  const parsed = signalArgs(ctx.argv, 'kill');
  if (typeof parsed === 'string') {
    ctx.err(`bash: ${parsed}\n`);
    return 1;
  }
  let code = 0;
  for (const a of parsed.rest) {
    if (!/^\d+$/.test(a)) {
      ctx.err(`bash: kill: ${a}: arguments must be process or job IDs\n`);
      code = 1;
    } else if (ctx.host.signal(Number(a), parsed.sig) === 'ESRCH') {
      ctx.err(`bash: kill: (${a}) - No such process\n`);
      code = 1;
    }
  }
  return code;
};

/** psmisc killall: signals every process with that name; -0 only checks that one exists. */
const killall: CommandFn<Host> = (ctx) => {
  const parsed = signalArgs(ctx.argv, 'killall');
  if (typeof parsed === 'string') {
    ctx.err(`${parsed}\n`);
    return 1;
  }
  let code = 0;
  for (const name of parsed.rest) {
    const procs = ctx.host.processes.byName(name);
    if (procs.length === 0) {
      ctx.err(`${name}: no process found\n`);
      code = 1;
    }
    for (const p of procs) ctx.host.signal(p.pid, parsed.sig);
  }
  return code;
};

const pidof: CommandFn<Host> = (ctx) => {
  const pids = ctx.argv
    .slice(1)
    .flatMap((n) => ctx.host.processes.byName(n.split('/').pop()!))
    .map((p) => p.pid)
    .sort((a, b) => b - a);
  if (pids.length === 0) return 1;
  ctx.out(pids.join(' ') + '\n');
  return 0;
};

const ps: CommandFn<Host> = (ctx) => {
  ctx.out('  PID TTY          TIME CMD\n');
  for (const p of ctx.host.processes.all()) ctx.out(`${String(p.pid).padStart(5)} ?        00:00:00 ${p.name}\n`);
  return 0;
};

export function registerProcessCommands(shell: Shell<Host>): void {
  shell.register('kill', kill);
  shell.register('killall', killall);
  shell.register('pidof', pidof);
  shell.register('ps', ps);
}
