import { frameLength, writeFrame } from './codec/ethernet';
import type { EthernetFrame } from './packets';

/**
 * libpcap savefile writer (pcap-savefile(5)) with nanosecond timestamps, little-endian as tcpdump writes
 * it on x86. Records are stamped with the scenario's start date plus the simulated time, so Wireshark
 * shows a plausible wall clock. Pure: it fills fixed-size blocks (no regrowth copies), the caller
 * decides where the bytes go.
 */
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAP_SNAPLEN = 262144;
export const LINKTYPE_ETHERNET = 1;
const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;
const BLOCK = 64 * 1024;

function putLe32(b: Uint8Array, off: number, v: number): void {
  b[off] = v;
  b[off + 1] = v >>> 8;
  b[off + 2] = v >>> 16;
  b[off + 3] = v >>> 24;
}

export class PcapWriter {
  /** Filled blocks, each cut to its used length. */
  private readonly full: Uint8Array[] = [];
  private block = new Uint8Array(BLOCK);
  private used = 0;
  private size = 0;
  private readonly epochSec: number;
  private readonly epochNs: number;

  /** `epochMs`: wall time (integer ms since 1970) of simulated time 0. */
  constructor(epochMs: number) {
    this.epochSec = Math.floor(epochMs / 1000);
    this.epochNs = (epochMs - this.epochSec * 1000) * 1_000_000;
    const b = this.block;
    putLe32(b, 0, PCAP_MAGIC_NS);
    putLe32(b, 4, 2 | (4 << 16)); // version 2.4
    putLe32(b, 8, 0); // thiszone
    putLe32(b, 12, 0); // sigfigs
    putLe32(b, 16, PCAP_SNAPLEN);
    putLe32(b, 20, LINKTYPE_ETHERNET);
    this.used = this.size = GLOBAL_HEADER;
  }

  /** Encoded bytes seen at simulated time `timeUs` (integer µs); frames longer than the snaplen are cut. */
  add(timeUs: number, bytes: Uint8Array): void {
    const captured = Math.min(bytes.length, PCAP_SNAPLEN);
    const off = this.record(timeUs, captured, bytes.length);
    this.block.set(captured === bytes.length ? bytes : bytes.subarray(0, captured), off);
  }

  /**
   * A structured frame, encoded straight into the file's block (no intermediate copy). An IPv4 frame is at
   * most 14 + 65535 bytes, always within the snaplen.
   */
  addFrame(timeUs: number, frame: EthernetFrame): void {
    const length = frameLength(frame);
    const off = this.record(timeUs, length, length); // may start a new block: call it first
    writeFrame(this.block, off, frame);
  }

  /** Appends a record header and reserves `captured` bytes after it; returns where they go. */
  private record(timeUs: number, captured: number, original: number): number {
    const usSec = Math.floor(timeUs / 1_000_000);
    let ns = this.epochNs + (timeUs - usSec * 1_000_000) * 1000;
    let sec = this.epochSec + usSec;
    if (ns >= 1_000_000_000) {
      ns -= 1_000_000_000;
      sec += 1;
    }
    const off = this.reserve(RECORD_HEADER + captured);
    const b = this.block;
    putLe32(b, off, sec);
    putLe32(b, off + 4, ns);
    putLe32(b, off + 8, captured);
    putLe32(b, off + 12, original);
    return off + RECORD_HEADER;
  }

  /** A copy of the whole file so far (global header and every record). */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let off = 0;
    for (const b of this.full) {
      out.set(b, off);
      off += b.length;
    }
    out.set(this.block.subarray(0, this.used), off);
    return out;
  }

  /** Reserves n contiguous bytes in the current block, or in a new one; returns their offset. */
  private reserve(n: number): number {
    if (this.used + n > this.block.length) {
      this.full.push(this.block.subarray(0, this.used));
      this.block = new Uint8Array(Math.max(BLOCK, n));
      this.used = 0;
    }
    const off = this.used;
    this.used += n;
    this.size += n;
    return off;
  }
}
