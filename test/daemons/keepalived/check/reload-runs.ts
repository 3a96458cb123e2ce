import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSnapshots } from './seed-runs';

/**
 * The real SIGHUP reloads of fixtures/keepalived/check/reload/runs/ (README.md there): keepalived 2.2.7's
 * checker child on the seed's virtual server in user-mode-linux, every record in seconds from the parent's
 * "Starting Healthcheck child process".
 */
export type Rec =
  /** A syslog record of keepalived: `ident` Keepalived (the parent) or Keepalived_healthcheckers. */
  | { readonly t: number; readonly kind: 'log'; readonly level: string; readonly ident: string; readonly pid: number; readonly text: string }
  /** An action of the recording script: `reload f-url.conf`, `removed web1`, `ipvsadm after`, `stop` … */
  | { readonly t: number; readonly kind: 'mark'; readonly text: string }
  /** A request reaching a real server (`192.168.23.80:80`), as that server logged it. */
  | { readonly t: number; readonly kind: 'req'; readonly server: string; readonly path: string; readonly status: number };

export interface ReloadRun {
  readonly name: string;
  readonly recs: readonly Rec[];
  /** The `ipvsadm -L -n` snapshots by phase (before, after, later), as printed. */
  readonly snapshots: ReadonlyMap<string, string>;
  /** The instant of the first mark starting with `prefix`. */
  mark(prefix: string): number;
}

const DIR = join(__dirname, '../../../fixtures/keepalived/check/reload/runs');

function parseRec(line: string): Rec {
  const t = Number(line.slice(0, 9));
  const rest = line.slice(10);
  if (rest.startsWith('MARK ')) return { t, kind: 'mark', text: rest.slice(5) };
  const req = /^REQ (\S+) (\S+) (\S+) \S+ (\d+)$/.exec(rest);
  if (req) return { t, kind: 'req', server: req[1]!, path: req[3]!, status: Number(req[4]) };
  const log = /^(\w+) (\w+)\[(\d+)\]: (.*)$/.exec(rest);
  if (!log) throw new Error(`unreadable record: ${line}`);
  return { t, kind: 'log', level: log[1]!, ident: log[2]!, pid: Number(log[3]), text: log[4]! };
}

/** Every recorded run of a case (`e-down-unchanged` → runs/e-down-unchanged.1.log, .2.log …). */
export function loadReloadRuns(kase: string): ReloadRun[] {
  const names = readdirSync(DIR)
    .filter((f) => f.startsWith(`${kase}.`) && f.endsWith('.log'))
    .map((f) => f.slice(0, -4))
    .sort();
  return names.map((name) => {
    const recs = readFileSync(join(DIR, `${name}.log`), 'utf8').trimEnd().split('\n').map(parseRec);
    return {
      name,
      recs,
      snapshots: parseSnapshots(readFileSync(join(DIR, `${name}.ipvsadm`), 'utf8')),
      mark(prefix) {
        const m = recs.find((r) => r.kind === 'mark' && r.text.startsWith(prefix));
        if (!m) throw new Error(`${name}: no mark ${prefix}`);
        return m.t;
      },
    };
  });
}
