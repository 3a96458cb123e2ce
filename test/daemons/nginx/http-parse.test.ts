import { describe, it, expect } from 'vitest';
import { RequestReader, UpstreamResponseReader } from '../../../src/daemons/nginx/http-parse';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');

describe('RequestReader', () => {
  it('reads requests one after the other, fields trimmed, in order', () => {
    const r = new RequestReader();
    r.push(bytes('GET /a HTTP/1.1\r\nHost:  example \r\nX-Empty:\r\nno colon\r\n\r\nPOST /b HTTP/1.0\r\nContent-Length: 3\r\n\r\nab'));
    const first = r.next()!;
    expect([first.method, first.target, first.version, first.headers]).toEqual(['GET', '/a', 'HTTP/1.1', [['Host', 'example'], ['X-Empty', '']]]);
    expect(r.next()).toBeUndefined(); // the body is not all there
    r.push(bytes('c'));
    const second = r.next()!;
    expect([second.method, second.headers, second.body]).toEqual(['POST', [['Content-Length', '3']], 'abc']);
  });

  it('reads each field as sent, whether it was received before or differs only inside', () => {
    const values = ['abcd', 'abcd', 'axxd', 'aXcd', 'abcd', 'abce', 'ab', ''];
    for (const v of values) {
      const r = new RequestReader();
      r.push(bytes(`GET / HTTP/1.1\r\nUser-Agent: ${v}\r\nUser-agent: ${v}\r\nAccept: */*\r\n\r\n`));
      expect(r.next()!.headers).toEqual([['User-Agent', v], ['User-agent', v], ['Accept', '*/*']]);
    }
    for (const [line, field] of [
      ['X-A:   ', ['X-A', '']],
      ['X-A:', ['X-A', '']],
      ['X-A: v ', ['X-A', 'v']],
      ['X-A:v', ['X-A', 'v']],
      ['X-A: v:w', ['X-A', 'v:w']],
      ['X-A:: v', ['X-A', ': v']],
      [':X-A: v', undefined],
      ['X-A: v ', ['X-A', 'v']],
    ] as const) {
      const r = new RequestReader();
      r.push(bytes(`GET / HTTP/1.1\r\n${line}\r\n\r\n`));
      expect(r.next()!.headers).toEqual(field === undefined ? [] : [field]);
    }
  });
});

describe('UpstreamResponseReader', () => {
  it('reads the status, the fields and a body framed by Content-Length, arriving in pieces', () => {
    for (const server of ['web1', 'web2', 'web1']) {
      const r = new UpstreamResponseReader();
      expect(r.feed(bytes(`HTTP/1.1 200 OK\r\nServer: ${server}\r\nContent-Length: 4\r\n`))).toBe(false);
      expect(r.headDone).toBe(false);
      expect(r.feed(bytes('\r\nbo'))).toBe(false);
      expect(r.feed(bytes('dy'))).toBe(true);
      expect([r.status, r.headers, r.body]).toEqual([200, [['Server', server], ['Content-Length', '4']], 'body']);
    }
  });
});

describe('heads received again', () => {
  it('a request head sent again reads as the first one did; one that differs anywhere, as itself', () => {
    const read = (text: string) => {
      const r = new RequestReader();
      r.push(bytes(text));
      return r.next()!;
    };
    const head = 'GET /a HTTP/1.1\r\nHost: example\r\nUser-Agent: curl/7.88.1\r\n\r\n';
    const first = read(head);
    expect(read(head)).toEqual(first);
    const other = read(head.replace('curl/7.88.1', 'curl/7.88.2'));
    expect(other.headers[1]).toEqual(['User-Agent', 'curl/7.88.2']);
    expect(read(head.replace('/a', '/b')).target).toBe('/b');
    // a body is never taken from an earlier request
    const post = 'POST /a HTTP/1.1\r\nContent-Length: 2\r\n\r\n';
    expect(read(post + 'xy').body).toBe('xy');
    expect(read(post + 'zw').body).toBe('zw');
  });

  it('an upstream response head received again reads as before, its body as sent this time', () => {
    const read = (text: string) => {
      const r = new UpstreamResponseReader();
      expect(r.feed(bytes(text))).toBe(true);
      return [r.status, r.headers, r.body];
    };
    const head = 'HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Length: 5\r\nX-upS: WEB1-80\r\n\r\n';
    expect(read(head + 'hello')).toEqual([200, [['Server', 'nginx/1.22.1'], ['Content-Length', '5'], ['X-upS', 'WEB1-80']], 'hello']);
    expect(read(head + 'world')).toEqual([200, [['Server', 'nginx/1.22.1'], ['Content-Length', '5'], ['X-upS', 'WEB1-80']], 'world']);
    expect(read(head.replace('WEB1', 'WEB2') + 'hello')[1]).toContainEqual(['X-upS', 'WEB2-80']);
    expect(read(head.replace('200 OK', '404 Not Found') + 'hello')[0]).toBe(404);
    // a head received again whose body has not all arrived yet
    const r = new UpstreamResponseReader();
    expect(r.feed(bytes(head + 'hel'))).toBe(false);
    expect(r.feed(bytes('lo'))).toBe(true);
    expect(r.body).toBe('hello');
  });
});

