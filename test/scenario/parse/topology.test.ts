import { describe, expect, it } from 'vitest';
import { errors, spec } from './helpers';

describe('LANs', () => {
  it('reads durations and loss, with defaults', () => {
    const s = spec('duration: 1s', 'lans:', '  a: { subnet: 10.0.0.0/8, latency: 2ms, jitter: 150us, loss: 0 }', '  b: { subnet: 11.0.0.0/8 }');
    expect(s.lans.map((l) => [l.name, l.latency, l.jitter, l.loss])).toEqual([
      ['a', 2000, 150, 0],
      ['b', 100, 0, 0],
    ]);
  });

  it('reports bad subnets at the value', () => {
    expect(
      errors(
        'duration: 1s',
        'lans:',
        '  a: { subnet: 172.16.23.300/24 }',
        '  b: { subnet: 172.16.23.0 }',
        '  c: { subnet: 192.168.23.5/24 }',
        '  d: { subnet: 10.0.0.0/8 }',
        '  e: { subnet: 10.20.0.0/16 }',
      ),
    ).toEqual([
      "s.yaml:3:16: bad IPv4 address/prefix '172.16.23.300/24': 300 is more than 255",
      "s.yaml:4:16: bad IPv4 address/prefix '172.16.23.0': a prefix length is needed, like /24",
      's.yaml:5:16: subnet 192.168.23.5/24 has host bits set; did you mean 192.168.23.0/24?',
      "s.yaml:7:16: subnet 10.20.0.0/16 overlaps LAN 'd' (10.0.0.0/8)",
    ]);
  });

  it('reports a missing subnet at the LAN, other mistakes at their values or keys', () => {
    expect(
      errors(
        'duration: 1s',
        'lans:',
        '  a: { latency: 1 }',
        '  b: { subnet: 10.0.0.0/8, loss: 1.5, jiter: 1ms }',
        '  c:',
        '  9x: { subnet: 11.0.0.0/8 }',
      ),
    ).toEqual([
      "s.yaml:3:6: LAN 'a' needs 'subnet'",
      "s.yaml:3:17: '1' needs a unit (like 250ms, 3.613s or 2m)",
      's.yaml:4:34: expected a probability between 0 and 1, not the number 1.5',
      "s.yaml:4:39: unknown key 'jiter'; did you mean 'jitter'?",
      "s.yaml:5:3: LAN 'c' needs a subnet",
      "s.yaml:6:3: bad LAN name '9x': use letters, digits, '_' and '-', starting with a letter",
    ]);
  });
});

const LANS = ['duration: 1s', 'lans:', '  ext: { subnet: 172.16.23.0/24 }', '  int: { subnet: 192.168.23.0/24 }', 'hosts:'];

