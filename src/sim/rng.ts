import seedrandom from 'seedrandom';

/** One seeded random stream: uniform draws in [0, 1) and helpers on top. */
export class Rng {
  private readonly prng: seedrandom.PRNG;

  constructor(seed: string) {
    this.prng = seedrandom.alea(seed);
  }

  next(): number {
    return this.prng();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.prng() * n);
  }

  /** An integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + Math.floor(this.prng() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return p > 0 && this.prng() < p;
  }
}

/**
 * Named streams derived from one seed: each component draws from its own stream, so adding a host or a
 * LAN does not shift anyone else's draws.
 */
export class RngStreams {
  private readonly streams = new Map<string, Rng>();

  constructor(readonly seed: number | string) {}

  stream(name: string): Rng {
    let s = this.streams.get(name);
    if (!s) {
      s = new Rng(`${this.seed}/${name}`);
      this.streams.set(name, s);
    }
    return s;
  }
}
