import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from '../../../src/net/codec/ethernet';
import { TCP_SYN, type EthernetFrame } from '../../../src/net/packets';
import { hex, readPcap } from './helpers';

// ping, curl to an HTTP server and a UDP datagram to a closed port between two Linux 6.18 network
// namespaces (see test/fixtures/net/README.md); TX checksum offload off so the checksums are real.
const captured = readPcap('linux-6.18-ping-http-udp.pcap');

function summary(f: EthernetFrame): string {
  if (f.payload.kind === 'arp') return `arp ${f.payload.op}`;
  const p = f.payload.payload;
  return p.kind === 'tcp' ? `tcp ${p.flags.toString(16)}${p.mss ? ` mss ${p.mss}` : ''}` : `${p.kind}${p.kind === 'icmp' ? ` ${p.type}/${p.code}` : ''}`;
}

describe('Linux capture (ARP, ICMP echo, TCP/HTTP, UDP, ICMP port unreachable)', () => {
  const decoded = captured.map((b) => decodeFrame(b));

  it('every frame decodes with its checksums verified', () => {
    expect(decoded.map((d) => d.error)).toEqual(captured.map(() => undefined));
    expect(decoded.map((d) => summary(d.frame!))).toEqual([
      'arp 1',
      'arp 2',
      'icmp 8/0',
      'icmp 0/0',
      'icmp 8/0',
      'icmp 0/0',
      'tcp 2 mss 1460',
      'tcp 12 mss 1460',
      'tcp 10',
      'tcp 18',
      'tcp 10',
      'tcp 18',
      'tcp 10',
      'tcp 18',
      'tcp 10',
      'tcp 11',
      'tcp 11',
      'tcp 10',
      'udp',
      'icmp 3/3',
    ]);
  });

  it('frames without TCP options (which TcpSegment does not keep beyond MSS) re-encode byte for byte', () => {
    captured.forEach((bytes, i) => {
      const frame = decoded[i].frame!;
      if (frame.payload.kind === 'ipv4' && frame.payload.payload.kind === 'tcp') return;
      expect(hex(encodeFrame(frame)), `frame ${i + 1}`).toBe(hex(bytes));
    });
  });

  it('a SYN re-encodes with only its MSS option, still a valid frame', () => {
    const syn = decoded[6].frame!;
    expect(syn.payload.kind === 'ipv4' && syn.payload.payload.kind === 'tcp' && syn.payload.payload.flags).toBe(TCP_SYN);
    expect(decodeFrame(encodeFrame(syn))).toEqual({ frame: syn });
  });
});
