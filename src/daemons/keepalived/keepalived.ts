import type { Host } from '../../host/host';
import type { Process, ProcessBehaviour, SignalName } from '../../host/process';
import type { ServiceDefinition } from '../../host/services';
import { ConfigErr, parseKeepalivedConf, type ConfigSource, type Diagnostic, type ParseResult, type Process as ConfProcess } from './config';
import { toVrrpConfig } from './conf-to-vrrp';
import { CheckerProcess } from './check';
import { attachIpvs, ipvsOf } from '../../kernel/ipvs/netfilter';
import { VrrpProcess, type ConfigLines } from './vrrp-process';
import { EXIT_CONFIG } from './exit-codes';

export const KEEPALIVED_VERSION = 'Keepalived v2.2.7 (01/16,2022)';
const DEFAULT_CONF = '/etc/keepalived/keepalived.conf';
/** KEEPALIVED_EXIT_FATAL. */
const EXIT_FATAL = 1;
/** CentOS's /etc/sysconfig/keepalived, which the seed lab's hosts use: it passes -D. */
const SYSCONFIG = '/etc/sysconfig/keepalived';

interface Options {
  readonly conf: string;
  readonly detail: boolean;
  readonly argv: readonly string[];
}

/** keepalived's options that matter here: -f FILE, -D (detailed log), as given or from KEEPALIVED_OPTIONS. */
function options(host: Host, argv: readonly string[]): Options {
  let args = [...argv];
  if (args.length === 0) {
    const sysconfig = host.vfs.readText(SYSCONFIG);
    const m = sysconfig === undefined ? undefined : /^KEEPALIVED_OPTIONS="?([^"\n]*)"?/m.exec(sysconfig);
    args = m ? m[1]!.split(/\s+/).filter(Boolean) : ['-D'];
  }
  let conf = DEFAULT_CONF;
  let detail = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-f' || a === '--use-file') conf = args[++i] ?? conf;
    else if (a.startsWith('--use-file=')) conf = a.slice('--use-file='.length);
    else if (a === '-D' || a === '--log-detail') detail = true;
  }
  return { conf, detail, argv: args };
}

/**
 * What keepalived checks on the machine while it reads its config: the interfaces, and whether a script
 * user exists (getpwnam): the users of the host's /etc/passwd, or root alone when the scenario gives none
 * (as on the seed's hosts, which have no keepalived_script user).
 */
function parseOptions(host: Host): { interfaces: string[]; userExists: (user: string) => boolean } {
  const passwd = host.vfs.readText('/etc/passwd');
  return {
    interfaces: [...host.nics.keys()],
    userExists: (user) => user === 'root' || (passwd !== undefined && passwd.split('\n').some((l) => l.split(':')[0] === user)),
  };
}

function vfsSource(host: Host): ConfigSource {
  return { read: (p) => host.vfs.readText(p), glob: (p) => host.vfs.glob(p) };
}

/** keepalived prints config messages as `(FILE: Line N) text`; in syslog they carry the reporting process's ident. */
/**
 * A keyword missing its parameter ends the child inside the parser (lib/parser.c null_strvec:
 * exit(KEEPALIVED_EXIT_CONFIG)), before it can log `Stopped`.
 */
function exitsInParser(parsed: ParseResult, process: ConfProcess): boolean {
  return parsed.diagnostics.some((d) => d.process === process && d.category === ConfigErr.MissingParameter);
}

/** running_checker(): the configuration has virtual servers. */
function runningChecker(parsed: ParseResult): boolean {
  return parsed.config.virtualServers.length > 0;
}

function logDiagnostics(host: Host, diags: readonly Diagnostic[], process: ConfProcess, ident: string, pid: number): void {
  for (const d of diags) if (d.process === process) host.syslog(ident, pid, d.text);
}

/** The VRRP child's config lines on a reload: SECURITY VIOLATION comes from the checks after the scripts are set up. */
function reloadLines(host: Host, diags: readonly Diagnostic[], pid: () => number): ConfigLines {
  const vrrp = diags.filter((d) => d.process === 'vrrp');
  const security = (d: Diagnostic): boolean => d.category === ConfigErr.SecurityError;
  return {
    parsed: () => logDiagnostics(host, vrrp.filter((d) => !security(d)), 'vrrp', 'Keepalived_vrrp', pid()),
    completed: () => logDiagnostics(host, vrrp.filter(security), 'vrrp', 'Keepalived_vrrp', pid()),
  };
}

/**
 * The keepalived parent process: reads the configuration, starts the VRRP child (the checker child
 * arrives with IPVS), relays SIGTERM, re-reads the configuration on SIGHUP and has the child reload it,
 * and reports the children's end, with keepalived 2.2.7's log lines.
 */
class KeepalivedParent implements ProcessBehaviour {
  private child: { proc: Process; vrrp: VrrpProcess } | undefined;
  private checker: { proc: Process; check: CheckerProcess } | undefined;
  proc!: Process;
  private stopping = false;
  /** Children still to report their config read (config_notify.c num_reloading), and whether start-up was reported. */
  private numReloading = 0;
  private loaded = false;
  /** What the parent exits with: a child's permanent error is passed on (main.c returns launch_thread_scheduler's exit code). */
  private exitCode = 0;

