import type { Simulator, Timer } from '../sim/simulator';
import type { Micros } from '../sim/time';
import { formatIpv4, type Ipv4, type Mac } from '../net/addr';
import type { Lan } from '../net/lan';
import type { EthernetFrame } from '../net/packets';
import { AddressTable, type AddAddress } from './addresses';
import { arpRequestFrame, arpRequestSource, processArp, type ArpPolicy } from './arp';
import { HostClock } from './clock';
import { Icmp } from './icmp';
import { IpStack } from './ip';
import { NeighbourTable } from './neighbour';
import { Nic, type NicOwner } from './nic';
import { ProcessTable, type Process, type SignalName } from './process';
import { RawSocket } from './raw-socket';
import { RouteTable } from './routes';
import { ServiceManager } from './services';
import { Shell, type ShellResult } from './shell/shell';
import { TcpStack } from './tcp/stack';
import { Vfs } from './vfs';
import { syslogStamp } from './wallclock';
import { registerCoreCommands } from './commands';

declare module '../sim/trace' {
  interface TraceEvents {
    'addr.add': { host: string; dev: string; ip: string; prefix: number };
    'addr.del': { host: string; dev: string; ip: string; prefix: number };
    'host.power': { host: string; up: boolean };
    'carrier': { host: string; dev: string; up: boolean };
    log: { host: string; ident: string; pid: number; wall: string; text: string };
    'shell.run': { host: string; command: string; code: number; stdout: string; stderr: string };
  }
}

/** Listeners of interface events, the way keepalived hears netlink (link and address changes). */
/** 224.0.0.1 */
const ALL_HOSTS = 0xe0000001;

export interface NetlinkListener {
  link?(dev: string, up: boolean): void;
  address?(dev: string, ip: Ipv4, added: boolean): void;
}

/**
 * A Linux-like host (ns-3's Node): NICs on LANs, addresses, routes, ARP, the IP stack with its hooks,
 * processes, services, a virtual file system, a clock, a syslog and the simulated shell. Daemons live on
 * top and use only this API.
 */
export class Host implements NicOwner, ArpPolicy {
  readonly nics = new Map<string, Nic>();
  readonly addresses = new AddressTable();
  readonly routes: RouteTable;
  readonly ip: IpStack;
  readonly icmp: Icmp;
  readonly tcp: TcpStack;
  readonly processes: ProcessTable;
  readonly services: ServiceManager;
  readonly vfs: Vfs;
  readonly shell: Shell<Host>;
  readonly clock: HostClock;
  readonly sysctl = new Map<string, string>();
  private readonly netlink: NetlinkListener[] = [];
  powered = true;
  /** `uname -r -v`: CentOS 7's kernel, what the seed lab's machines ran. */
  kernelRelease = '3.10.0-1160.el7.x86_64 #1 SMP Mon Oct 19 16:18:59 UTC 2020';

  constructor(
    readonly sim: Simulator,
    readonly name: string,
    opts: { epochMs: number; firstPid?: number; clockOffset?: Micros; driftPpm?: number },
  ) {
    this.clock = new HostClock(opts.epochMs, {
      ...(opts.clockOffset !== undefined && { offset: opts.clockOffset }),
      ...(opts.driftPpm !== undefined && { driftPpm: opts.driftPpm }),
    });
    this.vfs = new Vfs(() => this.clock.wallUs(this.sim.now));
    this.routes = new RouteTable(this.addresses, (dev) => this.nic(dev)?.running ?? false);
    this.ip = new IpStack(this);
    this.icmp = new Icmp(
      this.ip,
      () => this.sysctl.get('net.ipv4.icmp_echo_ignore_broadcasts') !== '0',
      (ip) => this.addresses.isLocal(ip),
    );
    this.tcp = new TcpStack(this);
    this.processes = new ProcessTable(sim, name, opts.firstPid ?? 1000);
    this.services = new ServiceManager(
      (p, sig) => this.processes.kill(p.pid, sig),
      (delay, fn) => {
        const t = this.timer(delay, fn);
        return { cancel: () => this.sim.cancel(t) };
      },
    );
    this.shell = new Shell<Host>(this, this.vfs);
    registerCoreCommands(this);
    this.addNic('lo', 0);
    this.addAddress({ dev: 'lo', ip: 0x7f000001, prefix: 8, scope: 'host' });
    this.sysctl.set('net.ipv4.ip_forward', '0');
  }

  get ipForward(): boolean {
    return this.sysctl.get('net.ipv4.ip_forward') === '1';
  }

  nic(name: string): Nic | undefined {
    return this.nics.get(name);
  }

  addNic(name: string, mac: Mac): Nic {
    const nic = new Nic(this, name, mac, this.nics.size + 1);
    // Every IPv4 interface is in the all-hosts group (RFC 1112).
    nic.joinGroup(ALL_HOSTS);
    nic.neighbours = new NeighbourTable(this.sim, this.name, name, this.sim.rng.stream(`neigh:${this.name}:${name}`), {
      solicit: (target, unicastTo, packetSrc) => this.solicit(nic, target, unicastTo, packetSrc),
    });
    this.nics.set(name, nic);
    return nic;
  }

  plug(nicName: string, lan: Lan): void {
    const nic = this.nics.get(nicName)!;
    nic.port = lan.attach(`${this.name}.${nicName}`, nic);
  }

  // ---- addresses (ip addr add/del) ----

