import '../daemons/keepalived/trace-events';
import '../daemons/client/trace-events';
import { formatSeconds } from '../sim/time';
import type { TraceRecord } from '../sim/trace';
import type { ExpectationResult } from '../scenario/expectations';

/** Log lines worth a place in the console timeline (the rest stays in the per-host logs). */
const NOTABLE_LOG = /Entering|Changing effective priority|VRRP_Script\(.*\) (failed|succeeded|timed_out)|received lower priority|higher priority|invalid passwd|Removing service|Adding service|sorry server|quorum|Stopped Keepalived|Starting Keepalived/;

/** One line of the console timeline for a trace record, or undefined for records not shown there. */
export function timelineLine(r: TraceRecord): string | undefined {
  const t = formatSeconds(r.t).padStart(12);
  const line = (who: string, text: string): string => `${t}  ${who.padEnd(10)} ${text}`;
  switch (r.kind) {
    case 'timeline.action':
      return line(r.host ?? '*', `» ${r.action}: ${r.detail}`);
    case 'addr.add':
      return r.dev === 'lo' && r.ip === '127.0.0.1' ? undefined : line(r.host, `+ ${r.ip}/${r.prefix} on ${r.dev}`);
    case 'addr.del':
      return line(r.host, `- ${r.ip}/${r.prefix} from ${r.dev}`);
    case 'vrrp.state':
      return line(r.host, `${r.instance}: ${r.from} → ${r.to} (priority ${r.priority})`);
    case 'log':
      return NOTABLE_LOG.test(r.text) ? line(r.host, `${r.ident}: ${r.text}`) : undefined;
    case 'host.power':
      return line(r.host, r.up ? 'powered on' : 'CRASHED (power off)');
    case 'link.state':
      return line(r.port.split('.')[0]!, `link ${r.port} ${r.up ? 'up' : 'DOWN'}`);
    case 'lan.partition':
      return line(r.lan, `partitioned: ${r.groups.map((g) => g.join(' ')).join(' | ')}`);
    case 'lan.heal':
      return line(r.lan, 'partition healed');
    case 'ping':
      return line(r.host, r.ok ? `ping ${r.dst} seq ${r.seq}: reply in ${(r.rtt! / 1000).toFixed(3)} ms` : `ping ${r.dst} seq ${r.seq}: no reply`);
    case 'http.request': {
      if (r.error === undefined && (r.status ?? 0) < 500) return undefined;
      // A keep-alive request names its connection: the one opened before a failover, or a new one.
      const conn = r.port === undefined ? '' : ` (due at ${formatSeconds(r.sent)}, on port ${r.port} opened at ${formatSeconds(r.opened!)})`;
      return line(r.host, `GET ${r.url} failed: ${r.error ?? r.status}${conn}`);
    }
    case 'snapshot':
      return line(r.host, `$ ${r.command}\n${r.output.trimEnd().replace(/^/gm, '      │ ')}`);
    case 'process.exit':
      return r.how === 'exit' ? undefined : line(r.host, `${r.name}[${r.pid}] ${r.how === 'crash' ? 'lost in crash' : `killed (status ${r.code})`}`);
    default:
      return undefined;
  }
}

export function formatResults(results: readonly ExpectationResult[], file: string): string {
  if (results.length === 0) return 'no expectations\n';
  let out = '';
  for (const r of results) {
    out += `${r.ok ? 'PASS' : 'FAIL'}  ${file}:${r.expectation.pos.line}  ${r.what}${r.ok ? '' : `\n      ${r.detail}`}\n`;
  }
  const failed = results.filter((r) => !r.ok).length;
  out += `${results.length - failed} passed, ${failed} failed\n`;
  return out;
}

/** rsyslog's /var/log/messages line for a log record. */
export function syslogLine(r: TraceRecord<'log'>): string {
  return `${r.wall} ${r.host} ${r.ident}${r.pid ? `[${r.pid}]` : ''}: ${r.text}`;
}
