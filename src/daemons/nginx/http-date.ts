/**
 * Calendar formatting without the host's Date: simulated wall clocks are plain numbers (ms since the epoch) and
 * the simulation may not construct Dates. Days-to-civil conversion after Howard Hinnant's public algorithm.
 */
const DAYS = ['Thu', 'Fri', 'Sat', 'Sun', 'Mon', 'Tue', 'Wed'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface Civil {
  readonly year: number;
  readonly month: number; // 1..12
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly weekday: string;
}

function civil(seconds: number): Civil {
  const days = Math.floor(seconds / 86400);
  const rest = seconds - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {
    year,
    month,
    day,
    hour: Math.floor(rest / 3600),
    minute: Math.floor((rest % 3600) / 60),
    second: rest % 60,
    weekday: DAYS[((days % 7) + 7) % 7]!,
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * Texts formatted for recent seconds, one slot per second modulo the size. nginx formats its cached time once
 * per second (ngx_time_update); here several hosts, each with its own clock, and the Last-Modified of their files
 * share one process, so a single "last second" would be overwritten by each of them in turn.
 */
class SecondTexts {
  private readonly seconds = new Float64Array(SLOTS).fill(NaN);
  private readonly zones = new Float64Array(SLOTS);
  private readonly texts = new Array<string>(SLOTS).fill('');

  get(second: number, zone: number): string | undefined {
    const i = second & (SLOTS - 1);
    return this.seconds[i] === second && this.zones[i] === zone ? this.texts[i] : undefined;
  }

  set(second: number, zone: number, text: string): string {
    const i = second & (SLOTS - 1);
    this.seconds[i] = second;
    this.zones[i] = zone;
    this.texts[i] = text;
    return text;
  }
}

/** A power of two: enough that a few hosts and files rarely share a slot. */
const SLOTS = 64;

const httpDates = new SecondTexts();
const timeLocals = new SecondTexts();

/** `Wed, 25 Nov 2026 00:58:48 GMT` (RFC 1123, as in Date, Last-Modified, Expires). */
export function httpDate(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  return httpDates.get(second, 0) ?? httpDates.set(second, 0, formatHttpDate(second));
}

function formatHttpDate(second: number): string {
  const c = civil(second);
  return `${c.weekday}, ${pad(c.day)} ${MONTHS[c.month - 1]} ${c.year} ${pad(c.hour)}:${pad(c.minute)}:${pad(c.second)} GMT`;
}

/** Calendar fields of a wall clock in a zone `tzOffsetMinutes` east of UTC. */
export function localCivil(epochMs: number, tzOffsetMinutes: number): Civil {
  return civil(Math.floor(epochMs / 1000) + tzOffsetMinutes * 60);
}

/** `25/Nov/2022:00:47:10 +0800`: $time_local for a wall clock and the host's offset from UTC in minutes. */
export function timeLocal(epochMs: number, tzOffsetMinutes: number): string {
  const second = Math.floor(epochMs / 1000);
  return timeLocals.get(second, tzOffsetMinutes) ?? timeLocals.set(second, tzOffsetMinutes, formatTimeLocal(second, tzOffsetMinutes));
}

function formatTimeLocal(second: number, tzOffsetMinutes: number): string {
  const c = civil(second + tzOffsetMinutes * 60);
  const sign = tzOffsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(tzOffsetMinutes);
  const zone = `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
  return `${pad(c.day)}/${MONTHS[c.month - 1]}/${c.year}:${pad(c.hour)}:${pad(c.minute)}:${pad(c.second)} ${zone}`;
}

/** Inverse of httpDate, for dates nginx reads back (If-Modified-Since is not simulated; tests use it). */
export function parseHttpDate(text: string): number | undefined {
  const m = /^[A-Z][a-z]{2}, (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(text);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2]!) + 1;
  if (month === 0) return undefined;
  const y = Number(m[3]) - (month <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + Number(m[1]) - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146097 + doe - 719468;
  return (days * 86400 + Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6])) * 1000;
}
