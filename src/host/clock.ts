import type { Micros } from '../sim/time';

/**
 * A host's clocks. Simulated time `t` is the truth; the host's oscillator runs `drift` ppm fast (or slow)
 * and its wall clock is off by `offset`. Daemon timers run on the monotonic clock, log lines carry the
 * wall clock. An NTP daemon disciplines both through `slew`/`step` (the hook for ntpd).
 */
export class HostClock {
  /** Parts per million the oscillator runs fast (+) or slow (−). */
  driftPpm: number;
  /** Wall clock = epoch + t + offset (+ drift accumulated since the last adjustment). */
  private offsetUs: Micros;
  private anchorT: Micros = 0;

  constructor(
    /** Wall-clock instant (ms since 1970) of simulated t = 0. */
    readonly epochMs: number,
    opts: { offset?: Micros; driftPpm?: number } = {},
  ) {
    this.offsetUs = opts.offset ?? 0;
    this.driftPpm = opts.driftPpm ?? 0;
  }

  /** The host's wall clock at true time t, in µs since 1970. */
  wallUs(t: Micros): number {
    return this.epochMs * 1000 + t + this.offsetAt(t);
  }

  /** How far the host's wall clock is ahead of the truth at t. */
  offsetAt(t: Micros): Micros {
    return this.offsetUs + Math.round(((t - this.anchorT) * this.driftPpm) / 1e6);
  }

  /** True duration of `hostDelay` µs measured on this host's oscillator. */
  toTrue(hostDelay: Micros): Micros {
    return this.driftPpm === 0 ? hostDelay : Math.round(hostDelay / (1 + this.driftPpm / 1e6));
  }

  /** Steps the wall clock by `delta` (ntpd's step, `date -s`). */
  step(t: Micros, delta: Micros): void {
    this.offsetUs = this.offsetAt(t) + delta;
    this.anchorT = t;
  }

  /** Sets the frequency correction (ntpd's slew): the new drift applies from t on. */
  setDrift(t: Micros, driftPpm: number): void {
    this.offsetUs = this.offsetAt(t);
    this.anchorT = t;
    this.driftPpm = driftPpm;
  }
}
