import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { httpInitialState, httpStep, readHttpReply, type HttpAttemptResult, type HttpCheckParams } from '../../../../src/daemons/keepalived/check';
import { drive, S, us } from './clock';

const BODY = 'Just test for WEB1\n';
const DIGEST = '60f16b089b6c69717ffdd41fc0896652';
const RS = '[192.168.23.80]:tcp:80';

/** The seed's HTTP_GET: delay_loop 6, connect_timeout 3, nb_get_retry 3, delay_before_retry 3. */
function seed(over: Partial<HttpCheckParams> = {}): HttpCheckParams {
  return {
    rs: RS,
    vs: '[172.16.23.80]:tcp:80',
    urls: [{ path: '/test.html', digest: DIGEST, statusCode: [{ from: 200, to: 299 }], regexNoMatch: false }],
    delayLoop: 6 * S,
    delayBeforeRetry: 3 * S,
    retry: 3,
    alpha: false,
    logAllFailures: false,
    fastRecovery: false,
    ...over,
  };
}

function reply(status: string, body: string): HttpAttemptResult {
  const text = `HTTP/1.1 ${status}\r\nServer: nginx/1.22.1\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
  return { kind: 'eof', reply: readHttpReply(new TextEncoder().encode(text)) };
}

const OK = reply('200 OK', BODY);
const NOT_FOUND = reply('404 Not Found', '<html>404</html>\n');

/** Each attempt takes 2 ms; the first check 1 s after start (warmup draw 0). */
const D = 2000;

function run(p: HttpCheckParams, present: (t: number) => boolean, until = 120 * S) {
  const s = httpInitialState(p);
  return drive<HttpAttemptResult>((input) => httpStep(p, s, input), (t) => (present(t) ? OK : NOT_FOUND), { first: S, until, duration: D });
}

describe('HTTP_GET reply reading', () => {
  it('takes the MD5 of the body, cut at Content-Length, and the status code', () => {
    expect(createHash('md5').update(BODY).digest('hex')).toBe(DIGEST);
    const r = readHttpReply(new TextEncoder().encode(`HTTP/1.1 200 OK\r\nContent-Length: 19\r\n\r\n${BODY}extra`));
    expect(r).toMatchObject({ extracted: true, statusCode: 200, contentLength: 19, rxBytes: 24, digest: DIGEST });
    expect(readHttpReply(new TextEncoder().encode('HTTP/1.1 200 OK\r\n')).extracted).toBe(false);
    expect(readHttpReply(new TextEncoder().encode('garbage\r\n\r\n')).statusCode).toBe(0);
  });
});

describe('HTTP_GET timing (seed experiment 6: test.html removed, then back)', () => {
  const removed = 20 * S;
  const back = 50 * S;
  const seen = run(seed(), (t) => t < removed || t >= back);
  const attempts = seen.filter((e) => e.what === 'attempt').map((e) => e.t);
  const at = (text: string) => seen.filter((e) => e.what === text).map((e) => e.t);

  it('first check 1 s after start logs the success once', () => {
    expect(attempts[0]).toBe(1);
    expect(at(`Remote Web server ${RS} succeed on service.`)[0]).toBe(us(1 + D / S));
  });

  it('is down after retry+1 = 4 failed attempts spaced by delay_before_retry, from the first failure after removal', () => {
    // Steady state: one attempt every delay_loop, timed from the end of the previous one.
    const steady = attempts.filter((t) => t < removed / S);
    for (let i = 1; i < steady.length; i++) expect(us(steady[i]! - steady[i - 1]!)).toBe(us(6 + D / S));
    const firstFail = attempts.find((t) => t >= removed / S)!;
    expect(firstFail).toBeGreaterThan(20);
    expect(firstFail).toBeLessThanOrEqual(26);
    const retries = [1, 2, 3].map((k) => us(firstFail + k * (3 + D / S)));
    expect(attempts.filter((t) => t > firstFail && t < firstFail + 10).map(us)).toEqual(retries);
    const down = us(retries[2]! + D / S);
    expect(at(`HTTP_CHECK on service ${RS} failed after 3 retries.`)).toEqual([down]);
    expect(seen.filter((e) => e.t === down).map((e) => e.what)).toEqual([`HTTP_CHECK on service ${RS} failed after 3 retries.`, 'verdict down']);
    // No per-attempt line without log_all_failures.
    expect(seen.some((e) => e.what.startsWith('HTTP status code error'))).toBe(false);
    // While down: one attempt every max(delay_before_retry, delay_loop).
    expect(attempts.find((t) => t > down)).toBe(us(down + 6));
  });

  it('comes back on the second success, delay_loop after the first; both log the digest success', () => {
    const successes = at(`MD5 digest success to ${RS} url(/test.html)`);
    expect(successes.length).toBe(2);
    expect(successes[0]).toBeGreaterThan(50);
    expect(successes[0]).toBeLessThanOrEqual(56 + 3 * D / S);
    expect(successes[1]).toBe(us(successes[0]! + 6 + D / S));
    expect(at(`Remote Web server ${RS} succeed on service.`)).toEqual([us(1 + D / S), successes[1]]);
    expect(at('verdict up')).toEqual([successes[1]]);
  });
});

describe('HTTP_GET verdicts', () => {
  it('log_all_failures logs every failed attempt while up, in 2.2.7 words', () => {
    const seen = run(seed({ logAllFailures: true }), (t) => t < 20 * S, 60 * S);
    const lines = seen.filter((e) => e.what.startsWith('HTTP status code error'));
    expect(lines.length).toBe(4);
    expect(lines[0]!.what).toBe(`HTTP status code error to server ${RS}.`);
  });

  it('a wrong digest is a failure of its own', () => {
    const p = seed({ logAllFailures: true });
    const s = httpInitialState(p);
    httpStep(p, s, { kind: 'timer' });
    const acts = httpStep(p, s, { kind: 'result', result: reply('200 OK', 'Just test for WEB2\n') });
    expect(acts[0]).toEqual({ kind: 'log', text: `MD5 digest error to server ${RS}.` });
  });

  it('a failing first check (not alpha) takes the server down at once, still "after N retries"', () => {
    const p = seed();
    const s = httpInitialState(p);
    expect(httpStep(p, s, { kind: 'timer' })).toEqual([{ kind: 'attempt', url: 0 }]);
    expect(httpStep(p, s, { kind: 'result', result: { kind: 'connect_fail' } })).toEqual([
      { kind: 'log', text: `HTTP_CHECK on service ${RS} failed after 3 retries.` },
      { kind: 'verdict', up: false, changed: true },
      { kind: 'arm', delay: 6 * S },
    ]);
  });

  it('alpha: starts down, one success brings it up; a failing first check says nothing', () => {
    const p = seed({ alpha: true });
    const s = httpInitialState(p);
    httpStep(p, s, { kind: 'timer' });
    expect(httpStep(p, s, { kind: 'result', result: OK })).toEqual([
      { kind: 'log', text: `MD5 digest success to ${RS} url(/test.html)` },
      { kind: 'log', text: `Remote Web server ${RS} succeed on service.` },
      { kind: 'verdict', up: true, changed: true },
      { kind: 'arm', delay: 6 * S },
    ]);
    const s2 = httpInitialState(p);
    httpStep(p, s2, { kind: 'timer' });
    expect(httpStep(p, s2, { kind: 'result', result: { kind: 'connect_timeout' } })).toEqual([{ kind: 'arm', delay: 6 * S }]);
  });

  it('without a digest the success line names the status code; no data at all is its own failure', () => {
    const p = seed({ alpha: true, logAllFailures: true, urls: [{ path: '/', statusCode: [{ from: 200, to: 299 }], regexNoMatch: false }] });
    const s = httpInitialState(p);
    httpStep(p, s, { kind: 'timer' });
    expect(httpStep(p, s, { kind: 'result', result: OK })[0]).toEqual({ kind: 'log', text: `HTTP status code success to ${RS} url(/)` });
    const s2 = httpInitialState(seed({ logAllFailures: true }));
    httpStep(seed(), s2, { kind: 'timer' });
    const empty: HttpAttemptResult = { kind: 'eof', reply: readHttpReply(new Uint8Array()) };
    expect(httpStep(seed({ logAllFailures: true }), s2, { kind: 'result', result: empty })[0]).toEqual({
      kind: 'log',
      text: `Read, no data received from  server ${RS}.`,
    });
  });

  it('several urls: each success moves to the next url after delay_loop; the server is up after the last', () => {
    const u = (path: string) => ({ path, statusCode: [{ from: 200, to: 299 }], regexNoMatch: false });
    const p = seed({ alpha: true, urls: [u('/a'), u('/b')] });
    const s = httpInitialState(p);
    expect(httpStep(p, s, { kind: 'timer' })).toEqual([{ kind: 'attempt', url: 0 }]);
    expect(httpStep(p, s, { kind: 'result', result: OK }).map((a) => a.kind)).toEqual(['log', 'arm']);
    expect(httpStep(p, s, { kind: 'timer' })).toEqual([{ kind: 'attempt', url: 1 }]);
    expect(httpStep(p, s, { kind: 'result', result: OK }).map((a) => a.kind)).toEqual(['log', 'log', 'verdict', 'arm']);
  });

  it('fast_recovery: once the failed url answers, the confirming check follows at once', () => {
    const p = seed({ fastRecovery: true });
    const s = httpInitialState(p);
    httpStep(p, s, { kind: 'timer' });
    expect(httpStep(p, s, { kind: 'result', result: NOT_FOUND }).at(-1)).toEqual({ kind: 'arm', delay: 6 * S });
    httpStep(p, s, { kind: 'timer' });
    expect(httpStep(p, s, { kind: 'result', result: OK }).at(-1)).toEqual({ kind: 'arm', delay: 0 });
    httpStep(p, s, { kind: 'timer' });
    expect(httpStep(p, s, { kind: 'result', result: OK }).slice(1)).toEqual([
      { kind: 'log', text: `Remote Web server ${RS} succeed on service.` },
      { kind: 'verdict', up: true, changed: true },
      { kind: 'arm', delay: 6 * S },
    ]);
  });
});
