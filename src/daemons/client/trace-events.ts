/** Trace events of simulated HTTP clients (curl, the timeline's load) that expectations and reports read. */
declare module '../../sim/trace' {
  interface TraceEvents {
    'http.request': {
      host: string;
      url: string;
      /** When the request was started (µs). */
      sent: number;
      status?: number;
      /**
       * refused | reset | timeout | unreachable | empty (closed without a byte) | closed (closed before the
       * response was complete) | no-port (no ephemeral port left)
       */
      error?: string;
      headers: Record<string, string>;
      /** From `sent` to the complete response or the failure (µs). */
      latency: number;
      /** Keep-alive loads: the client's local port of the connection that carried the request … */
      port?: number;
      /** … and when that connection was opened (µs). */
      opened?: number;
    };
  }
}
/** The words of `http.request`'s `error`, as above. */
export const REQUEST_ERRORS = ['refused', 'reset', 'timeout', 'unreachable', 'empty', 'closed', 'no-port'] as const;
export type RequestError = (typeof REQUEST_ERRORS)[number];
