import type { HttpConf, ServerConf } from './conf-model';

const regexes = new Map<string, RegExp>();

/** `~^www\d+\.` compiled once, not per request. */
function serverNameRegex(n: string): RegExp {
  let re = regexes.get(n);
  if (!re) regexes.set(n, (re = new RegExp(n.slice(1))));
  return re;
}

interface AddressServers {
  readonly candidates: readonly ServerConf[];
  readonly fallback: ServerConf;
}

const byAddress = new WeakMap<HttpConf, Map<string, Map<number, AddressServers | undefined>>>();

/** The servers of a connection's address:port (or of `*:port`) and its default one, worked out once per configuration. */
function onAddress(http: HttpConf, localAddr: string, localPort: number): AddressServers | undefined {
  let byAddr = byAddress.get(http);
  if (!byAddr) byAddress.set(http, (byAddr = new Map()));
  let cache = byAddr.get(localAddr);
  if (!cache) byAddr.set(localAddr, (cache = new Map()));
  if (cache.has(localPort)) return cache.get(localPort);
  const on = (addr: string): ServerConf[] =>
    http.servers.filter((s) => s.listens.some((l) => l.port === localPort && l.addr === addr));
  let candidates = on(localAddr);
  let listenAddr = localAddr;
  if (candidates.length === 0) {
    candidates = on('*');
    listenAddr = '*';
  }
  const found =
    candidates.length === 0
      ? undefined
      : {
          candidates,
          fallback:
            candidates.find((s) => s.listens.some((l) => l.port === localPort && l.addr === listenAddr && l.defaultServer)) ??
            candidates[0]!,
        };
  cache.set(localPort, found);
  return found;
}

/**
 * The virtual server for a connection and Host (nginx "How nginx processes a request"): servers listening on the
 * connection's exact address:port, or else on `*:port`; among them the server_name match (exact, then leading
 * wildcard, then trailing wildcard, then regex in order); else the default_server, else the first one.
 */
export function findServer(http: HttpConf, localAddr: string, localPort: number, host: string | undefined): ServerConf | undefined {
  const on = onAddress(http, localAddr, localPort);
  if (on === undefined) return undefined;
  const { candidates, fallback } = on;
  // one server on the address: server_name cannot choose another
  if (host === undefined || host === '' || candidates.length === 1) return fallback;
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
      if (n.startsWith('~') && serverNameRegex(n).test(name)) return s;
    }
  }
  return fallback;
}
