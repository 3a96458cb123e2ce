/**
 * ipvsadm 1.31's command line as popt parses it: the first option must be a command, short options may
 * be clustered (`-Ln`), an argument may be glued (`-p300`, `--weight=2`) or follow, `-p` takes the next
 * word only when it does not start with '-'.
 */

export const COMMANDS = [
  'add-service',
  'edit-service',
  'delete-service',
  'flush',
  'list',
  'add-server',
  'delete-server',
  'edit-server',
  'set',
  'save',
  'zero',
  'version',
  'start-daemon',
  'stop-daemon',
] as const;
export type Command = (typeof COMMANDS)[number];

/** optnames[] order: bit i of the option set, used in generic_opt_check's messages. */
export const OPTNAMES = [
  'numeric',
  'connection',
  'service-address',
  'scheduler',
  'persistent',
  'netmask',
  'real-server',
  'forwarding-method',
  'weight',
  'u-threshold',
  'l-threshold',
  'mcast-interface',
  'timeout',
  'daemon',
  'stats',
  'rate',
  'thresholds',
  'persistent-conn',
  'nosort',
  'syncid',
  'exact',
  'ops',
  'pe',
  'sched-flags',
  'mcast-group',
  'mcast-port',
  'mcast-ttl',
  'sync-maxlen',
] as const;
export type OptName = (typeof OPTNAMES)[number];

interface OptDef {
  readonly long: string;
  readonly short?: string;
  /** none: a switch; required: takes a value; optional: -p [timeout]. */
  readonly arg: 'none' | 'required' | 'optional';
  /** The command it selects, if it is one. */
  readonly command?: Command;
}

const DEFS: readonly OptDef[] = [
  { long: 'add-service', short: 'A', arg: 'none', command: 'add-service' },
  { long: 'edit-service', short: 'E', arg: 'none', command: 'edit-service' },
  { long: 'delete-service', short: 'D', arg: 'none', command: 'delete-service' },
  { long: 'clear', short: 'C', arg: 'none', command: 'flush' },
  { long: 'list', short: 'L', arg: 'none', command: 'list' },
  { long: 'list', short: 'l', arg: 'none', command: 'list' },
  { long: 'zero', short: 'Z', arg: 'none', command: 'zero' },
  { long: 'add-server', short: 'a', arg: 'none', command: 'add-server' },
  { long: 'edit-server', short: 'e', arg: 'none', command: 'edit-server' },
  { long: 'delete-server', short: 'd', arg: 'none', command: 'delete-server' },
  { long: 'set', arg: 'none', command: 'set' },
  { long: 'save', short: 'S', arg: 'none', command: 'save' },
  { long: 'version', short: 'v', arg: 'none', command: 'version' },
  { long: 'start-daemon', arg: 'required', command: 'start-daemon' },
  { long: 'stop-daemon', arg: 'required', command: 'stop-daemon' },
  { long: 'mcast-interface', arg: 'required' },
  { long: 'syncid', arg: 'required' },
  { long: 'mcast-group', arg: 'required' },
  { long: 'mcast-port', arg: 'required' },
  { long: 'mcast-ttl', arg: 'required' },
  { long: 'sync-maxlen', arg: 'required' },
  { long: 'tcp-service', short: 't', arg: 'required' },
  { long: 'udp-service', short: 'u', arg: 'required' },
  { long: 'fwmark-service', short: 'f', arg: 'required' },
  { long: 'scheduler', short: 's', arg: 'required' },
  { long: 'persistent', short: 'p', arg: 'optional' },
  { long: 'netmask', short: 'M', arg: 'required' },
  { long: 'real-server', short: 'r', arg: 'required' },
  { long: 'masquerading', short: 'm', arg: 'none' },
  { long: 'ipip', short: 'i', arg: 'none' },
  { long: 'gatewaying', short: 'g', arg: 'none' },
  { long: 'weight', short: 'w', arg: 'required' },
  { long: 'u-threshold', short: 'x', arg: 'required' },
  { long: 'l-threshold', short: 'y', arg: 'required' },
  { long: 'numeric', short: 'n', arg: 'none' },
  { long: 'connection', short: 'c', arg: 'none' },
  { long: 'timeout', arg: 'none' },
  { long: 'daemon', arg: 'none' },
  { long: 'stats', arg: 'none' },
  { long: 'rate', arg: 'none' },
  { long: 'thresholds', arg: 'none' },
  { long: 'persistent-conn', arg: 'none' },
  { long: 'nosort', arg: 'none' },
  { long: 'sort', arg: 'none' },
  { long: 'exact', short: 'X', arg: 'none' },
  { long: 'ops', short: 'o', arg: 'none' },
  { long: 'pe', arg: 'required' },
  { long: 'sched-flags', short: 'b', arg: 'required' },
];

export interface ParsedOpt {
  readonly def: OptDef;
  /** As written, for popt's error messages. */
  readonly text: string;
  readonly value: string | undefined;
}

/** popt's failure: `text: message`. */
export class PoptError extends Error {}

/**
 * Splits argv (without the program name) into options in order and the leftover plain arguments; on a
 * word popt rejects, stops there and returns the error with the options read before it.
 */
export function tokenize(argv: readonly string[]): { opts: ParsedOpt[]; args: string[]; error?: PoptError } {
  const opts: ParsedOpt[] = [];
  const args: string[] = [];
  try {
    scan(argv, opts, args);
  } catch (e) {
    if (e instanceof PoptError) return { opts, args, error: e };
    throw e;
  }
  return { opts, args };
}

function scan(argv: readonly string[], opts: ParsedOpt[], args: string[]): void {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    const takeNext = (def: OptDef): string | undefined => {
      if (def.arg === 'required') {
        if (i + 1 >= argv.length) throw new PoptError(`${word}: missing argument`);
        return argv[++i];
      }
      if (def.arg === 'optional' && i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) return argv[++i];
      return undefined;
    };
    if (word.startsWith('--') && word.length > 2) {
      const eq = word.indexOf('=');
      const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
      const def = DEFS.find((d) => d.long === name);
      if (!def) throw new PoptError(`${word}: unknown option`);
      if (eq >= 0) {
        if (def.arg === 'none') throw new PoptError(`${word}: option does not take an argument`);
        opts.push({ def, text: word, value: word.slice(eq + 1) });
      } else opts.push({ def, text: word, value: def.arg === 'none' ? undefined : takeNext(def) });
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      for (let j = 1; j < word.length; j++) {
        const def = DEFS.find((d) => d.short === word[j]);
        if (!def) throw new PoptError(`-${word[j]}: unknown option`);
        if (def.arg === 'none') {
          opts.push({ def, text: `-${word[j]}`, value: undefined });
          continue;
        }
        const rest = word.slice(j + 1);
        opts.push({ def, text: `-${word[j]}`, value: rest !== '' ? rest : takeNext(def) });
        break;
      }
      continue;
    }
    args.push(word);
  }
}
