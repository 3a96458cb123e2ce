import { isScalar } from 'yaml';
import type { SourcePos } from '../diagnostic';
import {
  SERVICE_NAMES,
  type CidrSpec,
  type ClockSpec,
  type FileSpec,
  type HostSpec,
  type LanSpec,
  type NicSpec,
  type ServiceName,
  type SysctlSpec,
} from '../spec';
import type { Entry, ParseContext, Read, YamlNode } from './context';
import { broadcastOf, formatIpv4, inSubnet, networkOf } from './ipv4';
import { readLanRef, type Declared } from './references';
import {
  readCidr,
  readDuration,
  readIpv4,
  readMac,
  readMode,
  readNonEmpty,
  readOneOf,
  readOneOrMany,
  readPpm,
  readProbability,
  readSignedDuration,
  readText,
} from './values';

/** Reads a scenario-relative file; undefined when it does not exist. */
export type ReadRelative = (relPath: string) => string | undefined;

const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const IFNAME = /^[A-Za-z][A-Za-z0-9_.-]{0,14}$/; // Linux IFNAMSIZ is 16 with the NUL
const SYSCTL = /^[a-z0-9_]+(\.[A-Za-z0-9_-]+)+$/;

function checkName(ctx: ParseContext, e: Entry, what: string): boolean {
  if (NAME.test(e.key)) return true;
  ctx.error(e.keyPos, `bad ${what} name '${e.key}': use letters, digits, '_' and '-', starting with a letter`);
  return false;
}

export function parseLans(ctx: ParseContext, node: YamlNode, declared: Declared): LanSpec[] {
  const lans: LanSpec[] = [];
  for (const e of ctx.map(node, "'lans'")?.entries ?? []) {
    if (!checkName(ctx, e, 'LAN')) continue;
    declared.lans.set(e.key, undefined);
    if (!e.value) {
      ctx.error(e.keyPos, `LAN '${e.key}' needs a subnet`);
      continue;
    }
    const lan = parseLan(ctx, e, e.value);
    if (!lan) continue;
    for (const other of lans) {
      const prefix = Math.min(other.subnet.prefix, lan.subnet.prefix);
      if (networkOf(other.subnet.value, prefix) === networkOf(lan.subnet.value, prefix)) {
        ctx.error(lan.subnet.pos, `subnet ${lan.subnet.text} overlaps LAN '${other.name}' (${other.subnet.text})`);
      }
    }
    declared.lans.set(e.key, lan);
    lans.push(lan);
  }
  return lans;
}

function parseLan(ctx: ParseContext, e: Entry, node: YamlNode): LanSpec | undefined {
  const f = ctx.map(node, `LAN '${e.key}'`);
  if (!f) return undefined;
  f.allow(['subnet', 'latency', 'jitter', 'loss']);
  const subnet = f.required('subnet', readCidr);
  const latency = f.optional('latency', readDuration) ?? 100;
  const jitter = f.optional('jitter', readDuration) ?? 0;
  const loss = f.optional('loss', readProbability) ?? 0;
  if (!subnet) return undefined;
  const network = networkOf(subnet.value, subnet.prefix);
  if (network !== subnet.value) {
    ctx.error(subnet.pos, `subnet ${subnet.text} has host bits set; did you mean ${formatIpv4(network)}/${subnet.prefix}?`);
    return undefined;
  }
  return { name: e.key, subnet, latency, jitter, loss, pos: f.pos };
}

/** Addresses and MACs seen so far on LAN NICs, to report duplicates against the first holder. */
interface Taken {
  readonly ips: Map<number, string>;
  readonly macs: Map<string, string>;
}

export function parseHosts(
  ctx: ParseContext,
  node: YamlNode,
  declared: Declared,
  readRelative: ReadRelative,
): HostSpec[] {
  const hosts: HostSpec[] = [];
  const taken: Taken = { ips: new Map(), macs: new Map() };
  for (const e of ctx.map(node, "'hosts'")?.entries ?? []) {
    if (!checkName(ctx, e, 'host')) continue;
    const nics = new Map<string, string | undefined>();
    declared.hosts.set(e.key, nics);
    if (!e.value) {
      ctx.error(e.keyPos, `host '${e.key}' needs a value (at least its nics)`);
      continue;
    }
    const host = parseHost(ctx, e.key, e.value, declared, nics, taken, readRelative);
    if (host) hosts.push(host);
  }
  return hosts;
}

