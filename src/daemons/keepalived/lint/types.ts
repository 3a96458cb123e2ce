import type { KeepalivedConfig, SourceRef } from '../config';

/** One host's parsed keepalived.conf, and what the scenario knows about its network. */
export interface LintHost {
  readonly host: string;
  readonly config: KeepalivedConfig;
  /** The LAN an interface is attached to; without it, same-named interfaces are taken to share a LAN. */
  readonly lanOf?: (iface: string) => string | undefined;
  /** The primary IPv4 address of an interface (keepalived's source address and tie-breaker). */
  readonly ipOf?: (iface: string) => string | undefined;
}

/** What the scenario can tell about the world outside the configs; every member is optional. */
export interface LintContext {
  /** The bytes `GET path` returns from ip:port, or undefined when nothing is served there (404). */
  readonly servedFile?: (ip: string, port: number, path: string) => Uint8Array | undefined;
  /** The default gateway of the host owning `ip` (a real server), or undefined when unknown. */
  readonly gatewayOf?: (ip: string) => string | undefined;
}

export type LintSeverity = 'error' | 'warning' | 'info';

export interface LintFinding {
  /** Stable identifier, e.g. `vrid-auth-mismatch`, `weight-no-failover`. */
  readonly code: string;
  readonly severity: LintSeverity;
  /** Hosts involved, in the order given. */
  readonly hosts: readonly string[];
  /** Where in which host's config the finding points. */
  readonly at?: { readonly host: string; readonly ref: SourceRef };
  /** What is wrong, one sentence. */
  readonly message: string;
  /** Why it matters: what keepalived will do. */
  readonly why: string;
  /** What to change. */
  readonly fix: string;
}
