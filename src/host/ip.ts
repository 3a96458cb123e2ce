import { BROADCAST_MAC, formatIpv4, isMulticast, multicastMac, type Ipv4 } from '../net/addr';
import { ipProtocolOf, type EthernetFrame, type IpPayload, type Ipv4Packet } from '../net/packets';
import type { Simulator } from '../sim/simulator';
import type { AddressTable } from './addresses';
import type { Nic } from './nic';
import type { RouteTable } from './routes';

declare module '../sim/trace' {
  interface TraceEvents {
    'ip.drop': { host: string; src: string; dst: string; proto: string; reason: string };
  }
}

/**
 * Netfilter-style verdict of a hook: accept, drop, stolen (the hook took the packet over), or a rewritten
 * packet that goes on in place of the original (NAT).
 */
export type Verdict = 'accept' | 'drop' | 'stolen' | Ipv4Packet;

/** A hook sees the packet and the interface it came in on (undefined for locally generated ones). */
export type IpHook = (pkt: Ipv4Packet, inDev: Nic | undefined) => Verdict;

/** Runs a chain of hooks; returns the packet to carry on with, or undefined when a hook ended its way. */
function runHooks(hooks: readonly IpHook[], pkt: Ipv4Packet, dev: Nic | undefined): Ipv4Packet | undefined {
  for (let i = 0; i < hooks.length; i++) {
    const v = hooks[i]!(pkt, dev);
    if (v === 'accept') continue;
    if (typeof v === 'object') pkt = v;
    else return undefined;
  }
  return pkt;
}

/** A destination's device, next hop and preferred source, as the routing table gave them at `generation`. */
class CachedRoute {
  dst: Ipv4 = -1;
  generation = -1;
  dev: Nic | undefined = undefined;
  nextHop: Ipv4 = 0;
  src: Ipv4 | undefined = undefined;
}

const ROUTE_CACHE_SIZE = 8;

/** A local protocol handler (TCP, UDP, ICMP, raw sockets): gets packets addressed to this host. */
export type ProtocolHandler = (pkt: Ipv4Packet, inDev: Nic) => void;

export interface SendOptions {
  readonly src?: Ipv4;
  readonly dst: Ipv4;
  readonly payload: IpPayload;
  readonly ttl?: number;
  readonly tos?: number;
  readonly df?: boolean;
  /** IP_HDRINCL senders (keepalived) write their own IP id; 0 or absent: the kernel picks one. */
  readonly id?: number;
  /** SO_BINDTODEVICE / IP_MULTICAST_IF: the interface to send on. */
  readonly dev?: string;
}

export type SendError = 'ENETUNREACH' | 'EHOSTUNREACH' | 'EADDRNOTAVAIL';

/** Who hears that a packet could not be sent (a connecting socket: an object, not a closure per socket). */
export interface SendErrorListener {
  ipSendFailed(e: SendError): void;
}

export interface IpEnvironment {
  readonly name: string;
  readonly sim: Simulator;
  readonly addresses: AddressTable;
  readonly routes: RouteTable;
  nic(name: string): Nic | undefined;
  readonly ipForward: boolean;
  readonly powered: boolean;
}

/**
 * The IPv4 layer of a host: output (route, source address, ARP resolution, multicast), input (local
 * delivery in the weak host model, broadcasts, joined multicast groups), forwarding when ip_forward is
 * on, and netfilter-like hooks where IPVS plugs in (LOCAL_IN before the sockets, FORWARD, POST_ROUTING).
 */
export class IpStack {
  readonly hooks = {
    preRouting: [] as IpHook[],
    localIn: [] as IpHook[],
    forward: [] as IpHook[],
    postRouting: [] as IpHook[],
  };
  /** By IP protocol number: an index, not a hash look-up, for every packet delivered. */
  private readonly handlers = Array.from({ length: 256 }, (): ProtocolHandler[] => []);
  private nextId = 1;
  forwarded = 0;
  /**
   * The ways to the last destinations sent to, by the low bits of the address (a host talks to a few
   * peers): the route look-up, the local-address test and the device found by name, once per destination
   * rather than once per packet, like the route a Linux socket keeps (checked against the table's genid).
   */
  private readonly routeCache = Array.from({ length: ROUTE_CACHE_SIZE }, () => new CachedRoute());

  constructor(private readonly env: IpEnvironment) {}

  register(protocol: number, handler: ProtocolHandler): () => void {
    const list = this.handlers[protocol]!;
    list.push(handler);
    return () => {
      const i = list.indexOf(handler);
      if (i >= 0) list.splice(i, 1);
    };
  }

  /** Sends a locally generated packet. Errors that a socket would see come back through `onError`. */
  send(opts: SendOptions, onError?: (e: SendError) => void, boundDev: string | undefined = opts.dev): void {
    const listener = onError === undefined ? undefined : { ipSendFailed: onError };
    this.sendLocal(opts.src, opts.dst, opts.payload, listener, boundDev, opts.tos ?? 0, opts.id || 0, opts.df ?? true, opts.ttl ?? 64);
  }

