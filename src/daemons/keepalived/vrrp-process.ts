import type { Timer } from '../../sim/simulator';
import { formatIpv4, type Ipv4 } from '../../net/addr';
import { IPPROTO_VRRP, type Ipv4Packet } from '../../net/packets';
import { gratuitousArpFrame } from '../../host/arp';
import type { Host } from '../../host/host';
import type { Process, ProcessBehaviour, SignalName } from '../../host/process';
import type { RawSocket } from '../../host/raw-socket';
import './trace-events';
import type { KeepalivedConfig } from './config';
import { quoteArgs, TrackScripts } from './track-scripts';
import { LvsSyncControl } from './lvs-sync';
import { vrrpInitialState, vrrpStepInPlace, type VrrpAction, type VrrpConfig, type VrrpInput, type VrrpProcessState, type VrrpTimer } from './vrrp';
import { buildAdvert, checkAdvert, VRRP_GROUP, type InstanceWire } from './vrrp-packet';
import { EXIT_CONFIG } from './exit-codes';

const TIMER_INPUT: Record<VrrpTimer, (instance: string) => VrrpInput> = {
  master_down: (instance) => ({ kind: 'master_down_timer_expired', instance }),
  adver: (instance) => ({ kind: 'adver_timer_expired', instance }),
  garp_master: (instance) => ({ kind: 'garp_timer_expired', instance, timer: 'garp_master' }),
  garp_lower_prio: (instance) => ({ kind: 'garp_timer_expired', instance, timer: 'garp_lower_prio' }),
};

/** How long the VRRP child lingers after SIGTERM before exiting (the IGMP-leave timer), as measured. */
const STOP_LINGER_US = 1_000_000;


/** What the VRRP child logs while it (re)reads the configuration, split where keepalived logs them. */
export interface ConfigLines {
  /** Parse-time lines (unknown keywords, missing braces, a missing interface …). */
  readonly parsed: () => void;
  /** Lines of the completion checks after the scripts are set up (SECURITY VIOLATION …). */
  readonly completed: () => void;
}

/**
 * keepalived's VRRP child (Keepalived_vrrp): owns the sockets, timers and scripts, feeds what happens to
 * the pure state machine (./vrrp) and performs the actions it returns, in order.
 */
export class VrrpProcess implements ProcessBehaviour {
  private readonly state: VrrpProcessState;
  private readonly timers = new Map<string, Timer>();
  private readonly sockets = new Map<string, RawSocket>();
  private wires = new Map<string, InstanceWire>();
  /**
   * Each instance's own IP id (vrrp.c vrrp_update_pkt: `++vrrp->ip_id`, 1 first). It lives in the instance,
   * so a reload, which builds new instances, restarts it at 1 [obs]; the wire object stands for the instance.
   */
  private readonly ipIds = new WeakMap<InstanceWire, number>();
  private scripts: TrackScripts;
  private unlisten: (() => void) | undefined;
  proc!: Process;
  private stopping = false;
  /** SIGHUP sent to the child itself: it re-reads the configuration as on a reload from its parent. */
  onReloadSignal: (() => void) | undefined;

  constructor(
    private readonly host: Host,
    conf: KeepalivedConfig,
    private config: VrrpConfig,
    wires: readonly InstanceWire[],
    /** `-D`: detailed log lines too. */
    private readonly detail: boolean,
  ) {
    // An unfrozen copy the process alone owns, stepped in place.
    this.state = structuredClone(vrrpInitialState(config));
    for (const w of wires) this.wires.set(w.params.name, w);
    this.scripts = this.trackScripts(conf, config);
    const sync = conf.globalDefs.lvsSyncDaemon;
    const owner = sync && this.wires.get(sync.instance);
    if (sync && owner) {
      this.lvsSync = new LvsSyncControl(host, sync.interface, sync.instance, sync.syncId ?? owner.params.vrid, (t) => this.log(t));
    }
  }

  /** The IPVS sync daemon that follows one instance (global_defs lvs_sync_daemon). */
  private readonly lvsSync: LvsSyncControl | undefined;

  private trackScripts(conf: KeepalivedConfig, config: VrrpConfig): TrackScripts {
    return new TrackScripts(
      this.host,
      conf.vrrpScripts.filter((s) => config.scripts.some((c) => c.name === s.name)),
      (script, outcome) => this.step({ kind: 'script_result', script, outcome }),
      (text) => this.log(text),
    );
  }

