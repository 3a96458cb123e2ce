import { SECOND } from '../../../../src/sim/time';
import {
  GARP_DEFAULTS,
  vrrpInitialState,
  vrrpStep,
  type VrrpAction,
  type VrrpConfig,
  type VrrpInput,
  type VrrpInstanceParams,
  type VrrpProcessState,
  type VrrpScriptParams,
  type VrrpSyncGroupParams,
} from '../../../../src/daemons/keepalived/vrrp';

/** 172.16.23.x as a host-order number. */
export const ip = (last: number): number => ((172 << 24) | (16 << 16) | (23 << 8) | last) >>> 0;

export const VIP = { text: '172.16.23.80', address: ip(80), prefixLength: 32, dev: 'eth0' };

export function instance(over: Partial<VrrpInstanceParams> = {}): VrrpInstanceParams {
  return {
    name: 'VI',
    interface: 'eth0',
    vrid: 51,
    priority: 100,
    initialState: 'BACKUP',
    advertInt: SECOND,
    version: 2,
    nopreempt: false,
    preemptDelay: 0,
    downTimerAdverts: 3,
    primaryIp: ip(100),
    vips: [VIP],
    garp: GARP_DEFAULTS,
    trackScripts: [],
    trackInterfaces: [],
    dontTrackPrimary: false,
    notify: {},
    lowerPrioNoAdvert: false,
    higherPrioSendAdvert: false,
    unicastPeers: [],
    ...over,
  };
}

export function script(over: Partial<VrrpScriptParams> = {}): VrrpScriptParams {
  return { name: 'chk_nginx', interval: SECOND, rise: 1, fall: 1, initFail: false, ...over };
}

export function config(
  instances: VrrpInstanceParams[],
  scripts: VrrpScriptParams[] = [],
  syncGroups: VrrpSyncGroupParams[] = [],
): VrrpConfig {
  return { instances, scripts, syncGroups };
}

/**
 * Feeds inputs to the machine and keeps the timers it asks for, so a test can advance simulated time:
 * `advance(t)` delivers every timer due up to t, in deadline order.
 */
export class Driver {
  state: VrrpProcessState;
  now = 0;
  readonly timers = new Map<string, number>();
  readonly all: VrrpAction[] = [];

  constructor(public config: VrrpConfig) {
    this.state = vrrpInitialState(config);
  }

  feed(input: VrrpInput, at = this.now): VrrpAction[] {
    this.now = at;
    const step = vrrpStep(this.config, this.state, input, at);
    this.state = step.state;
    for (const a of step.actions) {
      if (a.kind === 'arm_timer') this.timers.set(`${a.instance}/${a.timer}`, at + a.delay);
      if (a.kind === 'cancel_timer') this.timers.delete(`${a.instance}/${a.timer}`);
    }
    this.all.push(...step.actions);
    return [...step.actions];
  }

  /**
   * SIGHUP with `next` as the new config, as the glue does it: the signal step, every pending timer
   * cancelled, the reload step; from then on the driver steps with `next`.
   */
  reload(next: VrrpConfig, at = this.now): VrrpAction[] {
    const out = this.feed({ kind: 'reload_signal' }, at);
    this.timers.clear();
    out.push(...this.feed({ kind: 'reload', config: next }, at));
    this.config = next;
    return out;
  }

  deadline(instance: string, timer: string): number | undefined {
    return this.timers.get(`${instance}/${timer}`);
  }

  /** Fires due timers up to `until`; returns the actions of all of them. */
  advance(until: number): VrrpAction[] {
    const out: VrrpAction[] = [];
    for (;;) {
      let next: [string, number] | undefined;
      for (const e of this.timers) if (e[1] <= until && (!next || e[1] < next[1])) next = e;
      if (!next) break;
      this.timers.delete(next[0]);
      const [inst, timer] = next[0].split('/') as [string, string];
      const input: VrrpInput =
        timer === 'master_down'
          ? { kind: 'master_down_timer_expired', instance: inst }
          : timer === 'adver'
            ? { kind: 'adver_timer_expired', instance: inst }
            : { kind: 'garp_timer_expired', instance: inst, timer: timer as 'garp_master' | 'garp_lower_prio' };
      out.push(...this.feed(input, next[1]));
    }
    this.now = until;
    return out;
  }

