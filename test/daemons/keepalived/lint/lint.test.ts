import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseKeepalivedConf, type KeepalivedConfig } from '../../../../src/daemons/keepalived/config';
import { lintKeepalived, type LintHost } from '../../../../src/daemons/keepalived/lint';

function conf(text: string): KeepalivedConfig {
  const r = parseKeepalivedConf('keepalived.conf', { read: () => text, glob: (p) => [p] });
  return r.config;
}

function instance(opts: { state?: string; prio: number; weight?: number; reverse?: boolean; pass?: string; advert?: number; vips?: string[] }): string {
  const script =
    opts.weight === undefined
      ? ''
      : `vrrp_script chk {\n  script "/bin/true"\n  weight ${opts.weight}${opts.reverse ? ' reverse' : ''}\n}\n`;
  return `${script}vrrp_instance VI_1 {
  state ${opts.state ?? 'BACKUP'}
  interface eth0
  virtual_router_id 51
  priority ${opts.prio}
  advert_int ${opts.advert ?? 1}
  authentication {
    auth_type PASS
    auth_pass ${opts.pass ?? 'secret'}
  }
  ${opts.weight === undefined ? '' : 'track_script {\n    chk\n  }'}
  virtual_ipaddress {
    ${(opts.vips ?? ['10.0.0.100']).join('\n    ')}
  }
}
`;
}

const IPS: Record<string, string> = { a: '10.0.0.1', b: '10.0.0.2' };

function pair(a: string, b: string): LintHost[] {
  return [
    { host: 'a', config: conf(a), ipOf: () => IPS['a'] },
    { host: 'b', config: conf(b), ipOf: () => IPS['b'] },
  ];
}

function codes(hosts: LintHost[], ctx = {}): string[] {
  return lintKeepalived(hosts, ctx).map((f) => f.code);
}

describe('track_script weights against the peer priority', () => {
  it('master 100 with weight -1 against backup 99 only ties: no failover, explained with the IP tie-break', () => {
    const f = lintKeepalived(pair(instance({ state: 'MASTER', prio: 100, weight: -1 }), instance({ prio: 99 })));
    const tie = f.find((x) => x.code === 'weight-tie')!;
    expect(tie.message).toContain('100-1 = 99');
    expect(tie.why).toContain('never preempts');
    expect(tie.why).toContain('b (VI_1) wins by its higher IP address');
    expect(tie.fix).toContain('weight of -2 or lower');
  });

  it('200 vs 100 with weight -50 can never fail over, and says which weight would', () => {
    const f = lintKeepalived(pair(instance({ prio: 200, weight: -50 }), instance({ prio: 100 })));
    const nf = f.find((x) => x.code === 'weight-no-failover')!;
    expect(nf.message).toContain('200-50 = 150');
    expect(nf.fix).toContain('weight of -101 or lower');
  });

  it('a positive weight on the master only adds while healthy: 100+2 vs 50 never fails over', () => {
    expect(codes(pair(instance({ prio: 100, weight: 2 }), instance({ prio: 50 })))).toContain('weight-no-failover');
  });

  it('the seed proxy pair (100 -5 vs 99 -2) fails over cleanly: nothing to say about weights', () => {
    const seed = join(__dirname, '../../../fixtures/keepalived/seed');
    const hosts = ['proxy1-chk.conf', 'proxy2-chk.conf'].map((f, i) => ({
      host: `proxy${i + 1}`,
      config: conf(readFileSync(join(seed, f), 'utf8')),
    }));
    expect(codes(hosts).filter((c) => c.startsWith('weight-'))).toEqual([]);
  });

  it('a reversed weight on the backup makes its own failure take the VIP', () => {
    expect(codes(pair(instance({ prio: 100 }), instance({ prio: 99, weight: -5, reverse: true })))).toContain('weight-unexpected-failover');
  });

  it('weight 0 is reported as FAULT on failure', () => {
    expect(codes(pair(instance({ prio: 100, weight: 0 }), instance({ prio: 99 })))).toContain('weight-zero-fault');
  });
});

