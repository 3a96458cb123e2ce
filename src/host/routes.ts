import { formatIpv4, netmask, networkOf, type Ipv4 } from '../net/addr';
import type { AddressTable } from './addresses';

export interface Route {
  readonly dst: Ipv4;
  readonly prefix: number;
  readonly dev: string;
  readonly via?: Ipv4;
  /** Preferred source (connected routes carry their address). */
  readonly src?: Ipv4;
  readonly proto: 'kernel' | 'static';
}

/**
 * The main routing table: connected routes follow the interface addresses (as the kernel adds them for
 * every primary that is not /32 on a device with carrier), static routes and the default gateway are
 * added by the operator. Longest prefix wins; among equals, connected before static.
 */
export class RouteTable {
  private readonly statics: Route[] = [];
  /** all() is on every packet's path: cached until addresses, links or static routes change. */
  private cache: Route[] | undefined;
  private cacheVersion = -1;
  /** The cached routes' netmasks and masked destinations (as int32), so lookup only compares. */
  private masks: number[] = [];
  private nets: number[] = [];
  private gen = 0;

  constructor(
    private readonly addresses: AddressTable,
    private readonly linkUp: (dev: string) => boolean,
  ) {}

  addStatic(r: Omit<Route, 'proto'>): void {
    this.statics.push({ ...r, proto: 'static' });
    this.invalidate();
  }

  /** A link went up or down. */
  invalidate(): void {
    this.cache = undefined;
    this.gen++;
  }

  /**
   * Changes whenever a look-up, or which addresses are local, could answer differently (addresses, links,
   * static routes): what a cached route is checked against, as Linux checks a socket's dst by its genid.
   */
  get generation(): number {
    // both counters only grow, so their sum changes whenever either does
    return this.gen + this.addresses.version;
  }

  hasStatic(dst: Ipv4, prefix: number): boolean {
    return this.statics.some((r) => r.dst === dst && r.prefix === prefix);
  }

  delStatic(dst: Ipv4, prefix: number): boolean {
    const i = this.statics.findIndex((r) => r.dst === dst && r.prefix === prefix);
    if (i < 0) return false;
    this.statics.splice(i, 1);
    this.invalidate();
    return true;
  }

  connected(): Route[] {
    const out: Route[] = [];
    for (const a of this.addresses.all()) {
      if (a.secondary || a.prefix === 32 || a.scope === 'host' || !this.linkUp(a.dev)) continue;
      const dst = networkOf(a);
      if (!out.some((r) => r.dst === dst && r.prefix === a.prefix && r.dev === a.dev)) {
        out.push({ dst, prefix: a.prefix, dev: a.dev, src: a.ip, proto: 'kernel' });
      }
    }
    return out;
  }

  all(): readonly Route[] {
    if (this.cache === undefined || this.cacheVersion !== this.addresses.version) return this.rebuild();
    return this.cache;
  }

  /** Apart from `all`, which stays small enough to inline on the packet path. */
  private rebuild(): Route[] {
    const routes = (this.cache = [...this.connected(), ...this.statics.filter((r) => this.linkUp(r.dev))]);
    this.masks = routes.map((r) => netmask(r.prefix) | 0);
    this.nets = routes.map((r) => r.dst & netmask(r.prefix));
    this.cacheVersion = this.addresses.version;
    return routes;
  }

  lookup(dst: Ipv4): Route | undefined {
    const routes = this.all();
    const masks = this.masks;
    const nets = this.nets;
    let best: Route | undefined;
    for (let i = 0; i < routes.length; i++) {
      if ((dst & masks[i]!) !== nets[i]) continue;
      const r = routes[i]!;
      if (!best || r.prefix > best.prefix) best = r;
    }
    return best;
  }

  /** `ip route` text. */
  format(): string {
    const lines: string[] = [];
    // the kernel's order (its FIB trie): by network address, the shorter prefix first
    const net = (r: Route): number => (r.dst & netmask(r.prefix)) >>> 0;
    const sorted = [...this.all()].sort((a, b) => net(a) - net(b) || a.prefix - b.prefix);
    for (const r of sorted) {
      const dst = r.prefix === 0 ? 'default' : `${formatIpv4(r.dst & netmask(r.prefix))}/${r.prefix}`;
      if (r.via !== undefined) lines.push(`${dst} via ${formatIpv4(r.via)} dev ${r.dev}`);
      else if (r.proto === 'kernel') lines.push(`${dst} dev ${r.dev} proto kernel scope link src ${formatIpv4(r.src!)}`);
      else lines.push(`${dst} dev ${r.dev} scope link`);
    }
    return lines.map((l) => l + ' \n').join('');
  }
}
