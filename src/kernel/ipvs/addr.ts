/** IPv4 addresses as unsigned 32-bit host-order numbers, the way the kernel's hash functions see them (ntohl). */

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * The table's entries keep their addresses as text while every packet needs them as numbers and back: both
 * conversions are remembered (a cluster has few addresses; the bound only guards against odd input).
 */
const MEMO_LIMIT = 4096;
const parsed = new Map<string, number | undefined>();
const formatted = new Map<number, string>();

export function parseIpv4(text: string): number | undefined {
  let v = parsed.get(text);
  if (v === undefined && !parsed.has(text)) {
    if (parsed.size >= MEMO_LIMIT) parsed.clear();
    v = parseDotted(text);
    parsed.set(text, v);
  }
  return v;
}

function parseDotted(text: string): number | undefined {
  const m = DOTTED.exec(text);
  if (!m) return undefined;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return undefined;
    v = v * 256 + o;
  }
  return v;
}

export function ipv4ToU32(text: string): number {
  const v = parseIpv4(text);
  if (v === undefined) throw new Error(`not an IPv4 address: ${text}`);
  return v;
}

export function u32ToIpv4(v: number): string {
  let t = formatted.get(v);
  if (t === undefined) {
    if (formatted.size >= MEMO_LIMIT) formatted.clear();
    t = `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
    formatted.set(v, t);
  }
  return t;
}

/** The client network a persistence template is keyed on: address AND netmask. */
export function maskAnd(addr: number, mask: number): number {
  return (addr & mask) >>> 0;
}

export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
