import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/sim/rng';
import { decodeFrame, encodeFrame, frameLength } from '../../../src/net/codec/ethernet';
import { fromHex, randomFrame } from './helpers';

const FRAMES = 2000;

describe('frame codec properties', () => {
  it('decode(encode(frame)) is the frame, for random frames of every kind', () => {
    const rng = new Rng('codec-roundtrip');
    const kinds = new Set<string>();
    for (let i = 0; i < FRAMES; i++) {
      const frame = randomFrame(rng);
      const bytes = encodeFrame(frame);
      expect(bytes.length).toBe(frameLength(frame));
      expect(decodeFrame(bytes)).toEqual({ frame });
      kinds.add(frame.payload.kind === 'arp' ? 'arp' : frame.payload.payload.kind);
    }
    expect([...kinds].sort()).toEqual(['arp', 'icmp', 'tcp', 'udp', 'vrrp']);
  });

  it('every proper prefix of an encoded frame is rejected as truncated', () => {
    const rng = new Rng('codec-truncation');
    for (let i = 0; i < 200; i++) {
      const bytes = encodeFrame(randomFrame(rng));
      for (let n = 0; n < bytes.length; n++) {
        const { frame, error } = decodeFrame(bytes.subarray(0, n));
        expect(frame).toBeUndefined();
        expect(error).toMatch(/truncated|does not fit/);
      }
    }
  });

  it('any single flipped bit of an IPv4 packet is caught by a length or checksum check', () => {
    const rng = new Rng('codec-bitflip');
    for (let i = 0; i < 300; i++) {
      const frame = randomFrame(rng);
      if (frame.payload.kind !== 'ipv4') continue;
      const bytes = encodeFrame(frame);
      const bit = 14 * 8 + rng.int((bytes.length - 14) * 8);
      bytes[bit >>> 3] ^= 0x80 >>> (bit & 7);
      const { frame: decoded, error } = decodeFrame(bytes);
      expect(decoded, `bit ${bit} of ${bytes.length} bytes`).toBeUndefined();
      expect(error).toMatch(/^(ipv4|vrrp|tcp|udp|icmp): /);
    }
  });

  it('reports the Ethernet-level problems', () => {
    expect(decodeFrame(new Uint8Array(13)).error).toBe('ethernet: truncated header (13 bytes)');
    const ipv6 = fromHex('333300000001020000000001' + '86dd' + '00'.repeat(40));
    expect(decodeFrame(ipv6).error).toBe('ethernet: unsupported ethertype 0x86dd');
  });
});

describe('IPv4 header checks', () => {
  // ICMP echo request from the ICMP vector (built with scapy).
  const ECHO = '02000000000202000000000108004500002400034000400126d40a0000010a00000208002427424200016162636465666768';

  function edit(offset: number, value: number): Uint8Array {
    const b = fromHex(ECHO);
    b[14 + offset] = value;
    return b;
  }

  it('rejects a bad header checksum, naming both values', () => {
    expect(decodeFrame(edit(8, 63)).error).toBe('ipv4: bad header checksum 0x26d4, expected 0x27d4');
  });

  it('rejects other versions, options, fragments and unknown protocols', () => {
    expect(decodeFrame(edit(0, 0x65)).error).toBe('ipv4: version 6');
    expect(decodeFrame(edit(0, 0x46)).error).toBe('ipv4: options not supported (header length 24)');
    expect(decodeFrame(edit(6, 0x60)).error).toBe('ipv4: fragments not supported');
    expect(decodeFrame(edit(7, 0x01)).error).toBe('ipv4: fragments not supported');
    const gre = edit(9, 47);
    gre[14 + 11] = 0xa6; // header checksum redone: protocol +46, checksum 0x26d4 - 0x2e
    expect(decodeFrame(gre).error).toBe('ipv4: unsupported protocol 47');
  });

  it('ignores Ethernet padding after the total length', () => {
    const padded = fromHex(ECHO + '00'.repeat(10));
    expect(decodeFrame(padded)).toEqual(decodeFrame(fromHex(ECHO)));
  });
});
