import { Simulator } from '../src/sim/simulator';
import { Lan } from '../src/net/lan';
import { ICMP_ECHO_REQUEST, IPPROTO_VRRP } from '../src/net/packets';
import { makeVrrpAdvert } from '../src/net/codec';
import { Host } from '../src/host/host';
import { MS, SECOND } from '../src/sim/time';

/**
 * Packet-level traffic: `n` hosts on one LAN; each pings the next one every 10 ms (ARP, unicast IP,
 * ICMP replies) and multicasts a VRRP-like advert to 224.0.0.18 every 100 ms through a raw socket that
 * every host has joined. Returns events per wall second and simulated seconds per wall second.
 */
export function benchPackets(simSeconds: number, n = 20): { events: number; seconds: number; rate: number; simPerWall: number; frames: number } {
  const sim = new Simulator({ seed: 1 });
  const lan = new Lan(sim, 'lan', { latency: 200 });
  const hosts: Host[] = [];
  for (let i = 0; i < n; i++) {
    const h = new Host(sim, `h${i}`, { epochMs: 0 });
    h.addNic('eth0', 0x525400000100 + i);
    h.plug('eth0', lan);
    h.addAddress({ dev: 'eth0', ip: 0x0a000001 + i, prefix: 24, broadcast: '+' });
    hosts.push(h);
  }
  const group = 0xe0000012;
  const data = new Uint8Array(56);
  hosts.forEach((h, i) => {
    const sock = h.openRawSocket(IPPROTO_VRRP, 'eth0');
    sock.joinGroup(group);
    sock.onPacket = () => {};
    const src = 0x0a000001 + i;
    const advert = makeVrrpAdvert({ version: 2, vrid: 10, priority: 100, authType: 1, authData: '192pass', adverInt: 1, addresses: [0x0a000050] }, src, group);
    const echoId = h.icmp.openEcho(() => {}).id;
    const peer = 0x0a000001 + ((i + 1) % n);
    let seq = 0;
    const ping = (): void => {
      h.ip.send({ dst: peer, payload: { kind: 'icmp', type: ICMP_ECHO_REQUEST, code: 0, id: echoId, seq: seq++ & 0xffff, data } });
      sim.schedule(10 * MS, ping);
    };
    const advertise = (): void => {
      sock.send({ dst: group, payload: advert, ttl: 255, tos: 0xc0 });
      sim.schedule(100 * MS, advertise);
    };
    sim.schedule(i * 97, ping);
    sim.schedule(i * 1013, advertise);
  });
  const start = process.hrtime.bigint();
  sim.runUntil(simSeconds * SECOND);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { events: sim.eventsProcessed, seconds, rate: sim.eventsProcessed / seconds, simPerWall: simSeconds / seconds, frames: lan.framesForwarded };
}