function parseHost(
  ctx: ParseContext,
  name: string,
  node: YamlNode,
  declared: Declared,
  nicLans: Map<string, string | undefined>,
  taken: Taken,
  readRelative: ReadRelative,
): HostSpec | undefined {
  const f = ctx.map(node, `host '${name}'`);
  if (!f) return undefined;
  f.allow(['nics', 'gateway', 'sysctl', 'files', 'services', 'clock']);
  const nics = f.optional('nics', (c, n) => parseNics(c, name, n, declared, nicLans, taken)) ?? [];
  const gateway = f.optional('gateway', readIpv4);
  if (gateway) checkGateway(ctx, name, gateway.value, gateway.pos, nics, declared);
  const sysctl = f.optional('sysctl', parseSysctl) ?? [];
  const files = f.optional('files', (c, n) => parseFiles(c, n, readRelative)) ?? [];
  const services = f.optional('services', parseServices) ?? [];
  const clock = f.optional('clock', parseClock) ?? { offset: 0, driftPpm: 0 };
  return { name, nics, ...(gateway ? { gateway } : {}), sysctl, files, services, clock, pos: f.pos };
}

function parseNics(
  ctx: ParseContext,
  host: string,
  node: YamlNode,
  declared: Declared,
  nicLans: Map<string, string | undefined>,
  taken: Taken,
): NicSpec[] {
  const nics: NicSpec[] = [];
  for (const e of ctx.map(node, `the nics of host '${host}'`)?.entries ?? []) {
    if (!IFNAME.test(e.key)) {
      ctx.error(e.keyPos, `bad interface name '${e.key}' (letters, digits, '_', '-', '.', at most 15 characters)`);
      continue;
    }
    nicLans.set(e.key, undefined);
    const what = `NIC '${e.key}' of host '${host}'`;
    if (!e.value) {
      ctx.error(e.keyPos, `${what} needs a value`);
      continue;
    }
    const f = ctx.map(e.value, what);
    if (!f) continue;
    f.allow(['lan', 'ip', 'mac']);
    let lan: string | undefined;
    if (e.key === 'lo') {
      if (f.has('lan')) ctx.error(f.entry('lan')!.keyPos, "'lo' is the loopback interface; it is on no LAN");
    } else {
      lan = f.required('lan', readLanRef(declared));
    }
    nicLans.set(e.key, lan);
    const addresses = f.optional('ip', readOneOrMany(readCidr)) ?? [];
    const mac = f.optional('mac', readMac);
    const where = `${host} ${e.key}`;
    const subnet = lan === undefined ? undefined : declared.lans.get(lan)?.subnet;
    addresses.forEach((a, i) => {
      if (subnet) checkInSubnet(ctx, a, i === 0, lan!, subnet);
      if (lan === undefined) return; // loopback addresses (127.0.0.1, a DR VIP) may repeat across hosts
      const holder = taken.ips.get(a.value);
      if (holder) ctx.error(a.pos, `address ${a.ip} is already on ${holder}`);
      else taken.ips.set(a.value, `${where} (line ${a.pos.line})`);
    });
    if (mac) {
      const holder = taken.macs.get(mac);
      const pos = f.valuePos('mac');
      if (holder) ctx.error(pos, `MAC address ${mac} is already on ${holder}`);
      else taken.macs.set(mac, `${where} (line ${pos.line})`);
    }
    nics.push({ name: e.key, ...(lan ? { lan } : {}), addresses, ...(mac ? { mac } : {}), pos: f.pos });
  }
  return nics;
}

function checkInSubnet(ctx: ParseContext, a: CidrSpec, primary: boolean, lan: string, subnet: CidrSpec): void {
  const net = `LAN '${lan}' (${subnet.text})`;
  if (!inSubnet(a.value, subnet.value, subnet.prefix)) ctx.error(a.pos, `${a.text} is outside ${net}`);
  else if (subnet.prefix < 31 && a.value === subnet.value) ctx.error(a.pos, `${a.ip} is the network address of ${net}`);
  else if (subnet.prefix < 31 && a.value === broadcastOf(subnet.value, subnet.prefix)) {
    ctx.error(a.pos, `${a.ip} is the broadcast address of ${net}`);
  } else if (primary && a.prefix !== subnet.prefix) {
    ctx.error(a.pos, `${a.text} has prefix /${a.prefix} but ${net} is a /${subnet.prefix}`);
  }
}

