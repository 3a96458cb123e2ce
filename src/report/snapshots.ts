import { formatSeconds } from '../sim/time';
import type { TraceRecord } from '../sim/trace';

/**
 * A snapshot as it goes into `reports/<scenario>/<host>/snapshots.txt`: a header line with the instant
 * and the command, then the command's output exactly as the simulated program printed it (trailing
 * blanks included, as ipvsadm's `%-10u` columns leave them), then a blank line.
 */
export function snapshotBlock(r: TraceRecord<'snapshot'>): string {
  const body = r.output === '' || r.output.endsWith('\n') ? r.output : `${r.output}\n`;
  return `# ${formatSeconds(r.t)}s ${r.host}$ ${r.command}\n${body}\n`;
}