describe('NICs', () => {
  it('reads one address or a list, and lo without a LAN', () => {
    const s = spec(...LANS, '  a:', '    nics:', '      eth0: { lan: ext, ip: [172.16.23.5/24, 172.16.23.80/32] }', '      lo: { ip: 127.0.0.1/8 }', '      eth1: { lan: int }');
    expect(s.hosts[0]!.nics.map((n) => [n.name, n.lan, n.addresses.map((a) => a.text)])).toEqual([
      ['eth0', 'ext', ['172.16.23.5/24', '172.16.23.80/32']],
      ['lo', undefined, ['127.0.0.1/8']],
      ['eth1', 'int', []],
    ]);
  });

  it('reports unknown and missing LANs, and a LAN on lo', () => {
    expect(
      errors(
        ...LANS,
        '  a:',
        '    nics:',
        '      eth0: { lan: extt, ip: 172.16.23.5/24 }',
        '      eth1: { ip: 192.168.23.5/24 }',
        '      lo: { lan: ext }',
        '      eth2: { lan: dmz }',
      ),
    ).toEqual([
      "s.yaml:8:20: unknown LAN 'extt'; did you mean 'ext'?",
      "s.yaml:9:13: NIC 'eth1' of host 'a' needs 'lan'",
      "s.yaml:10:13: 'lo' is the loopback interface; it is on no LAN",
      "s.yaml:11:20: unknown LAN 'dmz'; LANs are: ext, int",
    ]);
  });

  it('reports addresses outside the subnet, network and broadcast addresses, a different prefix', () => {
    expect(
      errors(
        ...LANS,
        '  a:',
        '    nics:',
        '      eth0: { lan: ext, ip: 172.16.24.100/24 }',
        '      eth1: { lan: int, ip: [192.168.23.0/24, 192.168.23.255/24] }',
        '  b: { nics: { eth0: { lan: ext, ip: 172.16.23.7/16 } } }',
        '  c: { nics: { eth0: { lan: ext, ip: 172.16.23.300/24 } } }',
      ),
    ).toEqual([
      "s.yaml:8:29: 172.16.24.100/24 is outside LAN 'ext' (172.16.23.0/24)",
      "s.yaml:9:30: 192.168.23.0 is the network address of LAN 'int' (192.168.23.0/24)",
      "s.yaml:9:47: 192.168.23.255 is the broadcast address of LAN 'int' (192.168.23.0/24)",
      "s.yaml:10:38: 172.16.23.7/16 has prefix /16 but LAN 'ext' (172.16.23.0/24) is a /24",
      "s.yaml:11:38: bad IPv4 address/prefix '172.16.23.300/24': 300 is more than 255",
    ]);
  });

  it('reports duplicate addresses and MACs against the first holder, but not loopback ones', () => {
    expect(
      errors(
        ...LANS,
        '  a: { nics: { eth0: { lan: ext, ip: 172.16.23.5/24, mac: "52:54:00:00:00:01" }, lo: { ip: 172.16.23.80/32 } } }',
        '  b: { nics: { eth0: { lan: ext, ip: 172.16.23.5/24, mac: "52:54:00:00:00:01" }, lo: { ip: 172.16.23.80/32 } } }',
      ),
    ).toEqual([
      's.yaml:7:38: address 172.16.23.5 is already on a eth0 (line 6)',
      's.yaml:7:59: MAC address 52:54:00:00:00:01 is already on a eth0 (line 6)',
    ]);
  });

  it('reports bad MACs and interface names', () => {
    expect(
      errors(
        ...LANS,
        '  a:',
        '    nics:',
        '      eth0: { lan: ext, mac: "52:54:00:00:01" }',
        '      eth1: { lan: int, mac: "01:00:5e:00:00:01" }',
        '      a-very-long-interface: { lan: int }',
      ),
    ).toEqual([
      "s.yaml:8:30: bad MAC address '52:54:00:00:01' (like 52:54:00:00:00:01)",
      "s.yaml:9:30: MAC address '01:00:5e:00:00:01' is multicast; a NIC needs a unicast one",
      "s.yaml:10:7: bad interface name 'a-very-long-interface' (letters, digits, '_', '-', '.', at most 15 characters)",
    ]);
  });

  it('lower-cases MACs', () => {
    expect(spec(...LANS, '  a: { nics: { eth0: { lan: ext, mac: "52:54:00:AB:00:01" } } }').hosts[0]!.nics[0]!.mac).toBe(
      '52:54:00:ab:00:01',
    );
  });
});

describe('host settings', () => {
  it('needs the gateway on one of the host LANs', () => {
    expect(
      errors(...LANS, '  a: { nics: { eth0: { lan: ext, ip: 172.16.23.5/24 } }, gateway: 192.168.23.1 }', '  b: { gateway: 1.2.3.4 }'),
    ).toEqual([
      "s.yaml:6:67: gateway 192.168.23.1 is on none of a's LANs (ext 172.16.23.0/24)",
      "s.yaml:7:17: gateway 1.2.3.4 is on none of b's LANs",
    ]);
  });

  it('reads sysctl values as text and checks names', () => {
    const s = spec(...LANS, '  a: { sysctl: { net.ipv4.ip_forward: 1, net.ipv4.conf.all.rp_filter: "0" } }');
    expect(s.hosts[0]!.sysctl.map((x) => [x.name, x.value])).toEqual([
      ['net.ipv4.ip_forward', '1'],
      ['net.ipv4.conf.all.rp_filter', '0'],
    ]);
    expect(errors(...LANS, '  a: { sysctl: { ip_forward: 1, net.ipv4.x: } }')).toEqual([
      "s.yaml:6:18: bad sysctl name 'ip_forward' (dotted, like net.ipv4.ip_forward)",
      "s.yaml:6:33: sysctl 'net.ipv4.x' needs a value",
    ]);
  });

  it('reads services in order and rejects unknown or repeated ones', () => {
    expect(spec(...LANS, '  a: { services: [nginx, keepalived, ntpd] }').hosts[0]!.services.map((x) => x.name)).toEqual([
      'nginx',
      'keepalived',
      'ntpd',
    ]);
    expect(errors(...LANS, '  a: { services: [keepalived, ngnix, keepalived, httpd] }')).toEqual([
      "s.yaml:6:31: unknown service 'ngnix'; did you mean 'nginx'?",
      "s.yaml:6:38: service 'keepalived' is listed twice",
      "s.yaml:6:50: unknown service 'httpd'; expected one of: keepalived, nginx, ntpd",
    ]);
  });

  it('reads the clock and reports bad offsets and drifts', () => {
    expect(spec(...LANS, '  a: { clock: { offset: 250ms, drift: -3.5ppm } }').hosts[0]!.clock).toEqual({
      offset: 250_000,
      driftPpm: -3.5,
    });
    expect(errors(...LANS, '  a: { clock: { offset: 1.5, drift: 20 } }')).toEqual([
      "s.yaml:6:25: '1.5' is not a duration (like 250ms, 3.613s or 2m, optionally signed)",
      "s.yaml:6:37: '20' is not a drift (like 20ppm or -3.5ppm)",
    ]);
  });

  it('reports unknown host keys, bad host names and hosts without a body', () => {
    expect(errors(...LANS, '  a: { nic: {} }', '  b.c: {}', '  d:')).toEqual([
      "s.yaml:6:8: unknown key 'nic'; did you mean 'nics'?",
      "s.yaml:7:3: bad host name 'b.c': use letters, digits, '_' and '-', starting with a letter",
      "s.yaml:8:3: host 'd' needs a value (at least its nics)",
    ]);
  });
});

