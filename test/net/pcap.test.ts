import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BROADCAST_MAC, ipv4, multicastMac, ZERO_MAC, type Ipv4 } from '../../src/net/addr';
import { encodeFrame } from '../../src/net/codec/ethernet';
import { makeVrrpAdvert } from '../../src/net/codec/vrrp';
import {
  ARP_REPLY,
  ARP_REQUEST,
  ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST,
  TCP_ACK,
  TCP_FIN,
  TCP_PSH,
  TCP_SYN,
  type EthernetFrame,
  type IpPayload,
  type Ipv4Packet,
} from '../../src/net/packets';
import { PcapWriter } from '../../src/net/pcap';
import { hex, mac, unreachableFor } from './codec/helpers';

describe('PcapWriter', () => {
  it('writes the nanosecond global header: magic, 2.4, zone 0, sigfigs 0, snaplen 262144, Ethernet', () => {
    const bytes = new PcapWriter(0).toBytes();
    expect(hex(bytes)).toBe('4d3cb2a1' + '02000400' + '00000000' + '00000000' + '00000400' + '01000000');
  });

  it('stamps records with epoch + simulated time in ns and copies the frame', () => {
    const w = new PcapWriter(Date.UTC(2026, 0, 1, 0, 0, 0, 999));
    w.add(2_500_001, new Uint8Array([1, 2, 3]));
    const record = w.toBytes().subarray(24);
    const v = new DataView(record.buffer, record.byteOffset);
    expect(v.getUint32(0, true)).toBe(Date.UTC(2026, 0, 1) / 1000 + 3); // 0.999 s + 2.500001 s carries
    expect(v.getUint32(4, true)).toBe(499_001_000);
    expect(v.getUint32(8, true)).toBe(3);
    expect(v.getUint32(12, true)).toBe(3);
    expect([...record.subarray(16)]).toEqual([1, 2, 3]);
  });

  it('cuts frames longer than the snaplen but keeps their original length', () => {
    const w = new PcapWriter(0);
    w.add(0, new Uint8Array(262144 + 10));
    const v = new DataView(w.toBytes().buffer, 24);
    expect(v.getUint32(8, true)).toBe(262144);
    expect(v.getUint32(12, true)).toBe(262144 + 10);
    expect(w.toBytes().length).toBe(24 + 16 + 262144);
  });
});

describe('PcapWriter.addFrame', () => {
  it('writes the same record as add(encodeFrame(frame)), across block boundaries', () => {
    const frames = conversation();
    const viaBytes = new PcapWriter(1_000);
    const direct = new PcapWriter(1_000);
    for (let round = 0; round < 200; round++) {
      frames.forEach(({ frame }, i) => {
        viaBytes.add(round * 1_000_000 + i, encodeFrame(frame));
        direct.addFrame(round * 1_000_000 + i, frame);
      });
    }
    expect(direct.toBytes().length).toBeGreaterThan(3 * 64 * 1024);
    expect(hex(direct.toBytes())).toBe(hex(viaBytes.toBytes()));
  });
});

// ---- a small LAN conversation covering every codec, checked by tshark -------------------------

const ROUTER_A = mac('02:42:ac:10:17:64');
const ROUTER_B = mac('02:42:ac:10:17:65');
const CLIENT = mac('02:42:ac:10:17:0a');
const A = ipv4('172.16.23.100');
const B = ipv4('172.16.23.101');
const C = ipv4('172.16.23.10');
const VIP = ipv4('172.16.23.80');
const GROUP = ipv4('224.0.0.18');
const text = (s: string) => new TextEncoder().encode(s);

let ipId = 0;
function ip(src: Ipv4, dst: Ipv4, payload: IpPayload, extra: Partial<Ipv4Packet> = {}): Ipv4Packet {
  return { kind: 'ipv4', tos: 0, id: ++ipId, df: true, ttl: 64, src, dst, payload, ...extra };
}

