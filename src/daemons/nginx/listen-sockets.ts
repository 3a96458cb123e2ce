import type { NginxConf } from './conf-model';

/**
 * The sockets nginx binds: `*:port` when any server listens on the wildcard of that port (connections to specific
 * addresses are then told apart per connection), else each listed address:port. The TCP side accepts on these
 * and passes the connection's local address and port to handleRequest.
 */
export function listenSockets(conf: NginxConf): readonly { readonly addr: string; readonly port: number }[] {
  const out: { addr: string; port: number }[] = [];
  const seen = new Set<string>();
  const wildcardPorts = new Set<number>();
  for (const server of conf.http?.servers ?? []) for (const l of server.listens) if (l.addr === '*') wildcardPorts.add(l.port);
  for (const server of conf.http?.servers ?? []) {
    for (const l of server.listens) {
      const addr = wildcardPorts.has(l.port) ? '*' : l.addr;
      const key = `${addr}:${l.port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ addr, port: l.port });
    }
  }
  return out;
}
