/** The few /etc/services names (Debian 12 netbase) that ipvsadm shows without -n for common ports. */
const TCP: Readonly<Record<number, string>> = {
  21: 'ftp',
  22: 'ssh',
  23: 'telnet',
  25: 'smtp',
  53: 'domain',
  80: 'http',
  110: 'pop3',
  143: 'imap2',
  443: 'https',
  3306: 'mysql',
  5432: 'postgresql',
  6379: 'redis',
  8080: 'http-alt',
};

const UDP: Readonly<Record<number, string>> = {
  53: 'domain',
  67: 'bootps',
  68: 'bootpc',
  123: 'ntp',
  161: 'snmp',
  514: 'syslog',
};

/** getservbyport(port, "tcp"/"udp"). */
export function portToService(port: number, protocol: string): string | undefined {
  if (protocol === 'TCP') return TCP[port];
  if (protocol === 'UDP') return UDP[port];
  return undefined;
}

/** getservbyname(name, proto), for `-t 10.0.0.1:http`. */
export function serviceToPort(name: string, protocol: string): number | undefined {
  const table = protocol === 'UDP' ? UDP : TCP;
  for (const [port, n] of Object.entries(table)) if (n === name) return Number(port);
  return undefined;
}
