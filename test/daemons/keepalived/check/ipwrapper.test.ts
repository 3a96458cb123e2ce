import { describe, expect, it } from 'vitest';
import { IpWrapper } from '../../../../src/daemons/keepalived/check';
import { Ipvs, listAll } from '../../../../src/kernel/ipvs';
import { conf, seedLvsText } from './conf';

function setup(text: string, alpha: (vi: number, ri: number) => number = () => 0) {
  const ipvs = new Ipvs();
  const logs: string[] = [];
  const notified: string[] = [];
  const w = new IpWrapper({ ipvs, now: () => 0, log: (t) => logs.push(t), notify: (s) => notified.push(s) }, conf(text).virtualServers, alpha);
  const dests = () => ipvs.listServices().flatMap((s) => s.dests.map((d) => `${d.addr}:${d.port} w${d.weight}`));
  const take = () => logs.splice(0);
  return { ipvs, w, logs, take, notified, dests };
}

const VS = '[172.16.23.80]:tcp:80';
const WEB1 = '[192.168.23.80]:tcp:80';
const WEB2 = '[192.168.23.81]:tcp:8080';
const SORRY = '[192.168.23.121]:tcp:8080';

describe('IPVS wrapper on the seed LVS configuration', () => {
  it('start: the service, both real servers (kernel list reversed), quorum logged as gained', () => {
    const { ipvs, w, take, dests } = setup(seedLvsText());
    w.init();
    expect(take()).toEqual([`Gained quorum 1+0=1 <= 2 for VS ${VS}`]);
    expect(dests()).toEqual(['192.168.23.81:8080 w1', '192.168.23.80:80 w1']);
    expect(listAll(ipvs, { numeric: true })).toContain('TCP  172.16.23.80:80 rr persistent 5');
    expect(listAll(ipvs, { numeric: true })).toMatch(/-> 192\.168\.23\.80:80 +Masq +1 /);
  });

  it('test.html gone: each real server removed, the last one brings the sorry server; the first back removes it', () => {
    const { w, take, dests } = setup(seedLvsText());
    w.init();
    take();
    w.checkerVerdict(0, 0, false, true);
    expect(take()).toEqual([`Removing service ${WEB1} from VS ${VS}`]);
    expect(dests()).toEqual(['192.168.23.81:8080 w1']);
    w.checkerVerdict(0, 1, false, true);
    expect(take()).toEqual([
      `Removing service ${WEB2} from VS ${VS}`,
      `Lost quorum 1-0=1 > 0 for VS ${VS}`,
      `Adding sorry server ${SORRY} to VS ${VS}`,
      `Removing alive servers from the pool for VS ${VS}`,
    ]);
    expect(dests()).toEqual(['192.168.23.121:8080 w1']);
    w.checkerVerdict(0, 1, true, true);
    expect(take()).toEqual([
      `Adding service ${WEB2} to VS ${VS}`,
      `Gained quorum 1+0=1 <= 1 for VS ${VS}`,
      `Removing sorry server ${SORRY} from VS ${VS}`,
      `Adding alive servers to the pool for VS ${VS}`,
    ]);
    expect(dests()).toEqual(['192.168.23.81:8080 w1']);
    w.checkerVerdict(0, 0, true, true);
    expect(take()).toEqual([`Adding service ${WEB1} to VS ${VS}`]);
    expect(dests()).toEqual(['192.168.23.80:80 w1', '192.168.23.81:8080 w1']);
  });

  it('shutdown: every real server shut down, the service deleted', () => {
    const { ipvs, w, take } = setup(seedLvsText());
    w.init();
    take();
    w.shutdown();
    expect(take()).toEqual([`Shutting down service ${WEB1} from VS ${VS}`, `Shutting down service ${WEB2} from VS ${VS}`]);
    expect(ipvs.listServices()).toEqual([]);
  });

  it('alpha: real servers wait for their checks; the sorry server stands in from the start', () => {
    const { w, take, dests } = setup(seedLvsText(), () => 1);
    w.init();
    expect(take()).toEqual([
      `Starting with quorum down 1-0=1 > 0 for VS ${VS}`,
      `Adding sorry server ${SORRY} to VS ${VS}`,
      `Removing alive servers from the pool for VS ${VS}`,
    ]);
    expect(dests()).toEqual(['192.168.23.121:8080 w1']);
    w.checkerVerdict(0, 0, true, true);
    expect(dests()).toEqual(['192.168.23.80:80 w1']);
  });
});

const BASE = `
virtual_server 10.0.0.100 80 {
  lb_algo wrr
  lb_kind DR
  protocol TCP
  QUORUM
  real_server 10.0.0.1 80 { weight 1 NOTIFY TCP_CHECK { } }
  real_server 10.0.0.2 80 { weight 1 TCP_CHECK { } }
  real_server 10.0.0.3 80 { weight 1 TCP_CHECK { } }
}
`;
const cfg = (quorum: string, notify = '') => BASE.replace('QUORUM', quorum).replace('NOTIFY', notify).replace(/\{ ([^{}]*) \}/g, '{\n$1\n}').replace(/ (weight 1|notify_\w+ \S+|TCP_CHECK) /g, '\n$1\n');

