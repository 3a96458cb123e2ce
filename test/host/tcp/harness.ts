import { formatIpv4 } from '../../../src/net/addr';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, type EthernetFrame, type TcpSegment } from '../../../src/net/packets';
import type { TcpError, TcpHandler, TcpSocket } from '../../../src/host/tcp/socket';
import { world } from '../helpers';

/** One TCP segment seen on a LAN, in tcpdump's words. */
export interface Seen {
  t: number;
  src: string;
  dst: string;
  flags: string;
  seq: number;
  ack: number;
  len: number;
  seg: TcpSegment;
}

export function flagText(f: number): string {
  let s = '';
  if (f & TCP_SYN) s += 'S';
  if (f & TCP_FIN) s += 'F';
  if (f & TCP_RST) s += 'R';
  if (f & TCP_PSH) s += 'P';
  if (f & TCP_ACK) s += '.';
  return s;
}

/** client 10.0.0.1 and server 10.0.0.2 on one LAN (latency 100 µs), with a capture of its TCP segments. */
export function pair(seed = 1) {
  const w = world(seed);
  const client = w.host('client', { eth0: { lan: 'lan', ip: '10.0.0.1/24' } });
  const server = w.host('server', { eth0: { lan: 'lan', ip: '10.0.0.2/24' } });
  const lan = w.lans.get('lan')!;
  const seen: Seen[] = [];
  const frames: Array<{ t: number; frame: EthernetFrame }> = [];
  lan.onFrame((t, frame) => {
    frames.push({ t, frame });
    const p = frame.payload;
    if (p.kind !== 'ipv4' || p.payload.kind !== 'tcp') return;
    const seg = p.payload;
    seen.push({
      t,
      src: `${formatIpv4(p.src)}:${seg.srcPort}`,
      dst: `${formatIpv4(p.dst)}:${seg.dstPort}`,
      flags: flagText(seg.flags),
      seq: seg.seq,
      ack: seg.ack,
      len: seg.data.length,
      seg,
    });
  });
  return { ...w, client, server, lan, seen, frames };
}

/** A handler that records what happens to one connection. */
export class Recorder implements TcpHandler {
  events: string[] = [];
  received: Uint8Array[] = [];
  error: TcpError | undefined;
  at: Record<string, number> = {};
  constructor(private readonly now: () => number) {}
  private note(e: string): void {
    this.events.push(e);
    this.at[e] ??= this.now();
  }
  onConnect(): void {
    this.note('connect');
  }
  onData(_s: TcpSocket, data: Uint8Array): void {
    this.received.push(data.slice());
    this.note('data');
  }
  onEnd(): void {
    this.note('end');
  }
  onClose(): void {
    this.note('close');
  }
  onError(_s: TcpSocket, err: TcpError): void {
    this.error = err;
    this.note(`error:${err}`);
  }
  bytes(): Uint8Array {
    const n = this.received.reduce((a, b) => a + b.length, 0);
    const out = new Uint8Array(n);
    let o = 0;
    for (const r of this.received) {
      out.set(r, o);
      o += r.length;
    }
    return out;
  }
  text(): string {
    return new TextDecoder().decode(this.bytes());
  }
}
