import { SECOND, type Micros } from '../../sim/time';

/** IPVS's own TCP states (ip_vs_proto_tcp.c), in the kernel's index order. */
export const TCP_STATES = [
  'NONE',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'SYNACK',
] as const;
export type TcpState = (typeof TCP_STATES)[number];

/** Per-state timeouts in seconds (tcp_timeouts); ESTABLISHED and FIN_WAIT are changed by `ipvsadm --set`. */
export const DEFAULT_TCP_TIMEOUTS: Readonly<Record<TcpState, number>> = {
  NONE: 2,
  ESTABLISHED: 900,
  SYN_SENT: 120,
  SYN_RECV: 60,
  FIN_WAIT: 120,
  TIME_WAIT: 120,
  CLOSE: 10,
  CLOSE_WAIT: 60,
  LAST_ACK: 30,
  LISTEN: 120,
  SYNACK: 120,
};

/** UDP's single state ("UDP" in listings) and its timeout. */
export const DEFAULT_UDP_TIMEOUT = 300;

/** States counted in ActiveConn since Linux 4.7 (tcp_state_active_table); the rest are InActConn. */
export function tcpStateActive(s: TcpState): boolean {
  return s === 'ESTABLISHED' || s === 'SYN_SENT' || s === 'SYN_RECV' || s === 'SYNACK';
}

export interface TcpFlags {
  readonly syn?: boolean;
  readonly ack?: boolean;
  readonly fin?: boolean;
  readonly rst?: boolean;
}

/** input: client→server at the director; output: server→client (NAT only); input-only: while replies bypass. */
export type TcpDirection = 'input' | 'output' | 'input-only';

type Row = readonly TcpState[];
const ES = 'ESTABLISHED',
  SS = 'SYN_SENT',
  SR = 'SYN_RECV',
  FW = 'FIN_WAIT',
  TW = 'TIME_WAIT',
  CL = 'CLOSE',
  CW = 'CLOSE_WAIT',
  LA = 'LAST_ACK',
  LI = 'LISTEN';

/**
 * Rows syn, fin, ack, rst; columns in TCP_STATES order (the default table; secure_tcp's, which also
 * reaches SYNACK, is not modelled).
 */
const TABLES: Record<TcpDirection, readonly [Row, Row, Row, Row]> = {
  input: [
    [SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR],
    [CL, CW, SS, TW, TW, TW, CL, CW, LA, LI, TW],
    [ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES],
    [CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, SR],
  ],
  output: [
    [SS, ES, SS, SR, SS, SS, SS, SS, SS, LI, SR],
    [TW, FW, SS, TW, FW, TW, CL, TW, LA, LI, TW],
    [ES, ES, SS, ES, FW, TW, CL, CW, LA, ES, ES],
    [CL, CL, SS, CL, CL, TW, CL, CL, CL, CL, CL],
  ],
  'input-only': [
    [SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR],
    [CL, FW, SS, TW, FW, TW, CL, CW, LA, LI, TW],
    [ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES],
    [CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL],
  ],
};

/** The flag that picks the row: RST over SYN over FIN over ACK; a segment with none of them → CLOSE. */
export function tcpNextState(state: TcpState, dir: TcpDirection, f: TcpFlags): TcpState {
  const rows = TABLES[dir];
  const row = f.rst ? rows[3] : f.syn ? rows[0] : f.fin ? rows[1] : f.ack ? rows[2] : undefined;
  return row ? row[TCP_STATES.indexOf(state)]! : 'CLOSE';
}

/** Timeouts in force (µs), per netns; `ipvsadm --set tcp tcpfin udp` edits three of them. */
export class ProtoTimeouts {
  readonly tcp: Record<TcpState, Micros>;
  udp: Micros;

  constructor() {
    this.tcp = { ...DEFAULT_TCP_TIMEOUTS };
    for (const s of TCP_STATES) this.tcp[s] *= SECOND;
    this.udp = DEFAULT_UDP_TIMEOUT * SECOND;
  }
}
