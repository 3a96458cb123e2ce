/** The pure core of the simulated nginx 1.22.1: configuration, request handling, upstream choice, logs. */
export { NginxConfError, formatEmerg } from './conf-error';
export type { ConfReader, ConfDirective, ConfContext } from './conf-parser';
export { loadNginxConf, nginxTestOutput, type ConfEnvironment, type LoadOptions, type LoadResult } from './conf-builder';
export { parseNginxTime } from './directive-args';
export type * from './conf-model';
export { STOCK_MIME_TYPES, stockMimeTypesText } from './mime-types';
export type { HttpRequest, HostFs, Exchange } from './exchange';
export { handleRequest, respondWithError, normalizeUri, type RequestOutcome } from './handle-request';
export { finishResponse, serializeResponse, type HttpResponse } from './response';
export {
  buildUpstreamRequest,
  proxiedResponse,
  noteFailedAttempt,
  notePeerDisabled,
  noteNoLiveUpstreams,
  responseFailure,
  countsAsPeerFailure,
  giveUpStatus,
  nextUpstream,
  type AttemptError,
  type UpstreamFailure,
  type UpstreamRequest,
  type UpstreamResponse,
} from './proxy';
export { UpstreamPeers, UpstreamAttempt, type Peer } from './upstream-round-robin';
export { accessLogLines, formatLogLine } from './access-log';
export { errorLogPrefix, logRequestError, type RequestLogEntry } from './error-log';
export { httpDate, timeLocal, parseHttpDate } from './http-date';
export { listenSockets } from './listen-sockets';
export type { VariableClock } from './variables';
