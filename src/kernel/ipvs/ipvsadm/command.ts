import type { Micros } from '../../../sim/time';
import { parseIpv4 } from '../addr';
import type { DestSpec, FwdMethod } from '../dest';
import { IpvsError, type IpvsErrno } from '../errors';
import type { Ipvs } from '../ipvs';
import { DEFAULT_PERSISTENT_TIMEOUT, type Protocol, type ServiceKey, type ServiceSpec } from '../service';
import { listAll, listConnections, listService, listTimeout, type HostNamer, type ListFormat } from './list';
import { OPTNAMES, tokenize, type Command, type OptName } from './options';
import { serviceToPort } from './services-db';
import { daemonLine, startSyncDaemon, stopSyncDaemon, syncDaemons, type SyncState } from '../sync';
import { syncHostOf } from '../sync/daemons';

/** What a process run of ipvsadm leaves: its output streams and exit status. */
export interface IpvsadmResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

const PROG = 'ipvsadm';
const VERSION = 'ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)';
const MAX_TIMEOUT = 86400 * 31;
/** DEF_MCAST_IFN: --start-daemon without --mcast-interface. */
const DEF_MCAST_IFN = 'eth0';

/** `fail(2, …)`: a usage error, printed with a newline, exit status 2. */
class Fail extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/**
 * Runs `ipvsadm ARGS…` against a namespace's IPVS state, as ipvsadm 1.31 does: same option rules and
 * checks, same messages on stderr, same exit statuses (2 for usage errors, 255 when the kernel refuses).
 */
export function runIpvsadm(ipvs: Ipvs, argv: readonly string[], now: Micros, hostName?: HostNamer): IpvsadmResult {
  if (argv.length === 0) return { stdout: listAll(ipvs, {}, hostName), stderr: '', exitCode: 0 };
  try {
    return { stdout: execute(ipvs, argv, now, hostName), stderr: '', exitCode: 0 };
  } catch (e) {
    if (e instanceof Fail) return { stdout: '', stderr: `${e.message}\n`, exitCode: e.exitCode };
    throw e;
  }
}

type Op =
  | 'add-service'
  | 'edit-service'
  | 'delete-service'
  | 'zero'
  | 'add-server'
  | 'edit-server'
  | 'delete-server'
  | 'flush'
  | 'start-daemon'
  | 'stop-daemon';

/** The kernel refused: ipvsadm prints ipvs_strerror(errno) and exits with status 255 (its -1). */
function kernel(op: Op, call: () => void): string {
  try {
    call();
  } catch (e) {
    if (e instanceof IpvsError) throw new Fail(kernelMessage(e.errno, op), 255);
    throw e;
  }
  return '';
}

/** ipvs_strerror: per-call texts first, then the generic ones. */
function kernelMessage(errno: IpvsErrno, op: Op): string {
  const byOp: Partial<Record<Op, Partial<Record<IpvsErrno, string>>>> = {
    'add-service': { EEXIST: 'Service already exists', ENOENT: 'Scheduler or persistence engine not found' },
    'edit-service': { ESRCH: 'No such service', ENOENT: 'Scheduler or persistence engine not found' },
    'delete-service': { ESRCH: 'No such service' },
    zero: { ESRCH: 'No such service' },
    'add-server': { ESRCH: 'Service not defined', EEXIST: 'Destination already exists' },
    'edit-server': { ESRCH: 'Service not defined', ENOENT: 'No such destination' },
    'delete-server': { ESRCH: 'Service not defined', ENOENT: 'No such destination' },
    'start-daemon': { EEXIST: 'Daemon has already run' },
    'stop-daemon': { ESRCH: 'No daemon is running' },
  };
  const generic: Record<IpvsErrno, string> = {
    EINVAL: 'Invalid operation.  Possibly wrong module version, address not unicast, ...',
    EEXIST: 'File exists',
    ENOENT: 'No such file or directory',
    ESRCH: 'No such process',
    ERANGE: 'Numerical result out of range',
    ENODEV: 'No such device',
  };
  return byOp[op]?.[errno] ?? generic[errno];
}

