import type { Micros } from '../sim/time';
import type { SourcePos } from './diagnostic';

/**
 * The validated content of a scenario file: what the lead's world builder and runner consume. It is plain
 * readonly data; every time is an integer number of microseconds, every address is kept both as written
 * and as a 32-bit number, and every node carries the position of its text so that a runtime error or a
 * failed expectation can cite the scenario line. Referenced files are already read: the simulation never
 * touches the disk.
 *
 * File shape (docs/scenario-format.md has the full reference):
 *
 *   name: proxy-ha-nginx-dies          # optional; default: file name without extension
 *   description: text                  # optional
 *   seed: 1                            # default 1
 *   duration: 60s                      # required
 *   start: 2022-11-25T00:47:00Z        # wall clock at t=0 (default 2022-11-25T00:00:00Z)
 *   lans:
 *     ext: { subnet: 172.16.23.0/24, latency: 0.2ms, jitter: 0.05ms, loss: 0.01 }  # latency default 100us
 *   hosts:
 *     proxy1:
 *       nics:
 *         eth0: { lan: ext, ip: 172.16.23.100/24, mac: "52:54:00:00:00:01" }  # ip: one CIDR or a list
 *         lo:   { ip: [127.0.0.1/8, 172.16.23.80/32] }                         # lo has no lan
 *       gateway: 172.16.23.1
 *       sysctl: { net.ipv4.ip_forward: 1 }
 *       files:
 *         /etc/keepalived/keepalived.conf: proxy1/keepalived.conf
 *         /usr/local/nginx/html/test.html: { content: "Just test for WEB1\n" }
 *         /etc/keepalived/notify.sh: { from: proxy1/notify.sh, mode: "0755" }
 *       services: [keepalived, nginx]
 *       clock: { offset: -1.5s, drift: 20ppm }
 *   timeline:   # run | kill | crash | boot | link | partition | heal | ping | load | snapshot
 *     - { at: 20s, on: proxy1, run: killall nginx }
 *     - { from: 0s, to: 60s, on: client, load: { url: "http://172.16.23.80/", rate: 10/s } }
 *     - { on: client, load: { url: "http://172.16.23.80/", rate: 4/s, keepalive: true, connections: 2 } }
 *   expect:     # vip | log | state | reach | requests | transition
 *     - { within: 5s, after: 20s, vip: 172.16.23.80, on: proxy2 }
 */
export interface ScenarioSpec {
  /** The scenario file as given to parseScenario (used in diagnostics). */
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  readonly seed: number;
  readonly duration: Micros;
  /** Wall-clock instant of t=0, in µs since the Unix epoch: the origin of log timestamps and pcap times. */
  readonly start: number;
  readonly lans: readonly LanSpec[];
  readonly hosts: readonly HostSpec[];
  /** In file order; the runner schedules them by time (ties in file order). */
  readonly timeline: readonly TimelineAction[];
  readonly expect: readonly Expectation[];
}

/** An IPv4 address as written (`172.16.23.80`) and as a 32-bit unsigned number. */
export interface Ipv4Spec {
  readonly text: string;
  readonly value: number;
  readonly pos: SourcePos;
}

/** An address with prefix as written (`172.16.23.100/24`), parsed. */
export interface CidrSpec {
  readonly text: string;
  /** The address part, `172.16.23.100`. */
  readonly ip: string;
  readonly value: number;
  readonly prefix: number;
  readonly pos: SourcePos;
}

export interface LanSpec {
  readonly name: string;
  /** The network address (host bits zero). */
  readonly subnet: CidrSpec;
  /** One-way delivery delay of a frame; default 100us. */
  readonly latency: Micros;
  /** A frame's delay is latency plus a uniform draw in [0, jitter]; default 0. */
  readonly jitter: Micros;
  /** Probability in [0, 1] that a frame is lost; default 0. */
  readonly loss: number;
  readonly pos: SourcePos;
}

export type ServiceName = 'keepalived' | 'nginx' | 'ntpd';
export const SERVICE_NAMES: readonly ServiceName[] = ['keepalived', 'nginx', 'ntpd'];

export interface HostSpec {
  readonly name: string;
  readonly nics: readonly NicSpec[];
  readonly gateway?: Ipv4Spec;
  readonly sysctl: readonly SysctlSpec[];
  readonly files: readonly FileSpec[];
  /** Started at t=0, in this order. */
  readonly services: readonly { readonly name: ServiceName; readonly pos: SourcePos }[];
  readonly clock: ClockSpec;
  readonly pos: SourcePos;
}

export interface NicSpec {
  readonly name: string;
  /** The LAN the NIC is plugged into; absent for `lo`. */
  readonly lan?: string;
  /** Primary address first. */
  readonly addresses: readonly CidrSpec[];
  /** Lower-case `52:54:00:00:00:01`; absent when the world builder derives one. */
  readonly mac?: string;
  readonly pos: SourcePos;
}

export interface SysctlSpec {
  /** Dotted name, `net.ipv4.conf.lo.arp_ignore`. */
  readonly name: string;
  /** The text written to the sysctl, `1`. */
  readonly value: string;
  readonly pos: SourcePos;
}

export interface FileSpec {
  /** Absolute path on the simulated host. */
  readonly path: string;
  readonly content: string;
  /** Permission bits, default 0o644. */
  readonly mode: number;
  /** The scenario-relative file it was read from; absent for inline content. */
  readonly source?: string;
  readonly pos: SourcePos;
}

export interface ClockSpec {
  /** Wall clock minus true time at t=0; default 0. */
  readonly offset: Micros;
  /** Rate error in parts per million (positive: the clock runs fast); default 0. */
  readonly driftPpm: number;
}

