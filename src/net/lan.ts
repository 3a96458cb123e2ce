import type { Simulator } from '../sim/simulator';
import type { Rng } from '../sim/rng';
import type { Micros } from '../sim/time';
import { BROADCAST_MAC, isMulticastMac, type Mac } from './addr';
import type { EthernetFrame } from './packets';

declare module '../sim/trace' {
  interface TraceEvents {
    'link.state': { lan: string; port: string; up: boolean };
    'lan.partition': { lan: string; groups: string[][] };
    'lan.heal': { lan: string };
    'frame.lost': { lan: string; from: string; to: string; reason: 'loss' | 'down' | 'partition' };
  }
}

/** What a LAN delivers to: a host's NIC. */
export interface FrameReceiver {
  receiveFrame(frame: EthernetFrame): void;
  /** Carrier change on the cable (link cut or restored). */
  carrierChanged(up: boolean): void;
}

export interface LanOptions {
  readonly latency?: Micros;
  readonly jitter?: Micros;
  /** Probability in [0, 1) that one delivery is lost. */
  readonly loss?: number;
}

/** One switch port and the cable to one NIC. */
export class LanPort {
  up = true;
  /** Partition group; ports in different groups cannot reach each other. */
  group = 0;
  /** Last scheduled delivery instant: jitter never reorders frames on one cable. */
  lastDelivery: Micros = 0;
  /**
   * Frames on the cable towards the NIC, oldest first, in a ring that only grows. Deliveries on one cable are
   * in time order (and ties run in scheduling order), so each arrival event takes the head: no object per
   * frame in flight, and no new backing store each time the cable goes idle.
   */
  private inFlight: (EthernetFrame | undefined)[] = new Array<EthernetFrame | undefined>(8).fill(undefined);
  private head = 0;
  private count = 0;
  /**
   * The switch's MAC table entries this port used last, as source and as destination: a port's frames
   * nearly always come from one NIC and mostly go to the same peer, so two comparisons replace two table
   * look-ups per frame. Valid while the table has lost no entry since (`Lan.macEpoch`).
   */
  srcMac: Mac = -1;
  srcEntry: MacEntry | undefined;
  dstMac: Mac = -1;
  dstEntry: MacEntry | undefined;
  cacheEpoch = -1;

  constructor(
    readonly lan: Lan,
    readonly name: string,
    readonly receiver: FrameReceiver,
  ) {}

  /** A frame leaves the NIC into the switch. */
  send(frame: EthernetFrame): void {
    this.lan.forward(this, frame);
  }

  /** @internal the switch puts a frame on the cable; `arrive` takes it off when its time comes. */
  carry(frame: EthernetFrame): void {
    let ring = this.inFlight;
    if (this.count === ring.length) {
      // full: unroll into a ring twice the size, oldest first
      const bigger = new Array<EthernetFrame | undefined>(ring.length * 2).fill(undefined);
      for (let i = 0; i < this.count; i++) bigger[i] = ring[(this.head + i) % ring.length];
      this.inFlight = ring = bigger;
      this.head = 0;
    }
    ring[(this.head + this.count++) % ring.length] = frame;
  }

  /** @internal */
  arrive(): void {
    const ring = this.inFlight;
    const frame = ring[this.head]!;
    ring[this.head] = undefined;
    this.head = (this.head + 1) % ring.length;
    this.count--;
    // A cable cut while the frame was in flight loses it.
    if (this.up) this.receiver.receiveFrame(frame);
  }
}

const MAC_AGEING: Micros = 300_000_000; // Linux bridge default ageing_time, 300 s

/** Where the switch last saw a source MAC, and when. */
export interface MacEntry {
  port: LanPort;
  seen: Micros;
}

/**
 * A LAN as one learning switch: unicast goes to the port that last sent from the destination MAC,
 * broadcast, multicast and unknown unicast are flooded. Per-cable latency, jitter and loss come from the
 * LAN's own RNG stream; cut cables and partitions drop frames. Capture subscribers see every frame the
 * switch accepts, once, at the instant it is sent (as a capture on the bridge would).
 */
export class Lan {
  readonly ports: LanPort[] = [];
  private readonly macTable = new Map<Mac, MacEntry>();
  /** Bumped whenever the MAC table loses entries: ports' cached entries are then stale. */
  private macEpoch = 0;
  private readonly captures: Array<(time: Micros, frame: EthernetFrame) => void> = [];
  private readonly rng: Rng;
  latency: Micros;
  jitter: Micros;
  loss: number;
  framesForwarded = 0;

