import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../../src/sim/time';
import { runIpvsadm } from '../../../../src/kernel/ipvs';
import { Ipvs } from '../../../../src/kernel/ipvs/ipvs';
import { attachIpvs } from '../../../../src/kernel/ipvs/netfilter';
import { attachSyncDaemons } from '../../../../src/kernel/ipvs/sync';
import { world } from '../../../host/helpers';

function director() {
  const w = world();
  const d = w.host('lvs1', { eth0: { lan: 'ext', ip: '172.16.23.100/24' }, eth1: { lan: 'int', ip: '192.168.23.100/24' } });
  const ipvs = attachIpvs(d);
  attachSyncDaemons(d, ipvs);
  const sh = (line: string) => runIpvsadm(ipvs, line.split(' ').slice(1), w.sim.now);
  return { w, d, ipvs, sh };
}

describe('ipvsadm 1.31 and the sync daemons', () => {
  it('starts both daemons (eth0 by default) and lists them master first, with the kernel-filled defaults', () => {
    const { sh } = director();
    expect(sh('ipvsadm --start-daemon backup --syncid 11 --sync-maxlen 2000 --mcast-group 239.0.0.1 --mcast-port 9000 --mcast-ttl 4')).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(sh('ipvsadm --start-daemon master --mcast-interface eth1').exitCode).toBe(0);
    expect(sh('ipvsadm -L --daemon').stdout).toBe(
      'master sync daemon (mcast=eth1, syncid=0, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n' +
        'backup sync daemon (mcast=eth0, syncid=11, maxlen=2000, group=239.0.0.1, port=9000, ttl=4)\n',
    );
    expect(sh('ipvsadm --stop-daemon backup').exitCode).toBe(0);
    expect(sh('ipvsadm -Ln --daemon').stdout).toBe('master sync daemon (mcast=eth1, syncid=0, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n');
  });

  it('prints nothing with no daemon running', () => {
    expect(director().sh('ipvsadm -L --daemon')).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  });

  it('refuses what ipvsadm and the kernel refuse, with their words and statuses', () => {
    const { sh } = director();
    const cases: [string, string, number][] = [
      ['ipvsadm --start-daemon primary', 'illegal start-daemon parameter specified', 2],
      ['ipvsadm --stop-daemon primary', 'illegal start_daemon specified', 2],
      ['ipvsadm --start-daemon master --syncid 256', 'illegal syncid specified', 2],
      ['ipvsadm --start-daemon master --mcast-port 0', 'illegal mcast-port specified', 2],
      ['ipvsadm --start-daemon master --mcast-ttl 256', 'illegal mcast-ttl specified', 2],
      ['ipvsadm --start-daemon master --sync-maxlen 65508', 'illegal sync-maxlen specified', 2],
      ['ipvsadm --start-daemon master --mcast-group 224.0.0', "invalid IPv4 mcast-group `224.0.0'", 2],
      ['ipvsadm --stop-daemon master --mcast-interface eth1', "Illegal 'mcast-interface' option with the 'stop-daemon' command", 2],
      ['ipvsadm --start-daemon master -n', "Illegal 'numeric' option with the 'start-daemon' command", 2],
      ['ipvsadm -L --mcast-port 9000', "Illegal 'mcast-port' option with the 'list' command", 2],
      ['ipvsadm --start-daemon master --mcast-interface eth7', 'No such device', 255],
      ['ipvsadm --stop-daemon master', 'No daemon is running', 255],
    ];
    for (const [line, message, code] of cases) expect([line, sh(line)]).toEqual([line, { stdout: '', stderr: `${message}\n`, exitCode: code }]);
    expect(sh('ipvsadm --start-daemon master --mcast-interface eth1').exitCode).toBe(0);
    expect(sh('ipvsadm --start-daemon master --mcast-interface eth0')).toEqual({ stdout: '', stderr: 'Daemon has already run\n', exitCode: 255 });
  });

  it('an IPVS no host owns (a bare table) has no interfaces: starting fails with ENODEV', () => {
    expect(runIpvsadm(new Ipvs(0), ['--start-daemon', 'master'], SECOND).stderr).toBe('No such device\n');
  });

  it('through the host shell too', () => {
    const { w, d } = director();
    let out = '';
    d.run('ipvsadm --start-daemon master --mcast-interface eth1 --syncid 10 && ipvsadm -L --daemon', (r) => (out = r.stdout));
    w.sim.runUntil(SECOND);
    expect(out).toBe('master sync daemon (mcast=eth1, syncid=10, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n');
  });
});