describe('files', () => {
  it('reads relative files, inline content and modes', () => {
    const s = spec(
      ...LANS,
      '  a:',
      '    files:',
      '      /etc/keepalived/keepalived.conf: proxy1/keepalived.conf',
      '      /etc/a: { content: "x\\n", mode: 0600 }',
      '      /etc/b: { from: proxy1/notify.sh, mode: 0o750 }',
      '      /etc/c: { content: "" }',
    );
    expect(s.hosts[0]!.files.map((f) => [f.path, f.content, f.mode.toString(8), f.source])).toEqual([
      ['/etc/keepalived/keepalived.conf', 'vrrp_instance VI_PROXY_HA {\n}\n', '644', 'proxy1/keepalived.conf'],
      ['/etc/a', 'x\n', '600', undefined],
      ['/etc/b', '#!/bin/bash\nsystemctl start nginx\n', '750', 'proxy1/notify.sh'],
      ['/etc/c', '', '644', undefined],
    ]);
  });

  it('reports a missing relative file at its name', () => {
    expect(errors(...LANS, '  a:', '    files:', '      /etc/keepalived/keepalived.conf: proxy2/keepalived.conf')).toEqual([
      "s.yaml:8:40: cannot read 'proxy2/keepalived.conf' (paths are relative to the scenario file)",
    ]);
    expect(errors(...LANS, '  a:', '    files:', '      /etc/x: { from: nope.sh, mode: "0755" }')).toEqual([
      "s.yaml:8:23: cannot read 'nope.sh' (paths are relative to the scenario file)",
    ]);
  });

  it('reports bad host paths, sources and modes', () => {
    expect(
      errors(
        ...LANS,
        '  a:',
        '    files:',
        '      etc/x: { content: a }',
        '      /etc/../x: { content: a }',
        '      /etc/y: { content: a, from: b }',
        '      /etc/z: { mode: "0644" }',
        '      /etc/w: { from: /etc/passwd, mode: 999 }',
        '      /etc/v:',
      ),
    ).toEqual([
      "s.yaml:8:7: 'etc/x' is not an absolute file path on the host (like /etc/keepalived/keepalived.conf)",
      "s.yaml:9:7: '/etc/../x' is not an absolute file path on the host (like /etc/keepalived/keepalived.conf)",
      "s.yaml:10:15: file '/etc/y' needs either 'content' or 'from', not both",
      "s.yaml:11:15: file '/etc/z' needs either 'content' or 'from'",
      "s.yaml:12:23: '/etc/passwd' must be a path relative to the scenario file",
      's.yaml:12:42: \'999\' is not a file mode (octal, like "0755")',
      "s.yaml:13:7: file '/etc/v' needs a source file or { content: … }",
    ]);
  });

  it('treats every named file as missing without a reader', async () => {
    const { parseScenario } = await import('../../../src/scenario/parse');
    const r = parseScenario(['duration: 1s', 'hosts:', '  a: { files: { /etc/x: x.conf } }'].join('\n'), 's.yaml');
    expect(r.diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`)).toEqual([
      "3:25: cannot read 'x.conf' (paths are relative to the scenario file)",
    ]);
  });
});
