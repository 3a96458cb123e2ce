import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/sim/time';
import { runIpvsadm } from '../../../src/kernel/ipvs/ipvsadm/command';
import { Ipvs } from '../../../src/kernel/ipvs/ipvs';
import { tcp } from './helpers';

function sh(ipvs: Ipvs, line: string, now = 0) {
  return runIpvsadm(ipvs, line.split(/\s+/).filter(Boolean), now);
}

function lab(): Ipvs {
  const ipvs = new Ipvs(0);
  for (const l of [
    '-A -t 10.0.0.100:80 -s wlc',
    '-a -t 10.0.0.100:80 -r 192.168.1.22:80 -m -w 0',
    '-a -t 10.0.0.100:80 -r 192.168.1.21:80 -m',
    '-A -t 10.0.0.100:443 -s rr -p',
    '-a -t 10.0.0.100:443 -r 192.168.1.21 -g',
    '-A -t 10.0.0.101:80 -s wrr -p 300 -M 255.255.255.0',
    '-a -t 10.0.0.101:80 -r 10.1.0.5 -i -w 3',
    '-A -u 10.0.0.100:53 -s rr',
    '-A -f 1 -s sh -b sh-fallback,sh-port',
  ]) {
    expect(sh(ipvs, l)).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  }
  return ipvs;
}

describe('ipvsadm -L -n', () => {
  it('prints the table sorted by protocol, address and port, dests by address, with trailing spaces', () => {
    const out = sh(lab(), '-L -n').stdout;
    expect(out).toBe(
      [
        'IP Virtual Server version 1.2.1 (size=4096)',
        'Prot LocalAddress:Port Scheduler Flags',
        '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
        'TCP  10.0.0.100:80 wlc',
        '  -> 192.168.1.21:80              Masq    1      0          0         ',
        '  -> 192.168.1.22:80              Masq    0      0          0         ',
        'TCP  10.0.0.100:443 rr persistent 360',
        '  -> 192.168.1.21:443             Route   1      0          0         ',
        'TCP  10.0.0.101:80 wrr persistent 300 mask 255.255.255.0',
        '  -> 10.1.0.5:80                  Tunnel  3      0          0         ',
        'UDP  10.0.0.100:53 rr',
        'FWM  1 sh (sh-fallback,sh-port)',
        '',
      ].join('\n'),
    );
  });

  it('-Ln clusters; without -n ports get /etc/services names', () => {
    const ipvs = lab();
    expect(sh(ipvs, '-Ln').stdout).toBe(sh(ipvs, '-L -n').stdout);
    expect(sh(ipvs, '-L').stdout).toContain('TCP  10.0.0.100:http wlc\n  -> 192.168.1.21:http            Masq');
    expect(sh(ipvs, '').stdout).toBe(sh(ipvs, '-L').stdout);
  });

  it('counts connections in ActiveConn / InActConn', () => {
    const ipvs = lab();
    ipvs.inbound(tcp('172.16.0.1', 40000, { syn: true }), SECOND);
    ipvs.inbound(tcp('172.16.0.2', 40001, { syn: true }), SECOND);
    ipvs.inbound(tcp('172.16.0.2', 40001, { fin: true }), SECOND);
    expect(sh(ipvs, '-L -n -t 10.0.0.100:80', SECOND).stdout).toBe(
      [
        'Prot LocalAddress:Port Scheduler Flags',
        '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
        'TCP  10.0.0.100:80 wlc',
        '  -> 192.168.1.21:80              Masq    1      1          1         ',
        '  -> 192.168.1.22:80              Masq    0      0          0         ',
        '',
      ].join('\n'),
    );
  });
});

