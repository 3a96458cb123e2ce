import { describe, expect, it } from 'vitest';
import { world } from '../helpers';

/** Messages and exit codes as iproute2 6.1 on Linux 6.x gave them, in a network namespace with a veth pair. */
describe('ip route', () => {
  const setup = () => {
    const w = world();
    const h = w.host('proxy', { eth0: { lan: 'ext', ip: '10.0.0.1/24' }, eth1: { lan: 'int', ip: '192.168.23.100/24' } });
    const sh = (line: string) => {
      const out = w.run(h, line);
      w.sim.runUntil(w.sim.now + 1000);
      return out()!;
    };
    return { h, sh };
  };

  it('adds and deletes static routes through a gateway or onto a device, listed in the kernel order', () => {
    const { sh } = setup();
    expect(sh('ip route add 10.9.0.0/24 via 10.0.0.2').code).toBe(0);
    expect(sh('ip route add 10.4.0.0/24 dev eth0').code).toBe(0);
    expect(sh('ip route add default via 192.168.23.1').code).toBe(0);
    expect(sh('ip route').stdout).toBe(
      'default via 192.168.23.1 dev eth1 \n' +
        '10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1 \n' +
        '10.4.0.0/24 dev eth0 scope link \n' +
        '10.9.0.0/24 via 10.0.0.2 dev eth0 \n' +
        '192.168.23.0/24 dev eth1 proto kernel scope link src 192.168.23.100 \n',
    );
    expect(sh('ip route del 10.9.0.0/24').code).toBe(0);
    expect(sh('ip route show').stdout).not.toContain('10.9.0.0');
  });

  it('refuses what the kernel refuses, with its messages and exit codes', () => {
    const { sh } = setup();
    sh('ip route add 10.9.0.0/24 via 10.0.0.2');
    const cases: [string, string, number][] = [
      ['ip route add 10.9.0.0/24 via 10.0.0.2', 'RTNETLINK answers: File exists\n', 2],
      ['ip route add 10.8.0.0/24 via 10.0.0.2 dev eth1', 'Error: Nexthop has invalid gateway.\n', 2],
      ['ip route add 10.8.0.0/24 via 172.16.0.1', 'Error: Nexthop has invalid gateway.\n', 2],
      ['ip route add 10.3.0.0/24 via 10.9.0.5', 'Error: Nexthop has invalid gateway.\n', 2],
      ['ip route add 10.7.0.1/24 via 10.0.0.2', 'Error: Invalid prefix for given prefix length.\n', 2],
      ['ip route add bogus via 10.0.0.2', 'Error: any valid prefix is expected rather than "bogus".\n', 1],
      ['ip route add 10.6.0.0/24 dev nosuch', 'Cannot find device "nosuch"\n', 1],
      ['ip route add 10.6.0.0/24 foo bar', 'Error: either "to" is duplicate, or "foo" is a garbage.\n', 255],
      ['ip route add 10.6.0.0/24', 'RTNETLINK answers: No such device\n', 2],
      ['ip route del 10.5.0.0/24', 'RTNETLINK answers: No such process\n', 2],
      ['ip route frob', 'Command "frob" is unknown, try "ip route help".\n', 255],
    ];
    for (const [line, stderr, code] of cases) expect({ line, ...sh(line) }).toEqual({ line, code, stdout: '', stderr });
  });
});
