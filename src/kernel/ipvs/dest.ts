import { ipv4ToU32 } from './addr';
import { IpvsStats } from './stats';
import type { Service } from './service';

/**
 * ipvsadm's -m (NAT), -g (direct routing), -i (IPIP tunnel). Linux 6.1 no longer marks a dest that is a
 * local address as "Local": the transmit path delivers to the local stack when the route says so.
 */
export type FwdMethod = 'masq' | 'route' | 'tunnel';

/** What a caller (ipvsadm, keepalived's wrapper) gives for a real server: struct ip_vs_dest_user. */
export interface DestSpec {
  readonly addr: string;
  readonly port: number;
  readonly weight: number;
  readonly fwd: FwdMethod;
  readonly uThreshold?: number;
  readonly lThreshold?: number;
}

/** A real server of one service (struct ip_vs_dest). */
export class Dest {
  readonly addrN: number;
  weight = 0;
  /** Last non-zero weight: the Maglev table keeps a quiesced server's slots. */
  lastWeight = 0;
  fwd: FwdMethod = 'route';
  uThreshold = 0;
  lThreshold = 0;
  /** Linked into its service; cleared when deleted (it then waits in the trash, revivable). */
  available = true;
  overload = false;
  activeConns = 0;
  inactConns = 0;
  persistConns = 0;
  /** Connection entries (and templates) bound to this dest: the trash keeps a deleted dest while > 0. */
  refs = 0;
  readonly stats = new IpvsStats();

  constructor(
    readonly addr: string,
    readonly port: number,
    public svc: Service,
  ) {
    this.addrN = ipv4ToU32(addr);
  }

  get totalConns(): number {
    return this.activeConns + this.inactConns;
  }

  /** Active connections weigh 256 times an inactive one (ip_vs_dest_conn_overhead). */
  get overhead(): number {
    return this.activeConns * 256 + this.inactConns;
  }
}
