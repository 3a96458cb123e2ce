import type { Protocol, VirtualServerAddress } from '../config';

/**
 * keepalived's way of naming endpoints in its log (inet_sockaddrtotrio, format_vs): `[ip]:tcp:port`,
 * `FWM n` for a firewall-mark service, `[group]:port` for a virtual_server_group.
 */
export function formatEndpoint(ip: string, port: number, protocol: Protocol | undefined): string {
  const proto = protocol === undefined ? 'none' : protocol.toLowerCase();
  return `[${ip}]:${proto}:${port}`;
}

export function formatVs(address: VirtualServerAddress, protocol: Protocol, groupPort = 0): string {
  switch (address.kind) {
    case 'ip':
      return formatEndpoint(address.ip, address.port, protocol);
    case 'fwmark':
      return `FWM ${address.fwmark}`;
    case 'group':
      return `[${address.group}]:${groupPort}`;
  }
}
