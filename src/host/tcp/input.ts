import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type Ipv4Packet, type TcpSegment } from '../../net/packets';
import { TCP_MSS_DEFAULT, TCP_WINDOW } from './params';
import { consume, sendAck, sendReset, sendSyn, sendTimeWaitAck } from './output';
import { seqAdd, seqDiff, seqGt, seqLeq, seqLt } from './seq';
import type { TcpSocket } from './socket';
import type { TcpStack } from './stack';
import { TimeWaitSocket } from './time-wait';
import { armRetransmit, rttSample, stopRetransmit } from './timers';

/**
 * Segment arrival (RFC 9293 §3.10.7, as Linux does it): demultiplex to a connection, a listener, or answer
 * with an RST; then the state machine of the connection. Out-of-order segments are not queued: they are
 * answered with a duplicate ACK and the sender's retransmission fills the gap (go-back-N).
 */
export function tcpInput(stack: TcpStack, pkt: Ipv4Packet): void {
  const seg = pkt.payload as TcpSegment;
  const s = stack.connections.find(pkt.dst, seg.dstPort, pkt.src, seg.srcPort);
  if (s === undefined) return noConnection(stack, pkt, seg);
  if (s instanceof TimeWaitSocket) return timeWait(stack, s, pkt, seg);
  if (s.state === 'SYN_SENT') return synSent(s, seg);
  synchronized(s, seg);
}

function noConnection(stack: TcpStack, pkt: Ipv4Packet, seg: TcpSegment): void {
  if ((seg.flags & (TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN)) === TCP_SYN) {
    const l = stack.listeners.lookup(pkt.dst, seg.dstPort);
    if (l !== undefined) return stack.passiveOpen(l, pkt, seg);
  }
  sendReset(stack.ip, pkt.dst, pkt.src, seg);
}

function synSent(s: TcpSocket, seg: TcpSegment): void {
  const f = seg.flags;
  const stack = s.stack;
  const ack = seg.ack | 0;
  if (f & TCP_ACK && ack !== s.sndNxt) {
    sendReset(stack.ip, s.localIp, s.remoteIp, seg);
    return;
  }
  if (f & TCP_RST) {
    if (f & TCP_ACK) stack.fail(s, 'ECONNREFUSED');
    return;
  }
  // A SYN without ACK would be a simultaneous open, which needs two applications connecting to each
  // other's ephemeral ports: nothing here does that.
  if ((f & (TCP_SYN | TCP_ACK)) !== (TCP_SYN | TCP_ACK)) return;
  s.rcvNxt = seqAdd(seg.seq, 1);
  s.sndUna = ack;
  s.sndWnd = seg.window;
  s.sndMss = Math.min(s.advMss, seg.mss ?? TCP_MSS_DEFAULT);
  if (s.retransmits === 0) rttSample(s, stack.env.sim.now - s.rttTime);
  s.rttTimed = false;
  s.retransmits = 0;
  stopRetransmit(s);
  stack.clearStateTimer(s);
  s.state = 'ESTABLISHED';
  stack.confirmNeighbour(s);
  // Linux acknowledges the SYN-ACK at once (the application is waiting in connect(), not writing).
  sendAck(s);
  if (s.finQueued) s.state = 'FIN_WAIT1';
  if (!s.orphan) s.handler?.onConnect?.(s);
  if (!gone(s)) stack.scheduleFlush(s);
}

function timeWait(stack: TcpStack, s: TimeWaitSocket, pkt: Ipv4Packet, seg: TcpSegment): void {
  const f = seg.flags;
  // RFC 1337 is off by default (tcp_rfc1337 = 0): an RST at the expected sequence ends TIME_WAIT early.
  if (f & TCP_RST) {
    if ((seg.seq | 0) === s.rcvNxt) stack.forget(s);
    return;
  }
  if ((f & (TCP_SYN | TCP_ACK)) === TCP_SYN) {
    // A new incarnation may reuse the pair if its SYN lies beyond what the old one used.
    if (seqGt(seg.seq, s.rcvNxt)) {
      stack.forget(s);
      return noConnection(stack, pkt, seg);
    }
    return sendTimeWaitAck(s);
  }
  if (f & TCP_FIN || seg.data.length > 0) {
    // The peer did not hear our last ACK: say it again and wait the full 2MSL from now.
    sendTimeWaitAck(s);
    if (f & TCP_FIN) stack.restartTimeWait(s);
  }
}

/** Does the segment overlap the receive window (RFC 9293 §3.10.7.4 acceptability test)? */
function acceptable(s: TcpSocket, seq: number, segLen: number): boolean {
  const start = seqDiff(seq, s.rcvNxt);
  if (segLen === 0) return start >= 0 && start < TCP_WINDOW;
  const end = start + segLen - 1;
  return (start >= 0 && start < TCP_WINDOW) || (end >= 0 && end < TCP_WINDOW);
}