function checkGateway(
  ctx: ParseContext,
  host: string,
  gateway: number,
  pos: SourcePos,
  nics: readonly NicSpec[],
  declared: Declared,
): void {
  const subnets = nics.flatMap((n) => {
    const lan = n.lan === undefined ? undefined : declared.lans.get(n.lan);
    return lan ? [lan] : [];
  });
  // A NIC with an invalid LAN already has its error; do not add a second one here.
  if (nics.some((n) => n.lan !== undefined && !declared.lans.get(n.lan))) return;
  if (subnets.some((l) => inSubnet(gateway, l.subnet.value, l.subnet.prefix))) return;
  const on = subnets.map((l) => `${l.name} ${l.subnet.text}`).join(', ');
  ctx.error(pos, `gateway ${formatIpv4(gateway)} is on none of ${host}'s LANs${on ? ` (${on})` : ''}`);
}

const parseSysctl: Read<SysctlSpec[]> = (ctx, node) => {
  const out: SysctlSpec[] = [];
  for (const e of ctx.map(node, "'sysctl'")?.entries ?? []) {
    if (!SYSCTL.test(e.key)) {
      ctx.error(e.keyPos, `bad sysctl name '${e.key}' (dotted, like net.ipv4.ip_forward)`);
      continue;
    }
    if (!e.value) {
      ctx.error(e.keyPos, `sysctl '${e.key}' needs a value`);
      continue;
    }
    const value = readText(ctx, e.value);
    if (value !== undefined) out.push({ name: e.key, value, pos: e.keyPos });
  }
  return out;
};

function parseFiles(ctx: ParseContext, node: YamlNode, readRelative: ReadRelative): FileSpec[] {
  const out: FileSpec[] = [];
  for (const e of ctx.map(node, "'files'")?.entries ?? []) {
    if (!/^(\/[^/\0]+)+$/.test(e.key) || e.key.split('/').some((s) => s === '.' || s === '..')) {
      ctx.error(e.keyPos, `'${e.key}' is not an absolute file path on the host (like /etc/keepalived/keepalived.conf)`);
      continue;
    }
    if (!e.value) {
      ctx.error(e.keyPos, `file '${e.key}' needs a source file or { content: … }`);
      continue;
    }
    const file = isScalar(e.value) ? fromSource(ctx, e.key, e.value, 0o644, readRelative) : inlineOrFrom(ctx, e, readRelative);
    if (file) out.push({ ...file, pos: e.keyPos });
  }
  return out;
}

function inlineOrFrom(ctx: ParseContext, e: Entry, readRelative: ReadRelative): Omit<FileSpec, 'pos'> | undefined {
  const f = ctx.map(e.value!, `file '${e.key}'`);
  if (!f) return undefined;
  f.allow(['content', 'from', 'mode']);
  const mode = f.optional('mode', readMode) ?? 0o644;
  if (f.has('content') === f.has('from')) {
    ctx.error(f.pos, `file '${e.key}' needs either 'content' or 'from'${f.has('from') ? ', not both' : ''}`);
    return undefined;
  }
  if (f.has('content')) {
    const content = f.optional('content', readText);
    return content === undefined ? undefined : { path: e.key, content, mode };
  }
  const from = f.entry('from')!;
  if (!from.value) {
    ctx.error(from.keyPos, "'from' needs a value");
    return undefined;
  }
  return fromSource(ctx, e.key, from.value, mode, readRelative);
}

function fromSource(
  ctx: ParseContext,
  path: string,
  node: YamlNode,
  mode: number,
  readRelative: ReadRelative,
): Omit<FileSpec, 'pos'> | undefined {
  const source = readNonEmpty(ctx, node);
  if (source === undefined) return undefined;
  if (source.startsWith('/')) {
    ctx.error(ctx.pos(node), `'${source}' must be a path relative to the scenario file`);
    return undefined;
  }
  const content = readRelative(source);
  if (content === undefined) {
    ctx.error(ctx.pos(node), `cannot read '${source}' (paths are relative to the scenario file)`);
    return undefined;
  }
  return { path, content, mode, source };
}

const readService = readOneOf<ServiceName>(SERVICE_NAMES, 'service');

const parseServices: Read<HostSpec['services']> = (ctx, node) => {
  const out: { name: ServiceName; pos: SourcePos }[] = [];
  for (const item of ctx.list(node, "'services'") ?? []) {
    const name = readService(ctx, item);
    if (name === undefined) continue;
    const pos = ctx.pos(item);
    if (out.some((s) => s.name === name)) ctx.error(pos, `service '${name}' is listed twice`);
    else out.push({ name, pos });
  }
  return out;
};

const parseClock: Read<ClockSpec> = (ctx, node) => {
  const f = ctx.map(node, "'clock'");
  if (!f) return undefined;
  f.allow(['offset', 'drift']);
  return { offset: f.optional('offset', readSignedDuration) ?? 0, driftPpm: f.optional('drift', readPpm) ?? 0 };
};
