import type { Host } from '../../../host/host';
import { IpvsError } from '../errors';
import type { Ipvs } from '../ipvs';
import { BackupSyncDaemon } from './backup';
import { daemonConfig, type SyncDaemonConfig, type SyncDaemonOptions, type SyncState } from './config';
import { MasterSyncDaemon } from './master';

/** Linux's default ephemeral port range, where the master's unbound UDP source port is picked. */
const EPHEMERAL_LOW = 32768;
const EPHEMERAL_HIGH = 60999;

interface Daemons {
  readonly host: Host;
  master?: MasterSyncDaemon;
  backup?: BackupSyncDaemon;
}

const byIpvs = new WeakMap<Ipvs, Daemons>();

/**
 * Lets ipvsadm reach the sync daemons of the host this IPVS belongs to (the host's netns). attachIpvs
 * should call it; startSyncDaemon does it too.
 */
export function attachSyncDaemons(host: Host, ipvs: Ipvs): void {
  if (!byIpvs.has(ipvs)) byIpvs.set(ipvs, { host });
}

/**
 * start_sync_thread: ENODEV for an unknown interface, EEXIST when a daemon of that state already runs.
 * A master and a backup may run at once (keepalived does that when lvs_sync_daemon names no instance).
 */
export function startSyncDaemon(host: Host, ipvs: Ipvs, opts: SyncDaemonOptions): SyncDaemonConfig {
  attachSyncDaemons(host, ipvs);
  const d = byIpvs.get(ipvs)!;
  const nic = host.nic(opts.mcastIfn);
  if (!nic) throw new IpvsError('ENODEV', `Unknown mcast interface: ${opts.mcastIfn}`);
  const config = daemonConfig(opts);
  if (config.state === 'master') {
    if (d.master) throw new IpvsError('EEXIST', 'master sync daemon already running');
    // inet_select_addr(dev, 0, RT_SCOPE_UNIVERSE), taken once when the socket is bound.
    const src = host.addresses.of(config.ifname).find((a) => a.scope === 'global' && !a.secondary)?.ip;
    const port = host.sim.rng.stream(`ipvs-sync:${host.name}`).between(EPHEMERAL_LOW, EPHEMERAL_HIGH);
    d.master = new MasterSyncDaemon(host, ipvs, config, src, port);
  } else {
    if (d.backup) throw new IpvsError('EEXIST', 'backup sync daemon already running');
    d.backup = new BackupSyncDaemon(host, ipvs, config);
  }
  return config;
}

/** stop_sync_thread: ESRCH when no daemon of that state runs. A master's unsent messages are lost. */
export function stopSyncDaemon(host: Host, ipvs: Ipvs, state: SyncState): void {
  attachSyncDaemons(host, ipvs);
  const d = byIpvs.get(ipvs)!;
  const running = d[state];
  if (!running) throw new IpvsError('ESRCH', `no ${state} sync daemon`);
  running.stop();
  d[state] = undefined;
}

/** Every daemon of this IPVS stops (the host lost power); unsent messages are lost. */
export function stopAllSyncDaemons(ipvs: Ipvs): void {
  const d = byIpvs.get(ipvs);
  if (!d) return;
  d.master?.stop();
  d.backup?.stop();
  d.master = undefined;
  d.backup = undefined;
}

/** The running daemons, master first (IPVS_CMD_GET_DAEMON's order). */
export function syncDaemons(ipvs: Ipvs): SyncDaemonConfig[] {
  const d = byIpvs.get(ipvs);
  const out: SyncDaemonConfig[] = [];
  if (d?.master) out.push(d.master.config);
  if (d?.backup) out.push(d.backup.config);
  return out;
}

/** For ipvsadm: the host whose netns this IPVS is, if known. */
export function syncHostOf(ipvs: Ipvs): Host | undefined {
  return byIpvs.get(ipvs)?.host;
}
