import type { Host } from '../../host/host';
import type { SignalName } from '../../host/process';
import type { CommandFn } from '../../host/shell/shell';
import { DEFAULT_PATHS, loadHostConf, startNginx, type NginxPaths } from './daemon';
import { nginxTestOutput } from './conf-builder';

const VERSION = 'nginx version: nginx/1.22.1\n';

const USAGE = `Usage: nginx [-?hvVtTq] [-s signal] [-p prefix]
             [-e filename] [-c filename] [-g directives]

Options:
  -?,-h         : this help
  -v            : show version and exit
  -V            : show version and configure options then exit
  -t            : test configuration and exit
  -T            : test configuration, dump it and exit
  -q            : suppress non-error messages during configuration testing
  -s signal     : send signal to a master process: stop, quit, reopen, reload
  -p prefix     : set prefix path (default: /usr/local/nginx/)
  -e filename   : set error log file (default: logs/error.log)
  -c filename   : set configuration file (default: conf/nginx.conf)
  -g directives : set global directives out of configuration file

`;

const SIGNALS: Record<string, SignalName> = { stop: 'TERM', quit: 'QUIT', reopen: 'USR1', reload: 'HUP' };
const SIGNAL_NUMBERS: Partial<Record<SignalName, number>> = { TERM: 15, QUIT: 3, USR1: 10, HUP: 1 };

interface Options {
  paths: NginxPaths;
  test: boolean;
  quiet: boolean;
  version: boolean;
  help: boolean;
  signal?: string;
}

/** nginx's option parser (ngx_get_options): flags may be grouped (`-tq`), values follow the letter or the next word. */
function parseOptions(args: readonly string[]): Options | string {
  let prefix = DEFAULT_PATHS.prefix;
  let conf: string | undefined;
  const o: Options = { paths: DEFAULT_PATHS, test: false, quiet: false, version: false, help: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-')) return `invalid option: "${a}"`;
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      const value = (): string | undefined => {
        const rest = a.slice(j + 1);
        j = a.length;
        return rest !== '' ? rest : args[++i];
      };
      switch (c) {
        case '?':
        case 'h':
          o.help = true;
          o.version = true;
          break;
        case 'v':
          o.version = true;
          break;
        case 't':
          o.test = true;
          break;
        case 'q':
          o.quiet = true;
          break;
        case 'p': {
          const v = value();
          if (v === undefined) return `option "-p" requires directory name`;
          prefix = v.endsWith('/') ? v : `${v}/`;
          break;
        }
        case 'c': {
          const v = value();
          if (v === undefined) return `option "-c" requires file name`;
          conf = v;
          break;
        }
        case 's': {
          const v = value();
          if (v === undefined) return `option "-s" requires parameter`;
          if (!(v in SIGNALS)) return `invalid option: "-s ${v}"`;
          o.signal = v;
          break;
        }
        case 'V':
        case 'T':
        case 'e':
        case 'g':
          return `option "-${c}" is not simulated by vrrpsim`;
        default:
          return `invalid option: "${c}"`;
      }
    }
  }
  const confPath = conf === undefined ? `${prefix}conf/nginx.conf` : conf.startsWith('/') ? conf : prefix + conf;
  o.paths = { prefix, confPath };
  return o;
}

/**
 * The `nginx` binary in the simulated shell: start (`nginx`), `-t` (test the configuration), `-s
 * stop|quit|reopen|reload` (signal the master named by the pid file), `-v`, `-h`.
 */
export const nginxCommand: CommandFn<Host> = (ctx) => {
  const host = ctx.host;
  const o = parseOptions(ctx.argv.slice(1));
  if (typeof o === 'string') {
    ctx.err(`nginx: ${o}\n`);
    return 1;
  }
  if (o.version) {
    ctx.err(VERSION + (o.help ? USAGE : ''));
    return 0;
  }
  if (o.test) {
    const out = nginxTestOutput(loadHostConf(host, o.paths), o.paths.confPath);
    const text = o.quiet ? out.stderr.split('\n').filter((l) => !/syntax is ok|test is successful/.test(l)).join('\n') : out.stderr;
    ctx.err(text);
    return out.exitCode;
  }
  if (o.signal !== undefined) {
    const r = loadHostConf(host, o.paths);
    if (!r.ok) {
      ctx.err(`nginx: [emerg] ${r.error.message}\n`);
      return 1;
    }
    const text = host.vfs.readText(r.conf.pid);
    if (text === undefined) {
      ctx.err(`nginx: [error] open() "${r.conf.pid}" failed (2: No such file or directory)\n`);
      return 1;
    }
    const pidText = text.replace(/\n$/, '');
    if (!/^\d+$/.test(pidText)) {
      ctx.err(`nginx: [error] invalid PID number "${pidText}" in "${r.conf.pid}"\n`);
      return 1;
    }
    const sig = SIGNALS[o.signal]!;
    if (host.signal(Number(pidText), sig) === 'ESRCH') {
      ctx.err(`nginx: [alert] kill(${pidText}, ${SIGNAL_NUMBERS[sig]}) failed (3: No such process)\n`);
      return 1;
    }
    return 0;
  }
  const started = startNginx(host, o.paths, ctx.argv.slice(1));
  if ('error' in started) {
    ctx.err(started.error);
    return 1;
  }
  return 0;
};

export function registerNginxCommand(host: Host): void {
  host.shell.register('nginx', nginxCommand);
}
