import type { Host } from '../../../src/host/host';
import type { TcpHandler, TcpSocket } from '../../../src/host/tcp/socket';

export type Behaviour = 'ok' | 'close-delimited' | 'chunked' | 'empty' | 'reset' | 'silent' | 'partial';

/**
 * A very small HTTP server for tests: reads a request head, answers according to `behaviour` with a
 * header `X-Served-By: <host>`, and closes when the client does. Not nginx: only what tests need.
 */
export function tinyServer(host: Host, port: number, behaviour: Behaviour = 'ok', body = 'hello from ' + host.name + '\n') {
  const requests: string[] = [];
  const handler: TcpHandler = {
    onData(s: TcpSocket, data: Uint8Array) {
      const text = ((s.context as string | undefined) ?? '') + new TextDecoder().decode(data);
      s.context = text;
      if (!text.includes('\r\n\r\n')) return;
      requests.push(text);
      const head = text.startsWith('HEAD ');
      const common = `Server: tiny\r\nX-Served-By: ${host.name}\r\n`;
      switch (behaviour) {
        case 'ok':
          s.write(`HTTP/1.1 200 OK\r\n${common}Content-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n${head ? '' : body}`);
          return;
        case 'close-delimited':
          s.write(`HTTP/1.0 200 OK\r\n${common}\r\n${body}`);
          s.end();
          return;
        case 'chunked':
          s.write(`HTTP/1.1 200 OK\r\n${common}Transfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`);
          return;
        case 'partial':
          s.write(`HTTP/1.1 200 OK\r\n${common}Content-Length: ${body.length + 100}\r\n\r\n${body}`);
          s.end();
          return;
        case 'empty':
          s.end();
          return;
        case 'reset':
          s.destroy();
          return;
        case 'silent':
          return;
      }
    },
    onEnd(s: TcpSocket) {
      s.end();
    },
  };
  const l = host.tcp.listen(0, port, () => handler);
  if (typeof l === 'string') throw new Error(l);
  return { requests, listener: l };
}
