import type { Micros } from '../../sim/time';
import type { Dest } from './dest';
import type { Service } from './service';

/** The packet fields schedulers look at: sh/mh hash the source, dh/lblc/lblcr the destination. */
export interface SchedPacket {
  readonly saddr: number;
  readonly sport: number;
  readonly daddr: number;
}

/**
 * One IPVS scheduling module (struct ip_vs_scheduler). `schedule` returns undefined when no destination is
 * eligible, which the core turns into ICMP port unreachable (ip_vs_leave). The hooks run after the
 * service's dest list changed (add: dest already at the head; del: already unlinked, `index` is where it was).
 */
export interface Scheduler {
  readonly name: string;
  schedule(svc: Service, pkt: SchedPacket, now: Micros): Dest | undefined;
  addDest?(svc: Service, dest: Dest): void;
  delDest?(svc: Service, dest: Dest, index: number): void;
  updDest?(svc: Service, dest: Dest): void;
}

/** Eligible for a new connection in the simple schedulers: not quiesced and not over its upper threshold. */
export function usable(d: Dest): boolean {
  return !d.overload && d.weight > 0;
}