function conversation(): Array<{ frame: EthernetFrame; stack: string }> {
  const out: Array<{ frame: EthernetFrame; stack: string }> = [];
  const add = (dst: number, src: number, payload: EthernetFrame['payload'], stack: string) =>
    out.push({ frame: { dst, src, payload }, stack });
  const arp = 'eth:ethertype:arp';
  add(BROADCAST_MAC, CLIENT, { kind: 'arp', op: ARP_REQUEST, senderMac: CLIENT, senderIp: C, targetMac: ZERO_MAC, targetIp: VIP }, arp);
  add(CLIENT, ROUTER_B, { kind: 'arp', op: ARP_REPLY, senderMac: ROUTER_B, senderIp: VIP, targetMac: CLIENT, targetIp: C }, arp);
  add(BROADCAST_MAC, ROUTER_B, { kind: 'arp', op: ARP_REQUEST, senderMac: ROUTER_B, senderIp: VIP, targetMac: BROADCAST_MAC, targetIp: VIP }, arp);

  const vrrp = { tos: 0xc0, ttl: 255, df: false };
  const v2 = makeVrrpAdvert({ version: 2, vrid: 10, priority: 99, adverInt: 1, addresses: [VIP], authType: 1, authData: '192pass' }, B, GROUP);
  add(multicastMac(GROUP), ROUTER_B, ip(B, GROUP, v2, vrrp), 'eth:ethertype:ip:vrrp');
  const v3 = makeVrrpAdvert({ version: 3, vrid: 11, priority: 100, adverInt: 100, addresses: [VIP, ipv4('172.16.23.81')] }, A, GROUP);
  add(multicastMac(GROUP), ROUTER_A, ip(A, GROUP, v3, vrrp), 'eth:ethertype:ip:vrrp');

  const ping = text('0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdef');
  add(ROUTER_B, CLIENT, ip(C, VIP, { kind: 'icmp', type: ICMP_ECHO_REQUEST, code: 0, id: 77, seq: 1, data: ping }), 'eth:ethertype:ip:icmp:data');
  add(CLIENT, ROUTER_B, ip(VIP, C, { kind: 'icmp', type: ICMP_ECHO_REPLY, code: 0, id: 77, seq: 1, data: ping }), 'eth:ethertype:ip:icmp:data');

  // TCP handshake, HTTP GET and response, orderly close.
  const tcp = (src: Ipv4, dst: Ipv4, sport: number, dport: number, seq: number, ack: number, flags: number, data = new Uint8Array(0), mss?: number) =>
    ip(src, dst, { kind: 'tcp', srcPort: sport, dstPort: dport, seq, ack, flags, window: 64240, data, ...(mss ? { mss } : {}) });
  const get = text('GET / HTTP/1.1\r\nHost: 172.16.23.80\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n');
  const body = 'hello from web1\n';
  const response = text(`HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  const c0 = 1_000_000;
  const s0 = 3_000_000_000;
  const tcpStack = 'eth:ethertype:ip:tcp';
  add(ROUTER_B, CLIENT, tcp(C, VIP, 40000, 80, c0, 0, TCP_SYN, undefined, 1460), tcpStack);
  add(CLIENT, ROUTER_B, tcp(VIP, C, 80, 40000, s0, c0 + 1, TCP_SYN | TCP_ACK, undefined, 1460), tcpStack);
  add(ROUTER_B, CLIENT, tcp(C, VIP, 40000, 80, c0 + 1, s0 + 1, TCP_ACK), tcpStack);
  add(ROUTER_B, CLIENT, tcp(C, VIP, 40000, 80, c0 + 1, s0 + 1, TCP_PSH | TCP_ACK, get), `${tcpStack}:http`);
  add(CLIENT, ROUTER_B, tcp(VIP, C, 80, 40000, s0 + 1, c0 + 1 + get.length, TCP_ACK), tcpStack);
  add(CLIENT, ROUTER_B, tcp(VIP, C, 80, 40000, s0 + 1, c0 + 1 + get.length, TCP_PSH | TCP_ACK, response), `${tcpStack}:http:data-text-lines`);
  add(ROUTER_B, CLIENT, tcp(C, VIP, 40000, 80, c0 + 1 + get.length, s0 + 1 + response.length, TCP_FIN | TCP_ACK), tcpStack);
  add(CLIENT, ROUTER_B, tcp(VIP, C, 80, 40000, s0 + 1 + response.length, c0 + 2 + get.length, TCP_FIN | TCP_ACK), tcpStack);
  add(ROUTER_B, CLIENT, tcp(C, VIP, 40000, 80, c0 + 2 + get.length, s0 + 2 + response.length, TCP_ACK), tcpStack);

  // UDP to a closed port and the ICMP port unreachable quoting it.
  const probe = ip(C, VIP, { kind: 'udp', srcPort: 33434, dstPort: 33435, data: text('probe-payload') });
  add(ROUTER_B, CLIENT, probe, 'eth:ethertype:ip:udp:data');
  add(CLIENT, ROUTER_B, ip(VIP, C, unreachableFor(probe, 3), { tos: 0xc0, df: false }), 'eth:ethertype:ip:icmp:ip:udp');
  return out;
}

function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const tshark = hasTshark();
if (!tshark) console.warn('pcap.test: tshark not on PATH, skipping the Wireshark dissection check (apt-get install tshark)');

describe.skipIf(!tshark)('pcap dissected by tshark', () => {
  it('every frame has the expected protocol stack, nothing malformed, every checksum good', () => {
    const frames = conversation();
    const w = new PcapWriter(Date.UTC(2026, 10, 25, 19, 0, 0));
    frames.forEach(({ frame }, i) => w.addFrame(i * 1000 + 1, frame));
    const dir = mkdtempSync(join(tmpdir(), 'vrrpsim-pcap-'));
    try {
      const file = join(dir, 'lan.pcap');
      writeFileSync(file, w.toBytes());
      const fields = ['frame.protocols', '_ws.malformed', 'ip.checksum.status', 'tcp.checksum.status', 'udp.checksum.status', 'icmp.checksum.status', 'vrrp.checksum.status', 'arp.isgratuitous', 'tcp.analysis.flags', 'frame.time_epoch'];
      const output = execFileSync(
        'tshark',
        ['-r', file, '-n', '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-T', 'fields', '-E', 'separator=|', ...fields.flatMap((f) => ['-e', f])],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const rows = output.trimEnd().split('\n').map((line) => line.split('|'));
      expect(rows.length).toBe(frames.length);
      rows.forEach((row, i) => {
        const [stack, malformed, ipStatus, tcpStatus, udpStatus, icmpStatus, vrrpStatus, gratuitous, tcpAnalysis] = row;
        const what = `frame ${i + 1}: ${row.join('|')}`;
        expect(stack, what).toBe(frames[i].stack);
        expect(malformed, what).toBe('');
        // Wireshark's checksum status: 0 bad, 1 good, 2 unverified. An ICMP error quotes the offending
        // packet's IP header (verified) and only 8 bytes of its UDP datagram, which cannot be verified.
        const quoted = stack.includes(':icmp:ip:');
        const statuses = [ipStatus, tcpStatus, quoted ? '' : udpStatus, icmpStatus, vrrpStatus].join(',').split(',');
        const present = statuses.filter((s) => s !== '');
        expect(present.every((s) => s === '1'), what).toBe(true);
        if (frames[i].frame.payload.kind === 'ipv4') expect(present.length, what).toBeGreaterThanOrEqual(2);
        if (quoted) expect(udpStatus, what).toBe('2');
        // Sequence/ack numbers consistent: no retransmission, lost-segment or zero-window warnings.
        expect(tcpAnalysis, what).toBe('');
        if (stack.endsWith(':arp')) expect(gratuitous, what).toBe(i === 2 ? '1' : ''); // the field is only present on a GARP
      });
      const start = Date.UTC(2026, 10, 25, 19, 0, 0) / 1000;
      expect(rows[1].at(-1)).toBe(`${start}.001001000`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