describe('IPVS wrapper: quorum, hysteresis, inhibit, notify', () => {
  it('quorum 2 hysteresis 1: lost only below 1, gained again at 3', () => {
    const { w, take } = setup(cfg('quorum 2\n  hysteresis 1'));
    w.init();
    expect(take()).toEqual(['Gained quorum 2+1=3 <= 3 for VS [10.0.0.100]:tcp:80']);
    w.checkerVerdict(0, 0, false, true);
    w.checkerVerdict(0, 1, false, true);
    expect(take().filter((l) => l.includes('quorum'))).toEqual([]);
    w.checkerVerdict(0, 2, false, true);
    expect(take().at(-1)).toBe('Lost quorum 2-1=1 > 0 for VS [10.0.0.100]:tcp:80');
    w.checkerVerdict(0, 0, true, true);
    w.checkerVerdict(0, 1, true, true);
    expect(take().filter((l) => l.includes('quorum'))).toEqual([]);
    w.checkerVerdict(0, 2, true, true);
    expect(take().at(-1)).toBe('Gained quorum 2+1=3 <= 3 for VS [10.0.0.100]:tcp:80');
  });

  it('inhibit_on_failure: a failed server stays at weight 0, DR takes the service port', () => {
    const { w, take, dests } = setup(cfg('inhibit_on_failure'));
    w.init();
    take();
    w.checkerVerdict(0, 0, false, true);
    expect(take()).toEqual(['Disabling service [10.0.0.1]:tcp:80 of VS [10.0.0.100]:tcp:80']);
    expect(dests()).toContain('10.0.0.1:80 w0');
    w.checkerVerdict(0, 0, true, true);
    expect(take()).toEqual(['Enabling service [10.0.0.1]:tcp:80 of VS [10.0.0.100]:tcp:80']);
    expect(dests()).toContain('10.0.0.1:80 w1');
  });

  it('notify_down / notify_up run as the server leaves and returns; alpha first failure notifies only', () => {
    const { w, notified } = setup(cfg('', 'notify_down /bin/down.sh notify_up /bin/up.sh'));
    w.init();
    w.checkerVerdict(0, 0, false, true);
    w.checkerVerdict(0, 0, true, true);
    w.checkerVerdict(0, 0, false, false);
    expect(notified).toEqual(['/bin/down.sh', '/bin/up.sh', '/bin/up.sh']);
  });

  it('a server with two checkers is down while either is', () => {
    const { w, take } = setup(cfg(''));
    w.init();
    take();
    w.checkerVerdict(0, 0, false, true);
    w.checkerVerdict(0, 0, false, true);
    expect(take()).toEqual(['Removing service [10.0.0.1]:tcp:80 from VS [10.0.0.100]:tcp:80']);
    w.checkerVerdict(0, 0, true, true);
    expect(take()).toEqual([]);
    w.checkerVerdict(0, 0, true, true);
    expect(take()).toEqual(['Adding service [10.0.0.1]:tcp:80 to VS [10.0.0.100]:tcp:80']);
  });

  it('omega: the shutdown runs notify_down and quorum_down; without omega it runs none', () => {
    const text = cfg('omega\n  quorum_down /bin/qdown.sh', 'notify_down /bin/down.sh');
    const a = setup(text);
    a.w.init();
    a.w.shutdown();
    expect(a.notified).toEqual(['/bin/down.sh', '/bin/qdown.sh']);
    const b = setup(text.replace('omega', ''));
    b.w.init();
    b.w.shutdown();
    expect(b.notified).toEqual([]);
  });
});

describe('IPVS errors as ipvs_talk logs them (sockopt, libipvs ipvs_strerror, format_srule/format_drule)', () => {
  it('a service already in the kernel: IP_VS_SO_SET_ADD, "Service already exists", the rule without brackets', () => {
    const { ipvs, w, take } = setup(seedLvsText());
    ipvs.addService({ protocol: 'TCP', addr: '172.16.23.80', port: 80, scheduler: 'rr' }, 0);
    w.init();
    expect(take()[0]).toBe('IPVS cmd IP_VS_SO_SET_ADD(1154) error: Service already exists(17) (172.16.23.80:tcp:80)');
  });

  it('a real server already in the table: IP_VS_SO_SET_ADDDEST(1159), "Destination already exists", as recorded', () => {
    const { ipvs, w, take } = setup(seedLvsText());
    ipvs.addService({ protocol: 'TCP', addr: '172.16.23.80', port: 80, scheduler: 'rr' }, 0);
    ipvs.addDest({ protocol: 'TCP', addr: '172.16.23.80', port: 80 }, { addr: '192.168.23.80', port: 80, weight: 1, fwd: 'masq' }, 0);
    w.init();
    expect(take().filter((x) => x.includes('192.168.23.80:80'))).toEqual([
      'IPVS cmd IP_VS_SO_SET_ADDDEST(1159) error: Destination already exists(17) (172.16.23.80:tcp:80 -> 192.168.23.80:80)',
    ]);
  });
});
