import { accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, posix, resolve } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import {
  keywordCoverage,
  parseKeepalivedConf,
  type ConfigSource,
  type KeepalivedConfig,
  type ParseResult,
} from '../daemons/keepalived/config';
import { lintKeepalived, type LintFinding, type LintHost } from '../daemons/keepalived/lint';

/**
 * `vrrpsim check`: what `keepalived -t` says about each config (same lines, same exit code), what of it
 * vrrpsim accepts without simulating, then vrrpsim's own lint across all the configs given.
 */

/**
 * keepalived.conf files from the real disk, for `vrrpsim check`. Relative paths are taken from `cwd`,
 * as keepalived takes them from its working directory. Globs follow glob(3) with GLOB_BRACE: `*`, `?`,
 * `[...]` and `{a,b}` within a path component, matches sorted, hidden files only when named.
 */
export function diskSource(cwd: string = process.cwd()): ConfigSource {
  const abs = (p: string): string => (p.startsWith('/') ? p : posix.join(cwd, p));
  return {
    read(path: string): string | undefined {
      try {
        return readFileSync(abs(path), 'utf8');
      } catch {
        return undefined;
      }
    },
    glob(pattern: string): string[] {
      return expandBraces(pattern).flatMap((p) => globOne(p, abs)).sort();
    },
  };
}

/** `a{b,c}d` → `abd`, `acd` (nested braces expand recursively). */
function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open < 0) return [pattern];
  let depth = 0;
  let close = -1;
  const commas: number[] = [];
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      close = i;
      break;
    } else if (c === ',' && depth === 1) commas.push(i);
  }
  if (close < 0 || commas.length === 0) return [pattern];
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  const bounds = [open, ...commas, close];
  const out: string[] = [];
  for (let i = 0; i < bounds.length - 1; i++) {
    out.push(...expandBraces(head + pattern.slice(bounds[i]! + 1, bounds[i + 1]) + tail));
  }
  return out;
}

