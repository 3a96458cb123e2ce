import type { Draft } from './draft';
import type { Parse } from './engine';

/**
 * keepalived's if_get_by_ifname for the host being checked: false when the host has no such interface
 * (and dynamic_interfaces is off); the VRRP process then stops after reading, as keepalived does.
 * Without a list of interfaces every name is taken to exist.
 */
export function interfaceExists(p: Parse<Draft>, name: string): boolean {
  const ifs = p.state.interfaces;
  if (!ifs || ifs.has(name) || p.state.global.dynamicInterfaces) return true;
  p.state.nonExistentInterface = true;
  return false;
}
