import { formatIpv4, formatMac, isMulticast, networkOf, parseCidr, parseIpv4 } from '../../net/addr';
import { gratuitousArpFrame } from '../arp';
import { ICMP_ECHO_REQUEST } from '../../net/packets';
import { SECOND } from '../../sim/time';
import { formatInetLines } from '../addresses';
import type { Host } from '../host';
import type { CommandContext, CommandFn, Shell } from '../shell/shell';

declare module '../../sim/trace' {
  interface TraceEvents {
    ping: { host: string; dst: string; seq: number; ok: boolean; rtt?: number };
  }
}

/** iproute2 `ip addr show` text for one interface. */
export function ipAddrShow(host: Host, dev?: string): string {
  let out = '';
  for (const nic of host.nics.values()) {
    if (dev !== undefined && nic.name !== dev) continue;
    const flags = nic.isLoopback
      ? ['LOOPBACK', ...(nic.adminUp ? ['UP', 'LOWER_UP'] : [])]
      : [...(nic.adminUp && !nic.carrier ? ['NO-CARRIER'] : []), 'BROADCAST', 'MULTICAST', ...(nic.adminUp ? ['UP'] : []), ...(nic.running ? ['LOWER_UP'] : [])];
    const state = nic.isLoopback ? 'UNKNOWN' : nic.running ? 'UP' : 'DOWN';
    const mtu = nic.isLoopback ? 65536 : 1500;
    const qdisc = nic.isLoopback ? 'noqueue' : 'pfifo_fast';
    out += `${nic.index}: ${nic.name}: <${flags.join(',')}> mtu ${mtu} qdisc ${qdisc} state ${state} group default qlen 1000\n`;
    out += nic.isLoopback
      ? '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n'
      : `    link/ether ${formatMac(nic.mac)} brd ff:ff:ff:ff:ff:ff\n`;
    for (const a of host.addresses.of(nic.name)) out += formatInetLines(a);
  }
  return out;
}

function ipAddr(ctx: CommandContext<Host>, args: string[]): number {
  const host = ctx.host;
  const sub = args[0] ?? 'show';
  if (sub === 'show' || sub === 'list' || sub === 'ls') {
    const devIdx = args.indexOf('dev');
    const dev = devIdx >= 0 ? args[devIdx + 1] : args[1];
    if (dev !== undefined && !host.nic(dev)) {
      ctx.err(`Device "${dev}" does not exist.\n`);
      return 1;
    }
    ctx.out(ipAddrShow(host, dev));
    return 0;
  }
  if (sub === 'add' || sub === 'del' || sub === 'delete') {
    const cidr = parseCidr(args[1] ?? '');
    const opt = (k: string): string | undefined => {
      const i = args.indexOf(k);
      return i >= 0 ? args[i + 1] : undefined;
    };
    const dev = opt('dev');
    if (!cidr) {
      ctx.err(`Error: any valid prefix is expected rather than "${args[1] ?? ''}".\n`);
      return 1;
    }
    if (dev === undefined || !host.nic(dev)) {
      ctx.err(dev === undefined ? 'Not enough information: "dev" argument is required.\n' : `Cannot find device "${dev}"\n`);
      return 1;
    }
    const err =
      sub === 'add'
        ? host.addAddress({
            dev,
            ip: cidr.ip,
            prefix: cidr.prefix,
            ...(opt('brd') !== undefined && { broadcast: opt('brd') === '+' ? '+' : parseIpv4(opt('brd')!) }),
            ...(opt('label') !== undefined && { label: opt('label') }),
            ...(opt('scope') !== undefined && { scope: opt('scope') as 'global' | 'link' | 'host' }),
          })
        : host.delAddress(dev, cidr.ip, args[1]!.includes('/') ? cidr.prefix : undefined);
    if (err) {
      ctx.err(err + '\n');
      return 2;
    }
    return 0;
  }
  ctx.err(`Command "${sub}" is unknown, try "ip address help".\n`);
  return 1;
}

/**
 * `ip route [show]`, and `ip route add|del PREFIX [via GW] [dev DEV]` for static routes (`default` is
 * 0.0.0.0/0), with iproute2's messages and exit codes.
 */
