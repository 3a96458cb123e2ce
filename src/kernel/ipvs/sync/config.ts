import { formatIpv4, ipv4, type Ipv4 } from '../../../net/addr';

export type SyncState = 'master' | 'backup';

/** IP_VS_SYNC_GROUP 224.0.0.81 and IP_VS_SYNC_PORT 8848. */
export const IP_VS_SYNC_GROUP = ipv4('224.0.0.81');
export const IP_VS_SYNC_PORT = 8848;
/** IPv4 + UDP headers, taken off the MTU for the default message length. */
const HEADERS = 28;
/** Interfaces here have Ethernet's MTU. */
const DEV_MTU = 1500;

/** What starts a daemon (ipvsadm --start-daemon, keepalived's IPVS_CMD_NEW_DAEMON); 0/undefined = default. */
export interface SyncDaemonOptions {
  readonly state: SyncState;
  readonly mcastIfn: string;
  readonly syncid: number;
  readonly port?: number;
  /** Dotted IPv4 multicast group. */
  readonly group?: string;
  readonly ttl?: number;
  readonly maxlen?: number;
}

/** A running daemon's settings with the kernel's defaults filled in (struct ipvs_sync_daemon_cfg). */
export interface SyncDaemonConfig {
  readonly state: SyncState;
  readonly ifname: string;
  readonly syncid: number;
  readonly group: Ipv4;
  readonly port: number;
  readonly ttl: number;
  readonly maxlen: number;
}

/**
 * start_sync_thread's defaults: group 224.0.0.81, port 8848, TTL 1; the message length is 1500 − 28 = 1472 for
 * a master, the device MTU (at least 1500) − 28 for a backup, and a given length is clamped to
 * [1 (master) or 1024 (backup), 65535 − 28].
 */
export function daemonConfig(o: SyncDaemonOptions): SyncDaemonConfig {
  const backup = o.state === 'backup';
  // A backup uses its device's MTU clamped to [1500, 65535]: the interfaces here all have 1500.
  const mtu = backup ? DEV_MTU : 1500;
  const min = backup ? 1024 : 1;
  const maxlen = o.maxlen ? Math.min(Math.max(o.maxlen, min), 65535 - HEADERS) : mtu - HEADERS;
  return {
    state: o.state,
    ifname: o.mcastIfn,
    syncid: o.syncid,
    group: o.group ? ipv4(o.group) : IP_VS_SYNC_GROUP,
    port: o.port || IP_VS_SYNC_PORT,
    ttl: o.ttl || 1,
    maxlen,
  };
}

/** ipvsadm 1.31's `-L --daemon` line for one daemon. */
export function daemonLine(c: SyncDaemonConfig): string {
  return `${c.state} sync daemon (mcast=${c.ifname}, syncid=${c.syncid}, maxlen=${c.maxlen}, group=${formatIpv4(c.group)}, port=${c.port}, ttl=${c.ttl})\n`;
}
