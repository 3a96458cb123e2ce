import type { Micros } from '../../../sim/time';
import type { Checker, KeepalivedConfig, RealServer, VirtualServer } from '../config';
import type { CheckerAction, CheckerTiming } from './checker-core';
import { formatEndpoint, formatVs } from './format';
import { httpInitialState, httpStep, type HttpAttemptResult, type HttpCheckParams, type HttpCheckState } from './http-check';
import { supportedVs } from './ipwrapper';
import { miscInitialState, miscStep, type MiscCheckParams, type MiscCheckState, type MiscOutcome } from './misc-check';
import { tcpInitialState, tcpStep, type TcpAttemptResult, type TcpCheckParams, type TcpCheckState } from './tcp-check';

/** The checker kinds the simulator runs (SSL_GET as plain HTTP: TLS is not simulated). */
export type RunnableChecker =
  | {
      readonly kind: 'http';
      readonly params: HttpCheckParams;
      readonly state: HttpCheckState;
      step(input: { kind: 'timer' } | { kind: 'result'; result: HttpAttemptResult }): CheckerAction[];
    }
  | {
      readonly kind: 'tcp';
      readonly params: TcpCheckParams;
      readonly state: TcpCheckState;
      step(input: { kind: 'timer' } | { kind: 'result'; result: TcpAttemptResult }): CheckerAction[];
    }
  | {
      readonly kind: 'misc';
      readonly params: MiscCheckParams;
      readonly state: MiscCheckState;
      step(input: { kind: 'timer'; now: Micros } | { kind: 'result'; now: Micros; outcome: MiscOutcome }): CheckerAction[];
    };

/** One checker of one real server, with what its driver needs to reach the server. */
export interface CheckerSlot {
  /** Index of the virtual server and real server in the configuration. */
  readonly vi: number;
  readonly ri: number;
  readonly vs: VirtualServer;
  readonly rs: RealServer;
  readonly conf: Checker;
  readonly machine: RunnableChecker;
  /** FMT_RS and FMT_VS. */
  readonly rsName: string;
  readonly vsName: string;
  /** Where the checker connects: connect_ip/connect_port, else the real server. */
  readonly dstIp: string;
  readonly dstPort: number;
}

function timing(c: Checker, logAll: boolean): CheckerTiming {
  return {
    delayLoop: c.delayLoop,
    delayBeforeRetry: c.delayBeforeRetry,
    retry: c.retry,
    alpha: c.alpha,
    logAllFailures: c.logAllFailures || logAll,
  };
}

function machineFor(c: Checker, rs: RealServer, rsName: string, vsName: string, logAll: boolean): RunnableChecker | undefined {
  const t = timing(c, logAll);
  if (c.kind === 'HTTP_GET' || c.kind === 'SSL_GET') {
    const params: HttpCheckParams = { ...t, rs: rsName, vs: vsName, urls: c.urls, fastRecovery: c.fastRecovery };
    const s = httpInitialState(params);
    return { kind: 'http', params, state: s, step: (input) => httpStep(params, s, input) };
  }
  if (c.kind === 'TCP_CHECK') {
    const params: TcpCheckParams = { ...t, rs: rsName };
    const s = tcpInitialState(params);
    return { kind: 'tcp', params, state: s, step: (input) => tcpStep(params, s, input) };
  }
  if (c.kind === 'MISC_CHECK') {
    const params: MiscCheckParams = {
      ...t,
      rs: rsName,
      vs: vsName,
      program: c.miscPath.join(' ').trim().split(/\s+/)[0] ?? '',
      dynamic: c.miscDynamic,
      weight: rs.weight,
    };
    const s = miscInitialState(params);
    return { kind: 'misc', params, state: s, step: (input) => miscStep(params, s, input) };
  }
  return undefined;
}

/** Every checker keepalived would queue, in configuration order, for the virtual servers the wrapper handles. */
export function buildCheckers(conf: KeepalivedConfig): CheckerSlot[] {
  const logAll = conf.globalDefs.checkerLogAllFailures;
  const out: CheckerSlot[] = [];
  conf.virtualServers.forEach((vs, vi) => {
    if (!supportedVs(vs)) return;
    const vsName = formatVs(vs.address, vs.protocol);
    vs.realServers.forEach((rs, ri) => {
      const rsName = formatEndpoint(rs.ip, rs.port, vs.protocol);
      for (const c of rs.checkers) {
        const machine = machineFor(c, rs, rsName, vsName, logAll);
        if (!machine) continue;
        out.push({ vi, ri, vs, rs, conf: c, machine, rsName, vsName, dstIp: c.connectIp ?? rs.ip, dstPort: c.connectPort ?? rs.port });
      }
    });
  });
  return out;
}