describe('ipvsadm --stats / --rate / --thresholds / --persistent-conn', () => {
  it('prints 9-wide right-aligned counters', () => {
    const ipvs = lab();
    ipvs.inbound(tcp('172.16.0.1', 40000, { syn: true }), SECOND);
    ipvs.outbound({ ...tcp('192.168.1.21', 80, { syn: true, ack: true }, '172.16.0.1', 40000), length: 1500 }, SECOND);
    const out = sh(ipvs, '-L -n --stats -t 10.0.0.100:80', 2 * SECOND).stdout;
    expect(out).toBe(
      [
        'Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes',
        '  -> RemoteAddress:Port',
        'TCP  10.0.0.100:80                       1        1        1       60     1500',
        '  -> 192.168.1.21:80                     1        1        1       60     1500',
        '  -> 192.168.1.22:80                     0        0        0        0        0',
        '',
      ].join('\n'),
    );
  });

  it('estimates rates every 2 s with the kernel fixed point', () => {
    const ipvs = new Ipvs(0);
    sh(ipvs, '-A -t 10.0.0.100:80 -s rr');
    sh(ipvs, '-a -t 10.0.0.100:80 -r 192.168.1.21 -m');
    // 10 connections in the first 2 s (5/s): the first step moves the average a quarter of the way,
    // 1.25/s, which the fixed point rounds to 1; 600 bytes → 75 B/s.
    for (let i = 0; i < 10; i++) ipvs.inbound(tcp('172.16.0.1', 40000 + i, { syn: true }), SECOND);
    const out = sh(ipvs, '-L -n --rate', 2 * SECOND).stdout.split('\n');
    expect(out[1]).toBe('Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS');
    expect(out[3]).toBe('TCP  10.0.0.100:80                       1        1        0       75        0');
    expect(out[4]).toBe('  -> 192.168.1.21:80                     1        1        0       75        0');
    // Quiet afterwards: the average decays by a quarter per step.
    expect(sh(ipvs, '-L -n --rate', 20 * SECOND).stdout.split('\n')[3]).toBe(
      'TCP  10.0.0.100:80                       0        0        0        6        0',
    );
  });

  it('scales large numbers unless --exact', () => {
    const ipvs = new Ipvs(0);
    sh(ipvs, '-A -t 10.0.0.100:80 -s rr');
    ipvs.getService({ protocol: 'TCP', addr: '10.0.0.100', port: 80 })!.stats.live.inbytes = 123456789012;
    // The totals ipvsadm reads are refreshed by the 2-second estimator only.
    expect(sh(ipvs, '-L -n --stats', SECOND).stdout.split('\n')[3]).toBe(
      'TCP  10.0.0.100:80                       0        0        0        0        0',
    );
    expect(sh(ipvs, '-L -n --stats', 2 * SECOND).stdout.split('\n')[3]).toBe(
      'TCP  10.0.0.100:80                       0        0        0     123G        0',
    );
    expect(sh(ipvs, '-L -n --stats --exact', 2 * SECOND).stdout.split('\n')[3]).toBe(
      'TCP  10.0.0.100:80                       0        0        0 123456789012        0',
    );
  });

  it('thresholds and persistent-conn columns', () => {
    const ipvs = new Ipvs(0);
    sh(ipvs, '-A -t 10.0.0.100:80 -s rr -p 60');
    sh(ipvs, '-a -t 10.0.0.100:80 -r 192.168.1.21 -m -x 100 -y 50');
    ipvs.inbound(tcp('172.16.0.1', 40000, { syn: true }), 0);
    expect(sh(ipvs, '-L -n --thresholds').stdout.split('\n').slice(1)).toEqual([
      'Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn ',
      '  -> RemoteAddress:Port',
      'TCP  10.0.0.100:80 rr persistent 60',
      '  -> 192.168.1.21:80              100        50         1          0         ',
      '',
    ]);
    expect(sh(ipvs, '-L -n --persistent-conn').stdout.split('\n').slice(1)).toEqual([
      'Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn ',
      '  -> RemoteAddress:Port',
      'TCP  10.0.0.100:80 rr persistent 60',
      '  -> 192.168.1.21:80              1         1           1          0         ',
      '',
    ]);
  });
});

describe('ipvsadm -L -n -c', () => {
  it('lists entries with mm:ss expiry, templates with port 0', () => {
    const ipvs = new Ipvs(0);
    sh(ipvs, '-A -t 10.0.0.100:443 -s rr -p');
    sh(ipvs, '-a -t 10.0.0.100:443 -r 192.168.1.21 -m');
    ipvs.inbound(tcp('10.0.0.5', 51324, { syn: true }, '10.0.0.100', 443), 0);
    ipvs.inbound(tcp('10.0.0.5', 51324, { ack: true }, '10.0.0.100', 443), 0);
    expect(sh(ipvs, '-L -n -c', 3500000).stdout).toBe(
      [
        'IPVS connection entries',
        'pro expire state       source             virtual            destination',
        'TCP 05:56  ASSURED     10.0.0.5:0         10.0.0.100:443     192.168.1.21:443',
        'TCP 14:56  ESTABLISHED 10.0.0.5:51324     10.0.0.100:443     192.168.1.21:443',
        '',
      ].join('\n'),
    );
  });
});

describe('ipvsadm -S and --timeout', () => {
  it('saves the rules', () => {
    expect(sh(lab(), '-S -n').stdout).toBe(
      [
        '-A -t 10.0.0.100:80 -s wlc',
        '-a -t 10.0.0.100:80 -r 192.168.1.21:80 -m -w 1',
        '-a -t 10.0.0.100:80 -r 192.168.1.22:80 -m -w 0',
        '-A -t 10.0.0.100:443 -s rr -p 360',
        '-a -t 10.0.0.100:443 -r 192.168.1.21:443 -g -w 1',
        '-A -t 10.0.0.101:80 -s wrr -p 300 -M 255.255.255.0',
        '-a -t 10.0.0.101:80 -r 10.1.0.5:80 -i -w 3 --tun-type ipip',
        '-A -u 10.0.0.100:53 -s rr',
        '-A -f 1 -s sh -b sh-fallback,sh-port',
        '',
      ].join('\n'),
    );
  });

  it('shows and sets the three timeouts', () => {
    const ipvs = new Ipvs(0);
    expect(sh(ipvs, '-L --timeout').stdout).toBe('Timeout (tcp tcpfin udp): 900 120 300\n');
    expect(sh(ipvs, '--set 3600 0 60').exitCode).toBe(0);
    expect(sh(ipvs, '-L --timeout').stdout).toBe('Timeout (tcp tcpfin udp): 3600 120 60\n');
  });
});

