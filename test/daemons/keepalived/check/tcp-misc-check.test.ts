import { describe, expect, it } from 'vitest';
import { miscInitialState, miscStep, tcpInitialState, tcpStep, type MiscCheckParams, type MiscOutcome, type TcpAttemptResult, type TcpCheckParams } from '../../../../src/daemons/keepalived/check';
import { drive, S, us } from './clock';

const RS = '[192.168.23.80]:tcp:80';

/** TCP_CHECK with keepalived's defaults under delay_loop 6: retry 1, delay_before_retry 1 s. */
function tcp(over: Partial<TcpCheckParams> = {}): TcpCheckParams {
  return { rs: RS, delayLoop: 6 * S, delayBeforeRetry: S, retry: 1, alpha: false, logAllFailures: false, ...over };
}

describe('TCP_CHECK', () => {
  it('first run: success logged once; a failure takes the server down at once ("failed.")', () => {
    const p = tcp();
    const s = tcpInitialState(p);
    expect(tcpStep(p, s, { kind: 'timer' })).toEqual([{ kind: 'attempt' }]);
    expect(tcpStep(p, s, { kind: 'result', result: 'success' })).toEqual([
      { kind: 'log', text: `TCP connection to ${RS} success.` },
      { kind: 'arm', delay: 6 * S },
    ]);
    const s2 = tcpInitialState(p);
    expect(tcpStep(p, s2, { kind: 'result', result: 'failed' })).toEqual([
      { kind: 'log', text: `TCP_CHECK on service ${RS} failed.` },
      { kind: 'verdict', up: false, changed: true },
      { kind: 'arm', delay: 6 * S },
    ]);
  });

  it('an up server fails twice, delay_before_retry apart, then is down; one success brings it back', () => {
    const p = tcp({ logAllFailures: true });
    const s = tcpInitialState(p);
    const seen = drive<TcpAttemptResult>((input) => tcpStep(p, s, input), (t) => (t < 10 * S || t > 22 * S ? 'success' : 'timeout'), {
      first: S,
      until: 40 * S,
      duration: 1000,
    });
    const at = (w: string) => seen.filter((e) => e.what === w).map((e) => e.t);
    // Attempts (1 ms each) at 1, 7.001, 13.002 (fails), 14.003 (fails, delay_before_retry later) → down.
    expect(at(`TCP connection to ${RS} timeout.`)).toEqual([13.003, 14.004]);
    expect(at(`TCP_CHECK on service ${RS} failed after 1 retries.`)).toEqual([14.004]);
    // Down, tcp_epilog still retries: 20.004 fails, 21.005 (delay_before_retry later) fails, quietly;
    // 27.006 succeeds.
    expect(at('attempt').filter((t) => t > 14.004)).toEqual([20.004, 21.005, 27.006, 33.007, 39.008].map(us));
    expect(at(`TCP connection to ${RS} success.`)).toEqual([1.001, 27.007]);
    expect(at('verdict up')).toEqual([27.007]);
  });

  it('alpha: a failing first check only runs the down notifier', () => {
    const p = tcp({ alpha: true });
    const s = tcpInitialState(p);
    expect(tcpStep(p, s, { kind: 'result', result: 'failed' })).toEqual([
      { kind: 'log', text: `TCP_CHECK on service ${RS} failed.` },
      { kind: 'verdict', up: false, changed: false },
      { kind: 'arm', delay: 6 * S },
    ]);
  });
});

function misc(over: Partial<MiscCheckParams> = {}): MiscCheckParams {
  return {
    rs: RS,
    vs: '[172.16.23.80]:tcp:80',
    program: '/usr/local/bin/chk.sh',
    dynamic: false,
    weight: 1,
    delayLoop: 6 * S,
    delayBeforeRetry: S,
    retry: 0,
    alpha: false,
    logAllFailures: false,
    ...over,
  };
}

const exited = (status: number): MiscOutcome => ({ kind: 'exited', status });

describe('MISC_CHECK', () => {
  const head = `Misc check for [${RS} VS [172.16.23.80]:tcp:80] by [/usr/local/bin/chk.sh]`;

  it('exit 0 succeeds, exit 1 fails (retry disabled); the next run is timed from the start of the last', () => {
    const p = misc();
    const s = miscInitialState(p);
    expect(miscStep(p, s, { kind: 'timer', now: S })).toEqual([{ kind: 'attempt' }]);
    expect(miscStep(p, s, { kind: 'result', now: 1.5 * S, outcome: exited(0) })).toEqual([
      { kind: 'log', text: `${head} succeeded.` },
      { kind: 'arm', delay: 5.5 * S },
    ]);
    miscStep(p, s, { kind: 'timer', now: 7 * S });
    expect(miscStep(p, s, { kind: 'result', now: 7.2 * S, outcome: exited(1) })).toEqual([
      { kind: 'log', text: `${head} failed with retry disabled (exited with status 1).` },
      { kind: 'verdict', up: false, changed: true },
      { kind: 'arm', delay: 5.8 * S },
    ]);
    // Down: failures are silent; a success brings it back.
    miscStep(p, s, { kind: 'timer', now: 13 * S });
    expect(miscStep(p, s, { kind: 'result', now: 13 * S, outcome: exited(1) })).toEqual([{ kind: 'arm', delay: 6 * S }]);
    miscStep(p, s, { kind: 'timer', now: 19 * S });
    expect(miscStep(p, s, { kind: 'result', now: 19 * S, outcome: exited(0) }).slice(0, 2)).toEqual([
      { kind: 'log', text: `${head} succeeded.` },
      { kind: 'verdict', up: true, changed: true },
    ]);
  });

  it('retries are counted in the log ("will do", "on retry", "after") with log_all_failures', () => {
    const p = misc({ retry: 2, logAllFailures: true });
    const s = miscInitialState(p);
    miscStep(p, s, { kind: 'timer', now: 0 });
    miscStep(p, s, { kind: 'result', now: 0, outcome: exited(0) });
    const lines: string[] = [];
    for (let i = 0; i < 3; i++) {
      for (const a of miscStep(p, s, { kind: 'result', now: 0, outcome: exited(3) })) if (a.kind === 'log') lines.push(a.text);
    }
    expect(lines).toEqual([
      `${head} failed, will do 2 retries (exited with status 3).`,
      `${head} failed on retry 1/2 (exited with status 3).`,
      `${head} failed after 2 retries (exited with status 3).`,
    ]);
  });

  it('misc_dynamic: exit status − 2 is the weight; a timeout is "timed out"', () => {
    const p = misc({ dynamic: true, weight: 1 });
    const s = miscInitialState(p);
    miscStep(p, s, { kind: 'timer', now: 0 });
    // 10 → weight 8: the checker's share is 10 − 2 − 1 = +7 on top of the configured 1.
    expect(miscStep(p, s, { kind: 'result', now: 0, outcome: exited(10) })[0]).toEqual({ kind: 'weight', delta: 7, silent: false });
    expect(miscStep(p, s, { kind: 'result', now: 0, outcome: exited(10) }).filter((a) => a.kind === 'weight')).toEqual([]);
    expect(miscStep(p, s, { kind: 'result', now: 0, outcome: { kind: 'timed_out' } }).slice(0, 2)).toEqual([
      { kind: 'log', text: `${head} timed out with retry disabled.` },
      { kind: 'verdict', up: false, changed: true },
    ]);
  });
});
