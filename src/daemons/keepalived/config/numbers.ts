import { ConfigErr } from './diagnostic';

/**
 * keepalived's number readers (lib/parser.c read_int / read_unsigned / read_decimal_unsigned) as
 * `keepalived -t` runs them: a value with trailing junk or out of range is reported and rejected.
 */

export type Reporter = (category: ConfigErr, text: string) => void;

const INT_MAX = 2147483647;
const UINT_MAX = 4294967295;

/** strtol-like prefix parse: returns the value and whether the whole string was consumed. */
function parseC(text: string, signed: boolean): { value: number; whole: boolean; overflow: boolean } {
  // strtol of "" converts nothing and leaves nothing behind: keepalived takes it as 0
  if (text === '') return { value: 0, whole: true, overflow: false };
  // keepalived reads its numbers in base 10
  const m = /^[ \t\n\r\f\v]*([+-]?)([0-9]+)/.exec(text);
  if (!m) return { value: 0, whole: false, overflow: false };
  const value = (m[1] === '-' ? -1 : 1) * Number(m[2]!);
  const limit = signed ? 2 ** 63 : 2 ** 64;
  return { value, whole: m[0].length === text.length, overflow: Math.abs(value) >= limit };
}

export function readInt(text: string, min: number, max: number, report: Reporter): number | undefined {
  const { value, whole, overflow } = parseC(text, true);
  if (!whole) report(ConfigErr.InvalidNumber, `invalid number '${text}'`);
  else if (overflow || value < -INT_MAX - 1 || value > INT_MAX)
    report(ConfigErr.InvalidNumber, `number '${text}' outside integer range`);
  else if (value < min || value > max) report(ConfigErr.InvalidNumber, `number '${text}' outside range [${min}, ${max}]`);
  else return value;
  return undefined;
}

export function readUnsigned(text: string, min: number, max: number, report: Reporter): number | undefined {
  const trimmed = text.replace(/^[ \t\n\r\f\v]+/, '');
  const { value, whole, overflow } = parseC(trimmed, false);
  if (trimmed.startsWith('-')) report(ConfigErr.InvalidNumber, `negative number '${text}'`);
  else if (!whole) report(ConfigErr.InvalidNumber, `invalid number '${text}'`);
  else if (overflow || value > UINT_MAX) report(ConfigErr.InvalidNumber, `number '${text}' outside unsigned integer range`);
  else if (value < min || value > max) report(ConfigErr.InvalidNumber, `number '${text}' outside range [${min}, ${max}]`);
  else return value;
  return undefined;
}

/**
 * A decimal with up to `shift` places, returned × 10^shift (so seconds with shift 6 give microseconds).
 * Too many places are reported and rounded, as keepalived does.
 */
export function readDecimal(text: string, min: number, max: number, shift: number, report: Reporter): number | undefined {
  if (text.startsWith('-')) {
    report(ConfigErr.InvalidNumber, `negative number '${text}'`);
    return undefined;
  }
  const dot = text.indexOf('.');
  const intPart = dot < 0 ? text : text.slice(0, dot);
  let frac = dot < 0 ? '' : text.slice(dot + 1);
  let roundUp = false;
  if (frac.length > shift) {
    report(ConfigErr.InvalidNumber, `number '${text}' has too many decimal places`);
    roundUp = frac.charCodeAt(shift) >= 53;
    frac = frac.slice(0, shift);
  }
  const digits = intPart + frac.padEnd(shift, '0');
  if (!/^[ \t]*\+?[0-9]+$/.test(digits)) {
    report(ConfigErr.InvalidNumber, `invalid number '${text}'`);
    return undefined;
  }
  let value = Number(digits.trim());
  if (roundUp) value++;
  if (!Number.isSafeInteger(value) || value > 2 ** 64 - 1) {
    report(ConfigErr.InvalidNumber, `number '${text}' outside unsigned decimal range`);
    return undefined;
  }
  if (value < min || value > max) {
    const scale = 10 ** shift;
    const fmt = (v: number): string =>
      v === TIMER_MAXIMUM ? TIMER_MAXIMUM_TEXT : `${Math.floor(v / scale)}.${String(v % scale).padStart(shift, '0')}`;
    report(ConfigErr.InvalidNumber, `number '${text}' outside range [${fmt(min)}, ${fmt(max)}]`);
    return undefined;
  }
  return value;
}

/**
 * keepalived's TIMER_MAXIMUM (ULONG_MAX - 1 µs) as an upper bound: larger than any safe integer, so it is
 * a marker here and printed as keepalived prints it.
 */
export const TIMER_MAXIMUM = Number.MAX_SAFE_INTEGER;
const TIMER_MAXIMUM_TEXT = '18446744073709.551614';

/** Seconds as a decimal, in microseconds (keepalived's read_timer). */
export function readTimer(text: string, min: number, max: number, report: Reporter): number | undefined {
  return readDecimal(text, min, max, 6, report);
}

/** keepalived's check_true_false: on/true/yes, off/false/no; undefined otherwise. */
export function trueFalse(text: string): boolean | undefined {
  if (text === 'true' || text === 'on' || text === 'yes') return true;
  if (text === 'false' || text === 'off' || text === 'no') return false;
  return undefined;
}
