import type { Host } from '../../host/host';
import type { ServiceDefinition } from '../../host/services';
import { registerNginxCommand } from './command';
import { DEFAULT_PATHS, startNginx } from './daemon';
import { installNginx } from './install';

/**
 * nginx as a service of a host (built from source under /usr/local/nginx, as in the seed lab): defining it
 * installs the stock files and the `nginx` command; starting it runs the master and its worker, both named
 * nginx, so `killall -0 nginx`, `killall nginx`, `service nginx stop|restart|reload` see what they see on a
 * real host. A configuration nginx refuses makes the start fail with nginx's message.
 */
export function nginxService(host: Host): ServiceDefinition {
  installNginx(host.vfs);
  registerNginxCommand(host);
  return {
    name: 'nginx',
    description: 'nginx - high performance web server',
    start: () => startNginx(host, DEFAULT_PATHS),
  };
}