  constructor(
    private readonly sim: Simulator,
    readonly name: string,
    opts: LanOptions = {},
  ) {
    this.latency = opts.latency ?? 100;
    this.jitter = opts.jitter ?? 0;
    this.loss = opts.loss ?? 0;
    this.rng = sim.rng.stream(`lan:${name}`);
  }

  attach(name: string, receiver: FrameReceiver): LanPort {
    const port = new LanPort(this, name, receiver);
    this.ports.push(port);
    return port;
  }

  port(name: string): LanPort | undefined {
    return this.ports.find((p) => p.name === name);
  }

  /** Subscribes to every frame (pcap writers). Returns the unsubscribe function. */
  onFrame(fn: (time: Micros, frame: EthernetFrame) => void): () => void {
    this.captures.push(fn);
    return () => {
      const i = this.captures.indexOf(fn);
      if (i >= 0) this.captures.splice(i, 1);
    };
  }

  setLinkState(port: LanPort, up: boolean): void {
    if (port.up === up) return;
    port.up = up;
    if (!up) this.forgetPort(port);
    this.sim.trace.emit('link.state', { lan: this.name, port: port.name, up });
    port.receiver.carrierChanged(up);
  }

  /** Splits the ports into groups by name; ports not named stay together in one more group. */
  partition(groups: readonly (readonly string[])[]): void {
    for (const p of this.ports) p.group = groups.length;
    groups.forEach((names, i) => {
      for (const p of this.ports) if (names.includes(p.name)) p.group = i;
    });
    this.macTable.clear();
    this.macEpoch++;
    this.sim.trace.emit('lan.partition', { lan: this.name, groups: groups.map((g) => [...g]) });
  }

  heal(): void {
    for (const p of this.ports) p.group = 0;
    this.sim.trace.emit('lan.heal', { lan: this.name });
  }

  /** @internal called by LanPort.send */
  forward(from: LanPort, frame: EthernetFrame): void {
    if (!from.up) return;
    const now = this.sim.now;
    this.framesForwarded++;
    for (let i = 0; i < this.captures.length; i++) this.captures[i]!(now, frame);
    if (from.cacheEpoch !== this.macEpoch) {
      from.srcMac = from.dstMac = -1;
      from.cacheEpoch = this.macEpoch;
    }
    const src = frame.src;
    if (!isMulticastMac(src)) {
      let learned = from.srcMac === src ? from.srcEntry : this.macTable.get(src);
      if (learned) {
        learned.port = from;
        learned.seen = now;
      } else this.macTable.set(src, (learned = { port: from, seen: now }));
      from.srcMac = src;
      from.srcEntry = learned;
    }
    const dst = frame.dst;
    if (dst !== BROADCAST_MAC && !isMulticastMac(dst)) {
      const entry = from.dstMac === dst ? from.dstEntry : this.macTable.get(dst);
      if (entry) {
        from.dstMac = dst;
        from.dstEntry = entry;
      }
      if (entry && now - entry.seen < MAC_AGEING && entry.port !== from) {
        this.deliver(from, entry.port, frame);
        return;
      }
    }
    const ports = this.ports;
    for (let i = 0; i < ports.length; i++) {
      const p = ports[i]!;
      if (p !== from) this.deliver(from, p, frame);
    }
  }

  private deliver(from: LanPort, to: LanPort, frame: EthernetFrame): void {
    if (!to.up) return this.lost(from, to, 'down');
    if (to.group !== from.group) return this.lost(from, to, 'partition');
    if (this.loss > 0 && this.rng.chance(this.loss)) return this.lost(from, to, 'loss');
    let at = this.sim.now + this.latency;
    if (this.jitter > 0) at += this.rng.int(this.jitter + 1);
    if (at < to.lastDelivery) at = to.lastDelivery;
    to.lastDelivery = at;
    to.carry(frame);
    this.sim.post(at, arrive, to);
  }

  private lost(from: LanPort, to: LanPort, reason: 'loss' | 'down' | 'partition'): void {
    if (reason === 'loss' && this.sim.trace.wants('frame.lost')) {
      this.sim.trace.emit('frame.lost', { lan: this.name, from: from.name, to: to.name, reason });
    }
  }

  private forgetPort(port: LanPort): void {
    for (const [mac, e] of this.macTable) if (e.port === port) this.macTable.delete(mac);
    this.macEpoch++;
  }

  describe(): string {
    return `${this.name}: ${this.ports.map((p) => `${p.name}${p.up ? '' : '(down)'}`).join(', ')}`;
  }
}

function arrive(port: LanPort): void {
  port.arrive();
}
