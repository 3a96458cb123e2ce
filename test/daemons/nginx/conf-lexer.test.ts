import { describe, expect, it } from 'vitest';
import { NginxConfError } from '../../../src/daemons/nginx/conf-error';
import { ConfLexer, type ConfToken } from '../../../src/daemons/nginx/conf-lexer';

function tokens(text: string): ConfToken[] {
  const lexer = new ConfLexer(text, '/c.conf');
  const out: ConfToken[] = [];
  for (;;) {
    const t = lexer.next();
    out.push(t);
    if (t.kind === 'eof') return out;
  }
}

function error(text: string): string {
  try {
    tokens(text);
  } catch (err) {
    return (err as NginxConfError).message;
  }
  return 'no error';
}

describe('nginx conf tokens', () => {
  it('splits directives, blocks and comments', () => {
    expect(tokens('a b;# c;\nd {\n e "f g" \'h\';\n}\n')).toEqual([
      { kind: 'directive', args: ['a', 'b'], block: false, line: 1 },
      { kind: 'directive', args: ['d'], block: true, line: 2 },
      { kind: 'directive', args: ['e', 'f g', 'h'], block: false, line: 3 },
      { kind: 'close', line: 4 },
      { kind: 'eof', line: 5 },
    ]);
  });

  it('keeps # and quotes inside a word, and ${var} braces', () => {
    expect(tokens('a b#c d"e" ${x}y;')[0]).toEqual({ kind: 'directive', args: ['a', 'b#c', 'd"e"', '${x}y'], block: false, line: 1 });
  });

  it('reports the line the reader stopped on', () => {
    expect(tokens('log_format main\n  "x"\n  "y";')[0]).toMatchObject({ line: 3 });
  });

  it('fails like nginx', () => {
    expect(error('a "b"c;')).toBe('unexpected "c" in /c.conf:1');
    expect(error('\n;')).toBe('unexpected ";" in /c.conf:2');
    expect(error('{')).toBe('unexpected "{" in /c.conf:1');
    expect(error('a }')).toBe('unexpected "}" in /c.conf:1');
    expect(error('a b')).toBe('unexpected end of file, expecting ";" or "}" in /c.conf:1');
    expect(error('a "b;\n')).toBe('unexpected end of file, expecting ";" or "}" in /c.conf:2');
    // a typographic quote: nginx prints its first UTF-8 byte raw
    expect(error('a "b"\u2018;')).toBe('unexpected "\u00e2" in /c.conf:1');
  });
});
