import type { Process } from './process';

declare module '../sim/trace' {
  interface TraceEvents {
    'service.action': { host: string; service: string; action: string; result: string };
  }
}

/** A daemon the host can run as a service (keepalived, nginx, ntpd): the daemons layer provides these. */
export interface ServiceDefinition {
  readonly name: string;
  /** The systemd unit's Description, for `systemctl status`. */
  readonly description: string;
  /** Starts the daemon; returns its main process, or an error the init script prints (exit 1). */
  start(argv: readonly string[]): Process | { error: string };
  /** How `reload` is done; default SIGHUP to the main process. */
  reload?(main: Process): string | undefined;
}

/** systemd's TimeoutStopSec default: a service that ignores SIGTERM is killed after 90 s. */
export const STOP_TIMEOUT_US = 90_000_000;

/**
 * The host's service manager, the part of systemd/SysV init that `service` and `systemctl` reach:
 * tracks each service's main process; stop sends SIGTERM and escalates to SIGKILL after the timeout.
 */
export class ServiceManager {
  private readonly defs = new Map<string, ServiceDefinition>();
  private readonly mains = new Map<string, Process>();

  constructor(
    private readonly signal: (p: Process, sig: 'TERM' | 'KILL' | 'HUP') => void,
    private readonly later: (delay: number, fn: () => void) => { cancel(): void },
  ) {}

  define(def: ServiceDefinition): void {
    this.defs.set(def.name, def);
  }

  definition(name: string): ServiceDefinition | undefined {
    return this.defs.get(name.replace(/\.service$/, ''));
  }

  names(): string[] {
    return [...this.defs.keys()].sort();
  }

  main(name: string): Process | undefined {
    const p = this.mains.get(name);
    return p?.alive ? p : undefined;
  }

  isActive(name: string): boolean {
    return this.main(name) !== undefined;
  }

  /** Returns an error text, or undefined when the service is (now) running. */
  start(name: string, argv: readonly string[] = []): string | undefined {
    const def = this.definition(name);
    if (!def) return `Failed to start ${name}.service: Unit not found.`;
    if (this.isActive(def.name)) return undefined;
    const r = def.start(argv);
    if ('error' in r) return r.error;
    this.mains.set(def.name, r);
    return undefined;
  }

  /** Stops the service; `done` runs once its main process is gone. */
  stop(name: string, done: () => void): string | undefined {
    const def = this.definition(name);
    if (!def) return `Failed to stop ${name}.service: Unit ${name}.service not loaded.`;
    const main = this.main(def.name);
    if (!main) {
      done();
      return undefined;
    }
    const escalation = this.later(STOP_TIMEOUT_US, () => this.signal(main, 'KILL'));
    main.onExit(() => {
      escalation.cancel();
      done();
    });
    this.signal(main, 'TERM');
    return undefined;
  }

  reload(name: string): string | undefined {
    const def = this.definition(name);
    if (!def) return `Failed to reload ${name}.service: Unit not found.`;
    const main = this.main(def.name);
    if (!main) return `Job for ${def.name}.service invalid.`;
    if (def.reload) return def.reload(main);
    this.signal(main, 'HUP');
    return undefined;
  }

  /** After a crash every main process is gone; boot starts the enabled ones again. */
  forgetAll(): void {
    this.mains.clear();
  }
}
