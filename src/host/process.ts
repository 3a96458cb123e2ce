import type { Simulator } from '../sim/simulator';

declare module '../sim/trace' {
  interface TraceEvents {
    'process.start': { host: string; pid: number; name: string };
    'process.exit': { host: string; pid: number; name: string; how: 'exit' | 'signal' | 'crash'; code: number };
    'process.signal': { host: string; pid: number; name: string; signal: SignalName };
  }
}

export const SIGNALS = { HUP: 1, INT: 2, QUIT: 3, KILL: 9, USR1: 10, USR2: 12, TERM: 15, CONT: 18, STOP: 19 } as const;
export type SignalName = keyof typeof SIGNALS;

export function parseSignal(text: string): SignalName | 0 | undefined {
  const t = text.toUpperCase().replace(/^SIG/, '');
  if (t === '0') return 0;
  if (t in SIGNALS) return t as SignalName;
  const byNumber = Object.entries(SIGNALS).find(([, n]) => String(n) === t);
  return byNumber ? (byNumber[0] as SignalName) : undefined;
}

/** What a simulated program does with its process's life. */
export interface ProcessBehaviour {
  /**
   * A catchable signal (HUP, INT, TERM, USR1, USR2, QUIT). Without this method they terminate the
   * process, the kernel's default action.
   */
  signal?(sig: SignalName): void;
  /** SIGSTOP (true) / SIGCONT (false). */
  paused?(paused: boolean): void;
  /** The process is gone (exit, SIGKILL, host crash): drop sockets and timers, silently. */
  terminated(): void;
}

export class Process {
  state: 'running' | 'stopped' | 'dead' = 'running';
  exitCode = 0;
  private readonly exitWaiters: Array<(p: Process) => void> = [];

  constructor(
    private readonly table: ProcessTable,
    readonly pid: number,
    readonly ppid: number,
    /** comm: what killall, pidof and ps match (15 characters, as the kernel keeps it). */
    readonly name: string,
    readonly argv: readonly string[],
    public behaviour: ProcessBehaviour,
  ) {}

  get alive(): boolean {
    return this.state !== 'dead';
  }

  /** The program calls exit(code). */
  exit(code = 0): void {
    this.table.reap(this, 'exit', code);
  }

  onExit(fn: (p: Process) => void): void {
    if (!this.alive) fn(this);
    else this.exitWaiters.push(fn);
  }

  /** @internal */
  notifyExit(): void {
    for (const fn of this.exitWaiters.splice(0)) fn(this);
  }
}

/** The host's process table: pids, signals with the kernel's default actions, crash. */
export class ProcessTable {
  private readonly procs = new Map<number, Process>();
  private nextPid: number;

  constructor(
    private readonly sim: Simulator,
    private readonly host: string,
    firstPid: number,
  ) {
    this.nextPid = firstPid;
  }

  spawn(name: string, argv: readonly string[], behaviour: ProcessBehaviour, ppid = 1): Process {
    const p = new Process(this, this.nextPid++, ppid, name.slice(0, 15), argv, behaviour);
    this.procs.set(p.pid, p);
    this.sim.trace.emit('process.start', { host: this.host, pid: p.pid, name: p.name });
    return p;
  }

  get(pid: number): Process | undefined {
    const p = this.procs.get(pid);
    return p?.alive ? p : undefined;
  }

  byName(name: string): Process[] {
    return this.all().filter((p) => p.name === name);
  }

  all(): Process[] {
    return [...this.procs.values()].filter((p) => p.alive).sort((a, b) => a.pid - b.pid);
  }

  /** kill(2): returns an errno name on failure. Signal 0 only checks existence. */
  kill(pid: number, sig: SignalName | 0): 'ESRCH' | undefined {
    const p = this.get(pid);
    if (!p) return 'ESRCH';
    if (sig === 0) return undefined;
    this.sim.trace.emit('process.signal', { host: this.host, pid, name: p.name, signal: sig });
    switch (sig) {
      case 'KILL':
        this.reap(p, 'signal', 128 + SIGNALS.KILL);
        return undefined;
      case 'STOP':
        if (p.state === 'running') {
          p.state = 'stopped';
          p.behaviour.paused?.(true);
        }
        return undefined;
      case 'CONT':
        if (p.state === 'stopped') {
          p.state = 'running';
          p.behaviour.paused?.(false);
        }
        return undefined;
      default:
        if (p.behaviour.signal) {
          // A stopped process handles its signals once continued; the seed never relies on that.
          p.behaviour.signal(sig);
        } else this.reap(p, 'signal', 128 + SIGNALS[sig]);
        return undefined;
    }
  }

  /** Host power loss: every process vanishes without running any handler. */
  crashAll(): void {
    const all = this.all();
    // Everything dies at once: no process may still be signalled by another's clean-up.
    for (const p of all) p.state = 'dead';
    for (const p of all) this.finish(p, 'crash', 128 + SIGNALS.KILL);
  }

  /** @internal */
  reap(p: Process, how: 'exit' | 'signal' | 'crash', code: number): void {
    if (!p.alive) return;
    p.state = 'dead';
    this.finish(p, how, code);
  }

  private finish(p: Process, how: 'exit' | 'signal' | 'crash', code: number): void {
    p.exitCode = code;
    this.procs.delete(p.pid);
    p.behaviour.terminated();
    this.sim.trace.emit('process.exit', { host: this.host, pid: p.pid, name: p.name, how, code });
    p.notifyExit();
  }
}
