import { CHECK_ROOTS } from './check-keywords';
import { validateCheck } from './check-validate';
import { ConfigErr, verdictOf, type Diagnostic, type Process, type Verdict } from './diagnostic';
import { addExtra, newDraft, type Draft } from './draft';
import { MissingParameter, Parse, type Keyword, type KeywordUse, type RootKeyword } from './engine';
import { genericTable, keep } from './generic';
import { GLOBAL_DEFS, PARENT_ROOTS } from './global-keywords';
import { KEYWORDS } from './inventory';
import type { KeepalivedConfig, VirtualServer, VrrpInstance, VrrpScript, VrrpSyncGroup } from './model';
import { readConfig } from './reader';
import type { ConfigSource } from './source';
import { VRRP_ROOTS } from './vrrp-keywords';
import { completeGlobal, validateVrrp } from './vrrp-validate';

export type { ConfigSource } from './source';
export type { Diagnostic, Process, Verdict } from './diagnostic';
export type { KeywordUse } from './engine';
export { ConfigErr } from './diagnostic';
export type * from './model';
export { KEYWORDS } from './inventory';
export { keywordCoverage, type KeywordStatus } from './coverage';

export interface ParseOptions {
  /** Interfaces of the host; when given, keepalived's "interface … doesn't exist" checks run against them. */
  readonly interfaces?: readonly string[];
  /** keepalived's config id (`-i`, default: host name up to the first `.`), for `@id` lines. */
  readonly configId?: string;
  /**
   * Whether a script command would be found and run (absolute path exists and is executable, or a bare
   * name is on PATH). keepalived drops scripts it cannot find, and only scripts it would run trigger the
   * SECURITY VIOLATION. Default: every script exists.
   */
  readonly scriptExists?: (command: string) => boolean;
  /** Whether the host has this user account (script `user`, `script_user`, keepalived_script). Default: only root. */
  readonly userExists?: (name: string) => boolean;
}

export interface ParseResult {
  readonly config: KeepalivedConfig;
  /** Every keyword of the file keepalived acted on, once, in file order (for "accepted, not simulated"). */
  readonly keywords: readonly KeywordUse[];
  readonly diagnostics: Diagnostic[];
  readonly verdict: Verdict;
  /** What `keepalived -t -f FILE` exits with. */
  readonly exitCode: number;
}

type P = Parse<Draft>;

/** An unmodelled top-level keyword: kept in `extra`, its block's keywords under `block.keyword`. */
function keptRoot(name: string, processes: readonly Process[]): RootKeyword<Draft> {
  const sub = KEYWORDS[name] ? genericTable(name, {}, (p) => p.state.extra, `${name}.`) : undefined;
  const valueBlock = name === 'linkbeat_interfaces' || name === 'interface_up_down_delays';
  if (!sub) return { processes, handler: (p, w) => keep(p, w, p.state.extra, '', valueBlock) };
  return { processes, handler: (p, w) => addExtra(p.state.extra, w), sub };
}

function root(kw: Keyword<Draft>, processes: readonly Process[]): RootKeyword<Draft> {
  return { ...kw, processes };
}

const PARENT: readonly Process[] = ['parent'];
const VRRP: readonly Process[] = ['vrrp'];
const CHECKER: readonly Process[] = ['checker'];

/** Top-level keywords and the processes that act on them (the others skip their blocks). */
const ROOTS: ReadonlyMap<string, RootKeyword<Draft>> = (() => {
  const m = new Map<string, RootKeyword<Draft>>();
  for (const name of KEYWORDS['top']!) {
    let kw: RootKeyword<Draft>;
    if (name === 'global_defs') kw = { processes: PARENT, sub: GLOBAL_DEFS };
    else if (PARENT_ROOTS[name]) kw = root(PARENT_ROOTS[name]!, PARENT);
    else if (VRRP_ROOTS[name]) kw = root(VRRP_ROOTS[name]!, name.endsWith('track_file') ? ['checker', 'vrrp'] : VRRP);
    else if (CHECK_ROOTS[name]) kw = root(CHECK_ROOTS[name]!, CHECKER);
    else if (name === 'bfd_instance') kw = keptRoot(name, ['bfd']);
    else if (name === 'SSL') kw = keptRoot(name, CHECKER);
    else if (['linkbeat_use_polling', 'net_namespace', 'net_namespace_ipvs', 'namespace_with_ipsets', 'use_pid_dir', 'instance', 'child_wait_time'].includes(name))
      kw = keptRoot(name, PARENT);
    else kw = keptRoot(name, VRRP);
    m.set(name, kw);
  }
  return m;
})();

