import { describe, expect, it } from 'vitest';
import { formatDuration, formatSeconds, parseDuration } from '../../src/sim/time';

describe('durations', () => {
  it.each([
    ['250ms', 250_000],
    ['3.613s', 3_613_000],
    ['3.613281s', 3_613_281],
    ['2m', 120_000_000],
    ['1.5h', 5_400_000_000],
    ['150us', 150],
    ['0.2ms', 200],
    ['1d', 86_400_000_000],
    ['0s', 0],
  ])('parses %s', (text, us) => {
    expect(parseDuration(text)).toBe(us);
  });

  it.each(['', '5', 's', '-1s', '1.5us', '1 sec', '0.0000001s'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('formats the shortest exact form', () => {
    expect(formatDuration(3_613_281)).toBe('3.613281s');
    expect(formatDuration(250_000)).toBe('250ms');
    expect(formatDuration(120_000_000)).toBe('120s');
    expect(formatDuration(200)).toBe('200us');
    expect(formatDuration(1_500)).toBe('1.5ms');
    expect(formatSeconds(12_500_000)).toBe('12.500000');
  });
});
