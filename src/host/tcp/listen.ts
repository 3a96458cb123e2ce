import { formatIpv4, type Ipv4 } from '../../net/addr';
import type { TcpHandler, TcpSocket } from './socket';

/** Called when a connection to a listener completes its handshake; returns the connection's handler. */
export type AcceptFn = (sock: TcpSocket) => TcpHandler;

export type BindError = 'EADDRINUSE' | 'EADDRNOTAVAIL';

/** A listening socket: an address (0 = INADDR_ANY) and a port. */
export class TcpListener {
  closed = false;

  constructor(
    private readonly table: ListenerTable,
    readonly address: Ipv4,
    readonly port: number,
    readonly accept: AcceptFn,
  ) {}

  /** Stops listening: new SYNs draw an RST, connections already accepted live on. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.table.remove(this);
  }

  toString(): string {
    return `${this.address === 0 ? '0.0.0.0' : formatIpv4(this.address)}:${this.port}`;
  }
}

/**
 * Listening sockets by port (Linux's lhash). A SYN goes to the listener bound to its destination address,
 * else to the wildcard one. Two listeners conflict when they share the port and either is the wildcard or
 * both have the same address, even with SO_REUSEADDR (which nginx sets): that is why nginx binds only
 * the wildcard when a wildcard and a specific address share a port.
 */
export class ListenerTable {
  private readonly byPort = new Map<number, TcpListener[]>();

  add(address: Ipv4, port: number, accept: AcceptFn): TcpListener | BindError {
    const list = this.byPort.get(port) ?? [];
    if (list.some((l) => l.address === 0 || address === 0 || l.address === address)) return 'EADDRINUSE';
    const l = new TcpListener(this, address, port, accept);
    list.push(l);
    this.byPort.set(port, list);
    return l;
  }

  remove(l: TcpListener): void {
    const list = this.byPort.get(l.port);
    if (!list) return;
    const i = list.indexOf(l);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.byPort.delete(l.port);
  }

  lookup(dst: Ipv4, port: number): TcpListener | undefined {
    const list = this.byPort.get(port);
    if (!list) return undefined;
    let any: TcpListener | undefined;
    for (let i = 0; i < list.length; i++) {
      const l = list[i]!;
      if (l.address === dst) return l;
      if (l.address === 0) any = l;
    }
    return any;
  }

  hasPort(port: number): boolean {
    return this.byPort.has(port);
  }

  all(): TcpListener[] {
    return [...this.byPort.values()].flat();
  }

  clear(): void {
    for (const l of this.all()) l.closed = true;
    this.byPort.clear();
  }
}
