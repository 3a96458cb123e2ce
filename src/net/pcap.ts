import { frameLength, writeFrame } from './codec/ethernet';
import type { EthernetFrame } from './packets';

/**
 * libpcap savefile writer (pcap-savefile(5)) with nanosecond timestamps, little-endian as tcpdump writes
 * it on x86. Records are stamped with the scenario's start date plus the simulated time, so Wireshark
 * shows a plausible wall clock. Pure: it builds bytes in one growing buffer, the caller decides where
 * they go.
 */
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAP_SNAPLEN = 262144;
export const LINKTYPE_ETHERNET = 1;
const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

function putLe32(b: Uint8Array, off: number, v: number): void {
  b[off] = v;
  b[off + 1] = v >>> 8;
  b[off + 2] = v >>> 16;
  b[off + 3] = v >>> 24;
}

export class PcapWriter {
  private buffer = new Uint8Array(4096);
  private size = 0;
  private readonly epochSec: number;
  private readonly epochNs: number;

  /** `epochMs`: wall time (integer ms since 1970) of simulated time 0. */
  constructor(epochMs: number) {
    this.epochSec = Math.floor(epochMs / 1000);
    this.epochNs = (epochMs - this.epochSec * 1000) * 1_000_000;
    const b = this.buffer;
    putLe32(b, 0, PCAP_MAGIC_NS);
    putLe32(b, 4, 2 | (4 << 16)); // version 2.4
    putLe32(b, 8, 0); // thiszone
    putLe32(b, 12, 0); // sigfigs
    putLe32(b, 16, PCAP_SNAPLEN);
    putLe32(b, 20, LINKTYPE_ETHERNET);
    this.size = GLOBAL_HEADER;
  }

  /** Encoded bytes seen at simulated time `timeUs` (integer µs); frames longer than the snaplen are cut. */
  add(timeUs: number, bytes: Uint8Array): void {
    const captured = Math.min(bytes.length, PCAP_SNAPLEN);
    const off = this.record(timeUs, captured, bytes.length);
    this.buffer.set(captured === bytes.length ? bytes : bytes.subarray(0, captured), off);
  }

  /**
   * A structured frame, encoded straight into the file buffer (no intermediate copy). An IPv4 frame is at
   * most 14 + 65535 bytes, always within the snaplen.
   */
  addFrame(timeUs: number, frame: EthernetFrame): void {
    const length = frameLength(frame);
    const off = this.record(timeUs, length, length); // may grow (replace) the buffer: call it first
    writeFrame(this.buffer, off, frame);
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
    const b = this.buffer;
    putLe32(b, off, sec);
    putLe32(b, off + 4, ns);
    putLe32(b, off + 8, captured);
    putLe32(b, off + 12, original);
    return off + RECORD_HEADER;
  }

  /** A copy of the whole file so far (global header and every record). */
  toBytes(): Uint8Array {
    return this.buffer.slice(0, this.size);
  }

  /** Makes room for n more bytes (doubling, so appends are amortised O(1)); returns where they go. */
  private reserve(n: number): number {
    const off = this.size;
    if (off + n > this.buffer.length) {
      let capacity = this.buffer.length * 2;
      while (capacity < off + n) capacity *= 2;
      const grown = new Uint8Array(capacity);
      grown.set(this.buffer.subarray(0, off));
      this.buffer = grown;
    }
    this.size = off + n;
    return off;
  }
}
