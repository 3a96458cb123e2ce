/** Trace events of simulated HTTP clients (curl, the timeline's load) that expectations and reports read. */
declare module '../../sim/trace' {
  interface TraceEvents {
    'http.request': {
      host: string;
      url: string;
      /** When the request was started (µs). */
      sent: number;
      status?: number;
      /** refused | reset | timeout | unreachable */
      error?: string;
      headers: Record<string, string>;
      latency: number;
    };
  }
}
export {};
