/**
 * IPVS connection sync messages, protocol version 1 (ip_vs_sync.c), byte for byte. All fields big-endian.
 *
 * Message header (8 bytes): reserved 0 | syncid | size (16, whole message) | nr_conns | version 1 | spare 0 (16).
 * IPv4 entry (36 bytes, ip_vs_sync_v4): type 0 | protocol | ver_size (16: version in the top 4 bits, 0, and
 * the entry's length with its options) | flags (32) | state (16) | cport | vport | dport (16 each) |
 * fwmark (32) | timeout in seconds (32) | caddr | vaddr | daddr (32 each), then optional parameters
 * (type, length, data); the next entry starts 32-bit aligned.
 */

export const SYNC_HEADER_LENGTH = 8;
export const SYNC_V4_LENGTH = 36;
const SYNC_V6_LENGTH = 84;
export const SYNC_PROTO_VER = 1;

/** Entry type bit: an IPv6 entry (ip_vs_sync_v6, 84 bytes). */
const STYPE_F_INET6 = 1;
const SVER_SHIFT = 12;
const SVER_MASK = 0x0fff;
/** Option types; bit 7 (IPVS_OPT_F_PARAM) marks an option a receiver may ignore. */
const IPVS_OPT_SEQ_DATA = 1;
const IPVS_OPT_PE_DATA = 2;
const IPVS_OPT_PE_NAME = 3;
const IPVS_OPT_F_PARAM = 0x80;
const SEQ_OPTIONS_LENGTH = 24;
const PE_DATA_MAXLEN = 255;
const PE_NAME_MAXLEN = 16;

/** One entry as carried: numbers as in the kernel (protocol number, flag word, state index, u32 addresses). */
export interface SyncConnRecord {
  readonly protocol: number;
  readonly flags: number;
  readonly state: number;
  readonly cport: number;
  readonly vport: number;
  readonly dport: number;
  readonly fwmark: number;
  /** Seconds. */
  readonly timeout: number;
  readonly caddr: number;
  readonly vaddr: number;
  readonly daddr: number;
}

export interface SyncMessage {
  readonly syncid: number;
  readonly conns: readonly SyncConnRecord[];
}

/** A master's message: the header and its IPv4 entries, without options (no sequence or PE data here). */
export function encodeSyncMessage(m: SyncMessage): Uint8Array {
  const size = SYNC_HEADER_LENGTH + SYNC_V4_LENGTH * m.conns.length;
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  v.setUint8(1, m.syncid);
  v.setUint16(2, size);
  v.setUint8(4, m.conns.length);
  v.setUint8(5, SYNC_PROTO_VER);
  let p = SYNC_HEADER_LENGTH;
  for (const c of m.conns) {
    v.setUint8(p, 0);
    v.setUint8(p + 1, c.protocol);
    v.setUint16(p + 2, SYNC_V4_LENGTH & SVER_MASK);
    v.setUint32(p + 4, c.flags >>> 0);
    v.setUint16(p + 8, c.state);
    v.setUint16(p + 10, c.cport);
    v.setUint16(p + 12, c.vport);
    v.setUint16(p + 14, c.dport);
    v.setUint32(p + 16, c.fwmark >>> 0);
    v.setUint32(p + 20, c.timeout >>> 0);
    v.setUint32(p + 24, c.caddr >>> 0);
    v.setUint32(p + 28, c.vaddr >>> 0);
    v.setUint32(p + 32, c.daddr >>> 0);
    p += SYNC_V4_LENGTH;
  }
  return b;
}

/** Why a received message, or its remainder, was thrown away (the kernel's debug/ratelimited texts). */
export type SyncDrop =
  | 'message header too short'
  | 'bogus message size'
  | 'version 0 message'
  | 'Dropping buffer, too small'
  | 'Dropping buffer, msg > buffer'
  | 'Dropping buffer, Unknown version'
  | 'Dropping buffer, Err in decoding';

export interface DecodedSyncMessage {
  readonly syncid: number;
  /** Entries in order, up to where the rest was dropped; IPv6 entries and entries with an unknown mandatory option are left out. */
  readonly conns: readonly SyncConnRecord[];
  readonly dropped?: SyncDrop;
}

