import { describe, expect, it } from 'vitest';
import { BROADCAST_MAC, ipv4, multicastMac } from '../../../src/net/addr';
import { decodeFrame, encodeFrame } from '../../../src/net/codec/ethernet';
import { makeVrrpAdvert } from '../../../src/net/codec/vrrp';
import { ARP_REQUEST, type EthernetFrame } from '../../../src/net/packets';
import { hex, HOST_MAC, readPcap, VIP } from './helpers';

const SRC = ipv4('172.16.23.101');
const GROUP = ipv4('224.0.0.18');

const garp: EthernetFrame = {
  dst: BROADCAST_MAC,
  src: HOST_MAC,
  payload: { kind: 'arp', op: ARP_REQUEST, senderMac: HOST_MAC, senderIp: VIP, targetMac: BROADCAST_MAC, targetIp: VIP },
};

function advert(id: number, version: 2 | 3, priority: number): EthernetFrame {
  const vrrp =
    version === 2
      ? makeVrrpAdvert({ version, vrid: 10, priority, adverInt: 1, addresses: [VIP], authType: 1, authData: '192pass' }, SRC, GROUP)
      : makeVrrpAdvert({ version, vrid: 10, priority, adverInt: 100, addresses: [VIP] }, SRC, GROUP);
  return {
    dst: multicastMac(GROUP),
    src: HOST_MAC,
    payload: { kind: 'ipv4', tos: 0xc0, id, df: false, ttl: 255, src: SRC, dst: GROUP, payload: vrrp },
  };
}

/** What keepalived sent in each run: advert, 5 GARPs, adverts (IP id counting from 1), priority-0 advert. */
function expected(version: 2 | 3, adverts: number): EthernetFrame[] {
  const frames = [advert(1, version, 99), garp, garp, garp, garp, garp];
  for (let id = 2; id <= adverts; id++) frames.push(advert(id, version, 99));
  frames.push(advert(adverts + 1, version, 0));
  return frames;
}

describe.each([
  { version: 2 as const, file: 'keepalived-2.2.7-vrrp2-pass.pcap', adverts: 2 },
  { version: 3 as const, file: 'keepalived-2.2.7-vrrp3.pcap', adverts: 3 },
])('keepalived 2.2.7 VRRPv$version capture', ({ version, file, adverts }) => {
  const captured = readPcap(file);
  const frames = expected(version, adverts);

  it('decodes every captured frame to what our senders would build', () => {
    expect(captured.map((b) => decodeFrame(b))).toEqual(frames.map((frame) => ({ frame })));
  });

  it('encodes our frames to exactly the captured bytes', () => {
    expect(frames.map((f) => hex(encodeFrame(f)))).toEqual(captured.map(hex));
  });
});
