import { SECOND, type Micros } from '../../sim/time';
import type { Dest } from './dest';
import type { Service } from './service';

/** IP_VS_DEST_TRASH_PERIOD: the trash timer runs every half of it. */
const TRASH_PERIOD = 120 * SECOND;

/**
 * Deleted destinations (ipvs->dest_trash). Every deleted dest waits here, revivable by a re-add to the same
 * service with its counters and connections. The timer, armed 60 s after the trash last became non-empty
 * and re-armed every 60 s while it is not, marks an unreferenced dest idle on one run and frees it on the
 * first run 120 s after that: a dest is freed 120-180 s after its last connection went.
 */
export class DestTrash {
  private dests: Dest[] = [];
  private idleStart = new Map<Dest, Micros>();
  private nextRun: Micros | undefined;

  /** __ip_vs_del_dest. */
  add(dest: Dest, now: Micros): void {
    if (this.dests.length === 0) this.nextRun = now + TRASH_PERIOD / 2;
    this.dests.unshift(dest);
    this.idleStart.delete(dest);
  }

  /** When the timer runs next, if armed. */
  get due(): Micros | undefined {
    return this.nextRun;
  }

  /** One run of ip_vs_dest_trash_expire at its due time. */
  run(): void {
    const at = this.nextRun!;
    this.dests = this.dests.filter((d) => {
      if (d.refs > 0) return true;
      const idle = this.idleStart.get(d);
      if (idle === undefined) {
        this.idleStart.set(d, at);
        return true;
      }
      if (at < idle + TRASH_PERIOD) return true;
      this.idleStart.delete(d);
      return false;
    });
    this.nextRun = this.dests.length ? at + TRASH_PERIOD / 2 : undefined;
  }

  /** ip_vs_trash_get_dest: the same real server of the same virtual service, taken out of the trash. */
  take(svc: Service, addr: string, port: number): Dest | undefined {
    const i = this.dests.findIndex(
      (d) =>
        d.addr === addr &&
        d.port === port &&
        d.svc.fwmark === svc.fwmark &&
        d.svc.protocol === svc.protocol &&
        (svc.fwmark !== 0 || (d.svc.addr === svc.addr && d.svc.port === svc.port)),
    );
    if (i < 0) return undefined;
    const [dest] = this.dests.splice(i, 1);
    this.idleStart.delete(dest!);
    return dest;
  }
}