/**
 * ip_vs_process_message's parsing: the whole message is refused if its length disagrees with `size`;
 * entries are taken one by one and a malformed one drops it and everything after it. Version 0 messages
 * (the kernel's sync_version=0 format) are recognised and reported, not decoded.
 */
export function decodeSyncMessage(b: Uint8Array): DecodedSyncMessage {
  if (b.length < 4) return { syncid: 0, conns: [], dropped: 'message header too short' };
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const syncid = v.getUint8(1);
  if (v.getUint16(2) !== b.length) return { syncid, conns: [], dropped: 'bogus message size' };
  if (b.length < SYNC_HEADER_LENGTH || v.getUint8(5) !== SYNC_PROTO_VER || v.getUint8(0) !== 0 || v.getUint16(6) !== 0) {
    return { syncid, conns: [], dropped: 'version 0 message' };
  }
  const conns: SyncConnRecord[] = [];
  const n = v.getUint8(4);
  let next = SYNC_HEADER_LENGTH;
  for (let i = 0; i < n; i++) {
    const p = next;
    if (p + SYNC_V4_LENGTH > b.length) return { syncid, conns, dropped: 'Dropping buffer, too small' };
    const verSize = v.getUint16(p + 2);
    const size = verSize & SVER_MASK;
    const end = p + size;
    if (end > b.length) return { syncid, conns, dropped: 'Dropping buffer, msg > buffer' };
    if (verSize >> SVER_SHIFT) return { syncid, conns, dropped: 'Dropping buffer, Unknown version' };
    const r = entry(b, v, p, end);
    if (r === 'error') return { syncid, conns, dropped: 'Dropping buffer, Err in decoding' };
    if (r !== 'skip') conns.push(r);
    next = p + ((size + 3) & ~3);
  }
  return { syncid, conns };
}

/** ip_vs_proc_sync_conn's checks of one entry and its options. */
function entry(b: Uint8Array, v: DataView, p: number, end: number): SyncConnRecord | 'skip' | 'error' {
  const type = v.getUint8(p);
  // IPv6 entries are checked for length and passed over: the simulation has no IPv6.
  if (type & STYPE_F_INET6) return p + SYNC_V6_LENGTH > end ? 'error' : 'skip';
  if (type !== 0) return 'error';
  let q = p + SYNC_V4_LENGTH;
  if (q > end) return 'error';
  const seen = new Set<number>();
  while (q < end) {
    if (q + 2 > end) return 'error';
    const ptype = b[q]!;
    const plen = b[q + 1]!;
    q += 2;
    if (plen === 0 || q + plen > end) return 'error';
    const kind = ptype & ~IPVS_OPT_F_PARAM;
    if (kind === IPVS_OPT_SEQ_DATA || kind === IPVS_OPT_PE_DATA || kind === IPVS_OPT_PE_NAME) {
      const max = kind === IPVS_OPT_SEQ_DATA ? SEQ_OPTIONS_LENGTH : kind === IPVS_OPT_PE_DATA ? PE_DATA_MAXLEN : PE_NAME_MAXLEN;
      if (kind === IPVS_OPT_SEQ_DATA ? plen !== max : plen > max) return 'error';
      if (seen.has(kind)) return 'error';
      seen.add(kind);
    } else if (!(ptype & IPVS_OPT_F_PARAM)) {
      // An unknown mandatory parameter: this entry is skipped, the rest of the message still read.
      return 'skip';
    }
    q += plen;
  }
  return {
    protocol: v.getUint8(p + 1),
    flags: v.getUint32(p + 4),
    state: v.getUint16(p + 8),
    cport: v.getUint16(p + 10),
    vport: v.getUint16(p + 12),
    dport: v.getUint16(p + 14),
    fwmark: v.getUint32(p + 16),
    timeout: v.getUint32(p + 20),
    caddr: v.getUint32(p + 24),
    vaddr: v.getUint32(p + 28),
    daddr: v.getUint32(p + 32),
  };
}
