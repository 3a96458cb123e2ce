import { describe, expect, it } from 'vitest';
import { HttpResponseParser } from '../../../src/daemons/client/http-response';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (p: HttpResponseParser) => new TextDecoder().decode(Buffer.concat(p.body));

/** Feeds `text` in pieces of `size` bytes (Buffers, as the daemons send, or plain byte arrays). */
function feed(text: string, size: number, head = false, bytes: (s: string) => Uint8Array = enc): HttpResponseParser {
  const p = new HttpResponseParser(true, head);
  const b = bytes(text);
  for (let i = 0; i < b.length && !p.done; i += size) p.feed(b.subarray(i, i + size));
  return p;
}

describe('HTTP response parser', () => {
  const cl = 'HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Length: 5\r\nX-upS: WEB1-80\r\nX-Upstream: a\r\nX-Upstream: b\r\n\r\nhello';
  for (const [size, kind] of [1, 3, 7, 1000].flatMap((n) => [[n, 'bytes'], [n, 'Buffer']] as const)) {
    it(`reads a Content-Length response fed ${size} bytes at a time (${kind})`, () => {
      const p = feed(cl, size, false, kind === 'Buffer' ? (t) => Buffer.from(t, 'latin1') : enc);
      expect(p.done).toBe(true);
      expect([p.version, p.status, p.reason]).toEqual(['HTTP/1.1', 200, 'OK']);
      expect(dec(p)).toBe('hello');
      expect(p.headerMap()).toEqual({ server: 'nginx/1.22.1', 'content-length': '5', 'x-ups': 'WEB1-80', 'x-upstream': 'a, b' });
      expect(p.headText).toBe(cl.slice(0, -5));
    });
  }

  for (const size of [1, 4, 100]) {
    it(`dechunks a chunked body fed ${size} bytes at a time`, () => {
      const p = feed('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nb;x=1\r\n, world!!!!\r\n0\r\nX-T: 1\r\n\r\n', size);
      expect(p.done).toBe(true);
      expect(dec(p)).toBe('hello, world!!!!');
    });
  }

  it('a body without length ends with the connection', () => {
    const p = feed('HTTP/1.0 200 OK\r\nServer: x\r\n\r\nabc', 2);
    expect(p.done).toBe(false);
    p.eof();
    expect(p.done).toBe(true);
    expect(dec(p)).toBe('abc');
  });

  it('HEAD answers and 204 have no body; 100 Continue is skipped', () => {
    expect(feed('HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n', 5, true).done).toBe(true);
    expect(feed('HTTP/1.1 204 No Content\r\n\r\n', 5).done).toBe(true);
    const p = feed('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno', 3);
    expect([p.status, dec(p)]).toEqual([404, 'no']);
  });

  it('something that is not HTTP is malformed', () => {
    expect(feed('SSH-2.0-OpenSSH_8.7\r\n\r\n', 100).malformed).toBe(true);
  });

  it('reads the same array sent again, and arrays in turn, each with its own head and body', () => {
    const first = Buffer.from(cl, 'latin1');
    const other = Buffer.from('HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nnot', 'latin1');
    const heads = [first, other, first, first, other].map((bytes) => {
      const p = new HttpResponseParser(true, false);
      p.feed(bytes);
      return [p.status, p.done, dec(p), p.header('X-upS')];
    });
    expect(heads).toEqual([
      [200, true, 'hello', 'WEB1-80'],
      [404, true, 'not', undefined],
      [200, true, 'hello', 'WEB1-80'],
      [200, true, 'hello', 'WEB1-80'],
      [404, true, 'not', undefined],
    ]);
  });
});
