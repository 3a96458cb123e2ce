import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One recorded ipvsadm run (test/fixtures/ipvs/record/scenario.sh writes them). */
export interface Run {
  readonly args: string[];
  readonly stdout: string;
  readonly stderr: string;
  readonly exit: number;
}

export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../fixtures/ipvs/${name}`, import.meta.url)), 'utf8');
}

/** Parses "### ipvsadm ARGS / --- stdout / … / --- stderr / … / --- exit N" blocks. */
export function parseTranscript(text: string): Run[] {
  const runs: Run[] = [];
  const blocks = text.split(/^### ipvsadm ?/m).slice(1);
  for (const b of blocks) {
    const m = /^(.*)\n--- stdout\n([\s\S]*?)--- stderr\n([\s\S]*?)--- exit (\d+)\n/.exec(b);
    if (!m) throw new Error(`bad transcript block: ${b.slice(0, 80)}`);
    runs.push({ args: m[1]!.split(' ').filter(Boolean), stdout: m[2]!, stderr: m[3]!, exit: Number(m[4]) });
  }
  return runs;
}