interface Entry {
  cmd: Command | undefined;
  options: Set<OptName>;
  svc: { protocol: Protocol; addr: string; port: number; fwmark: number; scheduler: string; persistent?: number; netmask: string; onePacket: boolean; pe: string; flags: string[] };
  dest: { addr: string; port: number; weight: number; fwd: FwdMethod; u: number; l: number };
  format: { -readonly [K in keyof ListFormat]: ListFormat[K] };
  timeouts?: [number, number, number];
  daemon: { state: SyncState; ifn: string; syncid: number; group?: string; port?: number; ttl?: number; maxlen?: number };
}

function execute(ipvs: Ipvs, argv: readonly string[], now: Micros, hostName?: HostNamer): string {
  const ce = parse(argv);
  genericOptCheck(ce);
  const cmd = ce.cmd!;

  if (cmd === 'add-service' || cmd === 'edit-service') {
    if (!ce.svc.fwmark && !ce.svc.port && ce.svc.persistent === undefined) {
      throw new Fail('Zero port specified for non-persistent service');
    }
    if (ce.svc.onePacket && !ce.svc.fwmark && ce.svc.protocol !== 'UDP') {
      throw new Fail('One-Packet Scheduling is only for UDP virtual services');
    }
    if (!ce.svc.scheduler) ce.svc.scheduler = 'wlc';
  }
  if ((cmd === 'add-server' || cmd === 'edit-server') && !ce.svc.fwmark && (ce.dest.fwd === 'tunnel' || ce.dest.fwd === 'route')) {
    // DR and TUN cannot change the port: the real server gets the VIP's port.
    ce.dest.port = ce.svc.port;
  }

  const key: ServiceKey = { protocol: ce.svc.protocol, addr: ce.svc.addr, port: ce.svc.port, fwmark: ce.svc.fwmark };
  const spec = (): ServiceSpec => ({
    ...key,
    scheduler: ce.svc.scheduler,
    persistent: ce.svc.persistent,
    netmask: ce.svc.netmask,
    onePacket: ce.svc.onePacket,
    pe: ce.svc.pe,
    schedFlags: schedFlags(ce.svc.flags, ce.svc.scheduler),
  });
  const dest = (): DestSpec => ({
    addr: ce.dest.addr,
    port: ce.dest.port,
    weight: ce.dest.weight,
    fwd: ce.dest.fwd,
    uThreshold: ce.dest.u,
    lThreshold: ce.dest.l,
  });

  switch (cmd) {
    case 'list': {
      const o = ce.options;
      if (
        (has(o, 'connection', 'timeout', 'daemon') && has(o, 'stats', 'rate', 'thresholds')) ||
        (has(o, 'timeout', 'daemon') && o.has('persistent-conn'))
      ) {
        throw new Fail('options conflicts in the list command');
      }
      if (o.has('connection')) return listConnections(ipvs, now, ce.format, hostName);
      if (o.has('service-address')) {
        ipvs.advance(now);
        const svc = ipvs.getService(key);
        if (!svc) throw new Fail('No such service', 1);
        return listService(svc, ce.format, hostName);
      }
      if (o.has('timeout')) return listTimeout(ipvs);
      if (o.has('daemon')) return syncDaemons(ipvs).map(daemonLine).join('');
      ipvs.advance(now);
      return listAll(ipvs, ce.format, hostName);
    }
    case 'save':
      ipvs.advance(now);
      return listAll(ipvs, { ...ce.format, rule: true }, hostName);
    case 'flush':
      return kernel(cmd, () => ipvs.flush(now));
    case 'add-service':
      return kernel(cmd, () => ipvs.addService(spec(), now));
    case 'edit-service':
      return kernel(cmd, () => ipvs.editService(spec(), now));
    case 'delete-service':
      return kernel(cmd, () => ipvs.deleteService(key, now));
    case 'zero':
      return kernel(cmd, () => ipvs.zero(ce.options.has('service-address') ? key : undefined, now));
    case 'add-server':
      return kernel(cmd, () => ipvs.addDest(key, dest(), now));
    case 'edit-server':
      return kernel(cmd, () => ipvs.editDest(key, dest(), now));
    case 'delete-server':
      return kernel(cmd, () => ipvs.deleteDest(key, ce.dest.addr, ce.dest.port, now));
    case 'set': {
      const [tcp, fin, udp] = ce.timeouts!;
      ipvs.setProtocolTimeouts(tcp, fin, udp);
      return '';
    }
    case 'version':
      return `${VERSION}\n`;
    case 'start-daemon': {
      const d = ce.daemon;
      return kernel(cmd, () => {
        const host = syncHostOf(ipvs);
        if (!host) throw new IpvsError('ENODEV', `Unknown mcast interface: ${d.ifn}`);
        startSyncDaemon(host, ipvs, {
          state: d.state,
          mcastIfn: d.ifn || DEF_MCAST_IFN,
          syncid: d.syncid,
          ...(d.group !== undefined && { group: d.group }),
          ...(d.port !== undefined && { port: d.port }),
          ...(d.ttl !== undefined && { ttl: d.ttl }),
          ...(d.maxlen !== undefined && { maxlen: d.maxlen }),
        });
      });
    }
    case 'stop-daemon':
      return kernel(cmd, () => {
        const host = syncHostOf(ipvs);
        if (!host) throw new IpvsError('ESRCH', 'no sync daemon');
        stopSyncDaemon(host, ipvs, ce.daemon.state);
      });
  }
}

