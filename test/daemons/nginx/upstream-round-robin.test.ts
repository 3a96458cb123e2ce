import { describe, expect, it } from 'vitest';
import type { UpstreamConf, UpstreamServerConf } from '../../../src/daemons/nginx/conf-model';
import { UpstreamPeers, type Peer } from '../../../src/daemons/nginx/upstream-round-robin';
import { SECOND } from '../../../src/sim/time';

function upstream(servers: Partial<UpstreamServerConf>[], implicit = false): UpstreamConf {
  return {
    name: 'u',
    implicit,
    servers: servers.map((s, i) => ({
      name: s.name ?? String.fromCharCode(97 + i),
      addr: '10.0.0.1',
      port: 80 + i,
      weight: 1,
      maxFails: 1,
      failTimeout: 10 * SECOND,
      backup: false,
      down: false,
      ...s,
    })),
  };
}

/** One request each, every attempt succeeding: the order peers are chosen in. */
function sequence(peers: UpstreamPeers, n: number, now = 0): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const attempt = peers.begin();
    const peer = attempt.select(now)!;
    attempt.reportSuccess(peer);
    out.push(peer.conf.name);
  }
  return out;
}

describe('smooth weighted round robin', () => {
  it('gives the sequences nginx gives', () => {
    expect(sequence(new UpstreamPeers(upstream([{ weight: 5 }, {}, {}])), 7).join('')).toBe('aabacaa');
    expect(sequence(new UpstreamPeers(upstream([{ weight: 3 }, { weight: 2 }, {}])), 6).join('')).toBe('abacba');
    expect(sequence(new UpstreamPeers(upstream([{}, {}])), 4).join('')).toBe('abab');
  });

  it('skips down servers and does not count them as tries', () => {
    const peers = new UpstreamPeers(upstream([{}, { down: true }, {}]));
    expect(peers.begin().tries).toBe(2);
    expect(sequence(peers, 4).join('')).toBe('acac');
  });
});

describe('max_fails and fail_timeout', () => {
  it('takes a failed peer out for fail_timeout, then lets it back in gradually', () => {
    const peers = new UpstreamPeers(upstream([{}, {}]));
    const [a, b] = peers.primary as [Peer, Peer];
    const t0 = 100 * SECOND;
    const attempt = peers.begin();
    expect(attempt.select(t0)).toBe(a);
    expect(attempt.reportFailure(a, t0)).toBe(true);
    expect([a.fails, a.effectiveWeight, attempt.tries]).toEqual([1, 0, 1]);
    expect(attempt.select(t0)).toBe(b);
    attempt.reportSuccess(b);
    // within fail_timeout, counted in whole seconds as nginx's ngx_time(), only b is chosen
    expect(sequence(peers, 3, t0 + 10 * SECOND + 999_999).join('')).toBe('bbb');
    // after it a competes again from effective weight 0 (+1 per round) and current weight -1
    expect(sequence(peers, 4, t0 + 11 * SECOND).join('')).toBe('bbab');
    expect(a.fails).toBe(0);
  });

  it('re-disables a probed peer that fails again', () => {
    const peers = new UpstreamPeers(upstream([{}, {}]));
    const [a] = peers.primary as [Peer, Peer];
    const at = peers.begin();
    at.reportFailure(at.select(0)!, 0);
    let probe = peers.begin();
    let p = probe.select(11 * SECOND)!;
    while (p !== a) {
      probe.reportSuccess(p);
      probe = peers.begin();
      p = probe.select(11 * SECOND)!;
    }
    expect(probe.reportFailure(p, 11 * SECOND)).toBe(true);
    expect(sequence(peers, 3, 21 * SECOND).join('')).toBe('bbb');
  });

  it('never disables with max_fails=0 and lowers effective weight by weight/max_fails', () => {
    const peers = new UpstreamPeers(upstream([{ maxFails: 0 }, {}]));
    const at = peers.begin();
    at.reportFailure(at.select(0)!, 0);
    expect(sequence(peers, 2).join('')).toBe('ba');
    const w = new UpstreamPeers(upstream([{ weight: 4, maxFails: 2 }, {}]));
    const at2 = w.begin();
    expect(at2.reportFailure(at2.select(0)!, 0)).toBe(false);
    expect(w.primary[0]!.effectiveWeight).toBe(2);
  });
});

describe('backup servers', () => {
  it('are used only when no primary can be', () => {
    const peers = new UpstreamPeers(upstream([{}, {}, { backup: true }]));
    const at = peers.begin();
    expect(at.tries).toBe(3);
    for (const name of ['a', 'b']) {
      const p = at.select(0)!;
      expect(p.conf.name).toBe(name);
      at.reportFailure(p, 0);
    }
    const backup = at.select(0)!;
    expect(backup.conf.name).toBe('c');
    at.reportFailure(backup, 0);
    expect(at.select(0)).toBeUndefined();
    expect(peers.begin().select(5 * SECOND)).toBeUndefined();
  });

  it('make a one-server upstream count failures (not "single")', () => {
    const peers = new UpstreamPeers(upstream([{}, { backup: true }]));
    expect(peers.single).toBe(false);
    const at = peers.begin();
    at.reportFailure(at.select(0)!, 0);
    expect(at.select(0)!.conf.name).toBe('b');
  });
});

describe('a single server', () => {
  it('is always tried, never marked failed, and not retried', () => {
    const peers = new UpstreamPeers(upstream([{}], true));
    expect(peers.single).toBe(true);
    const at = peers.begin();
    const p = at.select(0)!;
    expect(at.reportFailure(p, 0)).toBe(false);
    expect(at.tries).toBe(0);
    expect(p.fails).toBe(0);
    expect(peers.begin().select(0)).toBe(p);
    expect(new UpstreamPeers(upstream([{ down: true }])).begin().select(0)).toBeUndefined();
  });
});
