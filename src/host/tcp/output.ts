import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, type TcpSegment } from '../../net/packets';
import type { Ipv4 } from '../../net/addr';
import type { IpStack, SendErrorListener } from '../ip';
import { TCP_WINDOW } from './params';
import { seqAdd, seqDiff, seqGt, wire } from './seq';
import { NO_CHUNKS, type TcpSocket } from './socket';
import type { TimeWaitSocket } from './time-wait';
import { armRetransmit } from './timers';

/**
 * What leaves a connection: segmentation of the queued bytes by MSS within the peer's window, the FIN after
 * the last byte, SYN and SYN-ACK with the MSS option, bare ACKs, and RSTs. There is no congestion control:
 * a connection sends as much as the peer's window allows at once (the LANs have latency but no bandwidth,
 * so a congestion window would only add round trips that nothing real would show).
 */
export const EMPTY = new Uint8Array(0);

function send(
  s: TcpSocket | TimeWaitSocket,
  flags: number,
  seq: number,
  data: Uint8Array,
  mss: number | undefined,
  onError: SendErrorListener | undefined,
): void {
  // The local address was removed (a VIP that moved away): Linux's route lookup refuses a source that is
  // not local, so the connection's segments no longer leave; it retransmits into the void until it gives up.
  if (!s.stack.env.addresses.isLocal(s.localIp)) return;
  const seg: TcpSegment =
    mss === undefined
      ? { kind: 'tcp', srcPort: s.localPort, dstPort: s.remotePort, seq: wire(seq), ack: flags & TCP_ACK ? wire(s.rcvNxt) : 0, flags, window: TCP_WINDOW, data }
      : { kind: 'tcp', srcPort: s.localPort, dstPort: s.remotePort, seq: wire(seq), ack: flags & TCP_ACK ? wire(s.rcvNxt) : 0, flags, window: TCP_WINDOW, mss, data };
  s.stack.ip.sendSegment(s.localIp, s.remoteIp, seg, onError);
}

/** SYN (active open) or SYN-ACK (passive open), first sending or retransmission. */
export function sendSyn(s: TcpSocket): void {
  send(s, s.state === 'SYN_SENT' ? TCP_SYN : TCP_SYN | TCP_ACK, s.iss, EMPTY, s.advMss, s.sendError);
  s.sndNxt = s.sndMax = seqAdd(s.iss, 1);
  armRetransmit(s);
}

export function sendAck(s: TcpSocket): void {
  s.ackPending = false;
  send(s, TCP_ACK, s.sndNxt, EMPTY, undefined, s.sendError);
}

/** The ACK a connection in TIME_WAIT answers a retransmitted FIN (or stray data) with. */
export function sendTimeWaitAck(tw: TimeWaitSocket): void {
  send(tw, TCP_ACK, tw.sndNxt, EMPTY, undefined, undefined); // a TIME_WAIT connection reports nothing to anyone
}

/** The abort of a synchronized connection (tcp_send_active_reset). */
export function sendActiveReset(s: TcpSocket): void {
  send(s, TCP_RST | TCP_ACK, s.sndNxt, EMPTY, undefined, s.sendError);
}

/**
 * The RST answering a segment that has no connection (RFC 9293 §3.10.7.1): if the segment carries an ACK
 * the RST takes its sequence number from it; otherwise it acknowledges the segment (a SYN to a closed port
 * gets RST+ACK).
 */
export function sendReset(ip: IpStack, local: Ipv4, remote: Ipv4, seg: TcpSegment): void {
  if (seg.flags & TCP_RST) return;
  const hasAck = (seg.flags & TCP_ACK) !== 0;
  const len = seg.data.length + (seg.flags & TCP_SYN ? 1 : 0) + (seg.flags & TCP_FIN ? 1 : 0);
  const payload: TcpSegment = {
    kind: 'tcp',
    srcPort: seg.dstPort,
    dstPort: seg.srcPort,
    seq: hasAck ? seg.ack : 0,
    ack: hasAck ? 0 : wire(seqAdd(seg.seq, len)),
    flags: hasAck ? TCP_RST : TCP_RST | TCP_ACK,
    window: 0,
    data: EMPTY,
  };
  ip.sendSegment(local, remote, payload, undefined);
}

