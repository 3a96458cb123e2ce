/** A position in the scenario file: 1-based line and column, as editors count them. */
export interface SourcePos {
  readonly line: number;
  readonly col: number;
}

/** One mistake in a scenario file, reported as `file:line:col: message`. */
export interface ScenarioDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

export function formatDiagnostic(d: ScenarioDiagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.message}`;
}

/** Orders diagnostics by position; equal positions keep the order they were found in. */
export function sortDiagnostics(list: readonly ScenarioDiagnostic[]): ScenarioDiagnostic[] {
  return [...list].sort((a, b) => a.line - b.line || a.col - b.col); // Array sort is stable
}
