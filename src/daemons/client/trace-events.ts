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
    };
  }
}
export {};