function has(set: Set<OptName>, ...names: OptName[]): boolean {
  return names.some((n) => set.has(n));
}

function parse(argv: readonly string[]): Entry {
  const ce: Entry = {
    cmd: undefined,
    options: new Set(),
    svc: { protocol: 'TCP', addr: '0.0.0.0', port: 0, fwmark: 0, scheduler: '', netmask: '255.255.255.255', onePacket: false, pe: '', flags: [] },
    dest: { addr: '0.0.0.0', port: 0, weight: 1, fwd: 'route', u: 0, l: 0 },
    format: {},
    daemon: { state: 'master', ifn: '', syncid: 0 },
  };
  const { opts, args, error } = tokenize(argv);
  const first = opts[0];
  // popt's first option must name the command, else only the hint is printed.
  if (!first?.def.command) throw new Fail(tryHelp(), 255);
  for (const o of opts) {
    if (o.def.command) {
      // Only the first option may be a command; popt hands a later one to the option switch, which rejects it.
      if (ce.cmd !== undefined) throw new Fail(`invalid option \`${o.text}'`);
      ce.cmd = o.def.command;
      if (ce.cmd === 'start-daemon' || ce.cmd === 'stop-daemon') {
        if (o.value !== 'master' && o.value !== 'backup') {
          throw new Fail(ce.cmd === 'start-daemon' ? 'illegal start-daemon parameter specified' : 'illegal start_daemon specified');
        }
        ce.daemon.state = o.value;
      }
      continue;
    }
    const v = o.value;
    switch (o.def.long) {
      case 'tcp-service':
      case 'udp-service': {
        setOption(ce, 'service-address');
        ce.svc.protocol = o.def.long === 'tcp-service' ? 'TCP' : 'UDP';
        const s = parseService(v!, ce.svc.protocol);
        if (!s) throw new Fail('illegal virtual server address[:port] specified');
        ce.svc.addr = s.addr;
        ce.svc.port = s.port ?? 0;
        break;
      }
      case 'fwmark-service': {
        setOption(ce, 'service-address');
        ce.svc.protocol = 'TCP';
        const n = /^\d+$/.test(v!) ? Number(v) : NaN;
        if (!(n > 0 && n <= 0xffffffff)) throw new Fail(`invalid fwmark value \`${v}' specified`);
        ce.svc.fwmark = n;
        break;
      }
      case 'scheduler':
        setOption(ce, 'scheduler');
        ce.svc.scheduler = v!.slice(0, 15);
        break;
      case 'persistent':
        setOption(ce, 'persistent');
        ce.svc.persistent = v === undefined ? DEFAULT_PERSISTENT_TIMEOUT : parseTimeout(v, 1);
        break;
      case 'netmask':
        setOption(ce, 'netmask');
        if (parseIpv4(v!) === undefined) throw new Fail('illegal virtual server persistent mask specified');
        ce.svc.netmask = v!;
        break;
      case 'real-server': {
        setOption(ce, 'real-server');
        const s = parseService(v!, ce.svc.protocol);
        if (!s) throw new Fail('illegal real server address[:port] specified');
        ce.dest.addr = s.addr;
        ce.dest.port = s.port ?? ce.svc.port;
        break;
      }
      case 'masquerading':
      case 'ipip':
      case 'gatewaying':
        setOption(ce, 'forwarding-method');
        ce.dest.fwd = o.def.long === 'masquerading' ? 'masq' : o.def.long === 'ipip' ? 'tunnel' : 'route';
        break;
      case 'weight':
        setOption(ce, 'weight');
        ce.dest.weight = numberIn(v!, 0, 2147483647, 'illegal weight specified');
        break;
      case 'u-threshold':
        setOption(ce, 'u-threshold');
        ce.dest.u = numberIn(v!, 0, 2147483647, 'illegal u_threshold specified');
        break;
      case 'l-threshold':
        setOption(ce, 'l-threshold');
        ce.dest.l = numberIn(v!, 0, 2147483647, 'illegal l_threshold specified');
        break;
      case 'numeric':
        setOption(ce, 'numeric');
        ce.format.numeric = true;
        break;
      case 'connection':
        setOption(ce, 'connection');
        break;
      case 'timeout':
        setOption(ce, 'timeout');
        break;
      case 'daemon':
        setOption(ce, 'daemon');
        break;
      case 'stats':
        setOption(ce, 'stats');
        ce.format.stats = true;
        break;
      case 'rate':
        setOption(ce, 'rate');
        ce.format.rate = true;
        break;
      case 'thresholds':
        setOption(ce, 'thresholds');
        ce.format.thresholds = true;
        break;
      case 'persistent-conn':
        setOption(ce, 'persistent-conn');
        ce.format.persistentConn = true;
        break;
      case 'nosort':
        setOption(ce, 'nosort');
        ce.format.nosort = true;
        break;
      case 'sort':
        break;
      case 'exact':
        setOption(ce, 'exact');
        ce.format.exact = true;
        break;
      case 'ops':
        setOption(ce, 'ops');
        ce.svc.onePacket = true;
        break;
      case 'pe':
        setOption(ce, 'pe');
        ce.svc.pe = v!;
        break;
      case 'sched-flags':
        setOption(ce, 'sched-flags');
        ce.svc.flags = v!.split(',');
        break;
      case 'mcast-interface':
        setOption(ce, 'mcast-interface');
        ce.daemon.ifn = v!.slice(0, 16);
        break;
      case 'syncid':
        setOption(ce, 'syncid');
        ce.daemon.syncid = numberIn(v!, 0, 255, 'illegal syncid specified');
        break;
      case 'mcast-group':
        setOption(ce, 'mcast-group');
        if (parseIpv4(v!) === undefined) throw new Fail(`invalid IPv4 mcast-group \`${v}'`);
        ce.daemon.group = v!;
        break;
      case 'mcast-port':
        setOption(ce, 'mcast-port');
        ce.daemon.port = numberIn(v!, 1, 65535, 'illegal mcast-port specified');
        break;
      case 'mcast-ttl':
        setOption(ce, 'mcast-ttl');
        ce.daemon.ttl = numberIn(v!, 1, 255, 'illegal mcast-ttl specified');
        break;
      case 'sync-maxlen':
        setOption(ce, 'sync-maxlen');
        ce.daemon.maxlen = numberIn(v!, 1, 65535 - 20 - 8, 'illegal sync-maxlen specified');
        break;
    }
  }
  if (error) throw new Fail(error.message, 255);
  if (ce.cmd === 'set') {
    if (args.length < 3) throw new Fail('--set option requires 3 timeout values');
    ce.timeouts = [parseTimeout(args[0]!, 0), parseTimeout(args[1]!, 0), parseTimeout(args[2]!, 0)];
    args.splice(0, 3);
  }
  if (args.length) throw new Fail(`unexpected argument ${args[0]}`);
  return ce;
}

