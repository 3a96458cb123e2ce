import type { ShellResult } from '../host/shell/shell';
import type { TimelineAction } from './spec';
import type { World } from './world';

declare module '../sim/trace' {
  interface TraceEvents {
    'timeline.action': { line: number; action: string; host?: string; detail: string };
    snapshot: { host: string; command: string; output: string };
  }
}

/**
 * Schedules the scenario's actions, each through the levers a lab operator has: a shell command on a
 * host, a signal to a service's process, the power switch, a cable, the switch's partitions.
 * `extra` handles the kinds that belong to higher layers (HTTP load).
 */
export function scheduleTimeline(
  world: World,
  actions: readonly TimelineAction[],
  extra: (action: TimelineAction) => boolean = () => false,
): void {
  const { sim, hosts, lans } = world;
  const note = (a: TimelineAction, detail: string, host?: string): void =>
    sim.trace.emit('timeline.action', { line: a.pos.line, action: a.kind, ...(host !== undefined && { host }), detail });
  for (const a of actions) {
    const at = a.kind === 'load' ? a.from : a.at;
    sim.at(at, () => {
      switch (a.kind) {
        case 'run': {
          note(a, a.command, a.host);
          hosts.get(a.host)!.run(a.command);
          return;
        }
        case 'signal': {
          const host = hosts.get(a.host)!;
          const main = host.services.main(a.service);
          note(a, `SIG${a.signal} ${a.service}${main ? ` (pid ${main.pid})` : ' (not running)'}`, a.host);
          // Like `killall -SIG name`: every process of the service's name, main first.
          for (const p of host.processes.byName(a.service)) host.signal(p.pid, a.signal);
          return;
        }
        case 'crash':
          note(a, 'power off', a.host);
          hosts.get(a.host)!.crash();
          return;
        case 'boot':
          note(a, 'power on', a.host);
          world.boot(a.host);
          return;
        case 'link': {
          const host = hosts.get(a.host)!;
          const port = host.nic(a.nic)?.port;
          note(a, `${a.host}.${a.nic} ${a.state}`, a.host);
          if (port) port.lan.setLinkState(port, a.state === 'up');
          return;
        }
        case 'partition': {
          const lan = lans.get(a.lan)!;
          note(a, `${a.lan}: ${a.groups.map((g) => g.join('+')).join(' | ')}`);
          const portsOf = (hostNames: readonly string[]) =>
            lan.ports.filter((p) => hostNames.includes(p.name.split('.')[0]!)).map((p) => p.name);
          lan.partition(a.groups.map(portsOf));
          return;
        }
        case 'heal':
          note(a, a.lan);
          lans.get(a.lan)!.heal();
          return;
        case 'ping':
          note(a, `ping -c ${a.count} ${a.target.text}`, a.host);
          hosts.get(a.host)!.run(`ping -c ${a.count} -i ${a.interval / 1e6} ${a.target.text}`);
          return;
        case 'snapshot':
          note(a, a.command, a.host);
          hosts.get(a.host)!.run(a.command, (r: ShellResult) =>
            sim.trace.emit('snapshot', { host: a.host, command: a.command, output: r.stdout + r.stderr }),
          );
          return;
        case 'load':
          if (!extra(a)) throw new Error(`no handler for timeline action ${a.kind}`);
          return;
      }
    });
  }
}
