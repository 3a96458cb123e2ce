/** Dotted-quad text of a host-order IPv4 address, as keepalived's `inet_sockaddrtos` prints it. */
export function inetNtoa(address: number): string {
  return `${(address >>> 24) & 255}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`;
}
