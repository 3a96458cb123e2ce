import { Simulator } from '../sim/simulator';
import type { Trace } from '../sim/trace';
import { parseMac, type Mac } from '../net/addr';
import { Lan } from '../net/lan';
import { Host } from '../host/host';
import { initScript } from '../host/commands/service';
import { attachIpvs, rebootIpvs } from '../kernel/ipvs/netfilter';
import { registerClientCommands } from '../daemons/client';
import type { ServiceDefinition } from '../host/services';
import type { HostSpec, ScenarioSpec } from './spec';

/** Builds a daemon's service for a host: the daemons layer provides one per service name. */
export type ServiceFactory = (host: Host) => ServiceDefinition;

export interface World {
  readonly sim: Simulator;
  readonly spec: ScenarioSpec;
  readonly hosts: ReadonlyMap<string, Host>;
  readonly lans: ReadonlyMap<string, Lan>;
  /** Power on a crashed host: boot configuration restored, boot services started (the `boot` action). */
  boot(name: string): void;
}

/** 52:54:00 (QEMU's prefix, what lab VMs show) + host and NIC numbers: stable for a given scenario. */
function derivedMac(hostIndex: number, nicIndex: number): Mac {
  return 0x525400000000 + (hostIndex + 1) * 0x100 + nicIndex + 1;
}

/**
 * Turns a validated spec into hosts and LANs, wired as the file says, with the trace attached before
 * anything happens so that the initial addresses are in it too.
 */
export function buildWorld(spec: ScenarioSpec, services: ReadonlyMap<string, ServiceFactory>, trace?: Trace): World {
  const sim = new Simulator({ seed: spec.seed, ...(trace && { trace }) });
  const lans = new Map<string, Lan>();
  for (const l of spec.lans) lans.set(l.name, new Lan(sim, l.name, { latency: l.latency, jitter: l.jitter, loss: l.loss }));
  const hosts = new Map<string, Host>();
  const epochMs = Math.floor(spec.start / 1000);
  spec.hosts.forEach((hs, hi) => {
    const host = new Host(sim, hs.name, {
      epochMs,
      firstPid: 1000 + 137 * (hi + 1),
      clockOffset: hs.clock.offset,
      driftPpm: hs.clock.driftPpm,
    });
    hosts.set(hs.name, host);
    attachIpvs(host);
    registerClientCommands(host);
    for (const name of SERVICE_ORDER) {
      const factory = services.get(name);
      if (factory) {
        const def = factory(host);
        host.services.define(def);
        host.vfs.write(`/etc/rc.d/init.d/${def.name}`, initScript(def.name), 0o755);
        host.vfs.write(`/etc/init.d/${def.name}`, initScript(def.name), 0o755);
      }
    }
    hs.nics.forEach((n, ni) => {
      if (n.name === 'lo') return;
      host.addNic(n.name, (n.mac !== undefined ? parseMac(n.mac) : undefined) ?? derivedMac(hi, ni));
      if (n.lan !== undefined) host.plug(n.name, lans.get(n.lan)!);
    });
    configure(host, hs, true);
  });
  // Services start once every host exists, in file order, at t = 0.
  sim.schedule(0, () => {
    for (const hs of spec.hosts) startServices(hosts.get(hs.name)!, hs);
  });
  return {
    sim,
    spec,
    hosts,
    lans,
    boot(name) {
      const host = hosts.get(name)!;
      if (host.powered) return;
      const hs = spec.hosts.find((h) => h.name === name)!;
      // A reboot forgets run-time addresses (VIPs) and returns to the boot configuration.
      for (const nic of host.nics.values()) if (!nic.isLoopback) host.addresses.flush(nic.name);
      rebootIpvs(host);
      host.powerOn();
      configure(host, hs);
      startServices(host, hs);
    },
  };
}

const SERVICE_ORDER = ['ntpd', 'nginx', 'keepalived'];

/** At build the scenario's files replace what the services installed; a reboot keeps files changed at run time. */
function configure(host: Host, hs: HostSpec, build = false): void {
  for (const f of hs.files) if (build || !host.vfs.stat(f.path)) host.vfs.write(f.path, f.content, f.mode);
  for (const s of hs.sysctl) host.sysctl.set(s.name, s.value);
  for (const n of hs.nics) {
    for (const a of n.addresses) {
      if (host.addresses.has(n.name, a.value)) continue;
      host.addAddress({
        dev: n.name,
        ip: a.value,
        prefix: a.prefix,
        // iproute2 gives 127/8 scope host; anything else on lo (a LVS-DR VIP) is scope global, no broadcast.
        ...(n.name === 'lo' ? (a.value >>> 24 === 127 ? { scope: 'host' as const } : {}) : a.prefix < 31 ? { broadcast: '+' as const } : {}),
      });
    }
  }
  if (hs.gateway && !host.routes.all().some((r) => r.prefix === 0)) {
    const route = host.routes.lookup(hs.gateway.value);
    if (route) host.routes.addStatic({ dst: 0, prefix: 0, dev: route.dev, via: hs.gateway.value });
  }
}

function startServices(host: Host, hs: HostSpec): void {
  for (const s of hs.services) {
    const err = host.services.start(s.name);
    if (err) host.syslog('systemd', 1, `${s.name}.service: ${err}`);
  }
}