  constructor(
    private readonly host: Host,
    private readonly opts: Options,
  ) {}

  start(proc: Process): void {
    this.proc = proc;
    const host = this.host;
    this.log(`Starting ${KEEPALIVED_VERSION}`);
    this.log(`Running on Linux ${host.kernelRelease} (built for Linux 5.19.11)`);
    this.log(`Command line: ${['keepalived', ...this.opts.argv].map((a) => `'${a}'`).join(' ')}`);
    const parsed = this.readConfig(true);
    if (parsed.config.globalDefs.maxAutoPriority === undefined) {
      this.log('NOTICE: setting config option max_auto_priority should result in better keepalived performance');
    }
    if (parsed.verdict === 'aborted') {
      this.log('Stopped');
      proc.exit(1);
      return;
    }
    // keepalived starts the checker child first, then the VRRP child, and counts both before either reports.
    const checker = runningChecker(parsed);
    const vrrp = this.vrrpConfig(parsed).config.instances.length > 0;
    this.numReloading = Number(checker) + Number(vrrp);
    if (checker) this.startChecker(parsed);
    if (vrrp) this.startChild(parsed);
    if (!checker && !vrrp) {
      this.log('Startup complete');
      this.loaded = true;
    }
  }

  /** The healthcheckers child (the config has virtual servers: both directors run it, MASTER or not). */
  private startChecker(parsed: ParseResult): void {
    const host = this.host;
    // keepalived loads the ip_vs module if it is not there yet.
    const ipvs = ipvsOf(host) ?? attachIpvs(host);
    const check = new CheckerProcess(host, parsed.config, ipvs, this.opts.detail);
    const proc = host.processes.spawn('keepalived', ['keepalived', ...this.opts.argv], check, this.proc.pid);
    this.checker = { proc, check };
    this.log(`Starting Healthcheck child process, pid=${proc.pid}`);
    proc.onExit((p) => this.childGone(p));
    check.start(proc, this.checkerLines(parsed, proc), () => this.configRead());
  }

  private checkerLines(parsed: ParseResult, proc: Process): () => void {
    return () => logDiagnostics(this.host, parsed.diagnostics, 'checker', 'Keepalived_healthcheckers', proc.pid);
  }

  private log(text: string): void {
    this.host.syslog('Keepalived', this.proc.pid, text);
  }

  /**
   * `Opening file` (-D), `Configuration file`, the parent's own config messages. keepalived logs
   * `Configuration file` on opening, before it parses (lib/parser.c init_data; seen on reload); the start-up
   * path still logs the messages first, as the pinned start-up traces have them.
   */
  private readConfig(messagesFirst: boolean): ParseResult {
    const host = this.host;
    if (this.opts.detail) this.log(`Opening file '${this.opts.conf}'.`);
    const parsed = parseKeepalivedConf(this.opts.conf, vfsSource(host), parseOptions(host));
    if (messagesFirst) logDiagnostics(host, parsed.diagnostics, 'parent', 'Keepalived', this.proc.pid);
    this.log(`Configuration file ${this.opts.conf}`);
    if (!messagesFirst) logDiagnostics(host, parsed.diagnostics, 'parent', 'Keepalived', this.proc.pid);
    return parsed;
  }

  private vrrpConfig(parsed: ParseResult): ReturnType<typeof toVrrpConfig> {
    return toVrrpConfig(parsed.config, (dev) => this.host.addresses.primary(dev)?.ip);
  }

  /** Starts the VRRP child (the config has instances); it reports when it has read its config. */
  private startChild(parsed: ParseResult): void {
    const host = this.host;
    const { config, wires } = this.vrrpConfig(parsed);
    const vrrp = new VrrpProcess(host, parsed.config, config, wires, this.opts.detail);
    const child = host.processes.spawn('keepalived', ['keepalived', ...this.opts.argv], vrrp, this.proc.pid);
    this.child = { proc: child, vrrp };
    vrrp.onReloadSignal = () => this.reloadChild(this.readChildConfig());
    this.log(`Starting VRRP child process, pid=${child.pid}`);
    child.onExit((p) => this.childGone(p));
    vrrp.start(
      child,
      () => logDiagnostics(host, parsed.diagnostics, 'vrrp', 'Keepalived_vrrp', child.pid),
      () => this.configRead(),
    );
  }

  /**
   * A child has read its configuration (config_notify.c child_reloaded_thread): the last one awaited completes
   * the start-up or reload; one nobody awaited (the child reloaded on its own SIGHUP) is only counted.
   */
  private configRead(): void {
    if (this.numReloading === 0) {
      this.log('read eventfd count 1, num_reloading 0');
      return;
    }
    if (--this.numReloading > 0) return;
    this.log(this.loaded ? 'Reload complete' : 'Startup complete');
    this.loaded = true;
  }

