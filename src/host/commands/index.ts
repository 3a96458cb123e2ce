import type { Host } from '../host';
import { registerFileCommands } from './files';
import { registerMiscCommands } from './misc';
import { registerNetCommands } from './net';
import { registerProcessCommands } from './processes';
import { registerServiceCommands } from './service';

/** The commands every simulated host has; daemons add theirs (curl, ipvsadm, nginx, keepalived). */
export function registerCoreCommands(host: Host): void {
  registerFileCommands(host.shell);
  registerProcessCommands(host.shell);
  registerServiceCommands(host.shell);
  registerNetCommands(host.shell);
  registerMiscCommands(host.shell);
}