  vrrp(name = 'VI') {
    return this.state.instances[name]!;
  }
}

export const logs = (actions: readonly VrrpAction[], withDetail = true): string[] =>
  actions.flatMap((a) => (a.kind === 'log' && (withDetail || !a.detail) ? [a.text] : []));

export const kinds = (actions: readonly VrrpAction[]): string[] => actions.map((a) => a.kind);

export const adverts = (actions: readonly VrrpAction[]): number[] =>
  actions.flatMap((a) => (a.kind === 'send_advert' ? [a.priority] : []));

/** The input a Driver timer key (`instance/timer`) delivers. */
function timerInput(key: string): VrrpInput {
  const [instance, timer] = key.split('/') as [string, string];
  if (timer === 'master_down') return { kind: 'master_down_timer_expired', instance };
  if (timer === 'adver') return { kind: 'adver_timer_expired', instance };
  return { kind: 'garp_timer_expired', instance, timer: timer as 'garp_master' | 'garp_lower_prio' };
}

/**
 * Several routers on one LAN: every advert one sends reaches the others `latency` µs later. Inputs given
 * to `at` are delivered at their instant; timers and deliveries are processed in time order.
 */
export class Lan {
  private readonly pending: { at: number; seq: number; node: number; input: VrrpInput }[] = [];
  private seq = 0;
  /** Crashed nodes (SIGKILL / power loss): they neither send, receive nor run timers. */
  private readonly dead = new Set<number>();

  crash(node: number): void {
    this.dead.add(node);
    this.nodes[node]!.driver.timers.clear();
  }

  constructor(
    readonly nodes: readonly { driver: Driver; ip: number }[],
    readonly latency = 100,
  ) {}

  at(time: number, node: number, input: VrrpInput): void {
    this.pending.push({ at: time, seq: this.seq++, node, input });
  }

  run(until: number): void {
    for (;;) {
      let best: { at: number; seq: number; node: number; input: VrrpInput; timer?: string } | undefined;
      this.nodes.forEach(({ driver }, node) => {
        for (const [key, at] of driver.timers) {
          if (at <= until && (!best || at < best.at)) best = { at, seq: -1, node, input: timerInput(key), timer: key };
        }
      });
      for (const p of this.pending) {
        if (p.at <= until && (!best || p.at < best.at || (p.at === best.at && best.seq >= 0 && p.seq < best.seq))) best = p;
      }
      if (!best) return;
      const chosen = best;
      if (chosen.timer) this.nodes[chosen.node]!.driver.timers.delete(chosen.timer);
      else this.pending.splice(this.pending.indexOf(chosen as (typeof this.pending)[number]), 1);
      if (this.dead.has(chosen.node)) continue;
      this.deliver(chosen.node, chosen.at, this.nodes[chosen.node]!.driver.feed(chosen.input, chosen.at));
    }
  }

  /** SIGHUP to `node` at `time` (after everything due until then), `next` its new config. */
  reload(time: number, node: number, next: VrrpConfig): VrrpAction[] {
    this.run(time);
    const actions = this.nodes[node]!.driver.reload(next, time);
    this.deliver(node, time, actions);
    return actions;
  }

  /** The adverts among `actions` reach every other live node `latency` µs later. */
  private deliver(node: number, at: number, actions: readonly VrrpAction[]): void {
    for (const a of actions) {
      if (a.kind !== 'send_advert') continue;
      this.nodes.forEach((_, other) => {
        if (other === node || this.dead.has(other)) return;
        const input: VrrpInput = {
          kind: 'advert_received',
          instance: a.instance,
          srcIp: this.nodes[node]!.ip,
          priority: a.priority,
          adverInt: a.adverInt,
        };
        this.at(at + this.latency, other, input);
      });
    }
  }
}