describe('ipvsadm errors', () => {
  it('reports the kernel errno the way ipvs_strerror does, exit 255', () => {
    const ipvs = lab();
    const err = (l: string) => {
      const r = sh(ipvs, l);
      return [r.stderr, r.exitCode];
    };
    expect(err('-A -t 10.0.0.100:80')).toEqual(['Service already exists\n', 255]);
    expect(err('-A -t 10.0.0.200:80 -s nope')).toEqual(['Scheduler or persistence engine not found\n', 255]);
    expect(err('-E -t 10.0.0.200:80 -s rr')).toEqual(['No such service\n', 255]);
    expect(err('-D -t 10.0.0.200:80')).toEqual(['No such service\n', 255]);
    expect(err('-a -t 10.0.0.200:80 -r 1.2.3.4')).toEqual(['Service not defined\n', 255]);
    expect(err('-a -t 10.0.0.100:80 -r 192.168.1.21 -m')).toEqual(['Destination already exists\n', 255]);
    expect(err('-e -t 10.0.0.100:80 -r 192.168.1.99 -m')).toEqual(['No such destination\n', 255]);
    expect(err('-d -t 10.0.0.100:80 -r 192.168.1.99')).toEqual(['No such destination\n', 255]);
    expect(err('-a -t 10.0.0.100:80 -r 224.0.0.1 -m')).toEqual([
      'Invalid operation.  Possibly wrong module version, address not unicast, ...\n',
      255,
    ]);
    expect(err('-L -n -t 10.0.0.200:80')).toEqual(['No such service\n', 1]);
  });

  it('checks options the way ipvsadm does, exit 2', () => {
    const ipvs = new Ipvs(0);
    const err = (l: string) => {
      const r = sh(ipvs, l);
      return [r.stderr, r.exitCode];
    };
    expect(err('-A -s rr')).toEqual(["You need to supply the 'service-address' option for the 'add-service' command\n", 2]);
    expect(err('-A -t 10.0.0.1:80 -r 1.2.3.4')).toEqual(["Illegal 'real-server' option with the 'add-service' command\n", 2]);
    expect(err('-L -c -t 10.0.0.1:80')).toEqual([
      "The option 'service-address' conflicts with the 'connection' option in the 'list' command\n",
      2,
    ]);
    expect(err('-A -t 10.0.0.1 -s rr')).toEqual(['Zero port specified for non-persistent service\n', 2]);
    expect(err('-A -t 10.0.0.1:80 -s rr -s wlc')).toEqual(["multiple 'scheduler' options specified\n", 2]);
    expect(err('-A -L')).toEqual(["invalid option `-L'\n", 2]);
    expect(err('-A -t nohost:80')).toEqual(['illegal virtual server address[:port] specified\n', 2]);
    expect(err('-a -t 10.0.0.1:80 -r 1.2.3.4 -w 70000')).toEqual(['Service not defined\n', 255]);
    expect(err('-a -t 10.0.0.1:80 -r 1.2.3.4 -w x')).toEqual(['illegal weight specified\n', 2]);
    expect(err('-A -t 10.0.0.1:80 -p abc')).toEqual(["invalid timeout value `abc' specified\n", 2]);
    expect(err('-A -t 10.0.0.1:80 -s rr extra')).toEqual(['unexpected argument extra\n', 2]);
    expect(err('-A -t 10.0.0.1:80 -p 0')).toEqual(["invalid timeout value `0' specified\n", 2]);
    expect(err('-n -L')).toEqual(["Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n", 255]);
    expect(err('-L --bogus')).toEqual(['--bogus: unknown option\n', 255]);
    expect(err('-L -c --stats')).toEqual(['options conflicts in the list command\n', 2]);
  });

  it('DR and tunnel real servers take the service port', () => {
    const ipvs = new Ipvs(0);
    sh(ipvs, '-A -t 10.0.0.1:80 -s rr');
    sh(ipvs, '-a -t 10.0.0.1:80 -r 192.168.1.21:8080 -g');
    sh(ipvs, '-a -t 10.0.0.1:80 -r 192.168.1.22:8080 -m');
    expect(sh(ipvs, '-S -n').stdout).toBe(
      '-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 192.168.1.21:80 -g -w 1\n-a -t 10.0.0.1:80 -r 192.168.1.22:8080 -m -w 1\n',
    );
  });
});