function ipRoute(ctx: CommandContext<Host>, args: string[]): number {
  const host = ctx.host;
  const [verb, target, ...rest] = args;
  if (verb === undefined || verb === 'show' || verb === 'list' || verb === 'ls') {
    ctx.out(host.routes.format());
    return 0;
  }
  if (verb !== 'add' && verb !== 'del' && verb !== 'delete') {
    ctx.err(`Command "${verb}" is unknown, try "ip route help".\n`);
    return 255;
  }
  const cidr = target === 'default' ? { ip: 0, prefix: 0 } : parseCidr(target ?? '');
  if (!cidr) {
    ctx.err(`Error: any valid prefix is expected rather than "${target ?? ''}".\n`);
    return 1;
  }
  if (networkOf(cidr) !== cidr.ip) {
    ctx.err('Error: Invalid prefix for given prefix length.\n');
    return 2;
  }
  if (verb !== 'add') {
    if (host.routes.delStatic(cidr.ip, cidr.prefix)) return 0;
    ctx.err('RTNETLINK answers: No such process\n');
    return 2;
  }
  let via: number | undefined;
  let dev: string | undefined;
  for (let i = 0; i < rest.length; i += 2) {
    const value = rest[i + 1];
    if (rest[i] === 'via' && value !== undefined && (via = parseIpv4(value)) !== undefined) continue;
    if (rest[i] === 'dev' && value !== undefined && host.nic(value)) {
      dev = value;
      continue;
    }
    if (rest[i] === 'dev' && value !== undefined) ctx.err(`Cannot find device "${value}"\n`);
    else ctx.err(`Error: either "to" is duplicate, or "${rest[i]}" is a garbage.\n`);
    return rest[i] === 'dev' ? 1 : 255;
  }
  if (via !== undefined) {
    // the gateway must be on a connected network (of `dev`, when one is named)
    const route = host.routes.lookup(via);
    if (!route || route.via !== undefined || (dev !== undefined && route.dev !== dev)) {
      ctx.err('Error: Nexthop has invalid gateway.\n');
      return 2;
    }
    dev = route.dev;
  }
  if (dev === undefined) {
    ctx.err('RTNETLINK answers: No such device\n');
    return 2;
  }
  if (host.routes.hasStatic(cidr.ip, cidr.prefix)) {
    ctx.err('RTNETLINK answers: File exists\n');
    return 2;
  }
  host.routes.addStatic(via === undefined ? { dst: cidr.ip, prefix: cidr.prefix, dev } : { dst: cidr.ip, prefix: cidr.prefix, dev, via });
  return 0;
}

const ip: CommandFn<Host> = (ctx) => {
  const [obj, ...args] = ctx.argv.slice(1);
  const host = ctx.host;
  switch (obj) {
    case 'a':
    case 'addr':
    case 'address':
      return ipAddr(ctx, args);
    case 'r':
    case 'route':
      return ipRoute(ctx, args);
    case 'n':
    case 'neigh':
    case 'neighbour':
      for (const nic of host.nics.values()) for (const l of nic.neighbours.format()) ctx.out(l + '\n');
      return 0;
    case 'l':
    case 'link':
      if (args[0] === 'set' && args[1] && (args[2] === 'up' || args[2] === 'down')) {
        const nic = host.nic(args[1]);
        if (!nic) {
          ctx.err(`Cannot find device "${args[1]}"\n`);
          return 1;
        }
        const wasRunning = nic.running;
        nic.adminUp = args[2] === 'up';
        if (wasRunning !== nic.running) host.carrierChanged(nic, nic.running);
        return 0;
      }
      ctx.out(ipAddrShow(host).split('\n').filter((l) => !l.startsWith('    inet') && !l.startsWith('       valid')).join('\n'));
      return 0;
    default:
      ctx.err(`Object "${obj ?? ''}" is unknown, try "ip help".\n`);
      return 255;
  }
};

