import type { Host } from '../../../host/host';
import type { RawSocket } from '../../../host/raw-socket';
import { IPPROTO_UDP } from '../../../net/packets';
import type { Ipvs } from '../ipvs';
import { syncedOf } from './conn-record';
import type { SyncDaemonConfig } from './config';
import { decodeSyncMessage, type SyncDrop } from './message';
import { setOldState } from './needed';

declare module '../../../sim/trace' {
  interface TraceEvents {
    'ipvs.sync.receive': { host: string; syncid: number; conns: number; dropped?: SyncDrop | 'syncid' };
  }
}

/**
 * The backup sync thread (ipvs-b:0:0): a UDP socket bound to group:port on the interface, member of the
 * group there; each datagram (cut to maxlen, as its receive buffer is that long) is one message, ignored if
 * its syncid differs from a non-zero own syncid; its entries go into this director's connection table.
 */
export class BackupSyncDaemon {
  private readonly sock: RawSocket;

  constructor(
    private readonly host: Host,
    private readonly ipvs: Ipvs,
    readonly config: SyncDaemonConfig,
  ) {
    this.sock = host.openRawSocket(IPPROTO_UDP, config.ifname);
    this.sock.joinGroup(config.group);
    this.sock.onPacket = (pkt) => {
      const u = pkt.payload;
      if (u.kind !== 'udp' || pkt.dst !== config.group || u.dstPort !== config.port) return;
      this.receive(u.data.subarray(0, config.maxlen));
    };
  }

  stop(): void {
    this.sock.close();
  }

  /** ip_vs_process_message. */
  private receive(data: Uint8Array): void {
    const m = decodeSyncMessage(data);
    const own = this.config.syncid;
    const trace = this.host.sim.trace;
    const headerRead = m.dropped !== 'message header too short' && m.dropped !== 'bogus message size';
    if (headerRead && own !== 0 && m.syncid !== own) {
      if (trace.wants('ipvs.sync.receive')) trace.emit('ipvs.sync.receive', { host: this.host.name, syncid: m.syncid, conns: 0, dropped: 'syncid' });
      return;
    }
    const now = this.host.sim.now;
    let applied = 0;
    for (const r of m.conns) {
      const s = syncedOf(r);
      if (!s) continue;
      const cp = this.ipvs.syncConn(s, now);
      if (!cp) continue;
      setOldState(cp);
      applied++;
    }
    if (trace.wants('ipvs.sync.receive')) {
      trace.emit('ipvs.sync.receive', { host: this.host.name, syncid: m.syncid, conns: applied, ...(m.dropped !== undefined && { dropped: m.dropped }) });
    }
  }
}