  /**
   * `configured` logs what the child's own configuration pass reports (after netlink is set up);
   * `ready` is the parent's "Startup complete", which lands about when the instances initialise.
   */
  start(proc: Process, configured: () => void, ready: () => void): void {
    this.proc = proc;
    this.detailLog('Registering Kernel netlink reflector');
    this.detailLog('Registering Kernel netlink command channel');
    if (this.scripts.count > 0) this.log("Script user 'keepalived_script' does not exist");
    this.scriptWarnings();
    configured();
    this.assignedAddresses();
    this.detailLog('Registering gratuitous ARP shared channel');
    ready();
    this.openSockets();
    this.unlisten = this.host.onNetlink({
      link: (dev, up) => this.step({ kind: up ? 'interface_up' : 'interface_down', interface: dev }),
    });
    const down = [...this.wires.values()].map((w) => w.params.interface).filter((d) => !this.host.nic(d)?.running);
    this.step({ kind: 'start', ...(down.length && { interfacesDown: down }) });
    this.sockpool();
    this.scripts.start();
  }

  /**
   * SIGHUP (keepalived's reload_vrrp_thread): MASTERs advertise once more, every timer and script is
   * stopped, the new configuration is applied by the state machine — the process, its sockets and the
   * kept instances' states live on — then the scripts start again.
   */
  reload(conf: KeepalivedConfig, config: VrrpConfig, wires: readonly InstanceWire[], lines: ConfigLines, ready: () => void): void {
    if (this.stopping || !this.proc.alive) return;
    this.step({ kind: 'reload_signal' });
    this.clearTimers();
    this.scripts.stop();
    lines.parsed();
    this.scripts = this.trackScripts(conf, config);
    if (this.scripts.count > 0) this.log("Script user 'keepalived_script' does not exist");
    // The old wires still send what the machine does for removed instances (their priority-0 adverts).
    for (const a of vrrpStepInPlace(this.config, this.state, { kind: 'reload', config }, this.host.sim.now)) {
      if (a.kind !== 'config_completed') {
        this.perform(a);
        continue;
      }
      this.scriptWarnings();
      lines.completed();
      this.assignedAddresses(wires);
    }
    this.config = config;
    this.wires = new Map(wires.map((w) => [w.params.name, w]));
    for (const [dev, sock] of this.sockets) {
      if ([...this.wires.values()].some((w) => w.params.interface === dev)) continue;
      sock.close();
      this.sockets.delete(dev);
    }
    this.openSockets();
    this.sockpool();
    ready();
    this.scripts.start();
  }

  /**
   * The reloaded configuration cannot be used (an interface that does not exist): keepalived's VRRP child
   * logs why and exits at once — no priority-0 advert, the VIPs stay where they are [obs]. `stopped`: whether
   * it gets to log `Stopped` (not when the parser itself exits).
   */
  reloadFailed(lines: ConfigLines, stopped: boolean): void {
    if (this.stopping || !this.proc.alive) return;
    this.step({ kind: 'reload_signal' });
    this.stopping = true;
    this.clearTimers();
    this.scripts.stop();
    lines.parsed();
    if (stopped) this.stoppedLine();
    this.proc.exit(EXIT_CONFIG);
  }

  private scriptWarnings(): void {
    for (const cmd of this.scripts.pathSearched()) {
      this.log(`WARNING - script \`${cmd}\` resolved by path search to \`/usr/bin/${cmd}\`. Please specify full path.`);
    }
  }

  /** The interfaces of `wires` (the new config's on a reload) that have an address. */
  private assignedAddresses(wires: Iterable<InstanceWire> = this.wires.values()): void {
    for (const dev of new Set([...wires].map((w) => w.params.interface))) {
      const ip = this.host.addresses.primary(dev)?.ip;
      if (ip !== undefined) this.detailLog(`Assigned address ${formatIpv4(ip)} for interface ${dev}`);
    }
  }

  private openSockets(): void {
    for (const w of this.wires.values()) {
      const dev = w.params.interface;
      if (this.sockets.has(dev)) continue;
      const sock = this.host.openRawSocket(IPPROTO_VRRP, dev);
      sock.joinGroup(VRRP_GROUP);
      sock.onPacket = (pkt) => this.receive(dev, pkt);
      this.sockets.set(dev, sock);
    }
  }

  private sockpool(): void {
    let fd = 14;
    for (const dev of this.sockets.keys()) {
      const index = String(this.host.nic(dev)?.index ?? 0).padStart(3);
      this.detailLog(`VRRP sockpool: [ifindex(${index}), family(IPv4), proto(112), fd(${fd},${fd + 1}) multicast, address(224.0.0.18)]`);
      fd += 2;
    }
  }

  /** SIGTERM from the parent: priority-0 adverts and VIPs removed (by the machine), then exit. */
  terminate(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.scripts.stop();
    this.step({ kind: 'stop' });
    this.lvsSync?.stop();
    this.clearTimers();
    this.host.timer(STOP_LINGER_US, () => {
      if (!this.proc.alive) return;
      this.stoppedLine();
      this.proc.exit(0);
    });
  }

