import { TCP_RETRIES2, TCP_RTO_MAX, TCP_RTO_MIN, TCP_SYN_RETRIES, TCP_SYNACK_RETRIES } from './params';
import type { Micros } from '../../sim/time';
import type { TcpSocket } from './socket';

/**
 * Retransmission timing: the RFC 6298 estimator with Linux's floor (the variance term is at least
 * TCP_RTO_MIN, so a LAN connection's RTO is about 200 ms + SRTT), exponential back-off capped at
 * TCP_RTO_MAX, and Linux's give-up rules: SYN and SYN-ACK after tcp_syn_retries / tcp_synack_retries
 * retransmissions, data after the time tcp_retries2 back-offs from TCP_RTO_MIN would take (924.6 s).
 */

/** Feeds one RTT sample (µs) into SRTT/RTTVAR and recomputes the RTO. */
export function rttSample(s: TcpSocket, r: Micros): void {
  if (s.srtt === 0) {
    s.srtt = r;
    s.rttvar = r / 2;
  } else {
    s.rttvar = 0.75 * s.rttvar + 0.25 * Math.abs(s.srtt - r);
    s.srtt = 0.875 * s.srtt + 0.125 * r;
  }
  s.rto = Math.min(TCP_RTO_MAX, Math.round(s.srtt + Math.max(4 * s.rttvar, TCP_RTO_MIN)));
}

/** The current timeout: the RTO doubled once per consecutive expiry (never above TCP_RTO_MAX, nor is the RTO). */
export function currentRto(s: TcpSocket): Micros {
  return s.retransmits === 0 ? s.rto : Math.min(TCP_RTO_MAX, s.rto * 2 ** s.retransmits);
}

/**
 * How long retransmissions may go on before giving up (Linux's retransmits_timed_out): the sum of
 * `boundary` back-offs from `base`, doubling up to TCP_RTO_MAX, then linear.
 */
export function retransmitsTimeout(boundary: number, base: Micros): Micros {
  const linear = Math.floor(Math.log2(TCP_RTO_MAX / base));
  if (boundary <= linear) return (2 ** (boundary + 1) - 1) * base;
  return (2 ** (linear + 1) - 1) * base + (boundary - linear) * TCP_RTO_MAX;
}

const DATA_GIVE_UP = retransmitsTimeout(TCP_RETRIES2, TCP_RTO_MIN);

/** (Re)starts the retransmission timer for the current timeout. */
export function armRetransmit(s: TcpSocket): void {
  const sim = s.stack.env.sim;
  const due = sim.now + s.stack.trueDelay(currentRto(s));
  s.rtxDeadline = due;
  const t = s.rtxTimer;
  if (t !== undefined && t.time <= due) return; // fires early and re-arms itself: no heap surgery per ACK
  s.rtxTimer = sim.reschedule(t, due, onRetransmitTimer, s);
}

/**
 * Nothing is outstanding. The timer stays in the queue: the next arming of this connection most likely
 * reuses it (request, response, close: one timer per connection instead of one per flight).
 */
export function stopRetransmit(s: TcpSocket): void {
  s.rtxDeadline = 0;
}

/** The connection is over: the timer goes. */
export function cancelRetransmit(s: TcpSocket): void {
  s.rtxDeadline = 0;
  if (s.rtxTimer !== undefined) s.stack.env.sim.cancel(s.rtxTimer);
  s.rtxTimer = undefined;
}

function onRetransmitTimer(s: TcpSocket): void {
  const ran = s.rtxTimer;
  s.rtxTimer = undefined;
  if (s.rtxDeadline === 0) return;
  const sim = s.stack.env.sim;
  if (sim.now < s.rtxDeadline) {
    s.rtxTimer = sim.reschedule(ran, s.rtxDeadline, onRetransmitTimer, s);
    return;
  }
  s.stack.retransmitTimeout(s);
}

/** Has this connection retransmitted long enough to give up (tcp_write_timeout)? */
export function gaveUp(s: TcpSocket, now: Micros): boolean {
  if (s.state === 'SYN_SENT') return s.retransmits >= TCP_SYN_RETRIES;
  if (s.state === 'SYN_RECV') return s.retransmits >= TCP_SYNACK_RETRIES;
  return s.retransStamp >= 0 && now - s.retransStamp >= DATA_GIVE_UP;
}
