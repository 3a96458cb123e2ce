import { Simulator } from '../../src/sim/simulator';
import { MemorySink } from '../../src/sim/trace';
import { Lan } from '../../src/net/lan';
import { ipv4, parseCidr } from '../../src/net/addr';
import { Host } from '../../src/host/host';

/** A small world for host tests: hosts with one NIC each on named LANs. */
export function world(seed = 1) {
  const sim = new Simulator({ seed });
  const mem = new MemorySink();
  sim.trace.attach(mem);
  const lans = new Map<string, Lan>();
  let macSeq = 0x525400000001;
  const host = (name: string, nics: Record<string, { lan: string; ip: string }>, gateway?: string): Host => {
    const h = new Host(sim, name, { epochMs: Date.UTC(2022, 10, 25) });
    for (const [dev, n] of Object.entries(nics)) {
      let lan = lans.get(n.lan);
      if (!lan) lans.set(n.lan, (lan = new Lan(sim, n.lan)));
      h.addNic(dev, macSeq++);
      h.plug(dev, lan);
      const c = parseCidr(n.ip)!;
      h.addAddress({ dev, ip: c.ip, prefix: c.prefix, broadcast: '+' });
    }
    if (gateway) h.run(`ip route add default via ${gateway}`);
    return h;
  };
  const run = (h: Host, line: string) => {
    let result: { code: number; stdout: string; stderr: string } | undefined;
    h.run(line, (r) => (result = r));
    return () => result;
  };
  return { sim, mem, lans, host, run, ip: ipv4 };
}