function tryHelp(): string {
  return `Try \`${PROG} -h' or '${PROG} --help' for more information.`;
}

function setOption(ce: Entry, name: OptName): void {
  if (ce.options.has(name)) throw new Fail(`multiple '${name}' options specified`);
  ce.options.add(name);
}

/** parse_service: host[:port] (dotted quad or a known service name for the port). */
function parseService(text: string, protocol: Protocol): { addr: string; port: number | undefined } | undefined {
  if (/^\d*$/.test(text)) return undefined;
  const colon = text.lastIndexOf(':');
  const host = colon < 0 ? text : text.slice(0, colon);
  if (parseIpv4(host) === undefined) return undefined;
  if (colon < 0) return { addr: host, port: undefined };
  const p = text.slice(colon + 1);
  if (/^\d+$/.test(p) && Number(p) <= 65535) return { addr: host, port: Number(p) };
  const named = serviceToPort(p, protocol);
  return named === undefined ? undefined : { addr: host, port: named };
}

function parseTimeout(text: string, min: number): number {
  if (!/^-?\d+$/.test(text) || Number(text) < min || Number(text) > MAX_TIMEOUT) {
    throw new Fail(`invalid timeout value \`${text}' specified`);
  }
  return Number(text);
}

function numberIn(text: string, min: number, max: number, message: string): number {
  if (!/^[-+]?\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max) throw new Fail(message);
  return Number(text);
}

