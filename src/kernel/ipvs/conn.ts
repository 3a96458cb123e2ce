import type { Micros, Timer } from '../../sim';
import type { Dest, FwdMethod } from './dest';
import type { TcpState } from './tcp-state';

/** A template's states (ip_vs_ctpl_state_name_table): ASSURED once a controlled connection got established. */
export type TemplateState = 'NONE' | 'ASSURED';

/**
 * One IPVS connection entry (struct ip_vs_conn), or a persistence template (`template`: cport 0, the
 * client address masked with the service netmask; protocol 'IP' for fwmark services, vaddr = the mark).
 */
export interface Conn {
  readonly protocol: 'TCP' | 'UDP' | 'IP';
  readonly caddr: string;
  cport: number;
  readonly vaddr: string;
  vport: number;
  readonly daddr: string;
  dport: number;
  readonly fwmark: number;
  readonly template: boolean;
  /** TCP state; UDP entries stay 'UDP'; templates use TemplateState. */
  state: TcpState | 'UDP' | TemplateState;
  fwd: FwdMethod;
  /** Counted in InActConn (IP_VS_CONN_F_INACTIVE). */
  inactive: boolean;
  /** Replies bypass the director (DR/TUN/local) until a reply is seen: input-only state table. */
  noOutput: boolean;
  readonly onePacket: boolean;
  /** Timeout of the current state: every handled packet re-arms the timer to now + timeout. */
  timeout: Micros;
  expires: Micros;
  dest: Dest | undefined;
  /** The template this connection was created under. */
  control: Conn | undefined;
  /** How many connections a template controls (n_control). */
  nControl: number;
  /** Client packets handled (in_pkts): the sync daemon's packet threshold counts them. */
  inPkts: number;
  /** Created by the backup sync daemon from a master's message (IP_VS_CONN_F_SYNC). */
  synced: boolean;
  /** @internal the pending expiry timer */
  timer: Timer | undefined;
  /** @internal creation order, for a stable listing */
  readonly seq: number;
}
