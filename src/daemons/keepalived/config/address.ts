/** inet_pton(3) for the two families keepalived parses, without allocation. */
export function isIPv4(text: string): boolean {
  const parts = text.split('.');
  if (parts.length !== 4) return false;
  // inet_pton: four decimal parts of at most three digits, each ≤ 255
  return parts.every((p) => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255);
}

export function isIPv6(text: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return false;
  let head = text;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!isIPv4(tail)) return false;
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = head.split('::');
  if (dbl.length > 2) return false;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = groups(dbl[0]!);
  const right = dbl.length === 2 ? groups(dbl[1]!) : [];
  const all = [...left, ...right];
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return dbl.length === 2 ? all.length < 8 : all.length === 8;
}

export function familyOf(text: string): 4 | 6 | undefined {
  if (isIPv4(text)) return 4;
  if (isIPv6(text)) return 6;
  return undefined;
}

/** IPv4 address as an unsigned 32-bit number (host order), for keepalived's numeric address compare. */
export function ipv4ToNumber(text: string): number {
  return text.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
}

/**
 * What getaddrinfo accepts as a numeric IPv4 address (inet_aton): one to four parts, decimal, octal or
 * hex, the last part filling the remaining bytes ("19" is 0.0.0.19, "10.1" is 10.0.0.1).
 */
export function isInetAton(text: string): boolean {
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 4) return false;
  const values: number[] = [];
  for (const part of parts) {
    let v: number;
    if (/^0[xX][0-9a-fA-F]*$/.test(part)) v = part.length > 2 ? parseInt(part.slice(2), 16) : 0;
    else if (/^0[0-7]*$/.test(part)) v = parseInt(part, 8);
    else if (/^[1-9][0-9]*$/.test(part)) v = Number(part);
    else return false;
    values.push(v);
  }
  const last = values[values.length - 1]!;
  if (values.slice(0, -1).some((v) => v > 255)) return false;
  return last < 256 ** (5 - values.length);
}
