import type { Host } from '../../host/host';
import type { TcpError, TcpHandler, TcpSocket } from '../../host/tcp/socket';
import type { Micros } from '../../sim/time';
import type { HttpFailure } from './http-exchange';
import { HttpResponseParser } from './http-response';

/** One request of a keep-alive load, from the instant it was due until its outcome. */
export interface PooledRequest {
  /** The instant the request was due (µs); its latency and time limit count from here. */
  readonly sent: Micros;
  /** The connection carrying it; undefined while it waits for one. */
  conn: PersistentConnection | undefined;
}

/** What a connection tells the load it belongs to. */
export interface ConnectionOwner {
  readonly host: Host;
  readonly address: number;
  readonly port: number;
  readonly request: Uint8Array;
  /** The request's outcome: a complete response (failure undefined) or how it failed. */
  requestDone(req: PooledRequest, failure: HttpFailure | undefined, response: HttpResponseParser, conn: PersistentConnection): void;
  /** The connection can take another request (idle) or is gone (closed). */
  connectionFree(conn: PersistentConnection): void;
}

/**
 * One persistent HTTP/1.1 connection of a keep-alive load (ab -k, wrk): requests one after the other, never
 * pipelined; kept open after each response unless the server said `Connection: close`, answered in
 * HTTP/1.0 without keep-alive, or ended the body by closing. A server that closes the idle connection
 * (keepalive_timeout) ends it; so does any error, which fails the request it was carrying.
 */
export class PersistentConnection implements TcpHandler {
  readonly socket: TcpSocket;
  /** When connect() was called (µs). */
  readonly opened: Micros;
  connected = false;
  /** Closed by either side or broken: the load opens another one for later requests. */
  closed = false;
  current: PooledRequest | undefined;
  private response: HttpResponseParser | undefined;

  constructor(private readonly owner: ConnectionOwner) {
    this.opened = owner.host.sim.now;
    this.socket = owner.host.tcp.connect({ dst: owner.address, dport: owner.port }, this);
  }

  /** The client's local port: what tells this connection's requests apart in the trace. */
  get localPort(): number {
    return this.socket.localPort;
  }

  get idle(): boolean {
    return !this.closed && this.connected && this.current === undefined;
  }

  /** Sends the request now, or once the handshake completes. */
  assign(req: PooledRequest): void {
    this.current = req;
    req.conn = this;
    this.response = new HttpResponseParser(false, false);
    if (this.connected) this.socket.write(this.owner.request);
  }

  onConnect(sock: TcpSocket): void {
    this.connected = true;
    // A connection is opened for a request; one that timed out took its connection with it.
    if (this.current) sock.write(this.owner.request);
  }

  onData(_sock: TcpSocket, data: Uint8Array): void {
    const r = this.response;
    // Bytes nobody asked for: nothing can be read from this connection any more.
    if (!this.current || !r) return this.close();
    r.feed(data);
    if (r.malformed) {
      this.end({ stage: 'closed', empty: false });
      return this.close();
    }
    if (!r.done) return;
    const keep = persistent(r);
    this.end(undefined);
    if (keep) this.owner.connectionFree(this);
    else this.close();
  }

  /** The server's FIN: the end of a close-delimited body, a close between requests, or a request cut short. */
  onEnd(): void {
    const r = this.response;
    if (this.current && r) {
      r.eof();
      this.end(r.done ? undefined : { stage: 'closed', empty: r.received === 0 });
    }
    this.close();
  }

  onError(_sock: TcpSocket, err: TcpError): void {
    this.closed = true;
    if (this.current) this.end(this.connected ? { stage: 'recv', errno: err } : { stage: 'connect', errno: err });
    this.owner.connectionFree(this);
  }

  /** The request's time limit passed: like curl -m, give up on the connection too (its answer may still come). */
  timeout(): void {
    this.end({ stage: 'timeout', connected: this.connected });
    this.close();
  }

  /** close(): our FIN; the load hears no more from the socket. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
    this.owner.connectionFree(this);
  }

  private end(failure: HttpFailure | undefined): void {
    const req = this.current!;
    const r = this.response!;
    this.current = undefined;
    this.response = undefined;
    this.owner.requestDone(req, failure, r, this);
  }
}

/** May the connection carry another request after this response (RFC 9112 §9.3)? */
function persistent(r: HttpResponseParser): boolean {
  if (r.framing === 'close') return false;
  const tokens = r.connection;
  if (tokens.includes('close')) return false;
  return r.version === 'HTTP/1.1' || tokens.includes('keep-alive');
}
