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

  it('sends the same bytes for the same message again, and a large body in full each time', () => {
    const big = 'b'.repeat(20000);
    const first = messageBytes('HTTP/1.1 200 OK', [['Server', 'nginx']], 'page');
    const again = messageBytes('HTTP/1.1 200 OK', [['Server', 'nginx']], 'pa' + 'ge'.slice(0));
    const other = messageBytes('HTTP/1.1 200 OK', [['Server', 'nginx']], 'other page');
    const large = [0, 1, 2].map((i) => messageBytes('HTTP/1.1 200 OK', [['Server', 'nginx']], big.slice(i)));
    const back = messageBytes('HTTP/1.1 200 OK', [['Server', 'nginx']], 'page');
    expect([first, again, back].map(text)).toEqual(Array(3).fill('HTTP/1.1 200 OK\r\nServer: nginx\r\n\r\npage'));
    expect(text(other)).toBe('HTTP/1.1 200 OK\r\nServer: nginx\r\n\r\nother page');
    expect(large.map(text)).toEqual([0, 1, 2].map((i) => `HTTP/1.1 200 OK\r\nServer: nginx\r\n\r\n${big.slice(i)}`));
  });
});