function synchronized(s: TcpSocket, seg: TcpSegment): void {
  const stack = s.stack;
  const f = seg.flags;
  let data = seg.data;
  let seq = seg.seq | 0;
  if (s.state === 'SYN_RECV' && f & TCP_SYN && !(f & TCP_ACK) && seqAdd(seq, 1) === s.rcvNxt) {
    // The client's SYN again: our SYN-ACK was lost.
    sendSyn(s);
    return;
  }
  const segLen = data.length + (f & TCP_FIN ? 1 : 0) + (f & TCP_SYN ? 1 : 0);
  if (!acceptable(s, seq, segLen)) {
    if (!(f & TCP_RST)) sendAck(s);
    return;
  }
  if (f & TCP_RST) {
    // RFC 5961: only an RST exactly at rcvNxt resets; another one in the window draws a challenge ACK.
    if (seq !== s.rcvNxt) return sendAck(s);
    if (s.state === 'SYN_RECV') return stack.forget(s);
    return stack.fail(s, 'ECONNRESET');
  }
  if (f & TCP_SYN) return sendAck(s); // RFC 5961 challenge ACK
  if (!(f & TCP_ACK)) return;

  const ack = seg.ack | 0;
  if (s.state === 'SYN_RECV') {
    if (ack !== s.sndNxt) return sendReset(stack.ip, s.localIp, s.remoteIp, seg);
    if (!establishPassive(s, ack, seg)) return;
  } else if (seqGt(ack, s.sndMax)) {
    return sendAck(s); // acknowledges something never sent
  } else if (seqGt(ack, s.sndUna)) {
    if (!acked(s, ack)) return;
  }
  if (seqLeq(s.sndUna, ack)) s.sndWnd = seg.window;

  // Data, in order only.
  if (data.length > 0 && (s.state === 'ESTABLISHED' || s.state === 'FIN_WAIT1' || s.state === 'FIN_WAIT2')) {
    if (seqGt(seq, s.rcvNxt)) {
      s.ackPending = true; // out of order: a duplicate ACK asks for the gap
      stack.scheduleFlush(s);
      return;
    }
    if (seqLt(seq, s.rcvNxt)) {
      const skip = seqDiff(s.rcvNxt, seq);
      data = skip < data.length ? data.subarray(skip) : data.subarray(data.length);
      seq = s.rcvNxt;
    }
    if (data.length > 0) {
      if (s.orphan) {
        // Data for a socket its application closed: Linux aborts it (TCPAbortOnData).
        stack.abort(s);
        return;
      }
      s.rcvNxt = seqAdd(s.rcvNxt, data.length);
      s.ackPending = true;
      s.handler?.onData?.(s, data);
      if (gone(s)) return;
    }
  }
  if (f & TCP_FIN && seqAdd(seq, data.length) === s.rcvNxt && s.state !== 'CLOSE_WAIT' && s.state !== 'CLOSING' && s.state !== 'LAST_ACK') {
    s.rcvNxt = seqAdd(s.rcvNxt, 1);
    s.ackPending = true;
    peerFin(s);
    if (gone(s)) return;
  }
  stack.scheduleFlush(s);
}

/** The final ACK of a passive open: the connection joins the application. False if it was refused. */
function establishPassive(s: TcpSocket, ack: number, seg: TcpSegment): boolean {
  const stack = s.stack;
  s.sndUna = ack;
  if (s.retransmits === 0) rttSample(s, stack.env.sim.now - s.rttTime);
  s.rttTimed = false;
  s.retransmits = 0;
  stopRetransmit(s);
  const l = s.listener;
  if (l === undefined || l.closed) {
    sendReset(stack.ip, s.localIp, s.remoteIp, seg);
    stack.forget(s);
    return false;
  }
  s.state = 'ESTABLISHED';
  stack.confirmNeighbour(s);
  s.handler = l.accept(s);
  return !gone(s);
}

/** Did a callback end the connection (destroy, or a close that completed)? */
function gone(s: TcpSocket): boolean {
  return s.state === 'CLOSED' || s.state === 'TIME_WAIT';
}

/** New bytes (and maybe our FIN) acknowledged: forward progress. False if the connection ended. */
function acked(s: TcpSocket, ack: number): boolean {
  const stack = s.stack;
  const n = seqDiff(ack, s.sndUna);
  const finAcked = s.finQueued && n > s.queued;
  consume(s, finAcked ? s.queued : n);
  s.sndUna = ack;
  if (seqLt(s.sndNxt, ack)) s.sndNxt = ack;
  if (s.rttTimed && seqLeq(s.rttSeq, ack)) {
    rttSample(s, stack.env.sim.now - s.rttTime);
    s.rttTimed = false;
  }
  s.retransmits = 0;
  s.retransStamp = -1;
  s.softError = undefined;
  stack.confirmNeighbour(s);
  if (ack === s.sndMax) stopRetransmit(s);
  else armRetransmit(s);
  if (!finAcked) return true;
  switch (s.state) {
    case 'FIN_WAIT1':
      s.state = 'FIN_WAIT2';
      if (s.orphan) stack.armFinTimeout(s);
      return true;
    case 'CLOSING':
      stack.enterTimeWait(s);
      return false;
    case 'LAST_ACK':
      stack.closed(s);
      return false;
    default:
      return true;
  }
}

/** The peer's FIN, in order. */
function peerFin(s: TcpSocket): void {
  const stack = s.stack;
  switch (s.state) {
    case 'ESTABLISHED':
      s.state = 'CLOSE_WAIT';
      if (!s.orphan) s.handler?.onEnd?.(s);
      return;
    case 'FIN_WAIT1':
      s.state = 'CLOSING';
      if (!s.orphan) s.handler?.onEnd?.(s);
      return;
    case 'FIN_WAIT2':
      if (!s.orphan) s.handler?.onEnd?.(s);
      if (s.state !== 'FIN_WAIT2') return;
      sendAck(s);
      stack.enterTimeWait(s);
      return;
    default:
      return;
  }
}
