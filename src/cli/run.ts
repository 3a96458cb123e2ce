import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import '../daemons/nginx/trace-events';
import { FormattingSink, JsonLinesSink, type TraceRecord } from '../sim/trace';
import { formatDiagnostic } from '../scenario/diagnostic';
import { loadScenarioFile } from '../scenario/load';
import { runScenario } from '../scenario/runner';
import { formatResults, syslogLine, timelineLine } from '../report/console';
import { snapshotBlock } from '../report/snapshots';
import { DropSummary } from '../report/drops';
import { EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK } from './exit-codes';

interface RunFlags {
  seed?: string;
  out?: string;
  pcap?: boolean;
  quiet?: boolean;
  json?: boolean;
}

export function registerRun(program: Command, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('replay a scenario: console timeline, expectation results, reports')
    .argument('<scenarios...>', 'scenario YAML files, run one after the other')
    .option('--seed <n>', "override the scenario's seed")
    .option('--out <dir>', 'report folder (default reports/<scenario name>)')
    .option('--pcap', 'write one pcap per LAN')
    .option('--quiet', 'print only the expectation results')
    .option('--json', 'print a JSON summary instead of text')
    .action((files: string[], flags: RunFlags) => setExit(runAll(files, flags)));
}

/** Several scenarios: each runs on its own; the exit code is the worst (bad input 2 > failed 1 > ok 0). */
function runAll(files: readonly string[], flags: RunFlags): number {
  if (files.length > 1 && flags.out !== undefined) {
    process.stderr.write('vrrpsim: --out names one report folder: give it with a single scenario\n');
    return EXIT_BAD_INPUT;
  }
  let worst = EXIT_OK;
  files.forEach((file, i) => {
    if (i > 0 && !flags.json) process.stdout.write('\n');
    worst = Math.max(worst, run(file, flags));
  });
  return worst;
}

function run(file: string, flags: RunFlags): number {
  const { spec, diagnostics } = loadScenarioFile(file);
  if (!spec || diagnostics.length) {
    for (const d of diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
    return EXIT_BAD_INPUT;
  }
  if (flags.seed !== undefined && !/^\d+$/.test(flags.seed)) {
    process.stderr.write(`vrrpsim: --seed takes a whole number, not '${flags.seed}'\n`);
    return EXIT_BAD_INPUT;
  }
  const outDir = flags.out ?? join('reports', spec.name);
  mkdirSync(outDir, { recursive: true });
  const traceFile = createWriteStream(join(outDir, 'trace.jsonl'));
  // Per host and file: syslog's messages, nginx's access.log and error.log, the timeline's snapshots.
  const logs = new Map<string, string[]>();
  const keep = (host: string, file: string, line: string): void => {
    const key = `${host}/${file}`;
    const lines = logs.get(key) ?? [];
    lines.push(line);
    logs.set(key, lines);
  };
  const sinks = [
    new JsonLinesSink((l) => traceFile.write(l)),
    {
      write: (r: TraceRecord) => {
        if (r.kind === 'log') keep(r.host, 'messages', syslogLine(r));
        else if (r.kind === 'nginx.access') keep(r.host, 'access.log', r.line);
        else if (r.kind === 'nginx.error') keep(r.host, 'error.log', r.line);
        else if (r.kind === 'snapshot') keep(r.host, 'snapshots.txt', snapshotBlock(r));
      },
    },
  ];
  const drops = new DropSummary();
  sinks.push(drops);
  const text = !flags.quiet && !flags.json;
  if (text) {
    process.stdout.write(`${spec.name}: seed ${flags.seed ?? spec.seed}, ${spec.hosts.length} hosts, ${spec.lans.length} LANs, ${spec.duration / 1e6} s\n`);
    sinks.push(new FormattingSink(timelineLine, (l) => process.stdout.write(l + '\n')));
  }
  const result = runScenario(spec, {
    ...(flags.seed !== undefined && { seed: Number(flags.seed) }),
    pcap: flags.pcap === true,
    sinks,
  });
  traceFile.end();
  for (const [path, lines] of logs) {
    mkdirSync(join(outDir, path.split('/')[0]!), { recursive: true });
    // Log lines are bare lines; snapshot blocks carry their own newlines.
    writeFileSync(join(outDir, path), path.endsWith('/snapshots.txt') ? lines.join('') : lines.join('\n') + '\n');
  }
  for (const [lan, bytes] of result.pcaps) writeFileSync(join(outDir, `${lan}.pcap`), bytes);
  if (flags.json) {
    process.stdout.write(
      JSON.stringify(
        {
          scenario: spec.name,
          seed: result.spec.seed,
          ok: result.ok,
          events: result.events,
          expectations: result.results.map((r) => ({ line: r.expectation.pos.line, ok: r.ok, what: r.what, detail: r.detail })),
          reports: outDir,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    const dropped = drops.lines();
    if (text && dropped.length) process.stdout.write(`\npackets dropped:\n${dropped.map((l) => `  ${l}\n`).join('')}`);
    process.stdout.write('\n' + formatResults(result.results, file));
    if (text) process.stdout.write(`reports in ${outDir}/\n`);
  }
  return result.ok ? EXIT_OK : EXIT_FAILED;
}
