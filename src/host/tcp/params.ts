import { MS, SECOND, type Micros } from '../../sim/time';

/**
 * Linux's TCP defaults (include/net/tcp.h and /proc/sys/net/ipv4/tcp_*), the figures every connection of a
 * simulated host follows.
 */

/** Ethernet MTU 1500 − 20 (IP) − 20 (TCP): the MSS option Linux puts on SYNs sent over Ethernet. */
export const TCP_MSS_ETHERNET = 1460;
/** `lo` has an MTU of 65536. */
export const TCP_MSS_LOOPBACK = 65483;
/** RFC 9293's default when a SYN carries no MSS option. */
export const TCP_MSS_DEFAULT = 536;
/**
 * The window we advertise. Linux offers 64240 on a SYN (and scales later); without the window-scale option,
 * which our segments do not carry, a constant value keeps captures free of "window update" noise. Data is
 * handed to the application at once, so the window never shrinks.
 */
export const TCP_WINDOW = 64240;

/** TCP_TIMEOUT_INIT: the first RTO, for SYNs and before any RTT sample (RFC 6298). */
export const TCP_RTO_INITIAL: Micros = SECOND;
export const TCP_RTO_MIN: Micros = 200 * MS;
export const TCP_RTO_MAX: Micros = 120 * SECOND;
/** net.ipv4.tcp_syn_retries: SYNs at 0, 1, 3, 7, 15, 31, 63 s; the connect fails at 127 s. */
export const TCP_SYN_RETRIES = 6;
/** net.ipv4.tcp_synack_retries. */
export const TCP_SYNACK_RETRIES = 5;
/** net.ipv4.tcp_retries2: an established connection gives up after about 924.6 s of retransmissions. */
export const TCP_RETRIES2 = 15;
/** TCP_TIMEWAIT_LEN. */
export const TCP_TIMEWAIT_LEN: Micros = 60 * SECOND;
/** net.ipv4.tcp_fin_timeout: how long a closed socket may wait in FIN_WAIT2 for the peer's FIN. */
export const TCP_FIN_TIMEOUT: Micros = 60 * SECOND;
/** net.ipv4.ip_local_port_range. */
export const EPHEMERAL_LOW = 32768;
export const EPHEMERAL_HIGH = 60999;