  addAddress(a: AddAddress): string | undefined {
    const err = this.addresses.add(a);
    if (err) return err;
    this.sim.trace.emit('addr.add', { host: this.name, dev: a.dev, ip: formatIpv4(a.ip), prefix: a.prefix });
    for (const l of this.netlink) l.address?.(a.dev, a.ip, true);
    return undefined;
  }

  delAddress(dev: string, ip: Ipv4, prefix?: number): string | undefined {
    const r = this.addresses.del(dev, ip, prefix);
    if (typeof r === 'string') return r;
    for (const a of r) {
      this.sim.trace.emit('addr.del', { host: this.name, dev, ip: formatIpv4(a.ip), prefix: a.prefix });
      for (const l of this.netlink) l.address?.(dev, a.ip, false);
    }
    return undefined;
  }

  hasAddress(ip: Ipv4): boolean {
    return this.addresses.isLocal(ip);
  }

  onNetlink(l: NetlinkListener): () => void {
    this.netlink.push(l);
    return () => this.netlink.splice(this.netlink.indexOf(l), 1);
  }

  // ---- sysctl-driven ARP policy ----

  private confInt(dev: string, key: string): number {
    const all = Number(this.sysctl.get(`net.ipv4.conf.all.${key}`) ?? 0);
    const own = Number(this.sysctl.get(`net.ipv4.conf.${dev}.${key}`) ?? 0);
    return Math.max(all, own);
  }

  arpIgnore(dev: string): number {
    return this.confInt(dev, 'arp_ignore');
  }

  arpAnnounce(dev: string): number {
    return this.confInt(dev, 'arp_announce');
  }

  arpAccept(dev: string): number {
    return this.confInt(dev, 'arp_accept');
  }

  // ---- frames in and out ----

  frameIn(nic: Nic, frame: EthernetFrame): void {
    if (!this.powered) return;
    const p = frame.payload;
    if (p.kind === 'arp') {
      const reply = processArp(nic, p, this.addresses, this);
      if (reply) nic.transmit({ dst: reply.targetMac, src: nic.mac, payload: reply });
    } else this.ip.input(p, nic);
  }

  carrierChanged(nic: Nic, up: boolean): void {
    this.routes.invalidate();
    if (!up) nic.neighbours.flushAll();
    this.sim.trace.emit('carrier', { host: this.name, dev: nic.name, up });
    if (this.powered) for (const l of this.netlink) l.link?.(nic.name, up);
  }

  private solicit(nic: Nic, target: Ipv4, unicastTo: Mac | undefined, packetSrc: Ipv4 | undefined): void {
    const src = arpRequestSource(nic.name, target, packetSrc, this.addresses, this) ?? this.addresses.sourceFor(nic.name, target);
    if (src === undefined) return;
    nic.transmit(arpRequestFrame(nic, src, target, unicastTo));
  }

  /** Sends a frame as it is (gratuitous ARP from keepalived's packet socket). */
  sendFrame(dev: string, frame: EthernetFrame): void {
    if (this.powered) this.nic(dev)?.transmit(frame);
  }

  openRawSocket(protocol: number, dev?: string): RawSocket {
    return new RawSocket(this.ip, (n) => this.nic(n), protocol, dev);
  }

  // ---- time ----

  /** A timer on the host's monotonic clock (its oscillator's drift applies). */
  timer(hostDelay: Micros, fn: () => void): Timer {
    return this.sim.schedule(this.clock.toTrue(hostDelay), fn);
  }

  /** The wall clock now, in µs since 1970. */
  wallUs(): number {
    return this.clock.wallUs(this.sim.now);
  }

  /** syslog line as rsyslog writes it to /var/log/messages: `Nov 25 00:47:10 proxy2 ident[pid]: text`. */
  syslog(ident: string, pid: number, text: string): void {
    const trace = this.sim.trace;
    if (!trace.wants('log')) return;
    trace.emit('log', { host: this.name, ident, pid, wall: syslogStamp(this.wallUs()), text });
  }

  // ---- processes and the shell ----

  signal(pid: number, sig: SignalName | 0): 'ESRCH' | undefined {
    return this.processes.kill(pid, sig);
  }

  spawn(name: string, argv: readonly string[], behaviour: Process['behaviour']): Process {
    return this.processes.spawn(name, argv, behaviour);
  }

  /** Runs a command line in the simulated shell as root; `done` gets its status and output. */
  run(line: string, done?: (r: ShellResult) => void, opts: { args?: readonly string[]; env?: Record<string, string> } = {}): void {
    if (!this.powered) {
      done?.({ code: 255, stdout: '', stderr: `ssh: connect to host ${this.name}: No route to host\n` });
      return;
    }
    this.shell.run(line, { ...opts, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', ...opts.env } }, (r) => {
      this.sim.trace.emit('shell.run', { host: this.name, command: line, code: r.code, stdout: r.stdout, stderr: r.stderr });
      done?.(r);
    });
  }

  // ---- power ----

  /** Power loss: processes vanish, the NICs go silent; addresses stay as they were until boot. */
  crash(): void {
    if (!this.powered) return;
    this.powered = false;
    this.processes.crashAll();
    this.services.forgetAll();
    this.tcp.powerLoss();
    for (const nic of this.nics.values()) nic.neighbours.flushAll();
    this.sim.trace.emit('host.power', { host: this.name, up: false });
  }

  /** Power on: the caller (the scenario's world) restores the boot configuration and starts services. */
  powerOn(): void {
    if (this.powered) return;
    this.powered = true;
    this.sim.trace.emit('host.power', { host: this.name, up: true });
  }
}
