import type { HttpConf, ServerConf } from './conf-model';

/**
 * The virtual server for a connection and Host (nginx "How nginx processes a request"): servers listening on the
 * connection's exact address:port, or else on `*:port`; among them the server_name match (exact, then leading
 * wildcard, then trailing wildcard, then regex in order); else the default_server, else the first one.
 */
export function findServer(http: HttpConf, localAddr: string, localPort: number, host: string | undefined): ServerConf | undefined {
  const on = (addr: string): ServerConf[] =>
    http.servers.filter((s) => s.listens.some((l) => l.port === localPort && l.addr === addr));
  let candidates = on(localAddr);
  let listenAddr = localAddr;
  if (candidates.length === 0) {
    candidates = on('*');
    listenAddr = '*';
  }
  if (candidates.length === 0) return undefined;
  const fallback =
    candidates.find((s) => s.listens.some((l) => l.port === localPort && l.addr === listenAddr && l.defaultServer)) ??
    candidates[0]!;
  if (host === undefined || host === '') return fallback;
  const name = host.toLowerCase().replace(/\.$/, '');
  const names = (s: ServerConf): string[] => s.serverNames.map((n) => n.toLowerCase());
  const exact = candidates.find((s) => names(s).includes(name));
  if (exact) return exact;
  let best: { server: ServerConf; len: number } | undefined;
  for (const s of candidates) {
    for (const n of names(s)) {
      const suffix = n.startsWith('*.') ? n.slice(1) : n.startsWith('.') ? n : undefined;
      if (suffix === undefined) continue;
      const hit = name.endsWith(suffix) || (n.startsWith('.') && name === n.slice(1));
      if (hit && (!best || suffix.length > best.len)) best = { server: s, len: suffix.length };
    }
  }
  if (best) return best.server;
  for (const s of candidates) {
    for (const n of names(s)) {
      if (n.endsWith('.*') && !n.startsWith('~') && name.startsWith(n.slice(0, -1))) return s;
    }
  }
  for (const s of candidates) {
    for (const n of s.serverNames) {
      if (n.startsWith('~') && new RegExp(n.slice(1)).test(name)) return s;
    }
  }
  return fallback;
}
