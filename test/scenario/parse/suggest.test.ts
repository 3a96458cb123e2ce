import { describe, expect, it } from 'vitest';
import { closest } from '../../../src/scenario/parse/suggest';

describe('closest spelling', () => {
  const keys = ['name', 'description', 'seed', 'duration', 'start', 'lans', 'hosts', 'timeline', 'expect'];

  it.each([
    ['timelin', 'timeline'],
    ['nmae', 'name'],
    ['Hosts', 'hosts'],
    ['duraton', 'duration'],
    ['expcet', 'expect'],
  ])('%s → %s', (word, guess) => {
    expect(closest(word, keys)).toBe(guess);
  });

  it('suggests nothing for a word unlike any candidate', () => {
    expect(closest('foo', keys)).toBeUndefined();
    expect(closest('x', [])).toBeUndefined();
  });
});