  signal(sig: SignalName): void {
    if (sig === 'TERM' || sig === 'INT') this.stop();
    else if (sig === 'HUP') this.reload();
    // SIGUSR1/2 (data dumps) are not simulated: keepalived carries on unchanged.
  }

  /**
   * SIGHUP (core/main.c do_reload, propagate_signal): the parent re-reads the file, then signals the VRRP
   * child and the checker child, which read it again themselves and apply it; `Reload complete` once both
   * have. A child not running is started if the new config needs it. The parent counts the children it
   * signalled or started before any can answer (the simulated ones answer at once).
   */
  private reload(): void {
    if (this.stopping) return;
    this.log('Reloading ...');
    const parsed = this.readConfig(false);
    const steps: Array<() => void> = [];
    if (this.child?.proc.alive) steps.push(() => this.reloadChild(parsed));
    else if (this.vrrpConfig(parsed).config.instances.length > 0) steps.push(() => this.startChild(parsed));
    if (this.checker?.proc.alive) steps.push(() => this.reloadChecker(parsed));
    else if (runningChecker(parsed)) steps.push(() => this.startChecker(parsed));
    this.numReloading += steps.length;
    for (const step of steps) step();
  }

  /** The checker child reads the file itself and applies the difference (check_daemon.c reload_check_thread). */
  private reloadChecker(parsed: ParseResult): void {
    const { proc, check } = this.checker!;
    // A config keepalived cannot use stops the child (validate_check_config → KEEPALIVED_EXIT_CONFIG).
    if (parsed.verdict === 'aborted') check.reloadFailed(this.checkerLines(parsed, proc), !exitsInParser(parsed, 'checker'));
    else check.reload(parsed.config, this.checkerLines(parsed, proc), () => this.configRead());
  }

  /** The child reads the file itself (so its own config lines are logged by it). */
  private readChildConfig(): ParseResult {
    return parseKeepalivedConf(this.opts.conf, vfsSource(this.host), parseOptions(this.host));
  }

  private reloadChild(parsed: ParseResult): void {
    const child = this.child;
    if (!child?.proc.alive) return;
    const lines = reloadLines(this.host, parsed.diagnostics, () => child.proc.pid);
    // A config keepalived could not start with (an interface that does not exist) stops the child.
    if (parsed.verdict === 'aborted' || parsed.diagnostics.some((d) => d.category === ConfigErr.BadIf)) {
      child.vrrp.reloadFailed(lines, !exitsInParser(parsed, 'vrrp'));
      return;
    }
    const { config, wires } = this.vrrpConfig(parsed);
    child.vrrp.reload(parsed.config, config, wires, lines, () => this.configRead());
  }

  private stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.host.syslog('Keepalived', this.proc.pid, 'Stopping');
    if (this.checker?.proc.alive) this.checker.check.terminate();
    if (this.child?.proc.alive) this.child.vrrp.terminate();
    // A child that ended at once has already finished the parent (childGone).
    if (this.proc.alive && !this.checker?.proc.alive && !this.child?.proc.alive) this.allChildrenGone();
  }

  /** A child exited: on its own it is a permanent error and keepalived stops the rest; the parent ends after the last. */
  private childGone(child: Process): void {
    if (!this.proc.alive) return;
    if (!this.stopping) {
      const error = child.exitCode === EXIT_CONFIG ? 'CONFIG' : 'FATAL';
      this.exitCode = child.exitCode === EXIT_CONFIG ? EXIT_CONFIG : EXIT_FATAL;
      this.host.syslog('Keepalived', this.proc.pid, `pid ${child.pid} exited with permanent error ${error}. Terminating`);
      this.stopping = true;
      if (this.checker?.proc.alive) this.checker.check.terminate();
      if (this.child?.proc.alive) this.child.vrrp.terminate();
    }
    if (this.checker?.proc.alive || this.child?.proc.alive) return;
    this.allChildrenGone();
  }

  private allChildrenGone(): void {
    if (this.opts.detail) {
      // Simulated processes use no CPU time.
      this.host.syslog('Keepalived', this.proc.pid, 'CPU usage (self/children) user: 0.000000/0.000000 system: 0.000000/0.000000');
    }
    this.host.syslog('Keepalived', this.proc.pid, `Stopped ${KEEPALIVED_VERSION}`);
    this.proc.exit(this.exitCode);
  }

  terminated(): void {
    // The children asked the kernel for SIGTERM when their parent dies (PR_SET_PDEATHSIG).
    if (this.checker?.proc.alive) this.host.signal(this.checker.proc.pid, 'TERM');
    if (this.child?.proc.alive) this.host.signal(this.child.proc.pid, 'TERM');
  }
}

/** The `keepalived` service of a host (systemd unit keepalived.service). */
export function keepalivedService(host: Host): ServiceDefinition {
  return {
    name: 'keepalived',
    description: 'LVS and VRRP High Availability Monitor',
    start(argv) {
      const opts = options(host, argv);
      const parent = new KeepalivedParent(host, opts);
      const proc = host.processes.spawn('keepalived', ['keepalived', ...opts.argv], parent);
      parent.start(proc);
      return proc;
    },
  };
}
