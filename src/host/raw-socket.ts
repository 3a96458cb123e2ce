import type { Ipv4 } from '../net/addr';
import type { IpPayload, Ipv4Packet } from '../net/packets';
import type { IpStack, SendError } from './ip';
import type { Nic } from './nic';

/**
 * A raw IP socket for one protocol (keepalived's VRRP socket: protocol 112), optionally bound to an
 * interface, with multicast group membership on that interface. Every raw socket of the protocol gets
 * its own copy of each matching packet, as in Linux.
 */
export class RawSocket {
  private unregister: () => void;
  private readonly groups: Ipv4[] = [];
  onPacket: ((pkt: Ipv4Packet, dev: Nic) => void) | undefined;
  closed = false;

  constructor(
    private readonly ip: IpStack,
    private readonly nicOf: (name: string) => Nic | undefined,
    readonly protocol: number,
    readonly boundDev: string | undefined,
  ) {
    this.unregister = ip.register(protocol, (pkt, dev) => {
      if (this.boundDev !== undefined && dev.name !== this.boundDev) return;
      this.onPacket?.(pkt, dev);
    });
  }

  joinGroup(group: Ipv4): void {
    const nic = this.boundDev !== undefined ? this.nicOf(this.boundDev) : undefined;
    nic?.joinGroup(group);
    this.groups.push(group);
  }

  send(
    opts: { src?: Ipv4; dst: Ipv4; payload: IpPayload; ttl?: number; tos?: number; df?: boolean; id?: number },
    onError?: (e: SendError) => void,
  ): void {
    if (this.closed) return;
    this.ip.send(opts, onError, this.boundDev);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unregister();
    const nic = this.boundDev !== undefined ? this.nicOf(this.boundDev) : undefined;
    for (const g of this.groups) nic?.leaveGroup(g);
    this.unregister = () => {};
  }
}
