/**
 * keepalived's checker side (Keepalived_healthcheckers): the checker machines, the IPVS wrapper and the
 * child process that drives them on a host.
 */
export { CheckerProcess } from './checker-process';
export { IpWrapper, supportedVs, type IpvsControl, type IpWrapperEnv, type RsState, type VsState } from './ipwrapper';
export { buildCheckers, type CheckerSlot, type RunnableChecker } from './checkers';
export { httpInitialState, httpStep, type HttpAttemptResult, type HttpCheckParams, type HttpCheckState } from './http-check';
export { tcpInitialState, tcpStep, type TcpAttemptResult, type TcpCheckParams } from './tcp-check';
export { miscInitialState, miscStep, type MiscCheckParams, type MiscOutcome } from './misc-check';
export { readHttpReply, type HttpReply } from './http-reply';
export { initialCore, type CheckerAction, type CheckerTiming } from './checker-core';
export { formatEndpoint, formatVs } from './format';
