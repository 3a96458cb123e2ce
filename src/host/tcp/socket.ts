import { formatIpv4, type Ipv4 } from '../../net/addr';
import type { Timer } from '../../sim/simulator';
import type { Micros } from '../../sim/time';
import type { SendError, SendErrorListener } from '../ip';
import type { Nic } from '../nic';
import type { TcpListener } from './listen';
import { TCP_RTO_INITIAL } from './params';
import type { TcpStack } from './stack';

/** The send queue of every socket with nothing queued (see TcpSocket.chunks). */
export const NO_CHUNKS: Uint8Array[] = [];

export type TcpState =
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'ESTABLISHED'
  | 'FIN_WAIT1'
  | 'FIN_WAIT2'
  | 'CLOSE_WAIT'
  | 'CLOSING'
  | 'LAST_ACK'
  | 'TIME_WAIT'
  | 'CLOSED';

/** What a socket call fails with, as errno names (curl and nginx print their strerror). */
export type TcpError = 'ECONNREFUSED' | 'ETIMEDOUT' | 'ECONNRESET' | 'EHOSTUNREACH' | 'ENETUNREACH' | 'EADDRNOTAVAIL';

/**
 * The application's side of a connection. One object can serve many sockets (every callback gets the
 * socket), so a busy server or load generator needs no closure per connection. Each connection ends with
 * exactly one `onClose` (orderly: both FINs exchanged) or one `onError`, unless the application itself
 * called `close()` or `destroy()`, after which it hears nothing more.
 */
export interface TcpHandler {
  /** The three-way handshake completed (active open). */
  onConnect?(sock: TcpSocket): void;
  /** In-order bytes from the peer. The array is the segment's: copy it to keep it beyond the call. */
  onData?(sock: TcpSocket, data: Uint8Array): void;
  /** The peer's FIN: it sends nothing more (the socket can still write until `end()`). */
  onEnd?(sock: TcpSocket): void;
  /** Both sides closed in order. */
  onClose?(sock: TcpSocket): void;
  /** The connection failed or was aborted: refused, reset, timed out, unreachable. */
  onError?(sock: TcpSocket, err: TcpError): void;
}

/**
 * One connection: the socket the application holds and the kernel's control block in one object (Linux's
 * struct tcp_sock), so a segment costs one table look-up and no allocation besides the segment itself.
 * Sequence numbers are signed 32-bit integers (./seq).
 */
export class TcpSocket implements SendErrorListener {
  state: TcpState;
  handler: TcpHandler | undefined;
  /** Free for the application (the HTTP exchange or nginx request the socket belongs to). */
  context: unknown = undefined;
  /** close()d by the application: no more callbacks, data arriving is answered by RST. */
  orphan = false;

  // send sequence space
  iss = 0;
  sndUna = 0;
  sndNxt = 0;
  /** Highest sequence number sent + 1 (sndNxt goes back on a retransmission timeout). */
  sndMax = 0;
  sndWnd = 0;
  /** MSS for what we send: the smaller of ours and the peer's option. */
  sndMss: number;
  /** The MSS option we put on our SYN or SYN-ACK (from the outgoing interface's MTU). */
  readonly advMss: number;
  /**
   * Bytes written and not yet acknowledged, from sndUna on: chunks[head] minus headOffset, then the rest.
   * Empty, it is the shared NO_CHUNKS (never written to): most sockets queue one or two writes in their
   * life, and an array of their own from the start would be a third of what a connection allocates.
   */
  chunks: Uint8Array[] = NO_CHUNKS;
  head = 0;
  headOffset = 0;
  queued = 0;
  /** end() was called: a FIN follows the queued data. */
  finQueued = false;

  // receive sequence space (the peer's SYN is rcvNxt − 1 until the handshake completes)
  rcvNxt = 0;
  /** An ACK is owed; the flush at the end of this instant sends it (piggybacked on data if any). */
  ackPending = false;
  flushScheduled = false;

  // retransmission (RFC 6298)
  srtt = 0;
  rttvar = 0;
  rto: Micros = TCP_RTO_INITIAL;
  /** Consecutive timeouts without forward progress (icsk_retransmits). */
  retransmits = 0;
  /** When the oldest unacknowledged segment was first sent, for tcp_retries2 (retrans_stamp). */
  retransStamp = -1;
  rtxTimer: Timer | undefined = undefined;
  /** The retransmission deadline; the timer is re-armed lazily when it fires early. */
  rtxDeadline = 0;
  /** A segment is being timed for an RTT sample: the one ending at rttSeq (Karn: never a retransmitted one). */
  rttTimed = false;
  rttSeq = 0;
  rttTime = 0;
  /** The connect timeout set by the application. */
  stateTimer: Timer | undefined = undefined;
  /** When TIME_WAIT or the FIN_WAIT2 limit of a closed socket ends (./expiry). */
  expiry: Micros = 0;
  /** Its place in that queue, -1 when not waiting (./expiry). */
  expiryPlace = -1;
  /** An ICMP-style error seen while established: what a give-up reports instead of ETIMEDOUT. */
  softError: TcpError | undefined = undefined;

  /** Where segments go: the interface and next hop whose neighbour entry forward progress confirms. */
  dev: Nic | undefined = undefined;
  nextHop: Ipv4 = 0;
  /**
   * Where the IP layer reports that a segment could not leave: the socket itself, for active opens only,
   * where an unreachable peer is what the application must hear.
   */
  sendError: SendErrorListener | undefined = undefined;
  /** Next socket in the same demultiplexing bucket. */
  bucketNext: TcpSocket | undefined = undefined;
  /** The listener that accepted this connection (passive open). */
  listener: TcpListener | undefined = undefined;

  constructor(
    readonly stack: TcpStack,
    readonly localIp: Ipv4,
    readonly localPort: number,
    readonly remoteIp: Ipv4,
    readonly remotePort: number,
    state: TcpState,
    mss: number,
  ) {
    this.state = state;
    this.sndMss = this.advMss = mss;
  }

  /** @internal a segment of this (connecting or connected) socket could not leave: ./stack decides. */
  ipSendFailed(e: SendError): void {
    this.stack.sendFailed(this, e);
  }

  /** Queues bytes for sending (the array is kept until acknowledged: do not modify it afterwards). */
  write(data: Uint8Array | string): void {
    this.stack.write(this, data);
  }

  /** shutdown(SHUT_WR): a FIN after the queued data; the socket still receives. */
  end(): void {
    this.stack.end(this);
  }

  /** close(): a FIN after the queued data, and the application hears nothing more. */
  close(): void {
    this.stack.close(this);
  }

  /** Abort: RST to the peer (once synchronized), the connection is gone at once. */
  destroy(): void {
    this.stack.destroy(this);
  }

  toString(): string {
    return `${formatIpv4(this.localIp)}:${this.localPort} → ${formatIpv4(this.remoteIp)}:${this.remotePort} ${this.state}`;
  }
}

