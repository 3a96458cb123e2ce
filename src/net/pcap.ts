/**
 * libpcap savefile writer (pcap-savefile(5)) with nanosecond timestamps, little-endian as tcpdump writes
 * it on x86. Records are stamped with the scenario's start date plus the simulated time, so Wireshark
 * shows a plausible wall clock. Pure: it builds bytes, the caller decides where they go.
 */
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAP_SNAPLEN = 262144;
export const LINKTYPE_ETHERNET = 1;
const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

export class PcapWriter {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  private readonly epochSec: number;
  private readonly epochNs: number;

  /** `epochMs`: wall time (ms since 1970) of simulated time 0. */
  constructor(epochMs: number) {
    this.epochSec = Math.floor(epochMs / 1000);
    this.epochNs = (epochMs - this.epochSec * 1000) * 1_000_000;
    const h = new Uint8Array(GLOBAL_HEADER);
    const v = new DataView(h.buffer);
    v.setUint32(0, PCAP_MAGIC_NS, true);
    v.setUint16(4, 2, true);
    v.setUint16(6, 4, true);
    v.setInt32(8, 0, true); // thiszone
    v.setUint32(12, 0, true); // sigfigs
    v.setUint32(16, PCAP_SNAPLEN, true);
    v.setUint32(20, LINKTYPE_ETHERNET, true);
    this.push(h);
  }

  /** A frame seen at simulated time `timeUs` (integer µs); frames longer than the snaplen are cut. */
  add(timeUs: number, bytes: Uint8Array): void {
    const usSec = Math.floor(timeUs / 1_000_000);
    let ns = this.epochNs + (timeUs - usSec * 1_000_000) * 1000;
    let sec = this.epochSec + usSec;
    if (ns >= 1_000_000_000) {
      ns -= 1_000_000_000;
      sec += 1;
    }
    const captured = Math.min(bytes.length, PCAP_SNAPLEN);
    const r = new Uint8Array(RECORD_HEADER + captured);
    const v = new DataView(r.buffer);
    v.setUint32(0, sec, true);
    v.setUint32(4, ns, true);
    v.setUint32(8, captured, true);
    v.setUint32(12, bytes.length, true);
    r.set(captured === bytes.length ? bytes : bytes.subarray(0, captured), RECORD_HEADER);
    this.push(r);
  }

  /** The whole file so far (global header and every record). */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let off = 0;
    for (const c of this.chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }

  private push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
  }
}
