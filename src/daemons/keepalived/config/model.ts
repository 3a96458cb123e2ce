import type { Micros } from '../../../sim/time';

/**
 * The configuration keepalived 2.2.7 would run with, defaults filled in the way keepalived fills them
 * (vrrp_complete_instance, alloc_vs, set_vrrp_defaults …). Times are integer microseconds. Every keyword
 * that is accepted but not modelled by a field is kept, with its words, in `extra`.
 */

/** Where in the config a thing was written, so later checks can point at it. */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
}

/** Keywords accepted but not given a field of their own: keyword → the words after it, per occurrence. */
export type Extra = Readonly<Record<string, readonly (readonly string[])[]>>;

export interface GlobalDefs {
  readonly routerId?: string;
  readonly notificationEmail: readonly string[];
  readonly notificationEmailFrom?: string;
  readonly smtpServer?: string;
  readonly smtpConnectTimeout: Micros;
  readonly enableScriptSecurity: boolean;
  readonly scriptUser?: string;
  readonly vrrpVersion: 2 | 3;
  readonly vrrpStrict: boolean;
  readonly vrrpMcastGroup4: string;
  readonly vrrpMcastGroup6: string;
  readonly vrrpStartupDelay: Micros;
  readonly vrrpGarpMasterDelay: Micros;
  readonly vrrpGarpMasterRepeat: number;
  readonly vrrpGarpMasterRefresh: Micros;
  readonly vrrpGarpMasterRefreshRepeat: number;
  readonly vrrpGarpLowerPrioDelay: Micros;
  readonly vrrpGarpLowerPrioRepeat: number;
  readonly vrrpGarpInterval: Micros;
  readonly vrrpGnaInterval: Micros;
  readonly vrrpMinGarp: boolean;
  readonly vrrpLowerPrioNoAdvert: boolean;
  readonly vrrpHigherPrioSendAdvert: boolean;
  readonly vrrpDownTimerAdverts: number;
  readonly vrrpSkipCheckAdvAddr: boolean;
  readonly vrrpCheckUnicastSrc: boolean;
  readonly logUnknownVrids: boolean;
  readonly checkerLogAllFailures: boolean;
  readonly lvsSyncDaemon?: { readonly interface: string; readonly instance: string; readonly syncId?: number };
  readonly lvsFlush: boolean;
  readonly maxAutoPriority?: number;
  readonly extra: Extra;
}

export interface VirtualIp {
  /** The address as written, without prefix. */
  readonly address: string;
  readonly family: 4 | 6;
  readonly prefix: number;
  readonly dev?: string;
  readonly brd?: string;
  readonly scope?: string;
  readonly label?: string;
  readonly noTrack: boolean;
  readonly ref: SourceRef;
}

export interface TrackedScriptRef {
  readonly name: string;
  /** The instance's override (`track_script { name weight N }`), else the script's own weight. */
  readonly weight: number;
  readonly reverse: boolean;
  readonly ref: SourceRef;
}

export interface TrackedInterface {
  readonly name: string;
  readonly weight: number;
  readonly reverse: boolean;
}

export interface TrackedFileRef {
  readonly name: string;
  readonly weight?: number;
  readonly reverse: boolean;
}

export type VrrpState = 'MASTER' | 'BACKUP';

