import { describe, expect, it } from 'vitest';
import { decodeSyncMessage, encodeSyncMessage, type SyncConnRecord } from '../../../../src/kernel/ipvs/sync';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** An ESTABLISHED NAT entry 172.16.23.1:40000 → 172.16.23.80:80 → 192.168.23.80:80 and its template. */
const CONN: SyncConnRecord = {
  protocol: 6,
  flags: 0,
  state: 1,
  cport: 40000,
  vport: 80,
  dport: 80,
  fwmark: 0,
  timeout: 900,
  caddr: 0xac101701,
  vaddr: 0xac101750,
  daddr: 0xc0a81750,
};
const TEMPLATE: SyncConnRecord = { ...CONN, flags: 0x1100, state: 1, cport: 0, timeout: 5 };

describe('IPVS sync message, version 1', () => {
  it('lays out the header and a 36-byte IPv4 entry as struct ip_vs_sync_mesg / ip_vs_sync_v4 say', () => {
    const b = encodeSyncMessage({ syncid: 11, conns: [CONN] });
    // Worked out field by field from the struct layout:
    // header: reserved 00, syncid 0b, size 002c (8 + 36 = 44), nr_conns 01, version 01, spare 0000
    // entry: type 00, protocol 06 (TCP), ver_size 0024 (version 0, length 36), flags 00000000 (NAT, active),
    // state 0001 (ESTABLISHED), cport 9c40 (40000), vport 0050, dport 0050, fwmark 00000000,
    // timeout 00000384 (900 s), caddr ac101701, vaddr ac101750, daddr c0a81750
    expect(hex(b)).toBe(
      '000b002c01010000' + '00060024' + '00000000' + '0001' + '9c40' + '0050' + '0050' + '00000000' + '00000384' + 'ac101701' + 'ac101750' + 'c0a81750',
    );
    expect(b.length).toBe(44);
  });

  it('round-trips several entries', () => {
    const b = encodeSyncMessage({ syncid: 0, conns: [CONN, TEMPLATE] });
    expect(b.length).toBe(8 + 2 * 36);
    expect(decodeSyncMessage(b)).toEqual({ syncid: 0, conns: [CONN, TEMPLATE] });
  });

  it('refuses a message whose size field disagrees with the datagram, and cut ones', () => {
    const b = encodeSyncMessage({ syncid: 1, conns: [CONN] });
    expect(decodeSyncMessage(b.subarray(0, 40)).dropped).toBe('bogus message size');
    expect(decodeSyncMessage(b.subarray(0, 3)).dropped).toBe('message header too short');
    const lying = b.slice();
    lying[4] = 2; // says two entries, carries one
    expect(decodeSyncMessage(lying)).toEqual({ syncid: 1, conns: [CONN], dropped: 'Dropping buffer, too small' });
  });

  it('tells a version 0 message (first byte = entry count) from version 1', () => {
    const v0 = new Uint8Array([1, 0, 0, 28, ...new Array<number>(24).fill(0)]);
    expect(decodeSyncMessage(v0).dropped).toBe('version 0 message');
  });

  it('skips IPv6 entries and entries with an unknown mandatory option, drops the rest on a bad option', () => {
    // An entry with a 4-byte unknown mandatory option (type 9), then a plain one.
    const withOpt = new Uint8Array(8 + 40 + 36);
    const one = encodeSyncMessage({ syncid: 0, conns: [CONN] });
    withOpt.set(one.subarray(8, 44), 8);
    withOpt.set([9, 2, 0xaa, 0xbb], 44);
    withOpt.set(one.subarray(8, 44), 48);
    const v = new DataView(withOpt.buffer);
    v.setUint16(2, withOpt.length);
    v.setUint8(4, 2);
    v.setUint8(5, 1);
    v.setUint16(8 + 2, 40);
    expect(decodeSyncMessage(withOpt).conns).toEqual([CONN]);
    // The same option marked optional (bit 7): both entries are taken.
    withOpt[44] = 0x89;
    expect(decodeSyncMessage(withOpt).conns).toEqual([CONN, CONN]);
    // A zero-length option is an error: this entry and the next are lost.
    withOpt[45] = 0;
    expect(decodeSyncMessage(withOpt)).toMatchObject({ conns: [], dropped: 'Dropping buffer, Err in decoding' });
    // An IPv6 entry (type bit 0, 84 bytes) is skipped; one too short for its type is an error.
    const plain = encodeSyncMessage({ syncid: 0, conns: [CONN] });
    const six = new Uint8Array(8 + 84 + 36);
    six.set(plain.subarray(0, 8));
    six.set([1, 6, 0, 84], 8);
    six.set(plain.subarray(8), 92);
    new DataView(six.buffer).setUint16(2, six.length);
    six[4] = 2;
    expect(decodeSyncMessage(six).conns).toEqual([CONN]);
    const short = encodeSyncMessage({ syncid: 0, conns: [CONN, CONN] });
    short[8] = 1;
    expect(decodeSyncMessage(short)).toMatchObject({ conns: [], dropped: 'Dropping buffer, Err in decoding' });
  });
});
