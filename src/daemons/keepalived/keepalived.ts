import type { Host } from '../../host/host';
import type { Process, ProcessBehaviour, SignalName } from '../../host/process';
import type { ServiceDefinition } from '../../host/services';
import { parseKeepalivedConf, type ConfigSource, type Diagnostic, type Process as ConfProcess } from './config';
import { toVrrpConfig } from './conf-to-vrrp';
import { VrrpProcess } from './vrrp-process';

export const KEEPALIVED_VERSION = 'Keepalived v2.2.7 (01/16,2022)';
const DEFAULT_CONF = '/etc/keepalived/keepalived.conf';
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

function vfsSource(host: Host): ConfigSource {
  return { read: (p) => host.vfs.readText(p), glob: (p) => host.vfs.glob(p) };
}

/** keepalived prints config messages as `(FILE: Line N) text`; in syslog they carry the reporting process's ident. */
function logDiagnostics(host: Host, diags: readonly Diagnostic[], process: ConfProcess, ident: string, pid: number): void {
  for (const d of diags) if (d.process === process) host.syslog(ident, pid, d.text);
}

/**
 * The keepalived parent process: reads the configuration, starts the VRRP child (the checker child
 * arrives with IPVS), relays SIGTERM and reports the children's end, with keepalived 2.2.7's log lines.
 */
class KeepalivedParent implements ProcessBehaviour {
  private child: { proc: Process; vrrp: VrrpProcess } | undefined;
  proc!: Process;
  private stopping = false;

  constructor(
    private readonly host: Host,
    private readonly opts: Options,
  ) {}

  start(proc: Process): void {
    this.proc = proc;
    const host = this.host;
    const log = (text: string): void => host.syslog('Keepalived', proc.pid, text);
    log(`Starting ${KEEPALIVED_VERSION}`);
    log(`Running on Linux ${host.kernelRelease} (built for Linux 5.19.11)`);
    log(`Command line: ${['keepalived', ...this.opts.argv].map((a) => `'${a}'`).join(' ')}`);
    if (this.opts.detail) log(`Opening file '${this.opts.conf}'.`);
    const interfaces = [...host.nics.keys()];
    const parsed = parseKeepalivedConf(this.opts.conf, vfsSource(host), { interfaces });
    logDiagnostics(host, parsed.diagnostics, 'parent', 'Keepalived', proc.pid);
    log(`Configuration file ${this.opts.conf}`);
    if (parsed.config.globalDefs.maxAutoPriority === undefined) {
      log('NOTICE: setting config option max_auto_priority should result in better keepalived performance');
    }
    if (parsed.verdict === 'aborted') {
      log('Stopped');
      proc.exit(1);
      return;
    }
    const { config, wires } = toVrrpConfig(parsed.config, (dev) => host.addresses.primary(dev)?.ip);
    if (config.instances.length > 0) {
      const vrrp = new VrrpProcess(host, parsed.config, config, wires, this.opts.detail);
      const child = host.processes.spawn('keepalived', ['keepalived', ...this.opts.argv], vrrp, proc.pid);
      this.child = { proc: child, vrrp };
      log(`Starting VRRP child process, pid=${child.pid}`);
      child.onExit(() => this.childGone());
      vrrp.start(
        child,
        () => logDiagnostics(host, parsed.diagnostics, 'vrrp', 'Keepalived_vrrp', child.pid),
        () => log('Startup complete'),
      );
    } else log('Startup complete');
  }

  signal(sig: SignalName): void {
    if (sig === 'TERM' || sig === 'INT') this.stop();
    // SIGHUP (reload) and SIGUSR1/2 (data dumps) are not simulated: keepalived carries on unchanged.
  }

  private stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.host.syslog('Keepalived', this.proc.pid, 'Stopping');
    if (this.child?.proc.alive) this.child.vrrp.terminate();
    else this.childGone();
  }

  private childGone(): void {
    if (!this.proc.alive) return;
    if (!this.stopping) {
      this.host.syslog('Keepalived', this.proc.pid, `pid ${this.child?.proc.pid} exited with permanent error FATAL. Terminating`);
    }
    if (this.opts.detail) {
      // Simulated processes use no CPU time.
      this.host.syslog('Keepalived', this.proc.pid, 'CPU usage (self/children) user: 0.000000/0.000000 system: 0.000000/0.000000');
    }
    this.host.syslog('Keepalived', this.proc.pid, `Stopped ${KEEPALIVED_VERSION}`);
    this.proc.exit(0);
  }

  terminated(): void {
    // The children asked the kernel for SIGTERM when their parent dies (PR_SET_PDEATHSIG).
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
