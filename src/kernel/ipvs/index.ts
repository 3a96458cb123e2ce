/** Linux IPVS for simulated hosts: the kernel's tables and decisions, and ipvsadm 1.31 on top. */
export { Ipvs, IPVS_CONN_TAB_SIZE, IPVS_VERSION } from './ipvs';
export type { InVerdict, IpvsPacket, IpvsSysctls, OutVerdict, SyncedConn, SyncMasterHook } from './ipvs';
export { IpvsError } from './errors';
export type { IpvsErrno } from './errors';
export { Service, DEFAULT_PERSISTENT_TIMEOUT } from './service';
export type { Protocol, SchedFlags, ServiceKey, ServiceSpec } from './service';
export { Dest } from './dest';
export type { DestSpec, FwdMethod } from './dest';
export type { Conn, TemplateState } from './conn';
export { TCP_STATES, DEFAULT_TCP_TIMEOUTS, DEFAULT_UDP_TIMEOUT, tcpNextState, tcpStateActive } from './tcp-state';
export type { TcpDirection, TcpFlags, TcpState } from './tcp-state';
export { SCHEDULER_NAMES } from './schedulers';
export { runIpvsadm } from './ipvsadm/command';
export type { IpvsadmResult } from './ipvsadm/command';
export { listAll, listConnections, listService, listTimeout } from './ipvsadm/list';
export type { HostNamer, ListFormat } from './ipvsadm/list';
export { procIpVs, procIpVsConn, procIpVsStats, DEBIAN_HZ } from './proc';
