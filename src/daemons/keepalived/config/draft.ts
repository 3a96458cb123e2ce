import type {
  CheckerKind,
  HttpUrl,
  LvsMethod,
  Protocol,
  SourceRef,
  StaticLine,
  TrackedFileRef,
  TrackedInterface,
  TrackedScriptRef,
  TrackFile,
  VirtualIp,
  VirtualServerAddress,
  VirtualServerGroup,
} from './model';

/**
 * What the keyword handlers fill while keepalived's processes read the file: unset values stay undefined
 * so the post-parse checks can tell "not written" from "written as the default", as keepalived does.
 */

export type ExtraDraft = Record<string, string[][]>;

export function addExtra(extra: ExtraDraft, words: readonly string[]): void {
  (extra[words[0]!] ??= []).push(words.slice(1));
}

export interface GlobalDraft {
  routerId?: string;
  notificationEmail: string[];
  notificationEmailFrom?: string;
  smtpServer?: string;
  smtpConnectTimeout?: number;
  enableScriptSecurity: boolean;
  scriptUser?: string;
  vrrpVersion?: 2 | 3;
  vrrpStrict: boolean;
  vrrpMcastGroup4?: string;
  vrrpMcastGroup6?: string;
  vrrpStartupDelay?: number;
  vrrpGarpMasterDelay?: number;
  vrrpGarpMasterRepeat?: number;
  vrrpGarpMasterRefresh?: number;
  vrrpGarpMasterRefreshRepeat?: number;
  vrrpGarpLowerPrioDelay?: number;
  vrrpGarpLowerPrioRepeat?: number;
  vrrpGarpInterval?: number;
  vrrpGnaInterval?: number;
  vrrpMinGarp: boolean;
  vrrpLowerPrioNoAdvert?: boolean;
  vrrpHigherPrioSendAdvert?: boolean;
  vrrpDownTimerAdverts?: number;
  vrrpSkipCheckAdvAddr: boolean;
  vrrpCheckUnicastSrc: boolean;
  logUnknownVrids: boolean;
  checkerLogAllFailures: boolean;
  lvsSyncDaemon?: { interface: string; instance: string; syncId?: number };
  /** Set by an instance's deprecated lvs_sync_daemon_interface. */
  lvsSyncdFromInstance?: { interface: string; instance: string };
  lvsFlush: boolean;
  maxAutoPriority?: number;
  dynamicInterfaces: boolean;
  extra: ExtraDraft;
}

export interface InstanceDraft {
  name: string;
  ref: SourceRef;
  state?: 'MASTER' | 'BACKUP';
  interface?: string;
  /** The interface was named but does not exist (or is a loopback). */
  interfaceMissing: boolean;
  vrid?: number;
  priority?: number;
  version?: 2 | 3;
  advertInt?: number;
  authType?: 'PASS' | 'AH';
  authPass?: string;
  family?: 4 | 6;
  vips: VirtualIp[];
  evips: VirtualIp[];
  trackInterface: TrackedInterface[];
  trackScript: TrackedScriptRef[];
  trackFile: TrackedFileRef[];
  dontTrackPrimary: boolean;
  mcastSrcIp?: string;
  mcastDstIp?: string;
  unicastSrcIp?: string;
  unicastConfigured: boolean;
  unicastPeer: string[];
  unicastTtl?: number;
  nopreempt: boolean;
  preemptDelay?: number;
  garpMasterDelay?: number;
  garpMasterRepeat?: number;
  garpMasterRefresh?: number;
  garpMasterRefreshRepeat?: number;
  garpLowerPrioDelay?: number;
  garpLowerPrioRepeat?: number;
  lowerPrioNoAdvert?: boolean;
  higherPrioSendAdvert?: boolean;
  downTimerAdverts?: number;
  skipCheckAdvAddr?: boolean;
  strictMode?: boolean;
  accept?: boolean;
  useVmac?: string;
  notify: Partial<Record<NotifyKind, string[]>>;
  smtpAlert?: boolean;
  virtualRoutes: StaticLine[];
  virtualRules: StaticLine[];
  extra: ExtraDraft;
}

export type NotifyKind = 'master' | 'backup' | 'fault' | 'stop' | 'deleted' | 'notify' | 'masterRxLowerPri';

export interface ScriptDraft {
  name: string;
  ref: SourceRef;
  script: string[];
  interval?: number;
  timeout?: number;
  weight: number;
  weightReverse: boolean;
  rise?: number;
  fall?: number;
  user?: string;
  /** `user` named an account the host does not have. */
  userFailed?: boolean;
  initFail: boolean;
}

export interface SyncGroupDraft {
  name: string;
  ref: SourceRef;
  group?: string[];
  trackInterface: TrackedInterface[];
  trackScript: TrackedScriptRef[];
  notify: Partial<Record<NotifyKind, string[]>>;
  trackingWeight: boolean;
  extra: ExtraDraft;
}

