import type { Host } from '../../host/host';
import { IpvsError } from '../../kernel/ipvs';
import { attachIpvs, ipvsOf } from '../../kernel/ipvs/netfilter';
import { startSyncDaemon, stopSyncDaemon, type SyncState } from '../../kernel/ipvs/sync';

const ERRNO: Record<string, number> = { EEXIST: 17, ESRCH: 3, ENODEV: 19 };
const CMD = { start: 'IP_VS_SO_SET_STARTDAEMON(1163)', stop: 'IP_VS_SO_SET_STOPDAEMON(1164)' };

/**
 * global_defs `lvs_sync_daemon IFACE INSTANCE [id N]` as keepalived's VRRP process drives it
 * (vrrp_ipvs.c): the IPVS sync daemon follows that instance's state — backup daemon from start-up, master
 * daemon while the instance is MASTER, stopped when the VRRP process stops. syncid defaults to the VRID.
 */
export class LvsSyncControl {
  private running: SyncState | undefined;

  constructor(
    private readonly host: Host,
    private readonly iface: string,
    readonly instance: string,
    private readonly syncid: number,
    private readonly log: (text: string) => void,
  ) {}

  stateChanged(instance: string, to: string): void {
    if (instance !== this.instance) return;
    if (to === 'MASTER') this.switchTo('master');
    else if (to === 'BACKUP' || to === 'FAULT') this.switchTo('backup');
    else this.stop();
  }

  stop(): void {
    if (this.running) this.call('stop', this.running);
    this.running = undefined;
  }

  private switchTo(state: SyncState): void {
    if (this.running === state) return;
    this.stop();
    if (this.call('start', state)) this.running = state;
  }

  private call(cmd: 'start' | 'stop', state: SyncState): boolean {
    const ipvs = ipvsOf(this.host) ?? attachIpvs(this.host);
    try {
      if (cmd === 'start') startSyncDaemon(this.host, ipvs, { state, mcastIfn: this.iface, syncid: this.syncid });
      else stopSyncDaemon(this.host, ipvs, state);
      return true;
    } catch (e) {
      if (!(e instanceof IpvsError)) throw e;
      this.log(`IPVS cmd ${CMD[cmd]} error: ${e.message}(${ERRNO[e.errno] ?? 0})`);
      return false;
    }
  }
}
