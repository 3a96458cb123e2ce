import type { Host } from '../../host/host';
import { formatIpv4 } from '../../net/addr';
import type { Process, ProcessBehaviour, SignalName } from '../../host/process';
import type { TcpSocket } from '../../host/tcp/socket';
import { ERROR_LOG_LEVELS, type AccessLogTarget, type ErrorLogLevel, type NginxConf, type UpstreamConf } from './conf-model';
import type { Exchange, HostFs } from './exchange';
import type { HttpResponse } from './response';
import { ClientConnection } from './client-connection';
import { UpstreamPeers } from './upstream-round-robin';
import type { VariableClock } from './variables';

/** Whether error_log writes a line of `level` (its own level and the more severe ones). */
export function logsAt(conf: NginxConf, level: ErrorLogLevel): boolean {
  return ERROR_LOG_LEVELS.indexOf(level) <= ERROR_LOG_LEVELS.indexOf(conf.errorLogLevel);
}

/** What a worker shares with its master: the host, its files, the open logs, the connection counter. */
export interface WorkerContext {
  readonly host: Host;
  readonly fs: HostFs;
  /** Appends a line to a log file (access or error log) and traces it. */
  log(kind: 'access' | 'error', path: string, line: string): void;
  /** Appends the line an access_log target gets for a finished request, and traces it. */
  accessLog(target: AccessLogTarget, ex: Exchange, response: HttpResponse, clock: VariableClock): void;
  /** Takes the next connection number (`*N` in the error log), shared by all workers like nginx's counter. */
  nextConnection(): number;
}

/**
 * An nginx worker process: serves the connections the master's listening sockets accept, with one
 * configuration and its own upstream round-robin state (a reload starts a new worker, hence fresh state).
 */
export class NginxWorker implements ProcessBehaviour {
  proc!: Process;
  private readonly peers = new Map<UpstreamConf, UpstreamPeers>();
  /**
   * The open connections in the order they came, linked through their `older`/`newer` fields: a Set,
   * with a connection added and removed per request, rehashed (allocated) every few requests.
   */
  private oldest: ClientConnection | undefined;
  private newest: ClientConnection | undefined;
  private open = 0;
  /** Set on QUIT or when a reload retires this worker: no new connections, exit when the busy ones are done. */
  quitting = false;
  /** The worker called exit itself (vs. killed): the master tells them apart. */
  exitedCleanly = false;
  /** SIGSTOP: what happens on its sockets waits, in order, for SIGCONT (the kernel still queues it). */
  private pausedWork: (() => void)[] | undefined;
  private cachedWall = -1;
  private cachedClock: VariableClock = { nowMs: 0, tzOffsetMinutes: 0 };
  private readonly addressTexts = new Map<number, string>();

  constructor(
    readonly ctx: WorkerContext,
    readonly conf: NginxConf,
  ) {}

  get host(): Host {
    return this.ctx.host;
  }

  get fs(): HostFs {
    return this.ctx.fs;
  }

  /** The host's wall clock as nginx caches it (ms; the seed's hosts keep UTC). */
  clock(): VariableClock {
    const nowMs = Math.floor(this.host.wallUs() / 1000);
    if (nowMs !== this.cachedWall) {
      this.cachedWall = nowMs;
      this.cachedClock = { nowMs, tzOffsetMinutes: 0 };
    }
    return this.cachedClock;
  }

  /** An address as $remote_addr / $server_addr write it, formatted once per address (a network has few). */
  addressText(ip: number): string {
    let text = this.addressTexts.get(ip);
    if (text === undefined) {
      text = formatIpv4(ip);
      this.addressTexts.set(ip, text);
    }
    return text;
  }

  nextConnection(): number {
    return this.ctx.nextConnection();
  }

  upstream(conf: UpstreamConf): UpstreamPeers {
    let p = this.peers.get(conf);
    if (!p) {
      p = new UpstreamPeers(conf);
      this.peers.set(conf, p);
    }
    return p;
  }

  accept(sock: TcpSocket): ClientConnection {
    const c = new ClientConnection(this, sock, this.nextConnection());
    c.older = this.newest;
    if (this.newest) this.newest.newer = c;
    else this.oldest = c;
    this.newest = c;
    this.open++;
    return c;
  }

  /** A connection ended; a quitting worker leaves when its last one does. Called once per connection. */
  connectionDone(c: ClientConnection): void {
    // one the worker let go of when it ended is not in the list any more
    if (c.older !== undefined || this.oldest === c) this.unlink(c);
    if (this.quitting && this.open === 0) this.exit();
  }

  private unlink(c: ClientConnection): void {
    if (c.older) c.older.newer = c.newer;
    else this.oldest = c.newer;
    if (c.newer) c.newer.older = c.older;
    else this.newest = c.older;
    c.older = c.newer = undefined;
    this.open--;
  }

  /** The open connections, oldest first, as a list of their own (closing one changes the worker's). */
  private connections(): ClientConnection[] {
    const all: ClientConnection[] = [];
    for (let c = this.oldest; c; c = c.newer) all.push(c);
    return all;
  }

  /** SIGSTOPped: socket events wait (`later`) until SIGCONT. */
  get stopped(): boolean {
    return this.pausedWork !== undefined;
  }

  /** Queues work for SIGCONT. */
  later(work: () => void): void {
    this.pausedWork!.push(work);
  }

  paused(paused: boolean): void {
    if (paused) {
      this.pausedWork ??= [];
      return;
    }
    const work = this.pausedWork ?? [];
    this.pausedWork = undefined;
    for (const w of work) if (this.proc.alive) w();
  }

  signal(sig: SignalName): void {
    // A worker acts on TERM/INT (exit now), QUIT (graceful); HUP and the rest are the master's business.
    if (sig === 'TERM' || sig === 'INT') this.terminate();
    else if (sig === 'QUIT') this.quit();
  }

  /** Graceful: idle keep-alive connections are closed, busy ones finish their request. */
  quit(): void {
    if (!this.proc.alive) return;
    this.quitting = true;
    for (const c of this.connections()) c.closeIfIdle();
    if (this.open === 0) this.exit();
  }

  /** Fast: every connection is closed now. */
  terminate(): void {
    if (!this.proc.alive) return;
    this.exit();
  }

  private exit(): void {
    if (!this.proc.alive) return;
    this.exitedCleanly = true;
    this.proc.exit(0);
  }

  terminated(): void {
    // The kernel closes the process's sockets (a powered-off host has none left to close).
    const all = this.connections();
    for (const c of all) this.unlink(c);
    if (this.host.powered) for (const c of all) c.drop();
  }
}
