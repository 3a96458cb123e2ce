import { SECOND } from '../../sim/time';

/** The rate estimator's period (ip_vs_est.c): every 2 s, for every service and destination. */
export const ESTIMATOR_PERIOD = 2 * SECOND;

/**
 * Counters of a service or destination (struct ip_vs_stats) and its rate estimator: an exponentially
 * weighted average updated every 2 s with weight 1/4, kept in fixed point (×2^10 for conns/packets per
 * second, ×2^5 for bytes) exactly as the kernel keeps it, so `ipvsadm --rate` rounds the same way.
 */
export class IpvsStats {
  conns = 0;
  inpkts = 0;
  outpkts = 0;
  inbytes = 0;
  outbytes = 0;

  private last = { conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0 };
  private est = { cps: 0, inpps: 0, outpps: 0, inbps: 0, outbps: 0 };

  /** One 2-second estimation step (estimation_timer). */
  estimate(): void {
    const l = this.last;
    const e = this.est;
    e.cps += ewmaStep((this.conns - l.conns) * 512, e.cps);
    e.inpps += ewmaStep((this.inpkts - l.inpkts) * 512, e.inpps);
    e.outpps += ewmaStep((this.outpkts - l.outpkts) * 512, e.outpps);
    e.inbps += ewmaStep((this.inbytes - l.inbytes) * 16, e.inbps);
    e.outbps += ewmaStep((this.outbytes - l.outbytes) * 16, e.outbps);
    l.conns = this.conns;
    l.inpkts = this.inpkts;
    l.outpkts = this.outpkts;
    l.inbytes = this.inbytes;
    l.outbytes = this.outbytes;
  }

  /** Nothing left to estimate: counters unchanged since the last step and every average at 0. */
  get idle(): boolean {
    const l = this.last;
    const e = this.est;
    return (
      l.conns === this.conns &&
      l.inpkts === this.inpkts &&
      l.outpkts === this.outpkts &&
      l.inbytes === this.inbytes &&
      l.outbytes === this.outbytes &&
      e.cps === 0 &&
      e.inpps === 0 &&
      e.outpps === 0 &&
      e.inbps === 0 &&
      e.outbps === 0
    );
  }

  /** Rates as ip_vs_read_estimator reports them (rounded up from the fixed point). */
  get rates(): { cps: number; inpps: number; outpps: number; inbps: number; outbps: number } {
    const e = this.est;
    return {
      cps: Math.floor((e.cps + 0x1ff) / 1024),
      inpps: Math.floor((e.inpps + 0x1ff) / 1024),
      outpps: Math.floor((e.outpps + 0x1ff) / 1024),
      inbps: Math.floor((e.inbps + 0xf) / 32),
      outbps: Math.floor((e.outbps + 0xf) / 32),
    };
  }

  /** `ipvsadm -Z`: counters and averages restart from zero. */
  zero(): void {
    this.conns = this.inpkts = this.outpkts = this.inbytes = this.outbytes = 0;
    this.last = { conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0 };
    this.est = { cps: 0, inpps: 0, outpps: 0, inbps: 0, outbps: 0 };
  }
}

/** (rate - avg) >> 2 on signed 64-bit: an arithmetic shift, i.e. floor division by 4. */
function ewmaStep(rate: number, avg: number): number {
  return Math.floor((rate - avg) / 4);
}
