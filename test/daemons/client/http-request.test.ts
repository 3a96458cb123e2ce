import { describe, expect, it } from 'vitest';
import { hostHeader, requestText } from '../../../src/daemons/client/http-request';

describe('request bytes', () => {
  it('are what curl 7.76.1 sends', () => {
    expect(requestText({ method: 'GET', path: '/test.html', host: hostHeader('172.16.23.80', 80) })).toBe(
      'GET /test.html HTTP/1.1\r\nHost: 172.16.23.80\r\nUser-Agent: curl/7.76.1\r\nAccept: */*\r\n\r\n',
    );
  });

  it('name the port when it is not 80; -H replaces, removes or adds headers', () => {
    expect(
      requestText({
        method: 'HEAD',
        path: '/',
        host: hostHeader('192.168.23.81', 8080),
        extra: [
          ['accept', 'text/html'],
          ['User-Agent', ''],
          ['X-Test', '1'],
        ],
      }),
    ).toBe('HEAD / HTTP/1.1\r\nHost: 192.168.23.81:8080\r\nAccept: text/html\r\nX-Test: 1\r\n\r\n');
  });
});
