import type { LanSpec } from '../spec';
import type { ParseContext, Read } from './context';
import { closest } from './suggest';
import { readText } from './values';

/**
 * The names the file declares, recorded even when their bodies have errors, so that one bad LAN does not
 * also make every reference to it an error.
 */
export interface Declared {
  /** LAN name → its spec (undefined when its body is invalid). */
  readonly lans: Map<string, LanSpec | undefined>;
  /** Host name → NIC name → the LAN it is plugged into (undefined for lo or an invalid NIC). */
  readonly hosts: Map<string, Map<string, string | undefined>>;
}

/** "unknown host 'proxy3'; did you mean 'proxy1'?", or the list of what exists. */
function unknown(subject: string, name: string, known: Iterable<string>, listName: string): string {
  const names = [...known];
  const guess = closest(name, names);
  if (guess) return `${subject}; did you mean '${guess}'?`;
  return names.length ? `${subject}; ${listName}: ${names.join(', ')}` : `${subject} (none declared)`;
}

/** The name of a declared host. */
export function readHostRef(declared: Declared): Read<string> {
  return (ctx, node) => {
    const name = readText(ctx, node);
    if (name === undefined) return undefined;
    if (!declared.hosts.has(name)) {
      ctx.error(ctx.pos(node), unknown(`unknown host '${name}'`, name, declared.hosts.keys(), 'hosts are'));
      return undefined;
    }
    return name;
  };
}

/** The name of a declared LAN. */
export function readLanRef(declared: Declared): Read<string> {
  return (ctx, node) => {
    const name = readText(ctx, node);
    if (name === undefined) return undefined;
    if (!declared.lans.has(name)) {
      ctx.error(ctx.pos(node), unknown(`unknown LAN '${name}'`, name, declared.lans.keys(), 'LANs are'));
      return undefined;
    }
    return name;
  };
}

/** `proxy1.eth0`: a NIC of a declared host that is plugged into a LAN. */
export function readNicRef(declared: Declared): Read<{ host: string; nic: string }> {
  return (ctx: ParseContext, node) => {
    const text = readText(ctx, node);
    if (text === undefined) return undefined;
    const pos = ctx.pos(node);
    const dot = text.indexOf('.');
    if (dot < 0) {
      ctx.error(pos, `expected host.nic, like proxy1.eth0, not '${text}'`);
      return undefined;
    }
    const host = text.slice(0, dot);
    const nic = text.slice(dot + 1);
    const nics = declared.hosts.get(host);
    if (!nics) {
      ctx.error(pos, unknown(`unknown host '${host}'`, host, declared.hosts.keys(), 'hosts are'));
      return undefined;
    }
    if (!nics.has(nic)) {
      ctx.error(pos, unknown(`host '${host}' has no NIC '${nic}'`, nic, nics.keys(), 'its NICs are'));
      return undefined;
    }
    if (nic === 'lo') {
      ctx.error(pos, `'${text}' is the loopback interface; only a NIC on a LAN has a link`);
      return undefined;
    }
    return { host, nic };
  };
}
