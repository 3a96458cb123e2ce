import { ipv4ToU32, u32ToIpv4 } from './addr';
import type { Dest } from './dest';
import type { Scheduler } from './scheduler';
import { IpvsStats } from './stats';

export type Protocol = 'TCP' | 'UDP';

/** How a virtual service is found: fwmark > 0 for `-f`, otherwise protocol + VIP + port. */
export interface ServiceKey {
  readonly protocol: Protocol;
  readonly addr: string;
  readonly port: number;
  readonly fwmark?: number;
}

/** Scheduler-specific flags (-b): sh-fallback/mh-fallback = sched1, sh-port/mh-port = sched2. */
export interface SchedFlags {
  readonly sched1?: boolean;
  readonly sched2?: boolean;
  readonly sched3?: boolean;
}

/** What ipvsadm -A/-E or keepalived give for a virtual service (struct ip_vs_service_user). */
export interface ServiceSpec extends ServiceKey {
  readonly scheduler: string;
  /** Persistence timeout in seconds; undefined = not persistent. */
  readonly persistent?: number;
  /** Persistence granularity as a dotted mask; default 255.255.255.255. */
  readonly netmask?: string;
  readonly schedFlags?: SchedFlags;
  /** One-packet scheduling (-o). */
  readonly onePacket?: boolean;
  /** Persistence engine name (`--pe`); only "sip" exists in the kernel. */
  readonly pe?: string;
}

export const DEFAULT_PERSISTENT_TIMEOUT = 360;

/** A virtual service (struct ip_vs_service). */
export class Service {
  readonly protocol: Protocol;
  readonly addr: string;
  readonly addrN: number;
  readonly port: number;
  readonly fwmark: number;
  persistent: number | undefined;
  netmask: number;
  schedFlags: Required<SchedFlags>;
  onePacket: boolean;
  pe: string;
  /** Kernel list order: index 0 is the head's successor, i.e. the most recently added dest. */
  readonly dests: Dest[] = [];
  readonly stats = new IpvsStats();
  /** Bound right after construction: a scheduler's init reads the service. */
  scheduler!: Scheduler;

  constructor(spec: ServiceSpec) {
    this.protocol = spec.protocol;
    this.fwmark = spec.fwmark ?? 0;
    this.addr = this.fwmark ? '0.0.0.0' : spec.addr;
    this.addrN = ipv4ToU32(this.addr);
    this.port = this.fwmark ? 0 : spec.port;
    this.persistent = spec.persistent;
    this.netmask = ipv4ToU32(spec.netmask ?? '255.255.255.255');
    this.schedFlags = flagsOf(spec.schedFlags);
    this.onePacket = spec.onePacket ?? false;
    this.pe = spec.pe ?? '';
  }

  get netmaskText(): string {
    return u32ToIpv4(this.netmask);
  }

  findDest(addr: string, port: number): Dest | undefined {
    return this.dests.find((d) => d.addr === addr && d.port === port);
  }
}

export function flagsOf(f: SchedFlags | undefined): Required<SchedFlags> {
  return { sched1: f?.sched1 ?? false, sched2: f?.sched2 ?? false, sched3: f?.sched3 ?? false };
}

export function serviceKeyText(k: ServiceKey): string {
  return k.fwmark ? `FWM ${k.fwmark}` : `${k.protocol} ${k.addr}:${k.port}`;
}
