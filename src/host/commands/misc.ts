import { civilFromDays, monthName } from '../wallclock';
import type { Host } from '../host';
import type { CommandFn, Shell } from '../shell/shell';

const DAYS = ['Thu', 'Fri', 'Sat', 'Sun', 'Mon', 'Tue', 'Wed'];

/** `sleep N` takes N seconds of the host's clock. */
const sleep: CommandFn<Host> = (ctx, done) => {
  const secs = Number((ctx.argv[1] ?? '').replace(/s$/, ''));
  if (!Number.isFinite(secs) || secs < 0) {
    ctx.err(`sleep: invalid time interval '${ctx.argv[1] ?? ''}'\n`);
    return 1;
  }
  ctx.host.timer(Math.round(secs * 1_000_000), () => done(0));
  return undefined;
};

/** `date` in coreutils' default format, from the host's wall clock (UTC). */
const date: CommandFn<Host> = (ctx) => {
  const sec = Math.floor(ctx.host.wallUs() / 1_000_000);
  const days = Math.floor(sec / 86400);
  const { year, month, day } = civilFromDays(days);
  const s = sec - days * 86400;
  const hms = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':');
  ctx.out(`${DAYS[((days % 7) + 7) % 7]} ${monthName(month)} ${String(day).padStart(2, ' ')} ${hms} UTC ${year}\n`);
  return 0;
};

const hostname: CommandFn<Host> = (ctx) => {
  ctx.out(ctx.host.name + '\n');
  return 0;
};

/** logger [-t TAG] message: a line in the host's syslog. */
const logger: CommandFn<Host> = (ctx) => {
  const args = ctx.argv.slice(1);
  let tag = 'root';
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-t') tag = args[++i] ?? tag;
    else words.push(args[i]!);
  }
  ctx.host.syslog(tag, 0, words.join(' ') || ctx.stdin.trim());
  return 0;
};

export function registerMiscCommands(shell: Shell<Host>): void {
  shell.register('sleep', sleep);
  shell.register('date', date);
  shell.register('hostname', hostname);
  shell.register('logger', logger);
}
