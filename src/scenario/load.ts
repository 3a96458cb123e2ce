import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { ScenarioDiagnostic } from './diagnostic';
import { parseScenario } from './parse';
import { checkRunnable } from './runner';
import type { ScenarioSpec } from './spec';

/**
 * Reads a scenario file and the files it names from the real disk: the one place the disk is read, before
 * the simulation starts.
 */
export function loadScenarioFile(path: string): { spec?: ScenarioSpec; diagnostics: readonly ScenarioDiagnostic[] } {
  if (!existsSync(path) || !statSync(path).isFile()) {
    return { diagnostics: [{ file: path, line: 1, col: 1, message: 'no such scenario file' }] };
  }
  const text = readFileSync(path, 'utf8');
  const dir = dirname(resolve(path));
  const readRelative = (rel: string): string | undefined => {
    const p = resolve(dir, rel);
    return existsSync(p) && statSync(p).isFile() ? readFileSync(p, 'utf8') : undefined;
  };
  const parsed = parseScenario(text, path, readRelative);
  if (!parsed.spec || parsed.diagnostics.length > 0) return parsed;
  const more = checkRunnable(parsed.spec);
  return more.length ? { diagnostics: more } : parsed;
}

export function scenarioName(path: string): string {
  return basename(path).replace(/\.ya?ml$/, '');
}