export interface CheckerDraft {
  kind: CheckerKind;
  ref: SourceRef;
  connectIp?: string;
  connectPort?: number;
  bindto?: string;
  bindPort?: number;
  bindIf?: string;
  connectTimeout?: number;
  retry?: number;
  delayBeforeRetry?: number;
  warmup?: number;
  delayLoop?: number;
  alpha?: boolean;
  logAllFailures?: boolean;
  fwmark?: number;
  urls: HttpUrlDraft[];
  virtualhost?: string;
  httpProtocol?: '1.0' | '1.0C' | '1.1';
  enableSni: boolean;
  fastRecovery: boolean;
  miscPath: string[];
  miscTimeout?: number;
  miscDynamic: boolean;
  user?: string;
  target?: string;
  /** Removed by keepalived at parse time (e.g. a FILE_CHECK without track_file). */
  dropped: boolean;
  extra: ExtraDraft;
}

export type HttpUrlDraft = { -readonly [K in keyof HttpUrl]: HttpUrl[K] } & { statusCode: HttpUrl['statusCode'] };

export interface RealServerDraft {
  ref: SourceRef;
  ip: string;
  /** The port as written; undefined when none was given. */
  port?: number;
  weight?: number;
  lvsMethod?: LvsMethod;
  inhibitOnFailure?: boolean;
  notifyUp?: string[];
  notifyDown?: string[];
  uthreshold?: number;
  lthreshold?: number;
  connectTimeout?: number;
  retry?: number;
  delayBeforeRetry?: number;
  warmup?: number;
  delayLoop?: number;
  alpha?: boolean;
  virtualhost?: string;
  checkers: CheckerDraft[];
  extra: ExtraDraft;
}

export interface VirtualServerDraft {
  ref: SourceRef;
  address: VirtualServerAddress;
  /** Port written on the virtual_server line (ip form only). */
  port?: number;
  ipFamily?: 4 | 6;
  delayLoop?: number;
  lbAlgo?: string;
  lbKind?: LvsMethod;
  protocol?: Protocol;
  persistenceTimeout?: number;
  persistenceGranularity?: string;
  persistenceEngine?: string;
  quorum?: number;
  hysteresis?: number;
  quorumUp?: string[];
  quorumDown?: string[];
  sorryServer?: { ip: string; port?: number };
  sorryServerInhibit: boolean;
  inhibitOnFailure?: boolean;
  alpha?: boolean;
  omega: boolean;
  haSuspend: boolean;
  virtualhost?: string;
  connectTimeout?: number;
  retry?: number;
  delayBeforeRetry?: number;
  warmup?: number;
  /** Default weight of its real servers (`weight` in virtual_server). */
  weight?: number;
  realServers: RealServerDraft[];
  extra: ExtraDraft;
}

/** Everything the four keepalived processes build while reading one configuration. */
export interface Draft {
  readonly global: GlobalDraft;
  readonly instances: InstanceDraft[];
  readonly scripts: ScriptDraft[];
  /** Scripts keepalived removed while reading (no `script` line …): track_script cannot find them. */
  readonly removedScripts: Set<string>;
  readonly trackFiles: TrackFile[];
  readonly syncGroups: SyncGroupDraft[];
  readonly staticIpaddress: StaticLine[];
  readonly staticRoutes: StaticLine[];
  readonly staticRules: StaticLine[];
  readonly vsGroups: VirtualServerGroup[];
  readonly virtualServers: VirtualServerDraft[];
  readonly extra: ExtraDraft;
  /**
   * What real-server keywords act on when the virtual server has none yet (keepalived's recovery after a
   * rejected real_server whose `{` is missing): one detached object per virtual server.
   */
  currentRs?: RealServerDraft;
  /** Preferences given to rules written without one. */
  readonly ruleCounter: { v4: number; v6: number };
  /** A vrrp keyword named an interface that does not exist: the VRRP process stops after reading. */
  nonExistentInterface: boolean;
  /** Options the caller gave: the host's interfaces (undefined = do not check) and script lookup. */
  readonly interfaces: ReadonlySet<string> | undefined;
  readonly scriptExists: (command: string) => boolean;
  readonly userExists: (name: string) => boolean;
  /** keepalived's default script user, looked up once per run: unset, found, or failed. */
  defaultUser: 'unset' | 'ok' | 'fail';
}

export function newDraft(
  interfaces: ReadonlySet<string> | undefined,
  scriptExists: (c: string) => boolean,
  userExists: (name: string) => boolean,
): Draft {
  return {
    global: {
      notificationEmail: [],
      enableScriptSecurity: false,
      vrrpStrict: false,
      vrrpMinGarp: false,
      vrrpSkipCheckAdvAddr: false,
      vrrpCheckUnicastSrc: false,
      logUnknownVrids: false,
      checkerLogAllFailures: false,
      lvsFlush: false,
      dynamicInterfaces: false,
      extra: {},
    },
    instances: [],
    scripts: [],
    removedScripts: new Set(),
    trackFiles: [],
    syncGroups: [],
    staticIpaddress: [],
    staticRoutes: [],
    staticRules: [],
    vsGroups: [],
    virtualServers: [],
    extra: {},
    ruleCounter: { v4: 16384, v6: 16384 },
    nonExistentInterface: false,
    interfaces,
    scriptExists,
    userExists,
    defaultUser: 'unset',
  };
}

