import { BROADCAST_MAC, isMulticastMac, multicastMac, type Ipv4, type Mac } from '../net/addr';
import type { FrameReceiver, LanPort } from '../net/lan';
import type { EthernetFrame } from '../net/packets';
import type { NeighbourTable } from './neighbour';

/** What a NIC hands received frames to and reports carrier changes to: its host. */
export interface NicOwner {
  frameIn(nic: Nic, frame: EthernetFrame): void;
  carrierChanged(nic: Nic, up: boolean): void;
}

/**
 * A network interface: a MAC, a cable into a LAN port (none for `lo`), admin state (`ip link set up`),
 * carrier (the cable), and the multicast groups joined on it (the hardware filter).
 */
export class Nic implements FrameReceiver {
  port: LanPort | undefined;
  adminUp = true;
  carrier = true;
  /** Multicast MAC → number of joins (IP_ADD_MEMBERSHIP reference counts). */
  private readonly mcast = new Map<Mac, number>();
  neighbours!: NeighbourTable;
  readonly index: number;
  /** `lo`: asked on every packet's way, hence a field rather than a name comparison. */
  readonly isLoopback: boolean;

  constructor(
    private readonly owner: NicOwner,
    readonly name: string,
    readonly mac: Mac,
    index: number,
  ) {
    this.index = index;
    this.isLoopback = name === 'lo';
  }

  /** Up and with carrier: can send and receive. */
  get running(): boolean {
    return this.adminUp && (this.isLoopback || (this.carrier && this.port !== undefined));
  }

  joinGroup(group: Ipv4): void {
    const mac = multicastMac(group);
    this.mcast.set(mac, (this.mcast.get(mac) ?? 0) + 1);
  }

  leaveGroup(group: Ipv4): void {
    const mac = multicastMac(group);
    const n = (this.mcast.get(mac) ?? 0) - 1;
    if (n <= 0) this.mcast.delete(mac);
    else this.mcast.set(mac, n);
  }

  transmit(frame: EthernetFrame): void {
    if (this.running && this.port) this.port.send(frame);
  }

  receiveFrame(frame: EthernetFrame): void {
    if (!this.adminUp) return;
    const dst = frame.dst;
    if (dst !== this.mac && dst !== BROADCAST_MAC && !(isMulticastMac(dst) && this.mcast.has(dst))) return;
    this.owner.frameIn(this, frame);
  }

  carrierChanged(up: boolean): void {
    this.carrier = up;
    this.owner.carrierChanged(this, up);
  }
}
