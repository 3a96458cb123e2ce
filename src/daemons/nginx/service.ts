import type { Host } from '../../host/host';
import type { Process, ProcessBehaviour, SignalName } from '../../host/process';
import type { ServiceDefinition } from '../../host/services';

/**
 * nginx as processes: a master and one worker (`worker_processes auto` on the seed's one-CPU VMs), both
 * named nginx, so `killall -0 nginx`, `killall nginx`, `service nginx stop|restart` and the chk_nginx
 * script see what they see on a real host. Serving HTTP comes with the simulated TCP stack.
 */
class NginxMaster implements ProcessBehaviour {
  worker: Process | undefined;
  constructor(private readonly host: Host) {}

  signal(sig: SignalName): void {
    this.stopWorker();
    // HUP (reload): a fresh worker; TERM/INT/QUIT: the master exits after its worker.
    if (sig === 'HUP' && this.self) this.startWorker(this.self);
    else this.self?.exit(0);
  }

  self: Process | undefined;

  startWorker(master: Process): void {
    this.worker = this.host.processes.spawn('nginx', ['nginx: worker process'], { terminated: () => {} }, master.pid);
  }

  private stopWorker(): void {
    if (this.worker?.alive) this.worker.exit(0);
  }

  terminated(): void {
    this.stopWorker();
  }
}

export function nginxService(host: Host): ServiceDefinition {
  return {
    name: 'nginx',
    description: 'nginx - high performance web server',
    start() {
      const master = new NginxMaster(host);
      const proc = host.processes.spawn('nginx', ['nginx: master process /usr/local/nginx/sbin/nginx'], master);
      master.self = proc;
      master.startWorker(proc);
      return proc;
    },
  };
}
