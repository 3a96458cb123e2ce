import { describe, expect, it } from 'vitest';
import { HttpRequestReader } from '../../../src/daemons/client/http-request-reader';

const enc = (s: string) => new TextEncoder().encode(s);

describe('HTTP request reader (server side)', () => {
  it('returns a request once its head is complete, byte by byte', () => {
    const r = new HttpRequestReader();
    const text = 'GET /test.html?x=1 HTTP/1.1\r\nHost: 172.16.23.80\r\nUser-Agent: curl/7.76.1\r\nAccept: */*\r\n\r\n';
    for (const ch of text.slice(0, -1)) {
      r.feed(enc(ch));
      expect(r.next()).toBe('incomplete');
    }
    r.feed(enc('\n'));
    expect(r.next()).toEqual({
      method: 'GET',
      path: '/test.html?x=1',
      version: 'HTTP/1.1',
      headers: [
        ['Host', '172.16.23.80'],
        ['User-Agent', 'curl/7.76.1'],
        ['Accept', '*/*'],
      ],
    });
    expect(r.pending).toBe(0);
  });

  it('reads pipelined requests with Content-Length and chunked bodies in turn', () => {
    const r = new HttpRequestReader();
    r.feed(enc('POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcPUT /b HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n1;e=1\r\nz\r\n0\r\n\r\nGET /c HTTP/1.1\r\n'));
    expect(r.next()).toMatchObject({ method: 'POST', path: '/a', body: 'abc' });
    expect(r.next()).toMatchObject({ method: 'PUT', version: 'HTTP/1.0', body: 'xyz' });
    expect(r.next()).toBe('incomplete');
    r.feed(enc('\r\n'));
    expect(r.next()).toMatchObject({ method: 'GET', path: '/c' });
  });

  it('a body not yet all there is incomplete; a broken request line is a bad request', () => {
    const r = new HttpRequestReader();
    r.feed(enc('POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n12345'));
    expect(r.next()).toBe('incomplete');
    const bad = new HttpRequestReader();
    bad.feed(enc('HELLO\r\n\r\n'));
    expect(bad.next()).toBe('bad-request');
  });
});
