/**
 * Simulated HTTP clients: `curl` for the shell and the timeline's `load`. The lead's world builder calls
 * `registerClientCommands(host)` for every host and passes `handleLoadAction` as the runner's handleExtra.
 */
export { registerClientCommands, curl } from './curl';
export { handleLoadAction, startLoad, HttpLoad, type LoadAction, type LoadWorld } from './load';
export { KeepAliveLoad } from './keepalive-load';
export { PersistentConnection } from './persistent-connection';
export { HttpExchange, type HttpExchangeOptions, type HttpFailure } from './http-exchange';
export { HttpResponseParser } from './http-response';
export { requestText, requestLines, hostHeader, CURL_USER_AGENT } from './http-request';