describe('one virtual router, one configuration', () => {
  it('different passwords: split brain', () => {
    expect(codes(pair(instance({ prio: 100, pass: 'pass1' }), instance({ prio: 99, pass: 'pass2' })))).toContain('vrid-auth-mismatch');
  });

  it('passwords equal after keepalived cuts them to 8 characters are not a mismatch', () => {
    expect(codes(pair(instance({ prio: 100, pass: 'secret12345' }), instance({ prio: 99, pass: 'secret12' })))).not.toContain(
      'vrid-auth-mismatch',
    );
  });

  it('different advert_int and different VIP lists', () => {
    const c = codes(pair(instance({ prio: 100, advert: 1 }), instance({ prio: 99, advert: 2, vips: ['10.0.0.100', '10.0.0.101'] })));
    expect(c).toContain('vrid-advert-int-mismatch');
    expect(c).toContain('vrid-vip-mismatch');
  });

  it('two MASTERs with equal priority', () => {
    const f = lintKeepalived(pair(instance({ state: 'MASTER', prio: 100 }), instance({ state: 'MASTER', prio: 100 })));
    expect(f.map((x) => x.code)).toEqual(['equal-priority-masters']);
    expect(f[0]!.why).toContain('b (VI_1)');
  });

  it('routers on different LANs are different virtual routers', () => {
    const hosts = pair(instance({ prio: 100, pass: 'x' }), instance({ prio: 99, pass: 'y' })).map((h, i) => ({
      ...h,
      lanOf: () => `lan${i}`,
    }));
    expect(codes(hosts)).toEqual([]);
  });
});

describe('the LVS half of the seed lab', () => {
  const seed = join(__dirname, '../../../fixtures/keepalived/seed');
  const hosts: LintHost[] = [
    { host: 'proxy1', config: conf(readFileSync(join(seed, 'lvs-master.conf'), 'utf8')) },
    { host: 'proxy2', config: conf(readFileSync(join(seed, 'lvs-backup.conf'), 'utf8')) },
  ];
  const pages: Record<string, string> = {
    '192.168.23.80:80/test.html': 'Just test for WEB1\n',
    '192.168.23.81:8080/test.html': 'Just test for WEB2\n',
  };
  const served = (ip: string, port: number, path: string): Uint8Array | undefined => {
    const p = pages[`${ip}:${port}${path}`];
    return p === undefined ? undefined : new TextEncoder().encode(p);
  };

  it('is consistent, its digests match the pages of the write-up, and the gateway VIP is there', () => {
    expect(lintKeepalived(hosts, { servedFile: served, gatewayOf: () => '192.168.23.105' })).toEqual([]);
  });

  it('a changed page is a digest mismatch, reported once for both directors, with the right digest', () => {
    const f = lintKeepalived(hosts, {
      servedFile: (ip, port, path) => (ip === '192.168.23.81' ? new TextEncoder().encode('changed\n') : served(ip, port, path)),
    });
    const m = f.filter((x) => x.code === 'http-digest-mismatch');
    expect(m).toHaveLength(1);
    expect(m[0]!.hosts).toEqual(['proxy1', 'proxy2']);
    expect(m[0]!.fix).toContain('digest ec1bebaea2c042beb68f7679ddd106a4');
  });

  it('a missing page is reported', () => {
    expect(lintKeepalived(hosts, { servedFile: () => undefined }).map((f) => f.code)).toContain('http-check-not-served');
  });

  it('real servers that route around the directors break NAT', () => {
    expect(lintKeepalived(hosts, { gatewayOf: () => '192.168.23.1' }).map((f) => f.code)).toContain('nat-gateway-not-vip');
  });

  it('without any VIP on the real servers network, NAT is flagged even without routes', () => {
    const noGateway = conf(
      readFileSync(join(seed, 'lvs-master.conf'), 'utf8').replace('192.168.23.105', '10.9.9.9'),
    );
    expect(lintKeepalived([{ host: 'proxy1', config: noGateway }]).map((f) => f.code)).toContain('nat-no-gateway-vip');
  });
});

describe('unicast peers', () => {
  const uni = (src: string, peers: string[]): string =>
    instance({ prio: 100 }).replace('virtual_ipaddress {', `unicast_src_ip ${src}\n  unicast_peer {\n    ${peers.join('\n    ')}\n  }\n  virtual_ipaddress {`);

  it('a peer list that misses the other router means it never hears the adverts', () => {
    const f = lintKeepalived(pair(uni('10.0.0.1', ['10.0.0.3']), uni('10.0.0.2', ['10.0.0.1'])));
    const m = f.find((x) => x.code === 'unicast-peer-missing')!;
    expect(m.message).toContain('not to b (VI_1) (10.0.0.2)');
    expect(m.fix).toBe('Add 10.0.0.2 to unicast_peer on a.');
  });

  it('listing yourself is flagged; complete lists are fine', () => {
    expect(codes(pair(uni('10.0.0.1', ['10.0.0.1', '10.0.0.2']), uni('10.0.0.2', ['10.0.0.1'])))).toEqual(['unicast-peer-self']);
  });
});