export interface VrrpInstance {
  readonly name: string;
  readonly ref: SourceRef;
  /** The configured `state`, after keepalived's corrections (e.g. AH clears MASTER). */
  readonly state: VrrpState;
  readonly stateConfigured: boolean;
  readonly interface?: string;
  readonly virtualRouterId: number;
  /** Base priority: configured, else 255 for `state MASTER`, else 100. */
  readonly priority: number;
  readonly priorityConfigured: boolean;
  readonly version: 2 | 3;
  readonly advertInt: Micros;
  readonly authType?: 'PASS' | 'AH';
  /** Up to 8 characters, as keepalived keeps it. */
  readonly authPass?: string;
  readonly virtualIpaddress: readonly VirtualIp[];
  readonly virtualIpaddressExcluded: readonly VirtualIp[];
  readonly trackInterface: readonly TrackedInterface[];
  readonly trackScript: readonly TrackedScriptRef[];
  readonly trackFile: readonly TrackedFileRef[];
  readonly dontTrackPrimary: boolean;
  readonly mcastSrcIp?: string;
  readonly mcastDstIp?: string;
  readonly unicastSrcIp?: string;
  readonly unicastPeer: readonly string[];
  readonly unicastTtl?: number;
  readonly nopreempt: boolean;
  readonly preemptDelay: Micros;
  readonly garpMasterDelay: Micros;
  readonly garpMasterRepeat: number;
  readonly garpMasterRefresh: Micros;
  readonly garpMasterRefreshRepeat: number;
  readonly garpLowerPrioDelay: Micros;
  readonly garpLowerPrioRepeat: number;
  readonly lowerPrioNoAdvert: boolean;
  readonly higherPrioSendAdvert: boolean;
  readonly downTimerAdverts: number;
  readonly skipCheckAdvAddr: boolean;
  readonly strictMode: boolean;
  readonly accept: boolean;
  readonly useVmac?: string;
  readonly notifyMaster?: string;
  readonly notifyBackup?: string;
  readonly notifyFault?: string;
  readonly notifyStop?: string;
  readonly notifyDeleted?: string;
  readonly notify?: string;
  readonly notifyMasterRxLowerPri?: string;
  readonly smtpAlert: boolean;
  /** The sync group this instance belongs to, if any. */
  readonly syncGroup?: string;
  readonly extra: Extra;
}

export interface VrrpScript {
  readonly name: string;
  readonly ref: SourceRef;
  /** The command as keepalived splits it (quotes and escapes resolved). */
  readonly script: readonly string[];
  readonly interval: Micros;
  /** 0 means "use interval", as keepalived does. */
  readonly timeout: Micros;
  readonly weight: number;
  readonly weightReverse: boolean;
  readonly rise: number;
  readonly fall: number;
  readonly user?: string;
  readonly initFail: boolean;
}

export interface TrackFile {
  readonly name: string;
  readonly file?: string;
  readonly weight: number;
  readonly weightReverse: boolean;
  readonly initFile?: { readonly value: number; readonly overwrite: boolean };
}

export interface VrrpSyncGroup {
  readonly name: string;
  readonly ref: SourceRef;
  readonly group: readonly string[];
  readonly trackInterface: readonly TrackedInterface[];
  readonly trackScript: readonly TrackedScriptRef[];
  readonly notifyMaster?: string;
  readonly notifyBackup?: string;
  readonly notifyFault?: string;
  readonly notifyStop?: string;
  readonly notify?: string;
  readonly syncGroupTrackingWeight: boolean;
  readonly extra: Extra;
}

/** A line of static_ipaddress / static_routes / static_rules, or of an instance's virtual_routes/rules. */
export interface StaticLine {
  readonly words: readonly string[];
  readonly ref: SourceRef;
}

export type CheckerKind =
  | 'HTTP_GET'
  | 'SSL_GET'
  | 'TCP_CHECK'
  | 'MISC_CHECK'
  | 'SMTP_CHECK'
  | 'DNS_CHECK'
  | 'UDP_CHECK'
  | 'PING_CHECK'
  | 'FILE_CHECK'
  | 'BFD_CHECK';

export interface StatusRange {
  readonly from: number;
  readonly to: number;
}

export interface HttpUrl {
  readonly path?: string;
  /** Lower-case hex MD5 of the body. */
  readonly digest?: string;
  /** Accepted codes; keepalived's default is 200-299. */
  readonly statusCode: readonly StatusRange[];
  readonly virtualhost?: string;
  readonly regex?: string;
  readonly regexNoMatch: boolean;
}

/** Settings common to every checker; unset values are inherited from the real and virtual server. */
export interface CheckerCommon {
  readonly kind: CheckerKind;
  readonly ref: SourceRef;
  readonly connectIp?: string;
  readonly connectPort?: number;
  readonly bindto?: string;
  readonly bindPort?: number;
  readonly bindIf?: string;
  readonly connectTimeout: Micros;
  readonly retry: number;
  readonly delayBeforeRetry: Micros;
  readonly warmup: Micros;
  readonly delayLoop: Micros;
  readonly alpha: boolean;
  readonly logAllFailures: boolean;
  readonly fwmark?: number;
  readonly extra: Extra;
}

