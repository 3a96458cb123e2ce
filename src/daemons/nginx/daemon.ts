import type { Host } from '../../host/host';
import type { Process, ProcessBehaviour, SignalName } from '../../host/process';
import type { TcpListener } from '../../host/tcp/listen';
import type { TcpHandler, TcpSocket } from '../../host/tcp/socket';
import { parseIpv4 } from '../../net/addr';
import { accessLogFormat, accessLogLine } from './access-log';
import { loadNginxConf, type LoadResult } from './conf-builder';
import type { AccessLogTarget, ErrorLogLevel, NginxConf } from './conf-model';
import { errorLogPrefix } from './error-log';
import type { Exchange, HostFs } from './exchange';
import { confEnvironment, hostFs } from './host-env';
import { NGINX_BINARY, NGINX_CONF, NGINX_PREFIX } from './install';
import { listenSockets } from './listen-sockets';
import { LogFile } from './log-file';
import type { HttpResponse } from './response';
import type { VariableClock } from './variables';
import { logsAt, NginxWorker, type WorkerContext } from './worker';
import './trace-events';

/** Where nginx finds itself: `-p` prefix (with trailing slash) and `-c` configuration file. */
export interface NginxPaths {
  readonly prefix: string;
  readonly confPath: string;
}

export const DEFAULT_PATHS: NginxPaths = { prefix: NGINX_PREFIX, confPath: NGINX_CONF };

/** nginx's open log files on a host, shared by its processes (and by a master started after a failed one). */
const hostLogs = new WeakMap<Host, Map<string, LogFile>>();

function logFile(host: Host, path: string): LogFile {
  let logs = hostLogs.get(host);
  if (!logs) hostLogs.set(host, (logs = new Map()));
  let f = logs.get(path);
  if (!f) logs.set(path, (f = new LogFile(host.vfs, path)));
  return f;
}

/** Appends a line to one of nginx's logs and traces it. */
function writeLog(host: Host, kind: 'access' | 'error', path: string, line: string): void {
  logFile(host, path).append(line);
  const trace = host.sim.trace;
  const traced = kind === 'access' ? 'nginx.access' : 'nginx.error';
  if (trace.wants(traced)) trace.emit(traced, { host: host.name, line });
}

/**
 * Appends an access_log line. Untraced, the line goes into the file piece by piece and is never a string:
 * most scenarios log every request and read none of it.
 */
function writeAccessLog(host: Host, target: AccessLogTarget, ex: Exchange, response: HttpResponse, clock: VariableClock): void {
  if (host.sim.trace.wants('nginx.access')) {
    writeLog(host, 'access', target.path, accessLogLine(ex, target, response, clock));
    return;
  }
  const log = logFile(host, target.path);
  log.access.write(log.open(), accessLogFormat(ex, target), ex, response, clock);
}

function masterLine(host: Host, level: string, pid: number, text: string): string {
  return errorLogPrefix(Math.floor(host.wallUs() / 1000), 0, level, pid) + text;
}

export function loadHostConf(host: Host, paths: NginxPaths): LoadResult {
  return loadNginxConf(paths, confEnvironment(host));
}

const ERRNO: Record<string, string> = {
  EADDRINUSE: '98: Address already in use',
  EADDRNOTAVAIL: '99: Cannot assign requested address',
};

/**
 * The master process: holds the configuration and the listening sockets, runs one worker (the seed's VMs have
 * one CPU, so `worker_processes auto` is one worker), and acts on signals the way nginx does: HUP re-reads
 * the configuration (keeping the old one when the new one fails), TERM/INT stop at once, QUIT lets requests
 * in progress finish. A worker that dies unasked is replaced.
 */
export class NginxMaster implements ProcessBehaviour, WorkerContext {
  proc!: Process;
  worker: NginxWorker | undefined;
  private readonly retired = new Set<NginxWorker>();
  private readonly listeners = new Map<string, TcpListener>();
  private stopping = false;
  private connections = 0;
  readonly fs: HostFs;
  private readonly accept = (sock: TcpSocket): TcpHandler => this.worker!.accept(sock);

  constructor(
    readonly host: Host,
    private readonly paths: NginxPaths,
    private conf: NginxConf,
  ) {
    this.fs = hostFs(host);
  }

  log(kind: 'access' | 'error', path: string, line: string): void {
    writeLog(this.host, kind, path, line);
  }

  accessLog(target: AccessLogTarget, ex: Exchange, response: HttpResponse, clock: VariableClock): void {
    writeAccessLog(this.host, target, ex, response, clock);
  }

  nextConnection(): number {
    return ++this.connections;
  }

  /** Error log line of the master itself (no connection number). */
  private logMaster(level: ErrorLogLevel, text: string): void {
    if (!logsAt(this.conf, level)) return;
    writeLog(this.host, 'error', this.conf.errorLog, masterLine(this.host, level, this.proc.pid, text));
  }

