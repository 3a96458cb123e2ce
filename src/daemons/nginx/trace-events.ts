/** Trace events of the simulated nginx: every line it writes to an access or error log file. */
declare module '../../sim/trace' {
  interface TraceEvents {
    'nginx.access': { host: string; line: string };
    'nginx.error': { host: string; line: string };
  }
}
export {};
