import { createHash } from 'node:crypto';
import { JsonLinesSink } from '../../src/sim/trace';
import { runScenarioFile, type RunOptions, type RunResult } from '../../src/index';

/** Runs a scenario file with a JSONL sink and returns the run and the sha256 of its full trace. */
export function runHashed(path: string, opts: RunOptions = {}): { run: RunResult; hash: string; lines: number } {
  const h = createHash('sha256');
  let lines = 0;
  const run = runScenarioFile(path, {
    ...opts,
    sinks: [
      new JsonLinesSink((l) => {
        h.update(l);
        lines++;
      }),
    ],
  });
  return { run, hash: h.digest('hex'), lines };
}
