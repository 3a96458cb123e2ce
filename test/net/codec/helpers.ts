import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../../src/sim/rng';
import { ipv4, parseMac } from '../../../src/net/addr';
import {
  ARP_REPLY,
  ARP_REQUEST,
  ICMP_DEST_UNREACH,
  ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST,
  type EthernetFrame,
  type IpPayload,
  type Ipv4Packet,
} from '../../../src/net/packets';
import { encodeIpv4 } from '../../../src/net/codec/ipv4';
import { makeVrrpAdvert } from '../../../src/net/codec/vrrp';

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function fromHex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'hex'));
}

export function mac(text: string): number {
  const m = parseMac(text);
  if (m === undefined) throw new Error(`not a MAC: ${text}`);
  return m;
}

export const HOST_MAC = mac('02:42:ac:10:17:65');
export const VIP = ipv4('172.16.23.80');

function u32(rng: Rng): number {
  return rng.int(0x1_0000_0000);
}

function macOf(rng: Rng): number {
  return rng.int(0x1_0000) * 0x1_0000_0000 + u32(rng);
}

function bytesOf(rng: Rng, max: number): Uint8Array {
  const b = new Uint8Array(rng.int(max + 1));
  for (let i = 0; i < b.length; i++) b[i] = rng.int(256);
  return b;
}

function payloadOf(rng: Rng, src: number, dst: number): IpPayload {
  switch (rng.int(4)) {
    case 0: {
      const version = rng.chance(0.5) ? 2 : 3;
      const password = 'abcdefgh'.slice(0, rng.int(9));
      const addresses = Array.from({ length: rng.int(6) }, () => u32(rng));
      return makeVrrpAdvert(
        {
          version,
          vrid: rng.between(1, 255),
          priority: rng.int(256),
          adverInt: version === 2 ? rng.between(1, 255) : rng.between(1, 4095),
          addresses,
          authType: password ? 1 : 0,
          authData: password,
        },
        src,
        dst,
      );
    }
    case 1: {
      const base = {
        kind: 'tcp' as const,
        srcPort: rng.int(65536),
        dstPort: rng.int(65536),
        seq: u32(rng),
        ack: u32(rng),
        flags: rng.int(256),
        window: rng.int(65536),
        data: bytesOf(rng, 64),
      };
      return rng.chance(0.5) ? { ...base, mss: rng.int(65536) } : base;
    }
    case 2:
      return { kind: 'udp', srcPort: rng.int(65536), dstPort: rng.int(65536), data: bytesOf(rng, 64) };
    default: {
      const type = [ICMP_ECHO_REQUEST, ICMP_ECHO_REPLY, ICMP_DEST_UNREACH][rng.int(3)];
      return { kind: 'icmp', type, code: rng.int(16), id: rng.int(65536), seq: rng.int(65536), data: bytesOf(rng, 64) };
    }
  }
}

/** A random but valid frame of any supported kind: every field drawn over its full wire range. */
export function randomFrame(rng: Rng): EthernetFrame {
  if (rng.chance(0.2)) {
    return {
      dst: macOf(rng),
      src: macOf(rng),
      payload: {
        kind: 'arp',
        op: rng.chance(0.5) ? ARP_REQUEST : ARP_REPLY,
        senderMac: macOf(rng),
        senderIp: u32(rng),
        targetMac: macOf(rng),
        targetIp: u32(rng),
      },
    };
  }
  const src = u32(rng);
  const dst = u32(rng);
  const packet: Ipv4Packet = {
    kind: 'ipv4',
    tos: rng.int(256),
    id: rng.int(65536),
    df: rng.chance(0.5),
    ttl: rng.int(256),
    src,
    dst,
    payload: payloadOf(rng, src, dst),
  };
  return { dst: macOf(rng), src: macOf(rng), payload: packet };
}

/** ICMP destination unreachable quoting the offending packet's IP header + 8 bytes (RFC 792). */
export function unreachableFor(offending: Ipv4Packet, code: number): IpPayload {
  return { kind: 'icmp', type: ICMP_DEST_UNREACH, code, id: 0, seq: 0, data: encodeIpv4(offending).slice(0, 28) };
}

/** The frames of a fixture in test/fixtures/net: a little-endian µs pcap as tcpdump writes it. */
export function readPcap(name: string): Uint8Array[] {
  const file = new Uint8Array(readFileSync(join(__dirname, '../../fixtures/net', name)));
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (v.getUint32(0, true) !== 0xa1b2c3d4) throw new Error(`${name}: not a little-endian µs pcap`);
  const frames: Uint8Array[] = [];
  for (let off = 24; off < file.length; ) {
    const length = v.getUint32(off + 8, true);
    frames.push(file.subarray(off + 16, off + 16 + length));
    off += 16 + length;
  }
  return frames;
}