const PROCESSES: readonly Process[] = ['parent', 'checker', 'vrrp', 'bfd'];

function defaultScriptExists(): boolean {
  return true;
}

/**
 * Reads a keepalived.conf the way keepalived 2.2.7's `-t` does: the parent, checker, VRRP and BFD
 * processes each read the whole text and report what concerns them, then the verdict follows the worst
 * category reported. Never throws; `source` is the only way it reaches files.
 */
export function parseKeepalivedConf(path: string, source: ConfigSource, opts: ParseOptions = {}): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const draft = newDraft(
    opts.interfaces ? new Set(opts.interfaces) : undefined,
    opts.scriptExists ?? defaultScriptExists,
    opts.userExists ?? ((name) => name === 'root'),
  );
  const read = readConfig(path, source, opts.configId);
  let exitOverride: { verdict: Verdict; exitCode: number } | undefined;
  let vrrpDone: { instances: VrrpInstance[]; scripts: VrrpScript[]; syncGroups: VrrpSyncGroup[] } | undefined;
  let checkDone: VirtualServer[] | undefined;
  const used: KeywordUse[][] = [];
  const global = (): ReturnType<typeof completeGlobal> => completeGlobal(draft);

  if (read.mainMissing) {
    // keepalived -t says so and exits 0 (it never gets to a verdict)
    diagnostics.push({
      file: path,
      line: 0,
      severity: 'error',
      category: ConfigErr.FileNotFound,
      process: 'parent',
      text: `Config files missing '${path}'.`,
    });
    exitOverride = { verdict: 'aborted', exitCode: 0 };
  } else {
    for (const proc of PROCESSES) {
      const p: P = new Parse(proc, draft, read.lines, diagnostics);
      used.push(p.used);
      try {
        p.run(ROOTS);
        if (read.openBlocks > 0) {
          p.reportPlain(ConfigErr.MissingEob, `There are ${read.openBlocks} missing '}'s or extra '{'s`);
        }
        if (proc === 'checker') checkDone = validateCheck(p);
        if (proc === 'vrrp') vrrpDone = validateVrrp(p, global());
      } catch (e) {
        if (!(e instanceof MissingParameter)) throw e;
        // keepalived exits at once with KEEPALIVED_EXIT_CONFIG
        exitOverride = { verdict: 'aborted', exitCode: 2 };
        break;
      }
      if (proc === 'parent' && read.fileError) {
        // a required include is missing: the parent gives up before starting the children
        exitOverride = { verdict: 'aborted', exitCode: 6 };
        break;
      }
      if (proc === 'parent' && draft.extra['net_namespace']) {
        // keepalived -t moves into the namespace's own run and the test exits 0 after the parent's parse
        exitOverride = { verdict: 'aborted', exitCode: 0 };
        break;
      }
    }
  }
  const silent = (): P => new Parse<Draft>('vrrp', draft, [], []);
  const g = global();
  const v = vrrpDone ?? validateVrrp(silent(), g);
  const vs = checkDone ?? validateCheck(silent());
  const config: KeepalivedConfig = {
    globalDefs: g,
    staticIpaddress: draft.staticIpaddress,
    staticRoutes: draft.staticRoutes,
    staticRules: draft.staticRules,
    vrrpScripts: v.scripts,
    trackFiles: draft.trackFiles,
    vrrpSyncGroups: v.syncGroups,
    vrrpInstances: v.instances,
    virtualServerGroups: draft.vsGroups,
    virtualServers: vs,
    extra: draft.extra,
  };
  const worst = diagnostics.reduce((w, d) => Math.max(w, d.category), ConfigErr.Ok);
  const { verdict, exitCode } = exitOverride ?? verdictOf(worst);
  return { config, keywords: mergeUses(used), diagnostics, verdict, exitCode };
}

/** The processes' keyword lists merged: each (file, line, block, keyword) once, in file order. */
function mergeUses(lists: readonly KeywordUse[][]): KeywordUse[] {
  const seen = new Map<string, KeywordUse>();
  for (const list of lists) {
    for (const u of list) {
      const key = `${u.file}\u0000${u.line}\u0000${u.block}\u0000${u.keyword}`;
      if (!seen.has(key)) seen.set(key, u);
    }
  }
  const all = [...seen.values()];
  const fileOrder = new Map<string, number>();
  for (const u of all) if (!fileOrder.has(u.file)) fileOrder.set(u.file, fileOrder.size);
  return all.sort((a, b) => fileOrder.get(a.file)! - fileOrder.get(b.file)! || a.line - b.line);
}
