import { SECOND } from '../../../src/sim/time';
import type { DestSpec } from '../../../src/kernel/ipvs/dest';
import { Ipvs, type IpvsPacket } from '../../../src/kernel/ipvs/ipvs';
import type { ServiceSpec } from '../../../src/kernel/ipvs/service';
import type { TcpFlags } from '../../../src/kernel/ipvs/tcp-state';

export const VIP = '10.0.0.100';
export const SVC = { protocol: 'TCP', addr: VIP, port: 80 } as const;

/** A service with dests added in the given order (so the kernel list is the reverse). */
export function setup(
  scheduler: string,
  dests: readonly (readonly [string, number])[],
  extra: Partial<ServiceSpec> = {},
  destExtra: Partial<DestSpec> = {},
): Ipvs {
  const ipvs = new Ipvs(0);
  ipvs.addService({ ...SVC, scheduler, ...extra }, 0);
  for (const [addr, weight] of dests) ipvs.addDest(SVC, { addr, port: 80, weight, fwd: 'masq', ...destExtra }, 0);
  return ipvs;
}

export function tcp(saddr: string, sport: number, flags: TcpFlags, daddr = VIP, dport = 80): IpvsPacket {
  return { protocol: 'TCP', saddr, sport, daddr, dport, tcp: flags, length: 60 };
}

let nextPort = 10000;

/**
 * Opens n connections (SYN only, so each stays SYN_RECV, which counts as active) from fresh client ports
 * and returns the chosen real servers, or the verdict when none was chosen.
 */
export function openMany(ipvs: Ipvs, n: number, opts: { client?: (i: number) => string; at?: number } = {}): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const saddr = opts.client ? opts.client(i) : '172.16.0.1';
    const v = ipvs.inbound(tcp(saddr, nextPort++, { syn: true }), opts.at ?? SECOND);
    out.push(v.kind === 'forward' ? v.daddr : v.kind);
  }
  return out;
}

/** Short names: 192.168.1.21 → 21. */
export function last(addrs: readonly string[]): string[] {
  return addrs.map((a) => (a.includes('.') ? a.split('.').pop()! : a));
}
