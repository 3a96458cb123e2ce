import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerCheck } from './check';
import { registerRun } from './run';
import { EXIT_BAD_INPUT } from './exit-codes';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The vrrpsim command line; returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let code = 0;
  const setExit = (c: number): void => {
    code = c;
  };
  const program = new Command()
    .name('vrrpsim')
    .description('Deterministic simulator of keepalived (VRRP, checkers, IPVS) and nginx high-availability clusters')
    .version(version(), '-V, --version')
    .exitOverride()
    .showHelpAfterError('(vrrpsim --help lists the commands)');
  registerRun(program, setExit);
  registerCheck(program, setExit);
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    throw e;
  }
  return code;
}