export interface HttpChecker extends CheckerCommon {
  readonly kind: 'HTTP_GET' | 'SSL_GET';
  readonly urls: readonly HttpUrl[];
  readonly virtualhost?: string;
  readonly httpProtocol: '1.0' | '1.0C' | '1.1';
  readonly enableSni: boolean;
  readonly fastRecovery: boolean;
}

export interface MiscChecker extends CheckerCommon {
  readonly kind: 'MISC_CHECK';
  readonly miscPath: readonly string[];
  /** 0 means "use delay_loop". */
  readonly miscTimeout: Micros;
  readonly miscDynamic: boolean;
  readonly user?: string;
}

export interface OtherChecker extends CheckerCommon {
  readonly kind: 'TCP_CHECK' | 'SMTP_CHECK' | 'DNS_CHECK' | 'UDP_CHECK' | 'PING_CHECK' | 'FILE_CHECK' | 'BFD_CHECK';
  /** FILE_CHECK's track_file, BFD_CHECK's name. */
  readonly target?: string;
}

export type Checker = HttpChecker | MiscChecker | OtherChecker;

export type LvsMethod = 'NAT' | 'DR' | 'TUN';
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface RealServer {
  readonly ref: SourceRef;
  readonly ip: string;
  readonly port: number;
  readonly weight: number;
  readonly lvsMethod?: LvsMethod;
  readonly inhibitOnFailure?: boolean;
  readonly notifyUp?: string;
  readonly notifyDown?: string;
  readonly uthreshold?: number;
  readonly lthreshold?: number;
  readonly checkers: readonly Checker[];
  readonly extra: Extra;
}

export type VirtualServerAddress =
  | { readonly kind: 'ip'; readonly ip: string; readonly port: number }
  | { readonly kind: 'fwmark'; readonly fwmark: number }
  | { readonly kind: 'group'; readonly group: string };

export interface VirtualServer {
  readonly ref: SourceRef;
  readonly address: VirtualServerAddress;
  readonly ipFamily?: 4 | 6;
  readonly delayLoop: Micros;
  readonly lbAlgo: string;
  readonly lbKind: LvsMethod;
  readonly protocol: Protocol;
  /** 0 = no persistence. */
  readonly persistenceTimeout: Micros;
  readonly persistenceGranularity?: string;
  readonly persistenceEngine?: string;
  readonly quorum: number;
  readonly hysteresis: number;
  readonly quorumUp?: string;
  readonly quorumDown?: string;
  readonly sorryServer?: { readonly ip: string; readonly port: number };
  readonly sorryServerInhibit: boolean;
  readonly inhibitOnFailure: boolean;
  readonly alpha: boolean;
  readonly omega: boolean;
  readonly haSuspend: boolean;
  readonly virtualhost?: string;
  readonly realServers: readonly RealServer[];
  readonly extra: Extra;
}

export interface VirtualServerGroupEntry {
  readonly kind: 'range' | 'fwmark';
  /** For ranges: first address, last octet/hextet (inclusive), port. */
  readonly ip?: string;
  readonly last?: number;
  readonly port?: number;
  readonly fwmark?: number;
}

export interface VirtualServerGroup {
  readonly name: string;
  readonly entries: readonly VirtualServerGroupEntry[];
}

export interface KeepalivedConfig {
  readonly globalDefs: GlobalDefs;
  readonly staticIpaddress: readonly StaticLine[];
  readonly staticRoutes: readonly StaticLine[];
  readonly staticRules: readonly StaticLine[];
  readonly vrrpScripts: readonly VrrpScript[];
  readonly trackFiles: readonly TrackFile[];
  readonly vrrpSyncGroups: readonly VrrpSyncGroup[];
  readonly vrrpInstances: readonly VrrpInstance[];
  readonly virtualServerGroups: readonly VirtualServerGroup[];
  readonly virtualServers: readonly VirtualServer[];
  /** Top-level blocks accepted but not modelled (bfd_instance, garp_group, vrrp_track_process …). */
  readonly extra: Extra;
}
