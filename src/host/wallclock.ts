const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Wall-clock text without Date: the simulation never builds a Date, so the arithmetic is done here, in UTC. */
export function syslogStamp(wallUs: number): string {
  const totalSec = Math.floor(wallUs / 1_000_000);
  const days = Math.floor(totalSec / 86400);
  const secOfDay = totalSec - days * 86400;
  const { month, day } = civilFromDays(days);
  const hh = String(Math.floor(secOfDay / 3600)).padStart(2, '0');
  const mm = String(Math.floor((secOfDay % 3600) / 60)).padStart(2, '0');
  const ss = String(secOfDay % 60).padStart(2, '0');
  return `${MONTHS[month - 1]} ${String(day).padStart(2, ' ')} ${hh}:${mm}:${ss}`;
}

/** Days since 1970-01-01 → civil date (Howard Hinnant's algorithm). */
export function civilFromDays(z: number): { year: number; month: number; day: number } {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: month <= 2 ? y + 1 : y, month, day };
}

export function monthName(month: number): string {
  return MONTHS[month - 1]!;
}
