import type { Timer } from '../../../sim/simulator';
import { SECOND } from '../../../sim/time';
import { parseIpv4 } from '../../../net/addr';
import type { Host } from '../../../host/host';
import type { Process, ProcessBehaviour } from '../../../host/process';
import type { KeepalivedConfig } from '../config';
import { scriptCommand } from '../track-scripts';
import type { CheckerAction } from './checker-core';
import { buildCheckers, type CheckerSlot } from './checkers';
import { checkerMigration, checkNewRsState, reloadedCores } from './checker-migration';
import { EXIT_CONFIG } from '../exit-codes';
import { IpWrapper, type IpvsControl } from './ipwrapper';
import type { MiscOutcome } from './misc-check';
import { checkRequest, HttpProbe, TcpProbe, type Probe, type ProbeTarget } from './probes';

/** keepalived's BOOTSTRAP_DELAY: every checker starts at least one second after the child. */
const BOOTSTRAP_DELAY = SECOND;
const IDENT = 'Keepalived_healthcheckers';

/**
 * keepalived's checker child (Keepalived_healthcheckers): programs IPVS from the virtual_server blocks
 * and runs every health checker against its real server, whatever the VRRP state of the host (both
 * directors check). The machines (./http-check, ./tcp-check, ./misc-check, ./ipwrapper) decide; this
 * class does the I/O on the host: sockets, the shell, timers, syslog.
 */
export class CheckerProcess implements ProcessBehaviour {
  private wrapper: IpWrapper;
  private slots: CheckerSlot[];
  private readonly timers = new Map<number, Timer>();
  private readonly probes = new Map<number, Probe>();
  proc!: Process;
  private stopping = false;
  private readonly deferred: Array<() => void> = [];

  constructor(
    private readonly host: Host,
    conf: KeepalivedConfig,
    private readonly ipvs: IpvsControl,
    /** `-D`: detailed log lines too. */
    private readonly detail: boolean,
  ) {
    this.slots = buildCheckers(conf);
    this.wrapper = this.newWrapper(conf, this.slots);
  }

  private newWrapper(conf: KeepalivedConfig, slots: readonly CheckerSlot[]): IpWrapper {
    const host = this.host;
    return new IpWrapper(
      { ipvs: this.ipvs, now: () => host.sim.now, log: (t) => this.log(t), notify: (script) => host.run(script) },
      conf.virtualServers,
      (vi, ri) => slots.filter((s) => s.vi === vi && s.ri === ri && s.conf.alpha).length,
    );
  }

  /** The virtual servers as the wrapper keeps them (for reports and tests). */
  get ipWrapper(): IpWrapper {
    return this.wrapper;
  }

  /**
   * `configured` logs what the child's configuration pass reports. Then IPVS is programmed, the child
   * tells its parent it has read its configuration (`ready`: the parent's "Startup complete" lands here,
   * as recorded), and every checker is launched after BOOTSTRAP_DELAY + a random share of its warmup
   * (check_daemon.c start_check, check_api.c register_checkers_thread).
   */
  start(proc: Process, configured?: () => void, ready?: () => void): void {
    this.proc = proc;
    configured?.();
    this.wrapper.init();
    ready?.();
    this.registerCheckers();
  }

  /** check_api.c register_checkers_thread: each checker starts BOOTSTRAP_DELAY + a random share of its warmup from now. */
  private registerCheckers(): void {
    const rng = this.host.sim.rng.stream(`keepalived-check:${this.host.name}:${this.proc.pid}`);
    this.slots.forEach((slot, i) => {
      this.log(`Activating healthchecker for service ${slot.rsName} for VS ${slot.vsName}`);
      const warmup = slot.conf.warmup > 0 ? rng.between(0, slot.conf.warmup) : 0;
      this.arm(i, BOOTSTRAP_DELAY + warmup);
    });
    // Debian's 2.2.7 is built with BFD: the checker child always starts listening to the BFD process.
    this.log('Activating BFD healthchecker');
  }

  /**
   * SIGHUP (check_daemon.c reload_check_thread, start_check): running checks and scripts stop, the new
   * configuration is read, the IPVS table goes from the old virtual servers to the new ones (kept real
   * servers and identical checkers keep their state), then every checker starts again as at start-up.
   */
  reload(conf: KeepalivedConfig, configured: () => void, ready: () => void): void {
    if (this.stopping || !this.proc.alive) return;
    this.log('Reloading');
    this.stopAll();
    configured();
    const old = { slots: this.slots, wrapper: this.wrapper };
    this.slots = buildCheckers(conf);
    reloadedCores(this.slots);
    this.wrapper = this.newWrapper(conf, this.slots);
    this.wrapper.takeOver(old.wrapper, checkerMigration(old.slots, this.slots));
    checkNewRsState(this.slots, (vi, ri) => this.wrapper.isReloaded(vi, ri));
    this.wrapper.init();
    ready();
    this.registerCheckers();
  }

  /**
   * The reloaded configuration cannot be used: the child logs why and exits (KEEPALIVED_EXIT_CONFIG); IPVS
   * stays as it was. `stopped`: it ends through stop_check, which logs `Stopped`; a keyword missing its
   * parameter ends it inside the parser instead (lib/parser.c null_strvec: exit() right after the
   * message), with no further line, as recorded.
   */
  reloadFailed(configured: () => void, stopped: boolean): void {
    if (this.stopping || !this.proc.alive) return;
    this.log('Reloading');
    this.stopping = true;
    this.stopAll();
    configured();
    if (stopped) this.log(this.detail ? 'Stopped - used 0.000000 user time, 0.000000 system time' : 'Stopped');
    this.proc.exit(EXIT_CONFIG);
  }

