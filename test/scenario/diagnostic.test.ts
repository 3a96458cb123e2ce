import { describe, expect, it } from 'vitest';
import { formatDiagnostic, sortDiagnostics } from '../../src/scenario/diagnostic';

describe('diagnostics', () => {
  it('formats as file:line:col: message', () => {
    expect(formatDiagnostic({ file: 'a/b.yaml', line: 3, col: 14, message: 'bad' })).toBe('a/b.yaml:3:14: bad');
  });

  it('sorts by position and keeps the order of equal positions', () => {
    const d = (line: number, col: number, message: string) => ({ file: 'f', line, col, message });
    const sorted = sortDiagnostics([d(2, 1, 'c'), d(1, 5, 'b'), d(1, 2, 'a'), d(2, 1, 'd')]);
    expect(sorted.map((x) => x.message)).toEqual(['a', 'b', 'c', 'd']);
  });
});
