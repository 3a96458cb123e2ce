import { formatIpv4, parseIpv4, type Ipv4 } from '../../net/addr';
import type { Host } from '../../host/host';
import type { CommandContext, CommandFn } from '../../host/shell/shell';
import type { TcpError } from '../../host/tcp/socket';
import { CURL_TIMEOUT_SLACK, parseCurlArgs, parseUrl, type CurlOptions, type ParsedUrl } from './curl-args';
import { HttpExchange, type HttpExchangeListener } from './http-exchange';
import { hostHeader, requestLines } from './http-request';
import { failureWord } from './failure-word';
import './trace-events';

/** strerror() of the errnos a connection reports, as curl prints them. */
export function strerror(e: TcpError): string {
  switch (e) {
    case 'ECONNREFUSED':
      return 'Connection refused';
    case 'ECONNRESET':
      return 'Connection reset by peer';
    case 'ETIMEDOUT':
      return 'Connection timed out';
    case 'EHOSTUNREACH':
      return 'No route to host';
    case 'ENETUNREACH':
      return 'Network is unreachable';
    case 'EADDRNOTAVAIL':
      return 'Cannot assign requested address';
  }
}

/** The host part of a URL as an address: dotted quad, or a name from /etc/hosts (there is no DNS). */
function resolve(host: Host, name: string): Ipv4 | undefined {
  const ip = parseIpv4(name);
  if (ip !== undefined) return ip;
  for (const line of (host.vfs.readText('/etc/hosts') ?? '').split('\n')) {
    const [addr, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (names.includes(name)) return parseIpv4(addr ?? '');
  }
  return undefined;
}

const utf8 = new TextDecoder();

/** One run of curl: the exchange's listener, then curl's output and exit status. */
class CurlRun implements HttpExchangeListener {
  private readonly verboseHead: string;

  constructor(
    private readonly ctx: CommandContext<Host>,
    private readonly done: (code: number) => void,
    private readonly o: CurlOptions,
    private readonly url: ParsedUrl,
    private readonly ip: Ipv4,
    private readonly requestLines: readonly string[],
  ) {
    this.verboseHead = `*   Trying ${formatIpv4(ip)}:${url.port}...\n`;
  }

  httpDone(x: HttpExchange): void {
    const { ctx, o, url } = this;
    const r = x.response;
    const ip = formatIpv4(this.ip);
    let err = '';
    if (o.verbose) {
      err += this.verboseHead;
      if (x.connectedAt !== undefined) {
        err += `* Connected to ${url.host} (${ip}) port ${url.port} (#0)\n`;
        for (const l of this.requestLines) err += `> ${l}\r\n`;
        err += '> \r\n';
      }
      if (r.status !== 0) {
        err += '* Mark bundle as not supporting multiuse\n';
        for (const l of r.headText.slice(0, -2).split('\r\n')) err += `< ${l}\r\n`;
      }
    }
    const host = ctx.host;
    const f = x.failure;
    host.sim.trace.emit('http.request', {
      host: host.name,
      url: o.url,
      sent: x.started,
      ...(f === undefined ? { status: r.status } : { error: failureWord(f) }),
      headers: f === undefined ? r.headerMap() : {},
      latency: x.finished! - x.started,
    });
    if (r.status !== 0) {
      const body = r.body.length === 1 ? r.body[0]! : Buffer.concat(r.body);
      let out = o.head || o.include ? r.headText : '';
      if (o.output !== undefined && r.status !== 0) host.vfs.write(o.output, body);
      else if (!o.head) out += utf8.decode(body);
      if (out !== '') ctx.out(out);
    }
    const [code, message] = f === undefined ? [0, ''] : this.error(x);
    if (o.verbose) {
      if (code === 0) {
        const close = /close/i.test(r.header('connection') ?? '') || (r.version === 'HTTP/1.0' && !/keep-alive/i.test(r.header('connection') ?? ''));
        err += close ? '* Closing connection 0\n' : `* Connection #0 to host ${url.host} left intact\n`;
      } else {
        if (f?.stage === 'connect') err += `* connect to ${ip} port ${url.port} failed: ${strerror(f.errno)}\n`;
        err += `* ${message}\n* Closing connection 0\n`;
      }
    }
    if (code !== 0 && (!o.silent || o.showError)) err += `curl: (${code}) ${message}\n`;
    if (err !== '') ctx.err(err);
    this.done(code);
  }

  /** curl's exit status and message for a failed exchange. */
  private error(x: HttpExchange): [number, string] {
    const f = x.failure!;
    const r = x.response;
    const elapsed = Math.floor((x.finished! - x.started) / 1000);
    switch (f.stage) {
      case 'connect':
        return [7, `Failed to connect to ${this.url.host} port ${this.url.port}: ${strerror(f.errno)}`];
      case 'timeout':
        if (!f.connected) return [28, `Connection timed out after ${elapsed} milliseconds`];
        return [
          28,
          `Operation timed out after ${elapsed} milliseconds with ${r.bodyLength}${r.contentLength >= 0 ? ` out of ${r.contentLength}` : ''} bytes received`,
        ];
      case 'recv':
        return [56, `Recv failure: ${strerror(f.errno)}`];
      case 'closed':
        if (r.malformed) return [1, 'Received HTTP/0.9 when not allowed'];
        if (f.empty) return [52, 'Empty reply from server'];
        if (r.framing === 'length' && r.status !== 0) {
          return [18, `transfer closed with ${r.contentLength - r.bodyLength} bytes remaining to read`];
        }
        return [18, 'transfer closed with outstanding read data remaining'];
    }
  }
}

/**
 * curl 7.76.1 (RHEL/CentOS 9's): `curl [-s] [-S] [-I] [-i] [-v] [-H 'K: V'] [-X M] [-A ua] [-m secs]
 * [--connect-timeout secs] [-o file] URL`. One request on one connection, HTTP/1.1, no redirects. stdout
 * is taken to be a terminal, so there is no progress meter.
 */
export const curl: CommandFn<Host> = (ctx, done) => {
  const o = parseCurlArgs(ctx.argv.slice(1));
  if (typeof o === 'string') {
    ctx.err(o);
    return 2;
  }
  const fail = (code: number, message: string): number => {
    if (!o.silent || o.showError) ctx.err(`curl: (${code}) ${message}\n`);
    return code;
  };
  const url = parseUrl(o.url);
  if ('code' in url) return fail(url.code, url.message);
  const ip = resolve(ctx.host, url.host);
  if (ip === undefined) return fail(6, `Could not resolve host: ${url.host}`);
  const lines = requestLines({
    method: o.method ?? (o.head ? 'HEAD' : 'GET'),
    path: url.path,
    host: hostHeader(url.host, url.port),
    extra: o.headers,
    ...(o.userAgent !== undefined && { userAgent: o.userAgent }),
  });
  const run = new CurlRun(ctx, done, o, url, ip, lines);
  new HttpExchange(
    ctx.host,
    {
      address: ip,
      port: url.port,
      request: lines.join('\r\n') + '\r\n\r\n',
      head: o.head,
      keepBody: true,
      ...(o.maxTime !== undefined && { maxTime: o.maxTime + CURL_TIMEOUT_SLACK }),
      ...(o.connectTimeout !== undefined && { connectTimeout: o.connectTimeout + CURL_TIMEOUT_SLACK }),
    },
    run,
  );
  return undefined;
};

/** The client programs of every host: the lead's world builder calls this for each host. */
export function registerClientCommands(host: Host): void {
  host.shell.register('curl', curl);
}
