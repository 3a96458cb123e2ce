import { describe, expect, it } from 'vitest';
import { ipv4 } from '../../../src/net/addr';
import {
  expectedChecksum,
  foldChecksum,
  internetChecksum,
  onesComplementSum,
  pseudoHeaderSum,
} from '../../../src/net/codec/checksum';
import { fromHex } from './helpers';

describe('internet checksum', () => {
  it('matches the RFC 1071 §3 example: sum ddf2, checksum 220d', () => {
    const bytes = fromHex('0001f203f4f5f6f7');
    expect(foldChecksum(onesComplementSum(bytes, 0, bytes.length))).toBe(~0xddf2 & 0xffff);
    expect(internetChecksum(bytes)).toBe(0x220d);
  });

  it('pads an odd trailing byte with zero', () => {
    expect(internetChecksum(fromHex('0001f2'))).toBe(internetChecksum(fromHex('0001f200')));
  });

  it('is 0xffff for all-zero data and folds carries more than once', () => {
    expect(internetChecksum(new Uint8Array(6))).toBe(0xffff);
    expect(internetChecksum(new Uint8Array(4000).fill(0xff))).toBe(0);
  });

  it('gives the well-known worked IPv4 header example (0xb861)', () => {
    const header = fromHex('450000730000400040110000c0a80001c0a800c7');
    expect(internetChecksum(header)).toBe(0xb861);
  });

  it('expectedChecksum ignores the stored field and sums the rest', () => {
    const header = fromHex('45000073000040004011ffffc0a80001c0a800c7');
    expect(expectedChecksum(header, 0, header.length, 10)).toBe(0xb861);
    expect(expectedChecksum(new Uint8Array([0, 0, 0x12, 0x34]), 0, 4, 2)).toBe(0xffff);
  });

  it('pseudo-header sum adds both addresses, protocol and length', () => {
    const sum = pseudoHeaderSum(ipv4('10.0.0.1'), ipv4('10.0.0.2'), 6, 20);
    expect(sum).toBe(0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 6 + 20);
  });
});
