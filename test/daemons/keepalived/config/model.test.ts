import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseKeepalivedConf, type HttpChecker, type KeepalivedConfig } from '../../../../src/daemons/keepalived/config';

const fixtures = join(__dirname, '../../../fixtures/keepalived');
const S = 1_000_000;

function parse(text: string, interfaces?: string[]): ReturnType<typeof parseKeepalivedConf> {
  return parseKeepalivedConf('keepalived.conf', { read: () => text, glob: (p) => [p] }, interfaces ? { interfaces } : {});
}

function seed(name: string): KeepalivedConfig {
  return parse(readFileSync(join(fixtures, 'seed', name), 'utf8')).config;
}

describe('the typed model', () => {
  it('fills keepalived defaults, in microseconds', () => {
    const c = parse('vrrp_instance V {\n interface eth0\n virtual_router_id 7\n virtual_ipaddress {\n 10.0.0.1\n }\n}\n').config;
    const vi = c.vrrpInstances[0]!;
    expect(vi).toMatchObject({
      state: 'BACKUP',
      stateConfigured: false,
      priority: 100,
      priorityConfigured: false,
      version: 2,
      advertInt: S,
      garpMasterDelay: 5 * S,
      garpMasterRepeat: 5,
      garpMasterRefresh: 0,
      garpMasterRefreshRepeat: 1,
      garpLowerPrioDelay: 5 * S,
      garpLowerPrioRepeat: 5,
      downTimerAdverts: 3,
      nopreempt: false,
      preemptDelay: 0,
      accept: true,
    });
    expect(c.globalDefs).toMatchObject({ vrrpVersion: 2, vrrpMcastGroup4: '224.0.0.18', enableScriptSecurity: false });
  });

  it('state MASTER without priority is the address owner (255)', () => {
    const vi = parse('vrrp_instance V {\n state MASTER\n interface eth0\n virtual_router_id 7\n virtual_ipaddress {\n 10.0.0.1\n }\n}\n').config
      .vrrpInstances[0]!;
    expect(vi.priority).toBe(255);
  });

  it('keeps the seed proxy config verbatim: VRID, priority, auth, VIP, script and its weights', () => {
    const c = seed('proxy1-chk.conf');
    expect(c.globalDefs.routerId).toBe('PROXY_HA1');
    const vi = c.vrrpInstances[0]!;
    expect(vi).toMatchObject({ name: 'VI_PROXY_HA', state: 'MASTER', interface: 'eth0', virtualRouterId: 10, priority: 100, authType: 'PASS', authPass: '192pass' });
    expect(vi.virtualIpaddress.map((v) => `${v.address}/${v.prefix}`)).toEqual(['172.16.23.80/32']);
    expect(vi.trackScript).toMatchObject([{ name: 'chk_nginx', weight: -5, reverse: false }]);
    expect(vi.notifyBackup).toBe('/etc/rc.d/init.d/nginx restart');
    expect(c.vrrpScripts[0]).toMatchObject({ name: 'chk_nginx', script: ['killall', '-0', 'nginx'], interval: S, fall: 2, rise: 1, weight: -5, timeout: 0 });
  });

  it('the seed LVS config: sync group, virtual server, real servers and inherited checker settings', () => {
    const c = seed('lvs-master.conf');
    expect(c.vrrpSyncGroups).toMatchObject([{ name: 'VGM', group: ['VI_LVS_HA', 'VI_LOCAL_ADDR'] }]);
    expect(c.vrrpInstances.map((v) => v.syncGroup)).toEqual(['VGM', 'VGM']);
    const vs = c.virtualServers[0]!;
    expect(vs).toMatchObject({
      address: { kind: 'ip', ip: '172.16.23.80', port: 80 },
      delayLoop: 6 * S,
      lbAlgo: 'rr',
      lbKind: 'NAT',
      protocol: 'TCP',
      persistenceTimeout: 5 * S,
      sorryServer: { ip: '192.168.23.121', port: 8080 },
      quorum: 1,
    });
    expect(vs.realServers.map((r) => `${r.ip}:${r.port} w${r.weight}`)).toEqual(['192.168.23.80:80 w1', '192.168.23.81:8080 w1']);
    const chk = vs.realServers[0]!.checkers[0] as HttpChecker;
    expect(chk).toMatchObject({ kind: 'HTTP_GET', connectTimeout: 3 * S, retry: 3, delayBeforeRetry: 3 * S, delayLoop: 6 * S, warmup: 6 * S, httpProtocol: '1.0' });
    expect(chk.urls).toEqual([{ path: '/test.html', digest: '60f16b089b6c69717ffdd41fc0896652', statusCode: [{ from: 200, to: 299 }], regexNoMatch: false }]);
  });

  it('virtual_ipaddress forms: dev, label, brd, scope; per-instance track_script weight override', () => {
    const c = parse(`vrrp_script s {
  script /bin/true
  weight -10
}
vrrp_instance V {
  interface eth0
  virtual_router_id 9
  virtual_ipaddress {
    10.1.1.1/24 dev eth1 brd 10.1.1.255 scope link label eth1:vip
    10.1.1.2 no_track
  }
  track_script {
    s weight -50 reverse
  }
  unicast_src_ip 10.1.1.9
  unicast_peer {
    10.1.1.8
  }
}
`).config;
    const vi = c.vrrpInstances[0]!;
    expect(vi.virtualIpaddress[0]).toMatchObject({ address: '10.1.1.1', prefix: 24, dev: 'eth1', brd: '10.1.1.255', scope: 'link', label: 'eth1:vip', noTrack: false });
    expect(vi.virtualIpaddress[1]).toMatchObject({ address: '10.1.1.2', prefix: 32, noTrack: true });
    expect(vi.trackScript).toMatchObject([{ name: 's', weight: -50, reverse: true }]);
    expect(vi.unicastPeer).toEqual(['10.1.1.8']);
  });

  it('keeps keywords it does not model, with their words', () => {
    const c = parse('global_defs {\n  vrrp_iptables KA_IN KA_OUT\n}\nvrrp_instance V {\n interface eth0\n virtual_router_id 3\n use_vmac vrrp3\n kernel_rx_buf_size 4096\n virtual_ipaddress {\n 10.0.0.1\n }\n}\n').config;
    expect(c.globalDefs.extra['vrrp_iptables']).toEqual([['KA_IN', 'KA_OUT']]);
    expect(c.vrrpInstances[0]!.extra['kernel_rx_buf_size']).toEqual([['4096']]);
    expect(c.vrrpInstances[0]!.useVmac).toBe('vrrp3');
  });

  it('nb_get_retry is deprecated but still sets retry', () => {
    const r = parse('virtual_server 10.0.0.1 80 {\n protocol TCP\n real_server 10.0.0.2 80 {\n  TCP_CHECK {\n  }\n  HTTP_GET {\n   url {\n    path /\n   }\n   nb_get_retry 7\n  }\n }\n}\n');
    expect(r.diagnostics.map((d) => d.text)).toContain("(keepalived.conf: Line 10) nb_get_retry is deprecated - please use 'retry'");
    const rs = r.config.virtualServers[0]!.realServers[0]!;
    expect(rs.checkers.map((c) => [c.kind, c.retry])).toEqual([
      ['TCP_CHECK', 1],
      ['HTTP_GET', 7],
    ]);
  });

  it('diagnostics carry file, line, severity and the process that reports them', () => {
    const r = parse('vrrp_instance V {\n interface eth9\n virtual_router_id 300\n}\n', ['lo', 'eth0']);
    expect(r.diagnostics[0]).toMatchObject({ file: 'keepalived.conf', line: 2, severity: 'error', process: 'vrrp' });
    expect(r.diagnostics.at(-1)).toMatchObject({ text: 'Non-existent interface specified in configuration', line: 0 });
    expect(r).toMatchObject({ verdict: 'warnings', exitCode: 5 });
  });
});
