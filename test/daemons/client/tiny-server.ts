import type { Host } from '../../../src/host/host';
import type { TcpHandler, TcpSocket } from '../../../src/host/tcp/socket';

export type Behaviour =
  | 'ok'
  | 'close-delimited'
  | 'chunked'
  | 'empty'
  | 'reset'
  | 'silent'
  | 'partial'
  /** HTTP/1.1 with `Connection: close`, then the server closes. */
  | 'conn-close'
  /** Keeps the connection 50 ms after each answer, then closes it (a short keepalive_timeout). */
  | 'idle-close';

/**
 * A very small HTTP server for tests: reads request heads, answers each according to `behaviour` (which
 * `behave` changes) with a header `X-Served-By: <host>`, and closes when the client does. Not nginx: only
 * what tests need.
 */
export function tinyServer(host: Host, port: number, initial: Behaviour = 'ok', body = 'hello from ' + host.name + '\n') {
  const requests: string[] = [];
  /** Remote ports of the connections accepted, in order. */
  const accepted: number[] = [];
  let behaviour = initial;
  const handler: TcpHandler = {
    onData(s: TcpSocket, data: Uint8Array) {
      const text = ((s.context as string | undefined) ?? '') + new TextDecoder().decode(data);
      const end = text.indexOf('\r\n\r\n');
      s.context = end < 0 ? text : text.slice(end + 4);
      if (end < 0) return;
      requests.push(text.slice(0, end + 4));
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
        case 'conn-close':
          s.write(`HTTP/1.1 200 OK\r\n${common}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
          s.end();
          return;
        case 'idle-close':
          s.write(`HTTP/1.1 200 OK\r\n${common}Content-Length: ${body.length}\r\n\r\n${body}`);
          host.sim.schedule(50_000, () => s.end());
          return;
      }
    },
    onEnd(s: TcpSocket) {
      s.end();
    },
  };
  const l = host.tcp.listen(0, port, (s) => {
    accepted.push(s.remotePort);
    return handler;
  });
  if (typeof l === 'string') throw new Error(l);
  return {
    requests,
    accepted,
    listener: l,
    behave(b: Behaviour) {
      behaviour = b;
    },
  };
}
