import type { Ipv4 } from '../../net/addr';
import type { TcpSocket } from './socket';

/**
 * The established-connection hash (Linux's ehash): sockets by their 4-tuple. The bucket key comes from the
 * two ports, which differ between the connections of one client (ephemeral ports) and mostly between those
 * of one server (the clients' ephemeral ports); the few sockets sharing a bucket are chained. No allocation
 * per look-up.
 */
export class ConnectionTable {
  private readonly buckets = new Map<number, TcpSocket>();
  size = 0;
  /** Sockets removed so far: tells a failed port search whether trying again could find anything. */
  removals = 0;

  find(localIp: Ipv4, localPort: number, remoteIp: Ipv4, remotePort: number): TcpSocket | undefined {
    let s = this.buckets.get(key(localPort, remotePort));
    while (s !== undefined && (s.localPort !== localPort || s.remotePort !== remotePort || s.localIp !== localIp || s.remoteIp !== remoteIp)) {
      s = s.bucketNext;
    }
    return s;
  }

  add(s: TcpSocket): void {
    const k = key(s.localPort, s.remotePort);
    s.bucketNext = this.buckets.get(k);
    this.buckets.set(k, s);
    this.size++;
  }

  remove(s: TcpSocket): void {
    const k = key(s.localPort, s.remotePort);
    let cur = this.buckets.get(k);
    if (cur === s) {
      if (s.bucketNext === undefined) this.buckets.delete(k);
      else this.buckets.set(k, s.bucketNext);
    } else {
      while (cur !== undefined && cur.bucketNext !== s) cur = cur.bucketNext;
      if (cur === undefined) return;
      cur.bucketNext = s.bucketNext;
    }
    s.bucketNext = undefined;
    this.size--;
    this.removals++;
  }

  /** Every socket (netstat/ss, power loss). */
  all(): TcpSocket[] {
    const out: TcpSocket[] = [];
    for (const first of this.buckets.values()) for (let s: TcpSocket | undefined = first; s; s = s.bucketNext) out.push(s);
    return out;
  }

  clear(): void {
    this.buckets.clear();
    this.size = 0;
  }
}

/** Below 2^30, a small integer for V8's maps; ports 16384 apart share a bucket. */
function key(localPort: number, remotePort: number): number {
  return remotePort * 16384 + (localPort & 16383);
}
