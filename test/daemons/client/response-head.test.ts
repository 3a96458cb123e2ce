import { describe, expect, it } from 'vitest';
import { headerValue, responseHead } from '../../../src/daemons/client/response-head';

const head = 'HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Length: 5\r\nVia: a\r\nvia: b\r\n\r\n';

describe('response head', () => {
  it('reads the status line, the fields in order and the map expectations read', () => {
    const h = responseHead(head)!;
    expect([h.text, h.version, h.status, h.reason]).toEqual([head, 'HTTP/1.1', 200, 'OK']);
    expect(h.headers).toEqual([['Server', 'nginx/1.22.1'], ['Content-Length', '5'], ['Via', 'a'], ['via', 'b']]);
    expect(h.map).toEqual({ server: 'nginx/1.22.1', 'content-length': '5', via: 'a, b' });
    expect([h.contentLength, h.chunked]).toEqual([5, false]);
    expect(headerValue(h, 'via')).toBe('a');
    expect(headerValue(h, 'date')).toBeUndefined();
  });

  it('is parsed once per distinct text: responses with the same head share it, map included', () => {
    const a = responseHead(head)!;
    const b = responseHead(head.slice(0, 10) + head.slice(10))!;
    expect(b).toBe(a);
    expect(Object.isFrozen(a.map)).toBe(true);
    expect(responseHead(head.replace('5', '6'))).not.toBe(a);
  });

  it('framing: chunked by Transfer-Encoding; a Content-Length that is not digits counts as none', () => {
    const h = responseHead('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\nContent-Length: 1x\r\n\r\n')!;
    expect([h.chunked, h.contentLength]).toEqual([true, -1]);
  });

  it("Connection's tokens, lower-cased, from its first field", () => {
    expect(responseHead('HTTP/1.0 200 OK\r\nConnection: Keep-Alive , Upgrade\r\nConnection: close\r\n\r\n')!.connection).toEqual(['keep-alive', 'upgrade']);
    expect(responseHead(head)!.connection).toEqual(['']);
  });

  it('a status line that is not HTTP is no head', () => {
    expect(responseHead('SSH-2.0-OpenSSH_8.7\r\n\r\n')).toBeUndefined();
  });
});