export type Signal = 'TERM' | 'KILL' | 'HUP' | 'STOP' | 'CONT';
export const SIGNALS: readonly Signal[] = ['TERM', 'KILL', 'HUP', 'STOP', 'CONT'];

interface AtAction {
  readonly at: Micros;
  readonly pos: SourcePos;
}

/** Things that happen during the run, as a lab operator would make them happen. */
export type TimelineAction =
  | (AtAction & { readonly kind: 'run'; readonly host: string; readonly command: string })
  | (AtAction & { readonly kind: 'signal'; readonly host: string; readonly service: ServiceName; readonly signal: Signal })
  | (AtAction & { readonly kind: 'crash'; readonly host: string })
  | (AtAction & { readonly kind: 'boot'; readonly host: string })
  | (AtAction & { readonly kind: 'link'; readonly host: string; readonly nic: string; readonly state: 'up' | 'down' })
  | (AtAction & {
      readonly kind: 'partition';
      readonly lan: string;
      /** Hosts in different groups cannot hear each other; hosts of the LAN named in no group form one more group. */
      readonly groups: readonly (readonly string[])[];
    })
  | (AtAction & { readonly kind: 'heal'; readonly lan: string })
  | (AtAction & {
      readonly kind: 'ping';
      readonly host: string;
      readonly target: Ipv4Spec;
      /** Echo requests to send; default 1. */
      readonly count: number;
      /** Between two requests; default 1s. */
      readonly interval: Micros;
    })
  | {
      readonly kind: 'load';
      readonly from: Micros;
      readonly to: Micros;
      readonly host: string;
      readonly url: UrlSpec;
      readonly rate: RateSpec;
      /** A request with no complete answer after this long counts as failed; default 5s. */
      readonly timeout: Micros;
      /** Requests over persistent HTTP/1.1 connections (ab -k) instead of a new connection each; default false. */
      readonly keepalive: boolean;
      /** How many persistent connections; default 1 (only with keepalive). */
      readonly connections: number;
      readonly pos: SourcePos;
    }
  | (AtAction & { readonly kind: 'snapshot'; readonly host: string; readonly command: string });

export type TimelineKind = TimelineAction['kind'];

/** An http URL whose host is an IPv4 address (the simulation has no DNS). */
export interface UrlSpec {
  readonly text: string;
  readonly address: Ipv4Spec;
  readonly port: number;
  /** Path and query, `/test.html`. */
  readonly path: string;
}

/** `10/s`: `count` requests every `per` µs. */
export interface RateSpec {
  readonly text: string;
  readonly count: number;
  readonly per: Micros;
}

/**
 * When an expectation is judged:
 *  - at: at that instant;
 *  - within: at some instant in (after, until];
 *  - anytime: at some instant of the run (only for log expectations without a window).
 */
export type Window =
  | { readonly kind: 'at'; readonly at: Micros }
  | { readonly kind: 'within'; readonly after: Micros; readonly until: Micros }
  | { readonly kind: 'anytime' };

export type VrrpState = 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT';
export const VRRP_STATES: readonly VrrpState[] = ['INIT', 'BACKUP', 'MASTER', 'FAULT'];

/** Text to look for: a substring, or a regular expression (JavaScript syntax). */
export type TextMatch = { readonly kind: 'substring'; readonly text: string } | { readonly kind: 'regex'; readonly source: string };

/** What the user asserts about the run; each one is judged from the trace. */
export type Expectation =
  | {
      readonly kind: 'address';
      readonly address: Ipv4Spec;
      readonly host: string;
      /** true for `on:` (the host has the address), false for `not_on:`. */
      readonly present: boolean;
      readonly window: Window;
      readonly pos: SourcePos;
    }
  | { readonly kind: 'log'; readonly host: string; readonly match: TextMatch; readonly window: Window; readonly pos: SourcePos }
  | {
      readonly kind: 'state';
      readonly host: string;
      readonly instance: string;
      readonly state: VrrpState;
      readonly window: Window;
      readonly pos: SourcePos;
    }
  | {
      readonly kind: 'reach';
      readonly from: string;
      readonly to: Ipv4Spec;
      /** false: a ping succeeds; true (`unreachable: true`): it does not. */
      readonly unreachable: boolean;
      readonly window: Window;
      readonly pos: SourcePos;
    }
  | {
      readonly kind: 'requests';
      /** A host that runs a `load` in the timeline. */
      readonly from: string;
      /** Requests sent in [between[0], between[1]]; default the whole run. */
      readonly between: readonly [Micros, Micros];
      /** Absent: not judged (but one of failedAtMost / answeredBy / failedWith is always present). */
      readonly failedAtMost?: number;
      /** Every answered request carries this header with a value matching. */
      readonly answeredBy?: { readonly header: string; readonly match: TextMatch };
      /** Only requests on connections opened before this instant (a new-connection request opens its own at `sent`). */
      readonly openedBefore?: Micros;
      /** Every request judged failed, with this error (`reset`, `timeout` … as the trace words them). */
      readonly failedWith?: string;
      readonly pos: SourcePos;
    }
  | {
      readonly kind: 'transition';
      readonly host: string;
      readonly instance: string;
      readonly to: VrrpState;
      /** Only a change from this state counts; absent: from any state. */
      readonly from?: VrrpState;
      readonly at: Micros;
      /** The change must happen in [at - tolerance, at + tolerance]; default 0. */
      readonly tolerance: Micros;
      readonly pos: SourcePos;
    };

export type ExpectationKind = Expectation['kind'];