  /**
   * A connection's packet: from a bound address, with the kernel's defaults (TOS 0, DF, TTL 64, the kernel's
   * IP id). What TCP sends for every segment, without an options object each time.
   */
  sendSegment(src: Ipv4, dst: Ipv4, payload: IpPayload, listener: SendErrorListener | undefined): void {
    this.sendLocal(src, dst, payload, listener, undefined, 0, 0, true, 64);
  }

  private sendLocal(
    src: Ipv4 | undefined,
    dst: Ipv4,
    payload: IpPayload,
    listener: SendErrorListener | undefined,
    boundDev: string | undefined,
    tos: number,
    id: number,
    df: boolean,
    ttl: number,
  ): void {
    const env = this.env;
    if (!env.powered) return;
    let dev: Nic | undefined;
    let nextHop = dst;
    const cached = boundDev === undefined ? this.cachedRoute(dst) : undefined;
    if (cached !== undefined) {
      dev = cached.dev;
      nextHop = cached.nextHop;
      src ??= cached.src;
    } else if (env.addresses.isLocal(dst)) {
      dev = env.nic('lo');
      if (boundDev === undefined) this.cacheRoute(dst, dev, dst, undefined);
    } else if (isMulticast(dst) || dst === 0xffffffff) {
      dev = boundDev !== undefined ? env.nic(boundDev) : this.routeDev(dst);
    } else {
      const route = env.routes.lookup(dst);
      if (!route || (boundDev !== undefined && route.dev !== boundDev)) {
        const bound = boundDev !== undefined ? env.nic(boundDev) : undefined;
        if (!bound) {
          this.noRoute(src, dst, payload.kind);
          return listener?.ipSendFailed('ENETUNREACH');
        }
        dev = bound;
      } else {
        dev = env.nic(route.dev);
        if (route.via !== undefined) nextHop = route.via;
        src ??= route.src;
        if (boundDev === undefined) this.cacheRoute(dst, dev, nextHop, route.src);
      }
    }
    if (!dev || !dev.running) return listener?.ipSendFailed('ENETUNREACH');
    src ??= env.addresses.sourceFor(dev.name, dst) ?? (dev.isLoopback ? dst : undefined);
    if (src === undefined) return listener?.ipSendFailed('EADDRNOTAVAIL');
    const pkt: Ipv4Packet = { kind: 'ipv4', tos, id: id || this.nextId++ & 0xffff, df, ttl, src, dst, payload };
    this.output(pkt, dev, nextHop, listener);
  }

  /** The way to `dst` found earlier, if the routes and addresses have not changed since. */
  private cachedRoute(dst: Ipv4): CachedRoute | undefined {
    const e = this.routeCache[dst & (ROUTE_CACHE_SIZE - 1)]!;
    return e.dst === dst && e.dev !== undefined && e.generation === this.env.routes.generation ? e : undefined;
  }

  private cacheRoute(dst: Ipv4, dev: Nic | undefined, nextHop: Ipv4, src: Ipv4 | undefined): void {
    const e = this.routeCache[dst & (ROUTE_CACHE_SIZE - 1)]!;
    e.dst = dst;
    e.generation = this.env.routes.generation;
    e.dev = dev;
    e.nextHop = nextHop;
    e.src = src;
  }

  /** Routes and transmits a packet (local or forwarded) after POST_ROUTING. */
  output(packet: Ipv4Packet, dev: Nic, nextHop: Ipv4, listener?: SendErrorListener): void {
    const pkt = this.hooks.postRouting.length ? runHooks(this.hooks.postRouting, packet, undefined) : packet;
    if (!pkt) return;
    if (dev.isLoopback) return this.loopBack(pkt, dev);
    if (isMulticast(pkt.dst)) {
      dev.transmit({ dst: multicastMac(pkt.dst), src: dev.mac, payload: pkt });
      return;
    }
    if (pkt.dst === 0xffffffff || this.isDirectedBroadcast(dev, pkt.dst)) {
      dev.transmit({ dst: BROADCAST_MAC, src: dev.mac, payload: pkt });
      return;
    }
    // Fast path: a usable neighbour entry. The closures of the slow path live in another method: V8 would
    // otherwise allocate their context on every call of this one.
    const known = dev.neighbours.usableMac(nextHop);
    if (known !== undefined) {
      dev.transmit({ dst: known, src: dev.mac, payload: pkt } satisfies EthernetFrame);
      return;
    }
    this.resolveAndTransmit(pkt, dev, nextHop, listener);
  }

  private loopBack(pkt: Ipv4Packet, dev: Nic): void {
    this.env.sim.schedule(0, () => this.input(pkt, dev));
  }