const sysctl: CommandFn<Host> = (ctx) => {
  const args = ctx.argv.slice(1);
  const valueOnly = args.includes('-n');
  const operands = args.filter((a) => !a.startsWith('-'));
  if (args.includes('-p')) {
    const file = operands[0] ?? '/etc/sysctl.conf';
    const text = ctx.host.vfs.readText(file);
    if (text === undefined) {
      ctx.err(`sysctl: cannot open "${file}": No such file or directory\n`);
      return 255;
    }
    for (const line of text.split('\n')) {
      const m = /^\s*([\w.]+)\s*=\s*(\S+)/.exec(line);
      if (!m) continue;
      ctx.host.sysctl.set(m[1]!, m[2]!);
      ctx.out(`${m[1]} = ${m[2]}\n`);
    }
    return 0;
  }
  let code = 0;
  for (const op of operands) {
    const eq = op.indexOf('=');
    if (eq > 0) {
      const key = op.slice(0, eq).replace(/\//g, '.');
      ctx.host.sysctl.set(key, op.slice(eq + 1));
      ctx.out(`${key} = ${op.slice(eq + 1)}\n`);
    } else {
      const key = op.replace(/\//g, '.');
      const v = ctx.host.sysctl.get(key) ?? (key.startsWith('net.ipv4.conf.') ? '0' : undefined);
      if (v === undefined) {
        ctx.err(`sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory\n`);
        code = 255;
      } else ctx.out(valueOnly ? `${v}\n` : `${key} = ${v}\n`);
    }
  }
  return code;
};

/** iputils ping: -c count, -i interval, -W timeout (s); prints the replies and the summary. */
const ping: CommandFn<Host> = (ctx, done) => {
  const args = ctx.argv.slice(1);
  let count = 4;
  let interval = SECOND;
  let timeout = 10 * SECOND;
  let target: string | undefined;
  let dev: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-I') dev = args[++i];
    else if (a === '-c') count = Number(args[++i]);
    else if (a === '-i') interval = Math.round(Number(args[++i]) * SECOND);
    else if (a === '-W') timeout = Math.round(Number(args[++i]) * SECOND);
    else target = a;
  }
  const dst = parseIpv4(target ?? '');
  if (dst === undefined) {
    ctx.err(`ping: ${target ?? ''}: Name or service not known\n`);
    return 2;
  }
  const host = ctx.host;
  const sim = host.sim;
  const sent = new Map<number, number>();
  const answered = new Set<number>();
  let received = 0;
  let transmitted = 0;
  let finished = false;
  const echo = host.icmp.openEcho((from, msg, ttl) => {
    const at = sent.get(msg.seq);
    const group = isMulticast(dst);
    if (at === undefined || (from !== dst && !group)) return;
    // A group ping takes every member's answer; the first one counts for the statistics.
    if (group && answered.has(msg.seq)) {
      ctx.out(`64 bytes from ${formatIpv4(from)}: icmp_seq=${msg.seq} ttl=${ttl} time=${((sim.now - at) / 1000).toFixed(3)} ms (DUP!)\n`);
      return;
    }
    answered.add(msg.seq);
    if (!group) sent.delete(msg.seq);
    received++;
    const rtt = sim.now - at;
    sim.trace.emit('ping', { host: host.name, dst: target!, seq: msg.seq, ok: true, rtt });
    ctx.out(`64 bytes from ${formatIpv4(from)}: icmp_seq=${msg.seq} ttl=${ttl} time=${(rtt / 1000).toFixed(3)} ms\n`);
    if (received + lostCount() === count) finish();
  });
  let lost = 0;
  const lostCount = (): number => lost;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    echo.close();
    const pct = Math.round(((transmitted - received) / Math.max(1, transmitted)) * 100);
    ctx.out(`\n--- ${target} ping statistics ---\n${transmitted} packets transmitted, ${received} received, ${pct}% packet loss\n`);
    done(received > 0 ? 0 : 1);
  };
  ctx.out(`PING ${target} (${target}) 56(84) bytes of data.\n`);
  const payload = new Uint8Array(56);
  const sendOne = (seq: number): void => {
    if (finished) return;
    transmitted++;
    sent.set(seq, sim.now);
    host.ip.send(
      { dst, ...(dev !== undefined && { dev }), payload: { kind: 'icmp', type: ICMP_ECHO_REQUEST, code: 0, id: echo.id, seq, data: payload } },
      (e) => {
        if (e === 'EHOSTUNREACH') return ctx.out(`From ${target} icmp_seq=${seq} Destination Host Unreachable\n`);
        // No route at all: iputils gives up at once.
        finished = true;
        echo.close();
        ctx.err('ping: connect: Network is unreachable\n');
        done(2);
      },
    );
    host.timer(timeout, () => {
      const wasAnswered = answered.has(seq);
      sent.delete(seq);
      if (wasAnswered || finished) return;
      lost++;
      sim.trace.emit('ping', { host: host.name, dst: target!, seq, ok: false });
      if (received + lost === count) finish();
    });
    if (seq < count) host.timer(interval, () => sendOne(seq + 1));
  };
  sendOne(1);
  return undefined;
};

/** iputils arping -U (unsolicited, a gratuitous ARP) or -A, from an address of the interface: `arping -U -c 1 -I eth0 IP`. */
const arping: CommandFn<Host> = (ctx) => {
  const args = ctx.argv.slice(1);
  let dev: string | undefined;
  let count = 1;
  let target: string | undefined;
  let unsolicited = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-I') dev = args[++i];
    else if (a === '-c') count = Number(args[++i]);
    else if (a === '-U' || a === '-A') unsolicited = true;
    else target = a;
  }
  const ip = parseIpv4(target ?? '');
  const nic = dev !== undefined ? ctx.host.nic(dev) : undefined;
  if (ip === undefined || !nic) {
    ctx.err(`arping: ${ip === undefined ? `unknown host ${target ?? ''}` : `Device ${dev ?? ''} not available.`}\n`);
    return 2;
  }
  if (!unsolicited) {
    ctx.err('arping: only -U/-A (gratuitous ARP) is simulated; use ping to resolve a neighbour\n');
    return 2;
  }
  ctx.out(`ARPING ${target} from ${target} ${dev}\n`);
  for (let i = 0; i < count; i++) ctx.host.sendFrame(nic.name, gratuitousArpFrame(nic.mac, ip));
  ctx.out(`Sent ${count} probes (${count} broadcast(s))\nReceived 0 response(s)\n`);
  return 0;
};

export function registerNetCommands(shell: Shell<Host>): void {
  shell.register('ip', ip);
  shell.register('sysctl', sysctl);
  shell.register('ping', ping);
  shell.register('arping', arping);
}
