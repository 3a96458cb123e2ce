/** IPVS connection synchronisation (net/netfilter/ipvs/ip_vs_sync.c): master and backup daemons, message format. */
export { attachSyncDaemons, startSyncDaemon, stopAllSyncDaemons, stopSyncDaemon, syncDaemons } from './daemons';
export { daemonConfig, daemonLine, IP_VS_SYNC_GROUP, IP_VS_SYNC_PORT } from './config';
export type { SyncDaemonConfig, SyncDaemonOptions, SyncState } from './config';
export { encodeSyncMessage, decodeSyncMessage, SYNC_HEADER_LENGTH, SYNC_V4_LENGTH } from './message';
export type { DecodedSyncMessage, SyncConnRecord, SyncDrop, SyncMessage } from './message';
export { recordOf, syncedOf, flagsOf } from './conn-record';
export { syncNeeded, entriesToSync } from './needed';
