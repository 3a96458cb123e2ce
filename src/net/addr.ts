/**
 * IPv4 addresses are unsigned 32-bit numbers and MAC addresses 48-bit numbers: cheap to compare and hash
 * on the hot path; text only at the edges (config, trace, reports).
 */
export type Ipv4 = number;
export type Mac = number;

export const BROADCAST_MAC: Mac = 0xffff_ffff_ffff;
export const ZERO_MAC: Mac = 0;

export function parseIpv4(text: string): Ipv4 | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function formatIpv4(ip: Ipv4): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

export function ipv4(text: string): Ipv4 {
  const ip = parseIpv4(text);
  if (ip === undefined) throw new Error(`not an IPv4 address: ${text}`);
  return ip;
}

export interface Cidr {
  readonly ip: Ipv4;
  readonly prefix: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const ip = parseIpv4(slash < 0 ? text : text.slice(0, slash));
  if (ip === undefined) return undefined;
  if (slash < 0) return { ip, prefix: 32 };
  const p = text.slice(slash + 1);
  if (!/^\d{1,2}$/.test(p) || Number(p) > 32) return undefined;
  return { ip, prefix: Number(p) };
}

export function formatCidr(c: Cidr): string {
  return `${formatIpv4(c.ip)}/${c.prefix}`;
}

export function netmask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffff_ffff << (32 - prefix)) >>> 0;
}

export function networkOf(c: Cidr): Ipv4 {
  return (c.ip & netmask(c.prefix)) >>> 0;
}

export function broadcastOf(c: Cidr): Ipv4 {
  return (networkOf(c) | (~netmask(c.prefix) >>> 0)) >>> 0;
}

export function inSubnet(ip: Ipv4, c: Cidr): boolean {
  const m = netmask(c.prefix);
  return ((ip & m) >>> 0) === ((c.ip & m) >>> 0);
}

export function isMulticast(ip: Ipv4): boolean {
  return ip >>> 28 === 0xe;
}

/** RFC 1112: 01:00:5e + the low 23 bits of the group address. */
export function multicastMac(group: Ipv4): Mac {
  return 0x01005e000000 + (group & 0x7fffff);
}

export function isMulticastMac(mac: Mac): boolean {
  // the group bit is bit 40; mac / 2^40 is below 256, so `& 1` truncates and masks in one step
  return ((mac / 0x100_0000_0000) & 1) === 1;
}

export function parseMac(text: string): Mac | undefined {
  const parts = text.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) return undefined;
  return parts.reduce((n, p) => n * 256 + parseInt(p, 16), 0);
}

export function formatMac(mac: Mac): string {
  let s = '';
  for (let i = 5; i >= 0; i--) {
    const byte = Math.floor(mac / 2 ** (8 * i)) % 256;
    s += (i < 5 ? ':' : '') + byte.toString(16).padStart(2, '0');
  }
  return s;
}
