import '../host/ip';
import type { TraceRecord, TraceSink } from '../sim/trace';

/**
 * Counts the packets hosts dropped (`ip.drop`), by host, destination and reason, for the console's
 * summary: a request that timed out is explained by the real server that had no route back to the client.
 */
export class DropSummary implements TraceSink {
  private readonly counts = new Map<string, { host: string; dst: string; reason: string; n: number }>();

  write(r: TraceRecord): void {
    if (r.kind !== 'ip.drop') return;
    const key = `${r.host}\0${r.dst}\0${r.reason}`;
    const c = this.counts.get(key);
    if (c) c.n++;
    else this.counts.set(key, { host: r.host, dst: r.dst, reason: r.reason, n: 1 });
  }

  /** `web1: 14 packets to 172.16.23.1 dropped: no route (no default gateway)`, one line each, busiest first. */
  lines(): string[] {
    const rows = [...this.counts.values()].sort((a, b) => b.n - a.n || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
    return rows.map((c) => `${c.host}: ${c.n} packet${c.n === 1 ? '' : 's'} to ${c.dst} dropped: ${c.reason}`);
  }
}
