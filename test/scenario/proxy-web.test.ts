import { describe, expect, it } from 'vitest';
import { holderAt, runScenarioFile, transitions } from '../../src/index';
import { SECOND } from '../../src/sim/time';
import type { TraceRecord } from '../../src/sim/trace';

// keepalived's timer rules (VRRPv2, advert_int 1 s) and nginx's upstream rules, derived here, not read off a run.
const skew = (prio: number): number => Math.floor(((256 - prio) * SECOND) / 256);
const mdi = (prio: number): number => 3 * SECOND + skew(prio);
const LAN = 100; // the scenarios' one-way LAN latency, µs
/** nginx's fail_timeout default: a failed peer is skipped while now − checked ≤ 10 (whole seconds). */
const FAIL_TIMEOUT_S = 10;
const DIR = 'scenarios/proxy-ha';

type Request = TraceRecord<'http.request'>;

function run(name: string) {
  const r = runScenarioFile(`${DIR}/${name}.yaml`);
  const requests = r.records.filter((x): x is Request => x.kind === 'http.request').sort((a, b) => a.sent - b.sent);
  for (const e of r.results) expect(e.ok, `${e.what}: ${e.detail}`).toBe(true);
  return { run: r, requests };
}

/** What the client saw: `refused`, or the header that tells who answered. */
const seen = (q: Request, header: string): string => q.error ?? q.headers[header] ?? `(${q.status} without ${header})`;

