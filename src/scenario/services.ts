import { keepalivedService } from '../daemons/keepalived/keepalived';
import { nginxService } from '../daemons/nginx/service';
import type { ServiceFactory } from './world';

/**
 * The daemons a scenario can run, by service name. Each daemon's module provides its factory; a
 * scenario naming a service missing here is refused before the run.
 */
export const SERVICES: ReadonlyMap<string, ServiceFactory> = new Map<string, ServiceFactory>([
  ['keepalived', keepalivedService],
  ['nginx', nginxService],
]);
