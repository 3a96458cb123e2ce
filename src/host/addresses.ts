import { broadcastOf, formatIpv4, inSubnet, netmask, type Ipv4 } from '../net/addr';

export type Scope = 'global' | 'link' | 'host';

export interface InterfaceAddress {
  readonly dev: string;
  readonly ip: Ipv4;
  readonly prefix: number;
  readonly broadcast?: Ipv4;
  readonly scope: Scope;
  readonly label?: string;
  /** Same subnet and mask as an earlier primary on the device (Linux's IFA_F_SECONDARY). */
  readonly secondary: boolean;
}

export interface AddAddress {
  readonly dev: string;
  readonly ip: Ipv4;
  readonly prefix: number;
  /** `brd +` computes it; undefined means none (what keepalived does for a VIP without `brd`). */
  readonly broadcast?: Ipv4 | '+';
  readonly scope?: Scope;
  readonly label?: string;
}

const SCOPE_RANK: Record<Scope, number> = { global: 0, link: 253, host: 254 };

/**
 * Interface addresses with Linux's rules (net/ipv4/devinet.c): an address in the subnet of an existing
 * primary with the same mask becomes its secondary; a new primary goes after the last primary of the same or
 * a narrower scope, secondaries go last; deleting a primary takes its secondaries with it (promote_secondaries off, the default).
 */
export class AddressTable {
  private readonly byDev = new Map<string, InterfaceAddress[]>();
  private readonly local = new Map<Ipv4, number>();
  /**
   * The keys of `local`: asked several times per packet, and a scan of a host's few addresses beats hashing.
   * Kept as int32, as `broadcasts` is: integers compare at once, where most addresses are boxed numbers.
   */
  private localIps = new Int32Array(0);
  /** Every broadcast address of every interface: most packets are unicast, and one scan tells so. */
  private broadcasts = new Int32Array(0);
  /** Bumped on every change, so derived tables (routes) know when to recompute. */
  version = 0;

  /** Returns an error text in iproute2's words, or undefined on success. */
  add(a: AddAddress): string | undefined {
    const list = this.byDev.get(a.dev) ?? [];
    const scope = a.scope ?? 'global';
    const mask = netmask(a.prefix);
    let secondary = false;
    let insertAt = 0;
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      // __inet_insert_ifa: after the last primary whose scope is the same as the new one's or narrower
      // (a global VIP on lo goes after 127.0.0.1, scope host).
      if (!e.secondary && SCOPE_RANK[scope] <= SCOPE_RANK[e.scope]) insertAt = i + 1;
      if (netmask(e.prefix) === mask && inSubnet(a.ip, e)) {
        if (e.ip === a.ip) return 'RTNETLINK answers: File exists';
        if (e.scope !== scope) return 'RTNETLINK answers: Invalid argument';
        secondary = true;
      }
    }
    const broadcast = a.broadcast === '+' ? broadcastOf(a) : a.broadcast;
    const entry: InterfaceAddress = {
      dev: a.dev,
      ip: a.ip,
      prefix: a.prefix,
      scope,
      secondary,
      ...(broadcast !== undefined && { broadcast }),
      ...(a.label !== undefined && { label: a.label }),
    };
    if (secondary) list.push(entry);
    else list.splice(insertAt, 0, entry);
    this.byDev.set(a.dev, list);
    this.local.set(a.ip, (this.local.get(a.ip) ?? 0) + 1);
    this.derive();
    this.version++;
    return undefined;
  }

  /** Deletes ip/prefix from dev; returns the addresses removed (a primary takes its secondaries along). */
  del(dev: string, ip: Ipv4, prefix?: number): InterfaceAddress[] | string {
    const list = this.byDev.get(dev) ?? [];
    const i = list.findIndex((e) => e.ip === ip && (prefix === undefined || e.prefix === prefix));
    if (i < 0) return 'RTNETLINK answers: Cannot assign requested address';
    const victim = list[i]!;
    const removed = [victim];
    if (!victim.secondary) {
      for (const e of list) {
        if (e.secondary && e.prefix === victim.prefix && inSubnet(e.ip, victim)) removed.push(e);
      }
    }
    this.byDev.set(
      dev,
      list.filter((e) => !removed.includes(e)),
    );
    for (const r of removed) {
      const n = (this.local.get(r.ip) ?? 1) - 1;
      if (n === 0) this.local.delete(r.ip);
      else this.local.set(r.ip, n);
    }
    this.derive();
    this.version++;
    return removed;
  }

  flush(dev: string): InterfaceAddress[] {
    const list = this.byDev.get(dev) ?? [];
    for (const e of [...list]) if (!e.secondary) this.del(dev, e.ip, e.prefix);
    return list;
  }

  of(dev: string): readonly InterfaceAddress[] {
    return this.byDev.get(dev) ?? [];
  }

  private derive(): void {
    this.localIps = Int32Array.from(this.local.keys(), (ip) => ip | 0);
    this.broadcasts = Int32Array.from(
      [...this.byDev.values()].flat().flatMap((e) => (e.broadcast === undefined ? [] : [e.broadcast])),
      (ip) => ip | 0,
    );
  }

  /** Is ip the broadcast address of some interface? (The cheap first question before asking which.) */
  isSomeBroadcast(ip: Ipv4): boolean {
    const b = this.broadcasts;
    const v = ip | 0;
    for (let i = 0; i < b.length; i++) if (b[i] === v) return true;
    return false;
  }

  /** Is ip configured on any interface of this host (Linux's weak host model: the local table)? */
  isLocal(ip: Ipv4): boolean {
    const ips = this.localIps;
    if (ips.length > 16) return this.local.has(ip);
    const v = ip | 0;
    for (let i = 0; i < ips.length; i++) if (ips[i] === v) return true;
    return false;
  }

  has(dev: string, ip: Ipv4): boolean {
    return this.of(dev).some((e) => e.ip === ip);
  }

  /** The device that holds ip, first in device order. */
  devOf(ip: Ipv4): string | undefined {
    for (const [dev, list] of this.byDev) if (list.some((e) => e.ip === ip)) return dev;
    return undefined;
  }

  /** The primary address of dev (what VRRP adverts and ARP requests come from). */
  primary(dev: string): InterfaceAddress | undefined {
    return this.of(dev).find((e) => !e.secondary && e.scope === 'global') ?? this.of(dev)[0];
  }

  /** Source address Linux picks for a destination through dev: a primary in the destination's subnet, else the first primary. */
  sourceFor(dev: string, dst: Ipv4): Ipv4 | undefined {
    const list = this.of(dev);
    let first: Ipv4 | undefined;
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      if (e.secondary || e.scope === 'host') continue;
      if (e.prefix < 32 && inSubnet(dst, e)) return e.ip;
      first ??= e.ip;
    }
    return first;
  }

  all(): InterfaceAddress[] {
    return [...this.byDev.values()].flat();
  }
}

/** One `inet` line pair of `ip addr show`. */
export function formatInetLines(a: InterfaceAddress): string {
  let line = `    inet ${formatIpv4(a.ip)}/${a.prefix}`;
  if (a.broadcast !== undefined) line += ` brd ${formatIpv4(a.broadcast)}`;
  line += ` scope ${a.scope}`;
  if (a.secondary) line += ' secondary';
  line += ` ${a.label ?? a.dev}`;
  return `${line}\n       valid_lft forever preferred_lft forever\n`;
}
