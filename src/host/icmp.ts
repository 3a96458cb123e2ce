import { isMulticast, type Ipv4 } from '../net/addr';
import { ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, IPPROTO_ICMP, type IcmpMessage, type Ipv4Packet } from '../net/packets';
import type { IpStack } from './ip';

/** Echo replies (what `ping` relies on) and a dispatcher of echo replies to waiting pingers. */
export class Icmp {
  private readonly waiters = new Map<number, (from: Ipv4, msg: IcmpMessage, ttl: number) => void>();
  private nextId = 0x1000;

  constructor(
    private readonly ip: IpStack,
    /** net.ipv4.icmp_echo_ignore_broadcasts (default 1): no answers to broadcast or multicast pings. */
    private readonly ignoreBroadcasts: () => boolean,
    private readonly isLocal: (ip: Ipv4) => boolean,
  ) {
    ip.register(IPPROTO_ICMP, (pkt) => this.receive(pkt));
  }

  private receive(pkt: Ipv4Packet): void {
    const msg = pkt.payload as IcmpMessage;
    if (msg.type === ICMP_ECHO_REQUEST) {
      const toGroup = !this.isLocal(pkt.dst);
      if (toGroup && (this.ignoreBroadcasts() || !isMulticast(pkt.dst))) return;
      this.ip.send({
        dst: pkt.src,
        ...(!toGroup && { src: pkt.dst }),
        payload: { kind: 'icmp', type: ICMP_ECHO_REPLY, code: 0, id: msg.id, seq: msg.seq, data: msg.data },
      });
    } else if (msg.type === ICMP_ECHO_REPLY) {
      this.waiters.get(msg.id)?.(pkt.src, msg, pkt.ttl);
    }
  }

  /** Registers a pinger; returns its identifier and the function that unregisters it. */
  openEcho(onReply: (from: Ipv4, msg: IcmpMessage, ttl: number) => void): { id: number; close: () => void } {
    const id = this.nextId++ & 0xffff;
    this.waiters.set(id, onReply);
    return { id, close: () => this.waiters.delete(id) };
  }
}
