import { formatIpv4, type Ipv4 } from '../../net/addr';
import { makeVrrpAdvert, vrrpChecksum } from '../../net/codec';
import type { Ipv4Packet, VrrpPacket } from '../../net/packets';
import type { VrrpInstanceParams } from './vrrp';

/** What the glue knows of an instance beyond the state machine's params: its authentication. */
export interface InstanceWire {
  readonly params: VrrpInstanceParams;
  /** 0 none, 1 PASS (2 AH is refused at config time by the simulator). */
  readonly authType: number;
  readonly authPass: string;
}

export const VRRP_GROUP = 0xe0000012; // 224.0.0.18

/** The advert keepalived sends for an instance (vrrp.c vrrp_build_pkt): v2 advert_int in seconds, v3 in centiseconds. */
export function buildAdvert(w: InstanceWire, priority: number, adverInt: number, src: Ipv4, dst: Ipv4): VrrpPacket {
  const p = w.params;
  return makeVrrpAdvert(
    {
      version: p.version,
      vrid: p.vrid,
      priority,
      adverInt: p.version === 2 ? Math.floor(adverInt / 1_000_000) : Math.floor(adverInt / 10_000),
      addresses: p.vips.map((v) => v.address),
      ...(p.version === 2 && { authType: w.authType, authData: w.authType === 1 ? w.authPass : '' }),
    },
    src,
    dst,
  );
}

export type Checked =
  | { readonly ok: true; readonly adverInt: number }
  | { readonly ok: false; readonly reason: string };

/**
 * keepalived 2.2.7's vrrp_check_packet for an IPv4 advert, in its order; the reason is the log text
 * after `(VI) `. `checkAddresses` is false for a BACKUP with skip_check_adv_addr hearing the same master.
 */
export function checkAdvert(w: InstanceWire, pkt: Ipv4Packet, vrrp: VrrpPacket, checkAddresses: boolean): Checked {
  const p = w.params;
  const multicast = p.unicastPeers.length === 0;
  if (multicast && pkt.ttl !== 255) return { ok: false, reason: `invalid TTL/HL. Received ${pkt.ttl} and expect 255` };
  if (vrrp.version !== p.version) return { ok: false, reason: `wrong version. Received ${vrrp.version} and expect ${p.version}` };
  if (p.version === 2) {
    if (vrrp.authType > 2) return { ok: false, reason: `Invalid auth type: ${vrrp.authType}` };
    if (vrrp.authType !== w.authType) return { ok: false, reason: `received a ${vrrp.authType} auth, expecting ${w.authType}!` };
    if (w.authType === 1 && vrrp.authData !== w.authPass) return { ok: false, reason: 'received an invalid passwd!' };
    const mine = Math.floor(p.advertInt / 1_000_000);
    if (vrrp.adverInt !== mine) return { ok: false, reason: `advertisement interval mismatch mine=${mine} sec rcv'd=${vrrp.adverInt} sec` };
  }
  if (vrrp.type !== 1) return { ok: false, reason: `Invalid packet type. ${vrrp.type} and expect 1` };
  if (checkAddresses && vrrp.addresses.length !== p.vips.length) {
    return { ok: false, reason: `received an unexpected ip number count ${vrrp.addresses.length}, expected ${p.vips.length}!` };
  }
  if (vrrp.checksum !== vrrpChecksum(vrrp, pkt.src, pkt.dst)) return { ok: false, reason: `Invalid VRRPv${p.version} checksum` };
  if (multicast && pkt.dst !== VRRP_GROUP) return { ok: false, reason: 'Expected multicast packet but received unicast packet' };
  if (checkAddresses) {
    const missing = p.vips.find((v) => !vrrp.addresses.includes(v.address));
    if (missing) {
      return { ok: false, reason: `ip address associated with VRID ${p.vrid} not present in MASTER advert: ${formatIpv4(missing.address)}` };
    }
  }
  const adverInt = p.version === 2 ? vrrp.adverInt * 1_000_000 : vrrp.adverInt * 10_000;
  return { ok: true, adverInt };
}
