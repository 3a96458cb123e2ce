/**
 * HTTP over simulated TCP: a load generator on one host, a minimal server on another, one new connection
 * per request. Figures: requests per wall second, events per request.
 */
import { Simulator } from '../src/sim/simulator';
import { Lan } from '../src/net/lan';
import { Host } from '../src/host/host';
import { startLoad } from '../src/daemons/client/load';
import type { TcpHandler, TcpSocket } from '../src/host/tcp/socket';
import { SECOND } from '../src/sim/time';

const RESPONSE = new TextEncoder().encode(
  'HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Type: text/html\r\nContent-Length: 15\r\nConnection: keep-alive\r\n\r\nhello from web\n',
);

/** Answers each request at once and closes when the client does (what nginx's keep-alive side does). */
const server: TcpHandler = {
  onData(s: TcpSocket) {
    s.write(RESPONSE);
  },
  onEnd(s: TcpSocket) {
    s.end();
  },
};

/**
 * A relay in the shape of nginx's proxy_pass without upstream keep-alive: each client connection gets a new
 * upstream connection; the request goes up, the response comes down, both sides close.
 */
class Relay implements TcpHandler {
  private next = 0;
  constructor(private readonly proxy: Host, private readonly upstreams: number[]) {}
  onData(s: TcpSocket, data: Uint8Array) {
    const dst = this.upstreams[this.next++ % this.upstreams.length]!;
    const up = this.proxy.tcp.connect({ dst, dport: 80 }, upstreamSide);
    up.context = s;
    up.write(data.slice());
    s.context = up;
  }
  onEnd(s: TcpSocket) {
    s.end();
  }
}
const upstreamSide: TcpHandler = {
  onData(up: TcpSocket, data: Uint8Array) {
    (up.context as TcpSocket).write(data.slice());
    up.close();
  },
};

export function benchHttp(
  simSeconds: number,
  rate: number,
  viaProxy = false,
): { requests: number; seconds: number; rate: number; eventsPerRequest: number } {
  const sim = new Simulator({ seed: 1 });
  let answered = 0;
  sim.trace.attach({ write: (r) => r.kind === 'http.request' && 'status' in r && answered++ });
  const lan = new Lan(sim, 'lan');
  const mk = (name: string, ip: number, mac: number) => {
    const h = new Host(sim, name, { epochMs: 0 });
    h.addNic('eth0', mac);
    h.plug('eth0', lan);
    h.addAddress({ dev: 'eth0', ip, prefix: 24, broadcast: '+' });
    return h;
  };
  const clients = [1, 2, 3, 4].map((i) => mk(`client${i}`, 0x0a000000 + i, 0x525400000000 + i));
  const target = viaProxy ? 0x0a000064 : 0x0a000050;
  if (viaProxy) {
    // Four web servers: one proxy opening 1600 upstream connections a second to a single one would run
    // out of ephemeral ports (TIME_WAIT), as a real one does.
    const webs = [0, 1, 2, 3].map((i) => mk(`web${i}`, 0x0a000050 + i, 0x525400000050 + i));
    for (const web of webs) web.tcp.listen(0, 80, () => server);
    const proxy = mk('proxy', 0x0a000064, 0x525400000064);
    const relay = new Relay(proxy, [0, 1, 2, 3].map((i) => 0x0a000050 + i));
    proxy.tcp.listen(0, 80, () => relay);
  } else mk('web', 0x0a000050, 0x525400000050).tcp.listen(0, 80, () => server);
  const hosts = new Map(clients.map((c) => [c.name, c]));
  for (const c of clients) {
    startLoad(
      { sim, hosts },
      {
        kind: 'load',
        from: 0,
        to: simSeconds * SECOND,
        host: c.name,
        url: { text: 'http://10.0.0.80/', address: { text: '10.0.0.80', value: target }, port: 80, path: '/' },
        rate: { count: rate / clients.length, per: SECOND },
        timeout: 5 * SECOND,
      },
    );
  }
  const t0 = performance.now();
  sim.runUntil(simSeconds * SECOND + 120 * SECOND);
  const seconds = (performance.now() - t0) / 1000;
  return { requests: answered, seconds, rate: answered / seconds, eventsPerRequest: sim.eventsProcessed / answered };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchHttp(5, 1000);
  for (const viaProxy of [false, true]) {
    const r = benchHttp(100, 1600, viaProxy);
    console.log(
      `http ${viaProxy ? 'via a relay' : 'direct     '} (1 conn/request): ${Math.round(r.rate).toLocaleString('en-US')} requests/s  ` +
        `(${r.requests} in ${r.seconds.toFixed(2)} s, ${r.eventsPerRequest.toFixed(1)} events/request)`,
    );
  }
}
