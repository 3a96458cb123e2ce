import type { Host } from '../host';
import type { CommandFn, CommandContext, Shell } from '../shell/shell';

declare module '../../sim/trace' {
  interface TraceEvents {
    'service.command': { host: string; service: string; action: string; code: number };
  }
}

/** One action on one service, as `service NAME ACTION` and `systemctl ACTION NAME` share it. */
function act(ctx: CommandContext<Host>, name: string, action: string, done: (code: number) => void): number | undefined {
  const services = ctx.host.services;
  const def = services.definition(name);
  const finish = (code: number): number => {
    ctx.host.sim.trace.emit('service.command', { host: ctx.host.name, service: name, action, code });
    return code;
  };
  if (!def) {
    ctx.err(`Failed to ${action} ${name}.service: Unit ${name}.service not found.\n`);
    return finish(5);
  }
  const start = (): number => {
    const err = services.start(def.name);
    if (err) {
      ctx.err(err.endsWith('\n') ? err : err + '\n');
      return finish(1);
    }
    return finish(0);
  };
  switch (action) {
    case 'start':
      return start();
    case 'stop':
      services.stop(def.name, () => done(finish(0)));
      return undefined;
    case 'restart':
      services.stop(def.name, () => done(start()));
      return undefined;
    case 'reload': {
      const err = services.reload(def.name);
      if (err) ctx.err(err + '\n');
      return finish(err ? 1 : 0);
    }
    case 'status': {
      const main = services.main(def.name);
      ctx.out(`● ${def.name}.service - ${def.description}\n`);
      if (main) {
        ctx.out(`   Active: active (running)\n Main PID: ${main.pid} (${main.name})\n`);
        return 0;
      }
      ctx.out('   Active: inactive (dead)\n');
      return 3;
    }
    case 'is-active': {
      const active = services.isActive(def.name);
      ctx.out(active ? 'active\n' : 'inactive\n');
      return active ? 0 : 3;
    }
    default:
      ctx.err(`Unknown operation '${action}'.\n`);
      return 1;
  }
}

/** SysV `service NAME ACTION` (on CentOS 7 it redirects to systemctl and says so). */
const service: CommandFn<Host> = (ctx, done) => {
  const [name, action] = ctx.argv.slice(1);
  if (!name || !action) {
    ctx.out('Usage: service < option > | --status-all | [ service_name [ command | --full-restart ] ]\n');
    return 1;
  }
  ctx.err(`Redirecting to /bin/systemctl ${action} ${name}.service\n`);
  return act(ctx, name, action, done);
};

const systemctl: CommandFn<Host> = (ctx, done) => {
  const [action, name] = ctx.argv.slice(1);
  if (!action || !name) {
    ctx.err('Too few arguments.\n');
    return 1;
  }
  return act(ctx, name.replace(/\.service$/, ''), action, done);
};

export function registerServiceCommands(shell: Shell<Host>): void {
  shell.register('service', service);
  shell.register('systemctl', systemctl);
}

/** The init script a service installs, so `/etc/rc.d/init.d/nginx start` works as in the seed lab. */
export function initScript(name: string): string {
  return `#!/bin/sh\n# ${name} init script (simulated): hands the action to the service manager\nservice ${name} "$1"\n`;
}