function hasMagic(part: string): boolean {
  return /[*?[]/.test(part);
}

function partRegex(part: string): RegExp {
  let re = '';
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = part.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let set = part.slice(i + 1, end);
        if (set.startsWith('!')) set = `^${set.slice(1)}`;
        re += `[${set.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function exists(path: string): boolean {
  try {
    accessSync(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Matches one brace-free pattern, component by component; results keep the pattern's own spelling. */
function globOne(pattern: string, abs: (p: string) => string): string[] {
  const parts = pattern.split('/');
  let paths = [pattern.startsWith('/') ? '/' : ''];
  for (let i = pattern.startsWith('/') ? 1 : 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === '') continue;
    const next: string[] = [];
    for (const base of paths) {
      const join = (name: string): string => (base === '' ? name : base === '/' ? `/${name}` : `${base}/${name}`);
      if (!hasMagic(part)) {
        if (exists(abs(join(part)))) next.push(join(part));
        continue;
      }
      const dir = abs(base === '' ? '.' : base);
      if (!isDir(dir)) continue;
      const re = partRegex(part);
      for (const name of readdirSync(dir)) {
        if (name.startsWith('.') && !part.startsWith('.')) continue;
        if (re.test(name)) next.push(join(name));
      }
    }
    paths = next;
  }
  return paths.filter((p) => p !== '' && p !== '/');
}

/** Whether this machine has the user account (from /etc/passwd), as keepalived's getpwnam sees it. */
export function diskUserExists(name: string): boolean {
  try {
    return readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .some((l) => l.split(':')[0] === name);
  } catch {
    return name === 'root';
  }
}

/** Whether keepalived would find and run a script: an executable path, or a bare name on PATH. */
export function diskScriptExists(command: string): boolean {
  const executable = (p: string): boolean => {
    try {
      accessSync(p, constants.X_OK);
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (command.includes('/')) return executable(command);
  const path = process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin';
  return path.split(':').some((dir) => dir !== '' && executable(posix.join(dir, command)));
}

/** What `check` needs to know about the hosts: their interfaces, LANs, addresses and files. */
export interface CheckTopology {
  readonly hosts: Readonly<Record<string, CheckHost>>;
}

export interface CheckHost {
  /** Interface names; keepalived's "interface … doesn't exist" checks run against them. */
  readonly interfaces: readonly string[];
  /** Interface → LAN name (for the lint's "one virtual router" grouping). */
  readonly lanOf?: Readonly<Record<string, string>>;
  /** Interface → IPv4 address without prefix (keepalived's tie-breaker). */
  readonly ipOf?: Readonly<Record<string, string>>;
  /** Path on the host → file content, when the topology carries the host's files. */
  readonly files?: Readonly<Record<string, string>>;
}

export const KEEPALIVED_CONF = '/etc/keepalived/keepalived.conf';

/**
 * The hosts of a scenario YAML (`hosts.<name>.nics` and `files`, paths relative to the scenario), enough
 * for `check`. The scenario layer's own loader is the authority on scenarios; this reads only these keys.
 */
export function topologyFromScenario(file: string): CheckTopology {
  const doc = parseYaml(readFileSync(file, 'utf8')) as { hosts?: Record<string, unknown> } | null;
  const hosts: Record<string, CheckHost> = {};
  const base = dirname(file);
  for (const [name, raw] of Object.entries(doc?.hosts ?? {})) {
    const h = (raw ?? {}) as { nics?: Record<string, { lan?: string; ip?: string | string[] }>; files?: Record<string, unknown> };
    const lanOf: Record<string, string> = {};
    const ipOf: Record<string, string> = {};
    for (const [nic, spec] of Object.entries(h.nics ?? {})) {
      if (spec?.lan !== undefined) lanOf[nic] = spec.lan;
      const ip = Array.isArray(spec?.ip) ? spec.ip[0] : spec?.ip;
      if (ip !== undefined) ipOf[nic] = String(ip).split('/')[0]!;
    }
    const files: Record<string, string> = {};
    for (const [path, f] of Object.entries(h.files ?? {})) {
      if (typeof f === 'string') {
        const text = diskSource(base).read(f);
        if (text !== undefined) files[path] = text;
      } else if (f && typeof f === 'object' && typeof (f as { content?: unknown }).content === 'string') {
        files[path] = (f as { content: string }).content;
      }
    }
    hosts[name] = { interfaces: ['lo', ...Object.keys(h.nics ?? {})], lanOf, ipOf, files };
  }
  return { hosts };
}

/** A host's files as keepalived on that host would see them. */
export function hostSource(files: Readonly<Record<string, string>>): ConfigSource {
  const paths = Object.keys(files).sort();
  return {
    read: (path) => files[posix.normalize(path)],
    glob: (pattern) => {
      const norm = posix.normalize(pattern);
      if (!/[*?[{]/.test(norm)) return files[norm] !== undefined ? [norm] : paths.filter((p) => p.startsWith(`${norm}/`)).length ? [norm] : [];
      const res = expandBraces(norm).map((p) => new RegExp(`^${p.split('/').map((c) => partRegex(c).source.slice(1, -1)).join('/')}$`));
      return paths.filter((p) => res.some((re) => re.test(p)));
    },
  };
}

export interface CheckOptions {
  /** Interfaces (and, with `topology`, LANs and addresses) of this host apply to every file given. */
  readonly host?: string;
  readonly topology?: CheckTopology;
  /** Directory relative paths are read from. */
  readonly cwd?: string;
}

export interface CheckReport {
  readonly text: string;
  /** keepalived's verdict: the worst exit code of the files (2/4 aborted, 6 security, 5 warnings, 0 clean). */
  readonly exitCode: number;
  readonly results: readonly { readonly name: string; readonly host?: string; readonly result: ParseResult }[];
  readonly findings: readonly LintFinding[];
}

const SIMULATED = new Set(keywordCoverage().filter((k) => k.status === 'simulated').map((k) => `${k.block} ${k.keyword}`));

const VERDICT_WORDS: Record<string, string> = {
  ok: 'clean',
  warnings: 'warnings',
  security: 'SECURITY VIOLATION',
  aborted: 'parse aborted',
};

/** Checks config files from disk, or with `topology` and no files every host's keepalived.conf. */
export function checkFiles(files: readonly string[], opts: CheckOptions = {}): CheckReport {
  const cwd = opts.cwd ?? process.cwd();
  const lines: string[] = [];
  const results: { name: string; host?: string; result: ParseResult }[] = [];
  const lintHosts: LintHost[] = [];
  const jobs: { name: string; host?: string; source: ConfigSource; path: string; local: boolean }[] = [];
  if (files.length > 0) {
    for (const f of files) {
      const host = opts.host;
      jobs.push({ name: f, ...(host ? { host } : {}), source: diskSource(cwd), path: f, local: !host });
    }
  } else if (opts.topology) {
    for (const [host, h] of Object.entries(opts.topology.hosts)) {
      if (opts.host !== undefined && host !== opts.host) continue;
      if (h.files?.[KEEPALIVED_CONF] === undefined) continue;
      jobs.push({ name: `${host}:${KEEPALIVED_CONF}`, host, source: hostSource(h.files), path: KEEPALIVED_CONF, local: false });
    }
  }
  for (const job of jobs) {
    const h = job.host ? opts.topology?.hosts[job.host] : undefined;
    const result = parseKeepalivedConf(job.path, job.source, {
      ...(h ? { interfaces: h.interfaces } : {}),
      ...(job.host ? { configId: job.host.split('.')[0]! } : {}),
      // on the real disk, scripts are looked up as keepalived -t here would; on a simulated host they exist
      ...(job.local ? { scriptExists: diskScriptExists, userExists: diskUserExists } : {}),
    });
    results.push({ name: job.name, ...(job.host ? { host: job.host } : {}), result });
    lines.push(`== ${job.name}${job.host ? ` (host ${job.host})` : ''}`);
    for (const d of result.diagnostics) lines.push(d.text);
    lines.push(`keepalived -t: exit ${result.exitCode} (${VERDICT_WORDS[result.verdict]})`);
    const notSimulated = result.keywords.filter((k) => !SIMULATED.has(`${k.block} ${k.keyword}`) && isKnown(k.block, k.keyword));
    if (notSimulated.length > 0) {
      lines.push('accepted, not simulated:');
      for (const k of notSimulated) lines.push(`  ${k.file}:${k.line} ${k.block === 'top' ? '' : `${k.block} `}${k.keyword}`);
    }
    lintHosts.push(lintHost(job.host ?? job.name, result.config, h));
  }
  const findings = lintKeepalived(lintHosts);
  lines.push(`== vrrpsim lint (${lintHosts.length} config${lintHosts.length === 1 ? '' : 's'}): ${findings.length === 0 ? 'nothing to report' : `${findings.length} finding${findings.length === 1 ? '' : 's'}`}`);
  for (const f of findings) {
    const where = f.at ? ` ${f.at.host}:${f.at.ref.file}:${f.at.ref.line}` : '';
    lines.push(`${f.severity} ${f.code}${where}`, `  ${f.message}`, `  why: ${f.why}`, `  fix: ${f.fix}`);
  }
  return { text: `${lines.join('\n')}\n`, exitCode: worstExit(results.map((r) => r.result)), results, findings };
}

function isKnown(block: string, keyword: string): boolean {
  return KNOWN.has(`${block} ${keyword}`);
}

const KNOWN = new Set(keywordCoverage().map((k) => `${k.block} ${k.keyword}`));

function lintHost(name: string, config: KeepalivedConfig, h: CheckHost | undefined): LintHost {
  const lanOf = h?.lanOf;
  const ipOf = h?.ipOf;
  return {
    host: name,
    config,
    ...(lanOf ? { lanOf: (i: string) => lanOf[i] } : {}),
    ...(ipOf ? { ipOf: (i: string) => ipOf[i] } : {}),
  };
}

/** Aborted parses first (their own code), then SECURITY VIOLATION (6), warnings (5), clean (0). */
function worstExit(results: readonly ParseResult[]): number {
  const aborted = results.find((r) => r.verdict === 'aborted' && r.exitCode !== 0);
  if (aborted) return aborted.exitCode;
  if (results.some((r) => r.verdict === 'security')) return 6;
  if (results.some((r) => r.verdict === 'warnings')) return 5;
  return 0;
}

/** `vrrpsim check --keywords`: every keepalived 2.2.7 keyword and what vrrpsim does with it. */
export function keywordTable(): string {
  const rows = keywordCoverage();
  const simulated = rows.filter((r) => r.status === 'simulated').length;
  const out = rows.map((r) => `${r.block.padEnd(42)} ${r.keyword.padEnd(34)} ${r.status === 'simulated' ? 'parsed, simulated' : 'parsed, not simulated'}`);
  out.push(`${rows.length} keywords: ${rows.length} parsed, ${simulated} simulated, ${rows.length - simulated} accepted without simulation`);
  return `${out.join('\n')}\n`;
}

interface CheckFlags {
  host?: string;
  scenario?: string;
  keywords?: boolean;
}

/** Adds `vrrpsim check FILE… [--host NAME --scenario S] [--keywords]`. */
export function registerCheck(program: Command, setExit: (code: number) => void = (c) => (process.exitCode = c)): void {
  program
    .command('check')
    .description("check keepalived.conf files as `keepalived -t` does (same messages, same exit code), then lint them together")
    .argument('[files...]', 'keepalived.conf files (default with --scenario: every host\'s /etc/keepalived/keepalived.conf)')
    .option('--host <name>', 'check against this scenario host (its interfaces, LANs, addresses)')
    .option('--scenario <file>', 'scenario YAML giving the hosts')
    .option('--keywords', 'list every keepalived 2.2.7 keyword and whether vrrpsim parses / simulates it')
    .action((files: string[], flags: CheckFlags) => {
      if (flags.keywords) {
        process.stdout.write(keywordTable());
        setExit(0);
        return;
      }
      const topology = flags.scenario ? topologyFromScenario(resolve(flags.scenario)) : undefined;
      if (flags.host !== undefined && topology && !topology.hosts[flags.host]) {
        process.stderr.write(`vrrpsim check: no host '${flags.host}' in ${flags.scenario}\n`);
        setExit(2);
        return;
      }
      if (files.length === 0 && !topology) {
        process.stderr.write('vrrpsim check: give keepalived.conf files, or --scenario\n');
        setExit(2);
        return;
      }
      const report = checkFiles(files, { ...(flags.host ? { host: flags.host } : {}), ...(topology ? { topology } : {}) });
      process.stdout.write(report.text);
      setExit(report.exitCode);
    });
}
