import type { Ipv4 } from '../../../net/addr';
import type { Host } from '../../../host/host';
import type { TcpError, TcpHandler, TcpSocket } from '../../../host/tcp/socket';
import type { Timer } from '../../../sim/simulator';
import type { Micros } from '../../../sim/time';
import { readHttpReply } from './http-reply';
import type { HttpAttemptResult } from './http-check';
import type { TcpAttemptResult } from './tcp-check';

export interface ProbeTarget {
  readonly dst: Ipv4;
  readonly port: number;
  /** bindto */
  readonly src?: Ipv4;
  /** connect_timeout: for the handshake, and again for each read. */
  readonly timeout: Micros;
}

/** An attempt in progress, which the checker process can abandon at shutdown. */
export interface Probe {
  abort(): void;
}

/** Errors connect() itself returns, before any packet: keepalived's tcp_bind_connect failure. */
const IMMEDIATE: ReadonlySet<TcpError> = new Set(['ENETUNREACH', 'EADDRNOTAVAIL']);

/**
 * One HTTP_GET attempt on the host's TCP: connect (connect_timeout), send the request, read until the
 * server closes, each read waiting at most connect_timeout (keepalived reads to EOF and ignores framing).
 */
export class HttpProbe implements TcpHandler, Probe {
  private readonly chunks: Uint8Array[] = [];
  private received = 0;
  private connected = false;
  private done = false;
  private timer: Timer | undefined;
  private readonly socket: TcpSocket;

  constructor(
    private readonly host: Host,
    private readonly target: ProbeTarget,
    private readonly request: string,
    private readonly report: (r: HttpAttemptResult) => void,
  ) {
    this.socket = host.tcp.connect(
      { dst: target.dst, dport: target.port, timeout: target.timeout, ...(target.src !== undefined && { src: target.src }) },
      this,
    );
  }

  onConnect(sock: TcpSocket): void {
    this.connected = true;
    sock.write(this.request);
    this.armRead();
  }

  onData(_sock: TcpSocket, data: Uint8Array): void {
    this.chunks.push(data.slice());
    this.received += data.length;
    this.armRead();
  }

  onEnd(sock: TcpSocket): void {
    sock.close();
    const all = new Uint8Array(this.received);
    let off = 0;
    for (const c of this.chunks) {
      all.set(c, off);
      off += c.length;
    }
    this.finish({ kind: 'eof', reply: readHttpReply(all) });
  }

  onError(_sock: TcpSocket, err: TcpError): void {
    if (this.connected) this.finish({ kind: 'read_error' });
    else if (err === 'ETIMEDOUT') this.finish({ kind: 'connect_timeout' });
    else this.finish({ kind: IMMEDIATE.has(err) ? 'unreachable' : 'connect_fail' });
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    this.host.sim.cancel(this.timer);
    this.socket.destroy();
  }

  private armRead(): void {
    this.host.sim.cancel(this.timer);
    this.timer = this.host.timer(this.target.timeout, () => {
      this.timer = undefined;
      if (this.done) return;
      this.socket.close();
      this.finish({ kind: 'read_timeout', bytes: this.received > 0 });
    });
  }

  private finish(r: HttpAttemptResult): void {
    if (this.done) return;
    this.done = true;
    this.host.sim.cancel(this.timer);
    this.timer = undefined;
    this.report(r);
  }
}

/** One TCP_CHECK attempt: a connect, closed as soon as it succeeds. */
export class TcpProbe implements TcpHandler, Probe {
  private done = false;
  private readonly socket: TcpSocket;

  constructor(
    target: ProbeTarget,
    host: Host,
    private readonly report: (r: TcpAttemptResult) => void,
  ) {
    this.socket = host.tcp.connect(
      { dst: target.dst, dport: target.port, timeout: target.timeout, ...(target.src !== undefined && { src: target.src }) },
      this,
    );
  }

  onConnect(sock: TcpSocket): void {
    sock.close();
    this.finish('success');
  }

  onError(_sock: TcpSocket, err: TcpError): void {
    this.finish(err === 'ETIMEDOUT' ? 'timeout' : 'failed');
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    this.socket.destroy();
  }

  private finish(r: TcpAttemptResult): void {
    if (this.done) return;
    this.done = true;
    this.report(r);
  }
}

/** The request HTTP_GET sends (check_http.c request_template): HTTP/1.0 unless http_protocol says otherwise. */
export function checkRequest(path: string, protocol: '1.0' | '1.0C' | '1.1', host: string): string {
  const minor = protocol === '1.1' ? 1 : 0;
  const close = protocol === '1.0' ? '' : 'Connection: close\r\n';
  return `GET ${path} HTTP/1.${minor}\r\nUser-Agent: KeepAliveClient\r\n${close}Host: ${host}\r\n\r\n`;
}
