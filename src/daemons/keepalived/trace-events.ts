/** Trace events of the simulated keepalived that the scenario layer and reports read. */
declare module '../../sim/trace' {
  interface TraceEvents {
    'vrrp.state': { host: string; instance: string; from: string; to: string; priority: number };
    'vrrp.priority': { host: string; instance: string; from: number; to: number };
  }
}
export {};