  /**
   * Opens the listening sockets `conf` needs that are not open yet; on failure closes what it opened and
   * returns nginx's emerg messages. Sockets no longer needed are closed only once the new set is complete.
   */
  bind(conf: NginxConf): string[] | undefined {
    const opened: TcpListener[] = [];
    const wanted = new Set<string>();
    for (const { addr, port } of listenSockets(conf)) {
      const key = `${addr === '*' ? '0.0.0.0' : addr}:${port}`;
      wanted.add(key);
      if (this.listeners.has(key)) continue;
      const r = this.host.tcp.listen(addr === '*' ? 0 : (parseIpv4(addr) ?? 0), port, this.accept);
      if (typeof r === 'string') {
        for (const l of opened) l.close();
        for (const [k, l] of this.listeners) if (opened.includes(l)) this.listeners.delete(k);
        const line = `bind() to ${key} failed (${ERRNO[r]})`;
        // nginx tries five times, 500 ms apart, when the address is in use; other errors end at once.
        return r === 'EADDRINUSE' ? [line, line, line, line, line, 'still could not bind()'] : [line];
      }
      opened.push(r);
      this.listeners.set(key, r);
    }
    for (const [key, l] of this.listeners) {
      if (wanted.has(key)) continue;
      l.close();
      this.listeners.delete(key);
    }
    return undefined;
  }

  private closeListeners(): void {
    for (const l of this.listeners.values()) l.close();
    this.listeners.clear();
  }

  startWorker(): void {
    const w = new NginxWorker(this, this.conf);
    w.proc = this.host.processes.spawn('nginx', ['nginx: worker process'], w, this.proc.pid);
    // The master hears of it once the worker is gone, as it reaps children on SIGCHLD.
    w.proc.onExit(() => this.workerGone(w));
    this.worker = w;
  }

  signal(sig: SignalName): void {
    switch (sig) {
      case 'HUP':
        if (!this.stopping) this.reload();
        return;
      case 'TERM':
      case 'INT':
        this.stop(false);
        return;
      case 'QUIT':
        this.stop(true);
        return;
      default:
        // USR1 (reopen logs: the files are written through as they are), USR2/WINCH (binary upgrade) change nothing here.
        return;
    }
  }

  private reload(): void {
    const r = loadHostConf(this.host, this.paths);
    if (!r.ok) {
      this.logMaster('emerg', r.error.message);
      return;
    }
    const failed = this.bind(r.conf);
    if (failed) {
      for (const text of failed) this.logMaster('emerg', text);
      return;
    }
    if (r.conf.pid !== this.conf.pid) {
      this.host.vfs.remove(this.conf.pid);
      this.host.vfs.write(r.conf.pid, `${this.proc.pid}\n`);
    }
    this.conf = r.conf;
    const old = this.worker;
    this.startWorker();
    if (old) {
      this.retired.add(old);
      old.quit();
    }
  }

  private stop(graceful: boolean): void {
    if (this.stopping) return;
    this.stopping = true;
    this.closeListeners();
    for (const w of [...this.retired, ...(this.worker ? [this.worker] : [])]) {
      if (graceful) w.quit();
      else w.terminate();
    }
    this.finishStop();
  }

  private finishStop(): void {
    if (!this.proc.alive || this.worker || this.retired.size > 0) return;
    this.host.vfs.remove(this.conf.pid);
    this.proc.exit(0);
  }

  private workerGone(w: NginxWorker): void {
    if (this.retired.delete(w)) {
      if (this.stopping) this.finishStop();
      return;
    }
    if (w !== this.worker) return;
    this.worker = undefined;
    if (!this.host.powered) return;
    if (!this.proc.alive) {
      // The master was killed outright: the worker held the listening sockets alone until now.
      this.closeListeners();
      return;
    }
    if (this.stopping) {
      this.finishStop();
      return;
    }
    if (!w.exitedCleanly) this.logMaster('alert', `worker process ${w.proc.pid} exited on signal ${w.proc.exitCode - 128}`);
    this.startWorker();
  }

  terminated(): void {
    // Killed outright, a live worker keeps serving on the inherited sockets.
    if (!this.host.powered || this.worker?.proc.alive) return;
    this.closeListeners();
  }
}

/** The command line a master shows in `ps` (`nginx: master process /usr/local/nginx/sbin/nginx -c …`). */
function masterTitle(args: readonly string[]): string {
  return ['nginx: master process', NGINX_BINARY, ...args].join(' ');
}

/**
 * Starts nginx on `host` as `nginx [args]` does: reads the configuration, binds, writes the pid file,
 * starts the worker. On failure the messages nginx prints on stderr (also written to the error log) and no
 * process stays.
 */
export function startNginx(host: Host, paths: NginxPaths, args: readonly string[] = []): Process | { error: string } {
  const r = loadHostConf(host, paths);
  if (!r.ok) {
    // Before the configuration is read nginx logs to its compiled-in error log.
    const proc = host.processes.spawn('nginx', ['nginx', ...args], { terminated: () => {} });
    writeLog(host, 'error', `${paths.prefix}logs/error.log`, masterLine(host, 'emerg', proc.pid, r.error.message));
    proc.exit(1);
    return { error: `nginx: [emerg] ${r.error.message}\n` };
  }
  const master = new NginxMaster(host, paths, r.conf);
  const proc = host.processes.spawn('nginx', [masterTitle(args)], master);
  master.proc = proc;
  const failed = master.bind(r.conf);
  if (failed) {
    for (const text of failed) writeLog(host, 'error', r.conf.errorLog, masterLine(host, 'emerg', proc.pid, text));
    proc.exit(1);
    return { error: failed.map((t) => `nginx: [emerg] ${t}\n`).join('') };
  }
  host.vfs.write(r.conf.pid, `${proc.pid}\n`);
  master.startWorker();
  return proc;
}
