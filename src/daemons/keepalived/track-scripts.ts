import type { Timer } from '../../sim/simulator';
import type { Host } from '../../host/host';
import type { VrrpScript } from './config';
import type { ScriptOutcome } from './vrrp';

/**
 * Runs each vrrp_script through the host's simulated shell, as keepalived's VRRP process schedules
 * them (vrrp_scheduler.c): the first run at start-up, then every `interval`; a run still going after
 * `timeout` (0 = interval) is killed and reported as timed out; a run still going when the next is
 * due is skipped.
 */
export class TrackScripts {
  private readonly timers: Timer[] = [];
  private stopped = false;

  constructor(
    private readonly host: Host,
    private readonly scripts: readonly VrrpScript[],
    private readonly report: (script: string, outcome: ScriptOutcome) => void,
    private readonly log: (text: string) => void,
  ) {}

  get count(): number {
    return this.scripts.length;
  }

  /** Commands given without a path, which keepalived finds by PATH search and warns about. */
  pathSearched(): string[] {
    return [...new Set(this.scripts.map((s) => s.script.join(' ').trim().split(/\s+/)[0]!).filter((c) => c !== '' && !c.includes('/')))];
  }

  start(): void {
    for (const s of this.scripts) this.schedule(s, 0);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) this.host.sim.cancel(t);
    this.timers.length = 0;
  }

  private schedule(s: VrrpScript, delay: number): void {
    let running = false;
    const fire = (): void => {
      if (this.stopped) return;
      if (running) this.log(`Track script ${s.name} is already running, expect idle - skipping run`);
      else {
        running = true;
        this.runOnce(s, () => (running = false));
      }
      this.timers.push(this.host.timer(s.interval, fire));
      if (this.timers.length > 64) this.timers.splice(0, this.timers.length - 8);
    };
    this.timers.push(this.host.timer(delay, fire));
  }

  private runOnce(s: VrrpScript, finished: () => void): void {
    let settled = false;
    const timeout = this.host.timer(s.timeout > 0 ? s.timeout : s.interval, () => {
      if (settled || this.stopped) return;
      settled = true;
      finished();
      this.report(s.name, { kind: 'timed_out' });
    });
    this.host.run(scriptCommand(s.script), (r) => {
      if (settled || this.stopped) return;
      settled = true;
      this.host.sim.cancel(timeout);
      finished();
      this.report(s.name, r.code > 128 ? { kind: 'signaled', signal: r.code - 128 } : { kind: 'exited', status: r.code });
    });
  }
}

/**
 * The command line of a vrrp_script: keepalived keeps `script "killall -0 nginx"` as one string that it
 * splits into words at exec time, so the words are joined back for the simulated shell to split.
 */
export function scriptCommand(words: readonly string[]): string {
  return words.join(' ');
}

/** Arguments keepalived passes to a notify script, quoted so they stay single words. */
export function quoteArgs(words: readonly string[]): string {
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}
