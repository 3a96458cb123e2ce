import { SECOND } from '../../sim/time';

/** The rate estimator's period (ip_vs_est.c): every 2 s, for every service and destination. */
export const ESTIMATOR_PERIOD = 2 * SECOND;

export interface Counters {
  conns: number;
  inpkts: number;
  outpkts: number;
  inbytes: number;
  outbytes: number;
}

export interface Rates {
  cps: number;
  inpps: number;
  outpps: number;
  inbps: number;
  outbps: number;
}

const zeroCounters = (): Counters => ({ conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0 });

/**
 * Counters of a service or destination (struct ip_vs_stats). The data path bumps the live (per-cpu)
 * counters; Linux 6.1 folds them into the totals ipvsadm reads only in its 2-second estimation timer, so
 * `ipvsadm --stats` lags by up to 2 s, and -Z zeroes relative to that snapshot. The estimator keeps an
 * exponentially weighted average with weight 1/4 in fixed point (×2^10 for conns/packets per second, ×2^5
 * for bytes) exactly as the kernel does, so `ipvsadm --rate` rounds the same way.
 */
export class IpvsStats {
  /** Live counters, bumped per connection and packet. */
  readonly live: Counters = zeroCounters();
  private snap: Counters = zeroCounters();
  private zeroPoint: Counters = zeroCounters();
  private last: Counters = zeroCounters();
  private est: Rates = { cps: 0, inpps: 0, outpps: 0, inbps: 0, outbps: 0 };

  /** One 2-second estimation step (estimation_timer): snapshot the live counters, update the averages. */
  estimate(): void {
    this.snap = { ...this.live };
    const s = this.snap;
    const l = this.last;
    const e = this.est;
    e.cps += ewmaStep((s.conns - l.conns) * 512, e.cps);
    e.inpps += ewmaStep((s.inpkts - l.inpkts) * 512, e.inpps);
    e.outpps += ewmaStep((s.outpkts - l.outpkts) * 512, e.outpps);
    e.inbps += ewmaStep((s.inbytes - l.inbytes) * 16, e.inbps);
    e.outbps += ewmaStep((s.outbytes - l.outbytes) * 16, e.outbps);
    this.last = { ...s };
  }

  /** Nothing left to estimate: no change since the last step and every average at 0. */
  get idle(): boolean {
    const e = this.est;
    return sameCounters(this.live, this.last) && e.cps === 0 && e.inpps === 0 && e.outpps === 0 && e.inbps === 0 && e.outbps === 0;
  }

  /** What ipvsadm --stats shows: the last snapshot, less the zero point. */
  get shown(): Counters {
    const s = this.snap;
    const z = this.zeroPoint;
    return {
      conns: s.conns - z.conns,
      inpkts: s.inpkts - z.inpkts,
      outpkts: s.outpkts - z.outpkts,
      inbytes: s.inbytes - z.inbytes,
      outbytes: s.outbytes - z.outbytes,
    };
  }

  /** Rates as ip_vs_read_estimator reports them (rounded up from the fixed point). */
  get rates(): Rates {
    const e = this.est;
    return {
      cps: Math.floor((e.cps + 0x1ff) / 1024),
      inpps: Math.floor((e.inpps + 0x1ff) / 1024),
      outpps: Math.floor((e.outpps + 0x1ff) / 1024),
      inbps: Math.floor((e.inbps + 0xf) / 32),
      outbps: Math.floor((e.outbps + 0xf) / 32),
    };
  }

  /** `ipvsadm -Z` (ip_vs_zero_stats): the current snapshot becomes the zero point; averages restart. */
  zero(): void {
    this.zeroPoint = { ...this.snap };
    this.last = { ...this.snap };
    this.est = { cps: 0, inpps: 0, outpps: 0, inbps: 0, outbps: 0 };
  }

  /** A dest moved to another service starts from zero (its counters are not carried over). */
  reset(): void {
    this.zeroPoint = { ...this.snap };
  }
}

function sameCounters(a: Counters, b: Counters): boolean {
  return a.conns === b.conns && a.inpkts === b.inpkts && a.outpkts === b.outpkts && a.inbytes === b.inbytes && a.outbytes === b.outbytes;
}

/** (rate - avg) >> 2 on signed 64-bit: an arithmetic shift, i.e. floor division by 4. */
function ewmaStep(rate: number, avg: number): number {
  return Math.floor((rate - avg) / 4);
}
