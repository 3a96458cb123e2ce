import { SECOND, MS, type Micros, type Timer } from '../../../sim';
import type { Host } from '../../../host/host';
import type { Ipv4 } from '../../../net/addr';
import type { Conn } from '../conn';
import type { Ipvs } from '../ipvs';
import { recordOf } from './conn-record';
import { encodeSyncMessage, SYNC_HEADER_LENGTH, SYNC_V4_LENGTH, type SyncConnRecord } from './message';
import { entriesToSync } from './needed';
import type { SyncDaemonConfig } from './config';

declare module '../../../sim/trace' {
  interface TraceEvents {
    'ipvs.sync.send': { host: string; syncid: number; conns: number; bytes: number };
  }
}

/** IPVS_SYNC_WAKEUP_RATE: this many queued messages wake the thread at once. */
const WAKEUP_RATE = 8;
/** IPVS_SYNC_SEND_DELAY (HZ/50): the first queued message wakes the thread this much later. */
const SEND_DELAY = 20 * MS;
/** IPVS_SYNC_CHECK_PERIOD: the idle thread looks again after a second. */
const CHECK_PERIOD = SECOND;
/** IPVS_SYNC_FLUSH_TIME: a partly filled message waits at most this long. */
const FLUSH_TIME = 2 * SECOND;

/** One message being filled or waiting to go (struct ip_vs_sync_buff). */
interface SyncBuff {
  readonly conns: SyncConnRecord[];
  size: number;
  readonly capacity: number;
  readonly firstuse: Micros;
}

/**
 * The master sync thread of one namespace (ipvs-m:0:0): entries to sync are appended to the current
 * message; a full message is queued and a new one begun; the thread sends queued messages when 8 are
 * waiting, 20 ms after the first was queued, or at its once-a-second look, when it also sends a partly
 * filled message that is 2 s old. UDP from the interface's address to group:port, TTL as configured, no
 * multicast loopback, fragmentation allowed (DF clear).
 */
export class MasterSyncDaemon {
  private buff: SyncBuff | undefined;
  private readonly queue: SyncBuff[] = [];
  private queueDelay = 0;
  private wakeupWork: Timer | undefined;
  private thread: Timer | undefined;
  private stopped = false;

  constructor(
    private readonly host: Host,
    private readonly ipvs: Ipvs,
    readonly config: SyncDaemonConfig,
    private readonly src: Ipv4 | undefined,
    private readonly srcPort: number,
  ) {
    ipvs.syncMaster = (cp, pkts, now) => this.syncConn(cp, pkts, now);
    this.thread = host.timer(0, () => this.run());
  }

  stop(): void {
    this.stopped = true;
    this.ipvs.syncMaster = undefined;
    const sim = this.host.sim;
    if (this.thread) sim.cancel(this.thread);
    if (this.wakeupWork) sim.cancel(this.wakeupWork);
    // Queued and half-filled messages are freed unsent.
    this.queue.length = 0;
    this.buff = undefined;
  }

  /** ip_vs_sync_conn: the entries to sync go into the current message. */
  private syncConn(cp: Conn, pkts: number, now: Micros): void {
    for (const c of entriesToSync(cp, pkts, this.ipvs.sysctl)) {
      if (this.buff && this.buff.size + SYNC_V4_LENGTH > this.buff.capacity) {
        this.queueTail(this.buff);
        this.buff = undefined;
      }
      if (!this.buff) {
        const capacity = Math.max(SYNC_V4_LENGTH + SYNC_HEADER_LENGTH, this.config.maxlen);
        this.buff = { conns: [], size: SYNC_HEADER_LENGTH, capacity, firstuse: now };
      }
      this.buff.conns.push(recordOf(c));
      this.buff.size += SYNC_V4_LENGTH;
    }
  }

  /** sb_queue_tail. */
  private queueTail(sb: SyncBuff): void {
    if (this.queue.length === 0) this.wakeupWork = this.host.timer(SEND_DELAY, () => this.masterWakeup());
    this.queue.push(sb);
    if (++this.queueDelay === WAKEUP_RATE) this.wake();
  }

  /** master_wakeup_work_handler. */
  private masterWakeup(): void {
    this.wakeupWork = undefined;
    if (this.queue.length && this.queueDelay < WAKEUP_RATE) {
      this.queueDelay = WAKEUP_RATE;
      this.wake();
    }
  }

  private wake(): void {
    if (this.thread) this.host.sim.cancel(this.thread);
    this.thread = this.host.timer(0, () => this.run());
  }

  /** sync_thread_master: send what is due, then sleep a second (or until woken). */
  private run(): void {
    this.thread = undefined;
    if (this.stopped) return;
    const now = this.host.sim.now;
    // Entry timers run on their own in the kernel; here they are applied when someone looks.
    this.ipvs.advance(now);
    for (let sb = this.next(now); sb; sb = this.next(now)) this.send(sb);
    this.thread = this.host.timer(CHECK_PERIOD, () => this.run());
  }

  /** next_sync_buff: a queued message, else the current one once it is FLUSH_TIME old. */
  private next(now: Micros): SyncBuff | undefined {
    const queued = this.queue.shift();
    if (queued) {
      if (this.queue.length === 0) this.queueDelay = 0;
      return queued;
    }
    const sb = this.buff;
    if (sb && now - sb.firstuse >= FLUSH_TIME) {
      this.buff = undefined;
      return sb;
    }
    return undefined;
  }

  private send(sb: SyncBuff): void {
    const c = this.config;
    const data = encodeSyncMessage({ syncid: c.syncid, conns: sb.conns });
    const sim = this.host.sim;
    if (sim.trace.wants('ipvs.sync.send')) sim.trace.emit('ipvs.sync.send', { host: this.host.name, syncid: c.syncid, conns: sb.conns.length, bytes: data.length });
    this.host.ip.send({
      ...(this.src !== undefined && { src: this.src }),
      dst: c.group,
      payload: { kind: 'udp', srcPort: this.srcPort, dstPort: c.port, data },
      ttl: c.ttl,
      df: false,
      dev: c.ifname,
    });
  }
}