describe('proxy-ha from the client: the seed proxies in front of web1 and web2', () => {
  it('round robin through the VIP: WEB1, WEB2, WEB1 … via proxy1', () => {
    const { run: r, requests } = run('web-round-robin');
    expect(transitions(r, 'proxy1', 'VI_PROXY_HA', 'MASTER')).toEqual([mdi(100)]);
    expect(requests).toHaveLength(100);
    requests.forEach((q, i) => {
      expect(q.status).toBe(200);
      expect(q.headers['x-ups']).toBe(i % 2 === 0 ? 'WEB1-192.168.23.80:80' : 'WEB2-192.168.23.81:8080');
      expect(q.headers['x-proxy']).toBe('Proxy100-172.16.23.80:80');
    });
    const access = (host: string) => r.world.hosts.get(host)!.vfs.readText('/var/log/nginx/access.log')!.split('\n').filter(Boolean);
    expect(access('proxy1')).toHaveLength(100);
    expect(access('web1')).toHaveLength(50);
    expect(access('web2')).toHaveLength(50);
    // web servers see the proxy's internal address; proxy_http_version 1.0 upstream
    expect(access('web1')[0]).toMatch(/^192\.168\.23\.100 - - \[25\/Nov\/2022:00:00:05 \+0000\] "GET \/ HTTP\/1\.0" 200 125 "-" "curl\/7\.76\.1" "-"$/);
    expect(r.world.hosts.get('proxy2')!.vfs.readText('/var/log/nginx/access.log')).toBeUndefined();
  });

  it('proxy2 alone answers first; proxy1 joins and preempts; each proxy keeps its own round robin', () => {
    const { run: r, requests } = run('web-backup-alone-master-joins');
    const joined = 10 * SECOND;
    const preempt = joined + mdi(100);
    expect(transitions(r, 'proxy2', 'VI_PROXY_HA', 'MASTER')).toEqual([mdi(99)]);
    expect(transitions(r, 'proxy1', 'VI_PROXY_HA', 'MASTER')).toEqual([preempt]);
    const before = requests.filter((q) => q.sent < preempt);
    const after = requests.filter((q) => q.sent >= preempt);
    const rr = (i: number): string => (i % 2 === 0 ? 'WEB1-192.168.23.80:80' : 'WEB2-192.168.23.81:8080');
    expect(before.map((q) => [q.headers['x-proxy'], q.headers['x-ups']])).toEqual(before.map((_, i) => ['Proxy101-172.16.23.80:80', rr(i)]));
    expect(after.map((q) => [q.headers['x-proxy'], q.headers['x-ups']])).toEqual(after.map((_, i) => ['Proxy100-172.16.23.80:80', rr(i)]));
  });

  it('chk_nginx: refused until proxy2 takes the VIP, then Proxy101, then Proxy100 again after the preemption', () => {
    const { run: r, requests } = run('web-failover-tracked');
    const kill = 20.5 * SECOND;
    const failed = Math.ceil(kill / SECOND) * SECOND + SECOND; // fall 2: the second failing check
    const firstAdvert = mdi(100);
    const lastGood = firstAdvert + Math.floor((failed - firstAdvert) / SECOND) * SECOND;
    const takeover = lastGood + LAN + mdi(99);
    const back = takeover + LAN + mdi(95) + (mdi(100) - mdi(95));
    expect(transitions(r, 'proxy2', 'VI_PROXY_HA', 'MASTER')).toEqual([takeover]);
    expect(transitions(r, 'proxy1', 'VI_PROXY_HA', 'MASTER')).toEqual([firstAdvert, back]);
    const expected = (t: number): string =>
      t < kill ? 'Proxy100-172.16.23.80:80' : t < takeover ? 'refused' : t < back ? 'Proxy101-172.16.23.80:80' : 'Proxy100-172.16.23.80:80';
    expect(requests.map((q) => [q.sent, seen(q, 'x-proxy')])).toEqual(requests.map((q) => [q.sent, expected(q.sent)]));
    // a refusal costs one round trip: SYN out, RST back
    for (const q of requests.filter((x) => x.error)) expect(q.latency).toBe(2 * LAN);
    expect(requests.filter((q) => q.error)).toHaveLength(Math.ceil((takeover - kill) / (SECOND / 10)));
  });

  it('plain VRRP: nginx dies on proxy1, the VIP stays there and every request is refused', () => {
    const { run: r, requests } = run('web-nginx-dies-untracked');
    const kill = 20 * SECOND;
    expect(transitions(r, 'proxy2', 'VI_PROXY_HA', 'MASTER')).toEqual([]);
    expect(holderAt(r, '172.16.23.80', 29 * SECOND)).toBe('proxy1');
    expect(requests.map((q) => [q.sent, seen(q, 'x-proxy')])).toEqual(
      requests.map((q) => [q.sent, q.sent < kill ? 'Proxy100-172.16.23.80:80' : 'refused']),
    );
  });

  it('both web servers down: the backup 127.0.0.1:8080 answers with the maintenance page until web1 passes a probe', () => {
    const { run: r, requests } = run('web-servers-down');
    const stop = 20 * SECOND;
    const web1Back = 35 * SECOND;
    // A failed peer is tried again at the first whole second more than fail_timeout after its failure.
    const retry = (failedAt: number): number => (Math.floor(failedAt / SECOND) + FAIL_TIMEOUT_S + 1) * SECOND;
    let probe = retry(stop);
    const probes = [stop];
    while (probe < web1Back) {
      probes.push(probe);
      probe = retry(probe);
    }
    probes.push(probe);
    expect(probes).toEqual([20, 31, 42].map((s) => s * SECOND));
    const expected = (t: number, i: number): string =>
      t < stop
        ? i % 2 === 0 ? 'WEB1-192.168.23.80:80' : 'WEB2-192.168.23.81:8080'
        : t < probe ? 'SorryServer-127.0.0.1:8080' : 'WEB1-192.168.23.80:80';
    expect(requests.map((q) => [q.sent, seen(q, q.headers['x-sorry'] ? 'x-sorry' : 'x-ups')])).toEqual(
      requests.map((q, i) => [q.sent, expected(q.sent, i)]),
    );
    const sorry = requests.find((q) => q.sent === stop)!;
    expect(sorry.status).toBe(200);
    expect(sorry.headers['x-proxy']).toBe('Proxy100-172.16.23.80:80');
    expect(sorry.headers['content-length']).toBe('173'); // maintenance.html as published
    // the proxy's error log: both primaries refused at each probe (in round-robin order), web2 alone at the last
    const errors = r.world.hosts.get('proxy1')!.vfs.readText('/var/log/nginx/error.log')!.split('\n').filter(Boolean);
    expect(errors.map((e) => [e.slice(11, 19), /upstream: "http:\/\/([\d.:]+)\//.exec(e)![1]]).sort()).toEqual([
      ['00:00:20', '192.168.23.80:80'],
      ['00:00:20', '192.168.23.81:8080'],
      ['00:00:31', '192.168.23.80:80'],
      ['00:00:31', '192.168.23.81:8080'],
      ['00:00:42', '192.168.23.81:8080'],
    ]);
  });
});
