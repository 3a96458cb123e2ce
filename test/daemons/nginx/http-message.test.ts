import { describe, it, expect } from 'vitest';
import { messageBytes } from '../../../src/daemons/nginx/http-message';

/** The message as text, built the plain way. */
function expected(startLine: string, headers: readonly (readonly [string, string])[], body: string): string {
  return `${startLine}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n${body}`;
}

const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

describe('messageBytes', () => {
  it('writes start line, fields, blank line and body as latin1 bytes', () => {
    const b = messageBytes('HTTP/1.1 200 OK', [['Server', 'nginx'], ['X-A', 'caf\xe9']], 'body\xff');
    expect([...b]).toEqual([...Buffer.from('HTTP/1.1 200 OK\r\nServer: nginx\r\nX-A: caf\xe9\r\n\r\nbody\xff', 'latin1')]);
  });

  it('sends every message as it is, whether its head was sent before or differs in one field', () => {
    const sent: Uint8Array[] = [];
    const wanted: string[] = [];
    for (let i = 0; i < 40; i++) {
      // equal text in new strings, the same pair objects, and one field that differs now and then
      const port = String(8000 + (i % 3));
      const headers: [string, string][] = [['Server', 'nginx'], ['X-Port', `p-${port}`], ['Date', i < 20 ? 'then' : 'now']];
      const startLine = i % 5 === 0 ? 'GET / HTTP/1.0' : 'HTTP/1.1 200 OK';
      const body = 'x'.repeat(i % 4);
      sent.push(messageBytes(startLine, headers, body));
      wanted.push(expected(startLine, headers, body));
      headers[1] = ['X-Port', 'changed after sending'];
    }
    expect(sent.map(text)).toEqual(wanted);
  });

  it('leaves no head shorter or longer than its own when field lengths shift between messages', () => {
    const a = messageBytes('HTTP/1.1 200 OK', [['A', 'xx'], ['B', 'y']], '');
    const b = messageBytes('HTTP/1.1 200 OK', [['A', 'x'], ['B', 'yy']], '');
    expect(text(a)).toBe('HTTP/1.1 200 OK\r\nA: xx\r\nB: y\r\n\r\n');
    expect(text(b)).toBe('HTTP/1.1 200 OK\r\nA: x\r\nB: yy\r\n\r\n');
  });
});
