import { broadcastOf as cidrBroadcast, inSubnet as cidrContains, networkOf as cidrNetwork } from '../../net/addr';

export { formatIpv4 } from '../../net/addr';

/*
 * IPv4 parsing that says why a text is not an address (for scenario diagnostics); the arithmetic is
 * src/net/addr.ts's.
 */

export type Ipv4Parse = { readonly value: number } | { readonly reason: string };

/** Dotted quad, four decimal numbers 0..255 without leading zeros (which some tools read as octal). */
export function parseIpv4Explained(text: string): Ipv4Parse {
  const parts = text.split('.');
  if (parts.length !== 4) return { reason: 'an IPv4 address has four numbers separated by dots' };
  let value = 0;
  for (const part of parts) {
    if (!/^\d+$/.test(part)) return { reason: `'${part}' is not a number` };
    if (part.length > 1 && part.startsWith('0')) return { reason: `'${part}' has a leading zero` };
    const n = Number(part);
    if (n > 255) return { reason: `${part} is more than 255` };
    value = value * 256 + n;
  }
  return { value };
}

export type CidrParse = { readonly value: number; readonly prefix: number } | { readonly reason: string };

export function parseCidrExplained(text: string): CidrParse {
  const slash = text.indexOf('/');
  if (slash < 0) return { reason: 'a prefix length is needed, like /24' };
  const ip = parseIpv4Explained(text.slice(0, slash));
  if ('reason' in ip) return ip;
  const len = text.slice(slash + 1);
  if (!/^\d{1,2}$/.test(len) || Number(len) > 32) return { reason: `'/${len}' is not a prefix length 0..32` };
  return { value: ip.value, prefix: Number(len) };
}

/** The network address of `value` under a prefix length. */
export function networkOf(value: number, prefix: number): number {
  return cidrNetwork({ ip: value, prefix });
}

export function inSubnet(value: number, network: number, prefix: number): boolean {
  return cidrContains(value, { ip: network, prefix });
}

/** The broadcast address of a subnet. */
export function broadcastOf(network: number, prefix: number): number {
  return cidrBroadcast({ ip: network, prefix });
}
