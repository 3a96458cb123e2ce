import { formatIpv4, type Ipv4 } from '../../net/addr';
import type { Micros } from '../../sim/time';
import type { TcpStack } from './stack';
import type { TcpConnection } from './table';

/**
 * A connection in TIME_WAIT as Linux keeps it (struct inet_timewait_sock): the 4-tuple and the sequence
 * numbers it needs to answer a retransmitted FIN, nothing else. The full socket goes once its
 * application has heard the close; a busy server holds tens of thousands of these for 60 s, and a full
 * control block each would be most of the memory a simulation keeps.
 */
export class TimeWaitSocket {
  state: 'TIME_WAIT' | 'CLOSED' = 'TIME_WAIT';
  /** When the wait ends (./expiry). */
  expiry: Micros = 0;
  expiryPlace = -1;
  /** Next socket in the same demultiplexing bucket. */
  bucketNext: TcpConnection | undefined = undefined;

  constructor(
    readonly stack: TcpStack,
    readonly localIp: Ipv4,
    readonly localPort: number,
    readonly remoteIp: Ipv4,
    readonly remotePort: number,
    /** What our ACKs carry: the peer's FIN acknowledged, and our own FIN's successor. */
    readonly rcvNxt: number,
    readonly sndNxt: number,
  ) {}

  toString(): string {
    return `${formatIpv4(this.localIp)}:${this.localPort} → ${formatIpv4(this.remoteIp)}:${this.remotePort} ${this.state}`;
  }
}