  private stoppedLine(): void {
    // Simulated processes use no CPU time.
    if (!this.detail) this.log('Stopped');
    else if (this.scripts.count > 0) this.log('Stopped - used (self/children) 0.000000/0.000000 user time, 0.000000/0.000000 system time');
    else this.log('Stopped - used 0.000000 user time, 0.000000 system time');
  }

  signal(sig: SignalName): void {
    if (sig === 'HUP') this.onReloadSignal?.();
    // The VRRP child is driven by its parent; SIGTERM to it directly behaves the same.
    else this.terminate();
  }

  terminated(): void {
    this.scripts.stop();
    this.clearTimers();
    for (const s of this.sockets.values()) s.close();
    this.sockets.clear();
    this.unlisten?.();
  }

  private clearTimers(): void {
    for (const t of this.timers.values()) this.host.sim.cancel(t);
    this.timers.clear();
  }

  private receive(dev: string, pkt: Ipv4Packet): void {
    if (this.stopping || !this.proc.alive || this.proc.state === 'stopped') return;
    const vrrp = pkt.payload;
    if (vrrp.kind !== 'vrrp') return;
    if (this.host.addresses.isLocal(pkt.src)) return; // our own advert, looped back
    for (const w of this.wires.values()) {
      if (w.params.interface !== dev || w.params.vrid !== vrrp.vrid) continue;
      const inst = this.state.instances[w.params.name];
      const st = inst?.state;
      if (st === 'FAULT' || st === 'INIT' || st === undefined) continue;
      const checked = checkAdvert(w, pkt, vrrp, true);
      this.step(
        checked.ok
          ? { kind: 'advert_received', instance: w.params.name, srcIp: pkt.src, priority: vrrp.priority, adverInt: checked.adverInt }
          : { kind: 'advert_rejected', instance: w.params.name, reason: checked.reason },
      );
    }
  }

  private step(input: VrrpInput): void {
    const actions = vrrpStepInPlace(this.config, this.state, input, this.host.sim.now);
    for (const a of actions) this.perform(a);
  }

  private perform(a: VrrpAction): void {
    const host = this.host;
    switch (a.kind) {
      case 'send_advert': {
        const w = this.wires.get(a.instance)!;
        const sock = this.sockets.get(w.params.interface);
        const src = w.params.primaryIp;
        const dsts: readonly Ipv4[] = w.params.unicastPeers.length ? w.params.unicastPeers : [VRRP_GROUP];
        // Unicast adverts keep the id field at 0: the kernel fills it in.
        const id = w.params.unicastPeers.length ? 0 : (this.ipIds.get(w) ?? 0) + 1;
        if (id) this.ipIds.set(w, id);
        for (const dst of dsts) {
          const payload = buildAdvert(w, a.priority, a.adverInt, src, dst);
          sock?.send({ src, dst, ttl: 255, tos: 0xc0, df: false, id: id & 0xffff, payload });
        }
        return;
      }
      case 'arm_timer': {
        const key = `${a.instance}/${a.timer}`;
        host.sim.cancel(this.timers.get(key));
        const input = TIMER_INPUT[a.timer](a.instance);
        this.timers.set(
          key,
          host.timer(a.delay, () => {
            this.timers.delete(key);
            if (this.proc.state !== 'stopped') this.step(input);
          }),
        );
        return;
      }
      case 'cancel_timer': {
        const key = `${a.instance}/${a.timer}`;
        host.sim.cancel(this.timers.get(key));
        this.timers.delete(key);
        return;
      }
      case 'add_vips':
        for (const v of a.vips) host.addAddress({ dev: v.dev, ip: v.address, prefix: v.prefixLength });
        return;
      case 'remove_vips':
        for (const v of a.vips) host.delAddress(v.dev, v.address, v.prefixLength);
        return;
      case 'send_garp':
        for (let round = 0; round < a.repeat; round++) {
          for (const v of a.vips) {
            const nic = host.nic(v.dev);
            if (nic) host.sendFrame(v.dev, gratuitousArpFrame(nic.mac, v.address));
          }
        }
        return;
      case 'notify':
      case 'notify_group':
        if (a.script !== undefined) host.run(a.script);
        if (a.generic !== undefined) host.run(`${a.generic} ${quoteArgs(a.genericArgs)}`);
        return;
      case 'log':
        if (!a.detail || this.detail) this.log(a.text);
        return;
      case 'state_changed':
        host.sim.trace.emit('vrrp.state', { host: host.name, instance: a.instance, from: a.from, to: a.to, priority: a.priority });
        this.lvsSync?.stateChanged(a.instance, a.to);
        return;
    }
  }

  private detailLog(text: string): void {
    if (this.detail) this.log(text);
  }

  private log(text: string): void {
    this.host.syslog('Keepalived_vrrp', this.proc.pid, text);
  }
}