  /** The next hop needs ARP first: the packet waits in the neighbour entry's queue. */
  private resolveAndTransmit(pkt: Ipv4Packet, dev: Nic, nextHop: Ipv4, listener: SendErrorListener | undefined): void {
    dev.neighbours.resolve(
      nextHop,
      (mac) => dev.transmit({ dst: mac, src: dev.mac, payload: pkt } satisfies EthernetFrame),
      () => {
        this.drop(pkt, 'neighbour unreachable');
        listener?.ipSendFailed('EHOSTUNREACH');
      },
      pkt.src,
    );
  }

  /** A packet received on `dev` (or looped back). */
  input(packet: Ipv4Packet, dev: Nic): void {
    const env = this.env;
    if (!env.powered) return;
    let pkt: Ipv4Packet | undefined = this.hooks.preRouting.length ? runHooks(this.hooks.preRouting, packet, dev) : packet;
    if (!pkt) return;
    const dst = pkt.dst;
    // Multicast frames already passed the NIC's group filter.
    const local = env.addresses.isLocal(dst) || dst === 0xffffffff || isMulticast(dst) || this.isDirectedBroadcast(dev, dst);
    if (local) {
      if (this.hooks.localIn.length && !(pkt = runHooks(this.hooks.localIn, pkt, dev))) return;
      this.deliver(pkt, dev);
      return;
    }
    if (!env.ipForward) return this.drop(pkt, 'not for us and ip_forward is off');
    this.forward(pkt, dev);
  }

  private forward(packet: Ipv4Packet, inDev: Nic): void {
    const pkt = this.hooks.forward.length ? runHooks(this.hooks.forward, packet, inDev) : packet;
    if (!pkt) return;
    if (pkt.ttl <= 1) return this.drop(pkt, 'TTL exceeded');
    const route = this.env.routes.lookup(pkt.dst);
    const out = route && this.env.nic(route.dev);
    if (!route || !out || !out.running) return this.drop(pkt, 'no route to forward');
    this.forwarded++;
    // built in the shape send() makes, so packets keep one hidden class through the forwarding path
    const hop: Ipv4Packet = { kind: 'ipv4', tos: pkt.tos, id: pkt.id, df: pkt.df, ttl: pkt.ttl - 1, src: pkt.src, dst: pkt.dst, payload: pkt.payload };
    this.output(hop, out, route.via ?? pkt.dst);
  }

  /**
   * Sends a packet that did not originate here (IPVS forwarding a client's packet to a real server) by
   * the routing table, towards `nextHop` (default: its destination).
   */
  route(pkt: Ipv4Packet, nextHopAddr: Ipv4 = pkt.dst): boolean {
    if (this.env.addresses.isLocal(nextHopAddr)) {
      const lo = this.env.nic('lo');
      if (lo) this.output(pkt, lo, nextHopAddr);
      return lo !== undefined;
    }
    const route = this.env.routes.lookup(nextHopAddr);
    const out = route && this.env.nic(route.dev);
    if (!route || !out || !out.running) {
      this.drop(pkt, 'no route');
      return false;
    }
    this.output(pkt, out, route.via ?? nextHopAddr);
    return true;
  }

  /** Hands a packet to the local protocol handlers (after LOCAL_IN); IPVS re-injects through here too. */
  deliver(pkt: Ipv4Packet, dev: Nic): void {
    const list = this.handlers[ipProtocolOf(pkt.payload)]!;
    if (list.length === 0) return this.drop(pkt, 'no handler for protocol');
    for (let i = 0; i < list.length; i++) list[i]!(pkt, dev);
  }

  private routeDev(dst: Ipv4): Nic | undefined {
    const r = this.env.routes.lookup(dst);
    return r ? this.env.nic(r.dev) : undefined;
  }

  private isDirectedBroadcast(dev: Nic, dst: Ipv4): boolean {
    if (!this.env.addresses.isSomeBroadcast(dst)) return false;
    const list = this.env.addresses.of(dev.name);
    for (let i = 0; i < list.length; i++) if (list[i]!.broadcast === dst) return true;
    return false;
  }

  /**
   * A locally generated packet the routing table has no route for (ip_route_output fails with ENETUNREACH,
   * Linux counts it in OutNoRoutes): it never exists. Traced as a drop, naming the missing default route
   * when there is none, the usual cause.
   */
  noRoute(src: Ipv4 | undefined, dst: Ipv4, proto: string): void {
    const trace = this.env.sim.trace;
    if (!trace.enabled) return;
    const hasDefault = this.env.routes.all().some((r) => r.prefix === 0);
    trace.emit('ip.drop', {
      host: this.env.name,
      src: src === undefined ? '0.0.0.0' : formatIpv4(src),
      dst: formatIpv4(dst),
      proto,
      reason: hasDefault ? 'no route' : 'no route (no default gateway)',
    });
  }

  drop(pkt: Ipv4Packet, reason: string): void {
    const trace = this.env.sim.trace;
    if (trace.wants('ip.drop')) {
      trace.emit('ip.drop', {
        host: this.env.name,
        src: formatIpv4(pkt.src),
        dst: formatIpv4(pkt.dst),
        proto: pkt.payload.kind,
        reason,
      });
    }
  }
}
