/**
 * Simulated time is an integer number of microseconds since the start of the run, like keepalived's own
 * timers (TIMER_HZ = 1,000,000). Plain numbers keep the hot path cheap; 2^53 µs is about 285 years.
 */
export type Micros = number;

export const US = 1;
export const MS = 1_000;
export const SECOND = 1_000_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const UNITS: Record<string, number> = {
  us: US,
  µs: US,
  ms: MS,
  s: SECOND,
  m: MINUTE,
  min: MINUTE,
  h: HOUR,
  d: DAY,
};

const DURATION = /^(\d+(?:\.\d+)?)\s*(us|µs|ms|s|min|m|h|d)$/;

/** Parses `250ms`, `3.613s`, `2m`, `1.5h`, `150us`; returns undefined when the text is not a duration. */
export function parseDuration(text: string): Micros | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  const [, num, unit] = m;
  const unitUs = UNITS[unit!]!;
  const [intPart, frac = ''] = num!.split('.');
  // Exact integer arithmetic: "3.613281s" must be 3,613,281 µs, not 3,613,280.9999.
  const scale = 10 ** frac.length;
  const fracUs = (Number(frac || '0') * unitUs) / scale;
  if (!Number.isInteger(fracUs)) return undefined; // finer than a microsecond
  return Number(intPart) * unitUs + fracUs;
}

/** `3.613281s`, `250ms`, `0s`: the shortest exact form, seconds with up to six decimals. */
export function formatDuration(us: Micros): string {
  if (us === 0) return '0s';
  const sign = us < 0 ? '-' : '';
  const abs = Math.abs(us);
  if (abs < MS) return `${sign}${abs}us`;
  if (abs < SECOND) {
    const ms = abs / MS;
    return `${sign}${Number.isInteger(ms) ? ms : trimZeros((abs / MS).toFixed(3))}ms`;
  }
  return `${sign}${trimZeros(formatSeconds(abs))}s`;
}

/** Fixed six-decimal seconds, `12.500000`: the timestamp column of the console timeline. */
export function formatSeconds(us: Micros): string {
  const sign = us < 0 ? '-' : '';
  const abs = Math.abs(us);
  const whole = Math.floor(abs / SECOND);
  const frac = abs % SECOND;
  return `${sign}${whole}.${String(frac).padStart(6, '0')}`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}
