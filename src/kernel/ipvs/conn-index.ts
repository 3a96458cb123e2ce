import type { Conn } from './conn';


/**
 * One hash of the connection table: entries by (protocol, address, port, address, port), one entry per
 * key (the newest hashed wins, as the kernel's hlist_add_head makes a lookup find it). Keys are numbers,
 * not strings, so a packet's lookup builds nothing: addresses get small ids once (a cluster has few), the
 * address pair and protocol pick a per-pair map, the two ports the entry in it.
 */
export class ConnIndex {
  private readonly ids = new Map<string, number>();
  private readonly pairs = new Map<number, Map<number, Conn>>();

  get(protocol: string, a: string, aPort: number, b: string, bPort: number): Conn | undefined {
    const ia = this.ids.get(a);
    const ib = this.ids.get(b);
    if (ia === undefined || ib === undefined || protocolId(protocol) < 0) return undefined;
    return this.pairs.get(pairKey(protocol, ia, ib))?.get(portKey(aPort, bPort));
  }

  set(protocol: Conn['protocol'], a: string, aPort: number, b: string, bPort: number, cp: Conn): void {
    const k = pairKey(protocol, this.id(a), this.id(b));
    let ports = this.pairs.get(k);
    if (ports === undefined) this.pairs.set(k, (ports = new Map()));
    ports.set(portKey(aPort, bPort), cp);
  }

  /** Removes the entry of the key if it is `cp` (a newer entry under the same key stays). */
  delete(protocol: Conn['protocol'], a: string, aPort: number, b: string, bPort: number, cp: Conn): void {
    const ia = this.ids.get(a);
    const ib = this.ids.get(b);
    if (ia === undefined || ib === undefined) return;
    const ports = this.pairs.get(pairKey(protocol, ia, ib));
    const pk = portKey(aPort, bPort);
    if (ports?.get(pk) === cp) ports.delete(pk);
  }

  private id(addr: string): number {
    let id = this.ids.get(addr);
    if (id === undefined) this.ids.set(addr, (id = this.ids.size));
    return id;
  }
}

function protocolId(protocol: string): number {
  return protocol === 'TCP' ? 0 : protocol === 'UDP' ? 1 : protocol === 'IP' ? 2 : -1;
}

/** Below 2^53 for up to 2^24 distinct addresses. */
function pairKey(protocol: string, ia: number, ib: number): number {
  return (ia * 0x100_0000 + ib) * 4 + protocolId(protocol);
}

function portKey(aPort: number, bPort: number): number {
  return aPort * 0x1_0000 + bPort;
}