/** -b: sh-fallback/mh-fallback → sched1, sh-port/mh-port → sched2, flag-N → schedN. */
function schedFlags(words: readonly string[], scheduler: string): { sched1: boolean; sched2: boolean; sched3: boolean } {
  const f = { sched1: false, sched2: false, sched3: false };
  for (const w of words) {
    const m = /^(sh|mh)-(fallback|port)$/.exec(w);
    if (m) {
      if (m[1] !== scheduler) throw new Fail(`incompatible scheduler flag \`${w}'`);
      if (m[2] === 'fallback') f.sched1 = true;
      else f.sched2 = true;
    } else if (w === 'flag-1') f.sched1 = true;
    else if (w === 'flag-2') f.sched2 = true;
    else if (w === 'flag-3') f.sched3 = true;
    else throw new Fail(`invalid scheduler flag \`${w}'`);
  }
  return f;
}

/**
 * commands_v_options: per command, for each option in OPTNAMES order, '+' compulsory, 'x' illegal,
 * '1' at most one of them, ' ' optional.
 */
const TABLE: Record<Command, string> = {
  //              n c s s p M r f w x y m t d s r t p s s e o p b g p t l
  'add-service': 'xx+   xxxxxxxxxxxxxxx   xxxx',
  'edit-service': 'xx+   xxxxxxxxxxxxxxx   xxxx',
  'delete-service': 'xx+xxxxxxxxxxxxxxxxxxxxxxxxx',
  flush: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  list: ' 11xxxxxxxxx11       xxxxxxx',
  'add-server': 'xx+xxx+    xxxxxxxxxxxxxxxxx',
  'delete-server': 'xx+xxx+xxxxxxxxxxxxxxxxxxxxx',
  'edit-server': 'xx+xxx+    xxxxxxxxxxxxxxxxx',
  set: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  save: ' xxxxxxxxxxxxxxxxxxxxxxxxxxx',
  zero: 'xx xxxxxxxxxxxxxxxxxxxxxxxxx',
  version: '                            ',
  'start-daemon': 'xxxxxxxxxxx xxxxxxx xxxx    ',
  'stop-daemon': 'xxxxxxxxxxxxxxxxxxx xxxxxxxx',
};

function genericOptCheck(ce: Entry): void {
  const cmd = ce.cmd!;
  const row = TABLE[cmd];
  let last: OptName | undefined;
  OPTNAMES.forEach((name, j) => {
    const rule = row[j];
    if (!ce.options.has(name)) {
      if (rule === '+') throw new Fail(`You need to supply the '${name}' option for the '${cmd}' command`);
      return;
    }
    if (rule === 'x') throw new Fail(`Illegal '${name}' option with the '${cmd}' command`);
    if (rule === '1') {
      if (last) throw new Fail(`The option '${name}' conflicts with the '${last}' option in the '${cmd}' command`);
      last = name;
    }
  });
}

