import type { Micros } from '../../../sim/time';
import type { Scheduler } from '../scheduler';
import type { Service } from '../service';
import { createDh } from './dh';
import { createFo } from './fo';
import { createLblc } from './lblc';
import { createLblcr } from './lblcr';
import { createLc } from './lc';
import { createMh } from './mh';
import { createNq } from './nq';
import { createOvf } from './ovf';
import { createRr } from './rr';
import { createSed } from './sed';
import { createSh } from './sh';
import { createWlc } from './wlc';
import { createWrr } from './wrr';

type Factory = (svc: Service, now: Micros) => Scheduler;

/** The scheduler modules a Debian kernel ships (ip_vs_<name>.ko); twos is not modelled (it draws randomly). */
const FACTORIES: Record<string, Factory> = {
  rr: createRr,
  wrr: createWrr,
  lc: createLc,
  wlc: createWlc,
  sed: createSed,
  nq: createNq,
  fo: createFo,
  ovf: createOvf,
  sh: createSh,
  dh: createDh,
  lblc: createLblc,
  lblcr: createLblcr,
  mh: createMh,
};

export const SCHEDULER_NAMES: readonly string[] = Object.keys(FACTORIES);

/** Binds a scheduler to a service (init_service); undefined for an unknown name (the kernel's ENOENT). */
export function createScheduler(name: string, svc: Service, now: Micros): Scheduler | undefined {
  const f = Object.prototype.hasOwnProperty.call(FACTORIES, name) ? FACTORIES[name] : undefined;
  return f?.(svc, now);
}
