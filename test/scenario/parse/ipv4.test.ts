import { describe, expect, it } from 'vitest';
import {
  broadcastOf,
  formatIpv4,
  inSubnet,
  networkOf,
  parseCidrExplained,
  parseIpv4Explained,
} from '../../../src/scenario/parse/ipv4';

describe('IPv4 helpers', () => {
  it('parses dotted quads', () => {
    expect(parseIpv4Explained('172.16.23.80')).toEqual({ value: 0xac101750 });
    expect(parseIpv4Explained('255.255.255.255')).toEqual({ value: 0xffffffff });
    expect(formatIpv4(0xac101750)).toBe('172.16.23.80');
  });

  it.each([
    ['172.16.23.300', '300 is more than 255'],
    ['172.16.23', 'an IPv4 address has four numbers separated by dots'],
    ['172.16.x.1', "'x' is not a number"],
    ['172.16.023.1', "'023' has a leading zero"],
  ])('says why %s is not an address', (text, reason) => {
    expect(parseIpv4Explained(text)).toEqual({ reason });
  });

  it('parses address/prefix', () => {
    expect(parseCidrExplained('192.168.23.100/24')).toEqual({ value: 0xc0a81764, prefix: 24 });
    expect(parseCidrExplained('10.0.0.1')).toEqual({ reason: 'a prefix length is needed, like /24' });
    expect(parseCidrExplained('10.0.0.1/33')).toEqual({ reason: "'/33' is not a prefix length 0..32" });
  });

  it('computes networks and broadcasts at the edges', () => {
    expect(networkOf(0xc0a81764, 24)).toBe(0xc0a81700);
    expect(networkOf(0xc0a81764, 0)).toBe(0);
    expect(networkOf(0xc0a81764, 32)).toBe(0xc0a81764);
    expect(broadcastOf(0xc0a81700, 24)).toBe(0xc0a817ff);
    expect(broadcastOf(0x80000000, 1)).toBe(0xffffffff);
    expect(broadcastOf(0, 0)).toBe(0xffffffff);
    expect(inSubnet(0xac101750, 0xac101700, 24)).toBe(true);
    expect(inSubnet(0xac101850, 0xac101700, 24)).toBe(false);
  });
});