/** Bytes [offset, offset + len) of the send queue, counted from sndUna; no copy when one chunk holds them. */
function slice(s: TcpSocket, offset: number, len: number): Uint8Array {
  const chunks = s.chunks;
  let i = s.head;
  let off = s.headOffset + offset;
  while (off >= chunks[i]!.length) off -= chunks[i++]!.length;
  const c = chunks[i]!;
  if (off === 0 && len === c.length) return c;
  if (off + len <= c.length) return c.subarray(off, off + len);
  const out = new Uint8Array(len);
  for (let filled = 0; filled < len; i++, off = 0) {
    const piece = chunks[i]!;
    const n = Math.min(piece.length - off, len - filled);
    out.set(piece.subarray(off, off + n), filled);
    filled += n;
  }
  return out;
}

/** Drops acknowledged bytes from the head of the send queue. */
export function consume(s: TcpSocket, n: number): void {
  if (n === 0) return;
  s.queued -= n;
  const chunks = s.chunks;
  let off = s.headOffset + n;
  while (s.head < chunks.length && off >= chunks[s.head]!.length) {
    off -= chunks[s.head]!.length;
    chunks[s.head++] = EMPTY;
  }
  s.headOffset = off;
  if (s.head === chunks.length) {
    s.chunks = NO_CHUNKS;
    s.head = 0;
  } else if (s.head >= 64) {
    chunks.splice(0, s.head);
    s.head = 0;
  }
}

/** May this state carry our data (and FIN)? */
function sending(s: TcpSocket): boolean {
  const st = s.state;
  return st === 'ESTABLISHED' || st === 'CLOSE_WAIT' || st === 'FIN_WAIT1' || st === 'CLOSING' || st === 'LAST_ACK';
}

/**
 * Sends what the connection owes: new data from sndNxt within the window (at most `limit` segments), the
 * FIN once every byte went out, else a bare ACK if one is pending. Every segment carries the ACK.
 */
export function output(s: TcpSocket, limit = Infinity): void {
  let sent = 0;
  if (sending(s)) {
    const finSeq = seqAdd(s.sndUna, s.queued);
    for (;;) {
      if (sent >= limit) break;
      const offset = seqDiff(s.sndNxt, s.sndUna);
      const unsent = s.queued - offset;
      const room = s.sndWnd - offset;
      const finDue = s.finQueued && s.sndNxt === finSeq;
      if (unsent <= 0 && !finDue) break;
      if (unsent > 0 && room <= 0) break;
      const len = unsent > 0 ? Math.min(unsent, s.sndMss, room) : 0;
      const last = len === unsent;
      const fin = last && s.finQueued;
      const data = len > 0 ? slice(s, offset, len) : EMPTY;
      const seq = s.sndNxt;
      send(s, TCP_ACK | (last && len > 0 ? TCP_PSH : 0) | (fin ? TCP_FIN : 0), seq, data, undefined, s.sendError);
      s.sndNxt = seqAdd(seq, len + (fin ? 1 : 0));
      if (seqGt(s.sndNxt, s.sndMax)) {
        s.sndMax = s.sndNxt;
        // Time one segment at a time, never a retransmitted one (Karn).
        if (!s.rttTimed) {
          s.rttTimed = true;
          s.rttSeq = s.sndNxt;
          s.rttTime = s.stack.env.sim.now;
        }
      }
      if (s.rtxDeadline === 0) armRetransmit(s);
      sent++;
      if (fin) break;
    }
  }
  if (sent > 0) s.ackPending = false;
  else if (s.ackPending) sendAck(s);
}