  /** SIGTERM from the parent: checks stop, the services are taken down (clear_services), then exit. */
  terminate(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.stopAll();
    this.wrapper.shutdown();
    // Simulated processes use no CPU time.
    this.log(this.detail ? 'Stopped - used 0.000000 user time, 0.000000 system time' : 'Stopped');
    this.proc.exit(0);
  }

  signal(): void {
    this.terminate();
  }

  terminated(): void {
    this.stopAll();
  }

  private stopAll(): void {
    for (const t of this.timers.values()) this.host.sim.cancel(t);
    this.timers.clear();
    for (const p of this.probes.values()) p.abort();
    this.probes.clear();
    this.deferred.length = 0;
  }

  /** SIGSTOP freezes the checks; what fell due meanwhile is handled, in order, on SIGCONT. */
  paused(paused: boolean): void {
    if (paused) return;
    for (const fn of this.deferred.splice(0)) if (this.proc.state === 'running') fn();
  }

  /** Runs an event now, later if the process is stopped, never once it is ending. */
  private deliver(fn: () => void): void {
    if (this.stopping || !this.proc.alive) return;
    if (this.proc.state === 'stopped') this.deferred.push(fn);
    else fn();
  }

  private arm(i: number, delay: number): void {
    this.host.sim.cancel(this.timers.get(i));
    this.timers.set(
      i,
      this.host.timer(delay, () => {
        this.timers.delete(i);
        this.deliver(() => {
          const m = this.slots[i]!.machine;
          this.perform(i, m.kind === 'misc' ? m.step({ kind: 'timer', now: this.host.sim.now }) : m.step({ kind: 'timer' }));
        });
      }),
    );
  }

  private perform(i: number, actions: readonly CheckerAction[]): void {
    const slot = this.slots[i]!;
    for (const a of actions) {
      switch (a.kind) {
        case 'attempt':
          this.attempt(i, a.url ?? 0);
          break;
        case 'arm':
          this.arm(i, a.delay);
          break;
        case 'log':
          this.log(a.text);
          break;
        case 'verdict':
          this.wrapper.checkerVerdict(slot.vi, slot.ri, a.up, a.changed);
          break;
        case 'weight':
          this.wrapper.weightDelta(slot.vi, slot.ri, a.delta, a.silent);
          break;
      }
    }
  }

  private attempt(i: number, url: number): void {
    const slot = this.slots[i]!;
    const m = slot.machine;
    if (m.kind === 'misc') {
      this.runScript(i, slot);
      return;
    }
    const target = this.target(slot);
    if (m.kind === 'http') {
      const u = m.params.urls[url]!;
      const c = slot.conf;
      const vhost = u.virtualhost ?? (c.kind === 'HTTP_GET' || c.kind === 'SSL_GET' ? c.virtualhost : undefined);
      const protocol = c.kind === 'HTTP_GET' || c.kind === 'SSL_GET' ? c.httpProtocol : '1.0';
      const request = checkRequest(u.path ?? '/', protocol, vhost ?? `${slot.dstIp}:${slot.dstPort}`);
      this.probes.set(
        i,
        new HttpProbe(this.host, target, request, (result) => {
          this.probes.delete(i);
          this.deliver(() => this.perform(i, m.step({ kind: 'result', result })));
        }),
      );
    } else {
      this.probes.set(
        i,
        new TcpProbe(target, this.host, (result) => {
          this.probes.delete(i);
          this.deliver(() => this.perform(i, m.step({ kind: 'result', result })));
        }),
      );
    }
  }

  /** MISC_CHECK: the script in the simulated shell; misc_timeout (else the virtual server's delay_loop) ends it. */
  private runScript(i: number, slot: CheckerSlot): void {
    const m = slot.machine;
    const c = slot.conf;
    if (m.kind !== 'misc' || c.kind !== 'MISC_CHECK') return;
    let settled = false;
    const finish = (outcome: MiscOutcome): void => {
      if (settled) return;
      settled = true;
      this.probes.delete(i);
      this.deliver(() => this.perform(i, m.step({ kind: 'result', now: this.host.sim.now, outcome })));
    };
    const timeout = this.host.timer(c.miscTimeout > 0 ? c.miscTimeout : slot.vs.delayLoop, () => finish({ kind: 'timed_out' }));
    this.probes.set(i, {
      abort: () => {
        settled = true;
        this.host.sim.cancel(timeout);
      },
    });
    this.host.run(scriptCommand(c.miscPath), (r) => {
      this.host.sim.cancel(timeout);
      finish(r.code > 128 ? { kind: 'signaled', signal: r.code - 128 } : { kind: 'exited', status: r.code });
    });
  }

  private target(slot: CheckerSlot): ProbeTarget {
    const src = slot.conf.bindto === undefined ? undefined : parseIpv4(slot.conf.bindto);
    return {
      dst: parseIpv4(slot.dstIp) ?? 0,
      port: slot.dstPort,
      timeout: slot.conf.connectTimeout,
      ...(src !== undefined && { src }),
    };
  }

  private log(text: string): void {
    this.host.syslog(IDENT, this.proc.pid, text);
  }
}
