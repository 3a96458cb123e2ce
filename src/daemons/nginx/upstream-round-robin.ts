import { SECOND, type Micros } from '../../sim/time';
import type { UpstreamConf, UpstreamServerConf } from './conf-model';

/** One upstream server's balancing state (ngx_http_upstream_rr_peer_t). Times are whole seconds, as nginx keeps them. */
export interface Peer {
  readonly conf: UpstreamServerConf;
  readonly backup: boolean;
  readonly weight: number;
  effectiveWeight: number;
  currentWeight: number;
  fails: number;
  /** ngx_time() seconds of the last failure. */
  accessed: number;
  /** ngx_time() seconds when the peer was last failed or (re)probed after fail_timeout. */
  checked: number;
}

const seconds = (now: Micros): number => Math.floor(now / SECOND);

function makePeer(conf: UpstreamServerConf): Peer {
  return { conf, backup: conf.backup, weight: conf.weight, effectiveWeight: conf.weight, currentWeight: 0, fails: 0, accessed: 0, checked: 0 };
}

/**
 * The round-robin state of one upstream block in one nginx worker (ngx_http_upstream_round_robin.c): smooth
 * weighted round robin over the primary servers, backup servers only when no primary can be used, max_fails /
 * fail_timeout accounting. A reload makes a new one.
 */
export class UpstreamPeers {
  readonly primary: readonly Peer[];
  readonly backup: readonly Peer[];
  /** One primary and no backup: nginx neither counts its failures nor retries (peers->single). */
  readonly single: boolean;

  constructor(readonly conf: UpstreamConf) {
    this.primary = conf.servers.filter((s) => !s.backup).map(makePeer);
    this.backup = conf.servers.filter((s) => s.backup).map(makePeer);
    this.single = this.primary.length === 1 && this.backup.length === 0;
  }

  /** Starts the attempts of one request: `tries` = non-down primaries + non-down backups. */
  begin(): UpstreamAttempt {
    return new UpstreamAttempt(this);
  }
}

/** Peers not marked `down`. */
function liveCount(peers: readonly Peer[]): number {
  let n = 0;
  for (const p of peers) if (!p.conf.down) n++;
  return n;
}

/** fail_timeout in whole seconds, as nginx compares it with its seconds clock. */
function failTimeout(p: Peer): number {
  return Math.floor(p.conf.failTimeout / SECOND);
}

/** The peer choices of one proxied request (ngx_http_upstream_rr_peer_data_t: tried bitmap, tries left). */
export class UpstreamAttempt {
  /** nginx's tried bitmap: an upstream has few servers, so a list (a Set per request cost more). */
  private readonly tried: Peer[] = [];
  private onBackup = false;
  /** Attempts left; 0 = give up after the current failure. */
  tries: number;

  constructor(private readonly peers: UpstreamPeers) {
    this.tries = liveCount(peers.primary) + liveCount(peers.backup);
  }

  /** The next peer to connect to, or undefined = NGX_BUSY (`no live upstreams`, answer 502). */
  select(now: Micros): Peer | undefined {
    if (this.peers.single && !this.onBackup) {
      const only = this.peers.primary[0]!;
      return only.conf.down ? undefined : only;
    }
    if (!this.onBackup) {
      const best = this.pick(this.peers.primary, now);
      if (best) return best;
      if (this.peers.backup.length === 0) return undefined;
      this.onBackup = true;
      this.tried.length = 0;
    }
    return this.pick(this.peers.backup, now);
  }

  private pick(list: readonly Peer[], now: Micros): Peer | undefined {
    const nowS = seconds(now);
    let best: Peer | undefined;
    let total = 0;
    for (const peer of list) {
      if (this.tried.includes(peer) || peer.conf.down) continue;
      if (peer.conf.maxFails > 0 && peer.fails >= peer.conf.maxFails && nowS - peer.checked <= failTimeout(peer)) continue;
      peer.currentWeight += peer.effectiveWeight;
      total += peer.effectiveWeight;
      if (peer.effectiveWeight < peer.weight) peer.effectiveWeight++;
      if (best === undefined || peer.currentWeight > best.currentWeight) best = peer;
    }
    if (best === undefined) return undefined;
    this.tried.push(best);
    best.currentWeight -= total;
    if (nowS - best.checked > failTimeout(best)) best.checked = nowS;
    return best;
  }

  /**
   * The attempt failed in a way that counts (error, timeout, invalid header, a listed http_5xx/429).
   * Returns true when the peer just reached max_fails (nginx warns `upstream server temporarily disabled`).
   */
  reportFailure(peer: Peer, now: Micros): boolean {
    if (this.peers.single) {
      this.tries = 0;
      return false;
    }
    const nowS = seconds(now);
    peer.fails++;
    peer.accessed = nowS;
    peer.checked = nowS;
    let disabled = false;
    if (peer.conf.maxFails > 0) {
      peer.effectiveWeight -= Math.floor(peer.weight / peer.conf.maxFails);
      disabled = peer.fails >= peer.conf.maxFails;
    }
    if (peer.effectiveWeight < 0) peer.effectiveWeight = 0;
    this.release();
    return disabled;
  }

  /** The attempt ended in http_403/http_404 listed in proxy_next_upstream: move on without counting a failure. */
  reportNext(): void {
    if (this.peers.single) {
      this.tries = 0;
      return;
    }
    this.release();
  }

  /** A response came back: a peer that was probed after its fail_timeout is live again. */
  reportSuccess(peer: Peer): void {
    if (this.peers.single) {
      this.tries = 0;
      return;
    }
    if (peer.accessed < peer.checked) peer.fails = 0;
    this.release();
  }

  private release(): void {
    if (this.tries > 0) this.tries--;
  }
}
