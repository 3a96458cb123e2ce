import { describe, expect, it } from 'vitest';
import { CheckerProcess } from '../../../../src/daemons/keepalived/check';
import { Ipvs } from '../../../../src/kernel/ipvs';
import { SECOND } from '../../../../src/sim/time';
import { world } from '../../../host/helpers';
import { conf } from './conf';
import { webServer } from './lab';

const CONF = `
global_defs {
  enable_script_security
}
virtual_server 10.0.0.100 80 {
  delay_loop 5
  lb_algo wrr
  lb_kind DR
  protocol TCP
  real_server 10.0.0.2 80 {
    weight 1
    warmup 0
    TCP_CHECK {
      connect_timeout 2
    }
  }
  real_server 10.0.0.3 80 {
    weight 1
    warmup 0
    MISC_CHECK {
      misc_path "test -f /run/up"
      misc_dynamic
    }
  }
}
`;

function setup() {
  const w = world(3);
  const director = w.host('lb', { eth0: { lan: 'lan', ip: '10.0.0.1/24' } });
  const web = w.host('web', { eth0: { lan: 'lan', ip: '10.0.0.2/24' } });
  const ipvs = new Ipvs();
  const checker = new CheckerProcess(director, conf(CONF), ipvs, false);
  const proc = director.processes.spawn('keepalived', ['keepalived'], checker, 1);
  const order: string[] = [];
  checker.start(
    proc,
    () => order.push('configured'),
    () => order.push('ready'),
  );
  const logs = () =>
    w.mem.records.flatMap((r) =>
      r.kind === 'log' && (r as { ident?: string }).ident === 'Keepalived_healthcheckers' ? [{ t: r.t / SECOND, text: (r as { text?: string }).text! }] : [],
    );
  const weights = () => ipvs.listServices().flatMap((s) => s.dests.map((d) => `${d.addr} w${d.weight}`));
  return { ...w, director, web, ipvs, checker, logs, weights, order };
}

describe('TCP_CHECK and MISC_CHECK on a host', () => {
  it('warmup 0: first checks exactly 1 s after start; refused TCP and a failing script take both servers out', () => {
    const l = setup();
    expect(l.order).toEqual(['configured', 'ready']);
    l.sim.runUntil(2 * SECOND);
    const down = l.logs().filter((x) => x.t > 0);
    expect(down.map((x) => x.text)).toEqual([
      // The script ends at once; the RST takes a round trip.
      'Misc check for [[10.0.0.3]:tcp:80 VS [10.0.0.100]:tcp:80] by [test] failed with retry disabled (exited with status 1).',
      'Removing service [10.0.0.3]:tcp:80 from VS [10.0.0.100]:tcp:80',
      'TCP_CHECK on service [10.0.0.2]:tcp:80 failed.',
      'Removing service [10.0.0.2]:tcp:80 from VS [10.0.0.100]:tcp:80',
      'Lost quorum 1-0=1 > 0 for VS [10.0.0.100]:tcp:80',
    ]);
    for (const x of down) expect(x.t).toBeGreaterThanOrEqual(1);
    for (const x of down) expect(x.t).toBeLessThan(1.01);
    expect(l.weights()).toEqual([]);
  });

  it('a listener and the flag file bring both back (exit 0 under misc_dynamic keeps the configured weight)', () => {
    const l = setup();
    l.sim.runUntil(2 * SECOND);
    webServer(l.web, 80, new Map());
    l.director.vfs.write('/run/up', '');
    l.sim.runUntil(13 * SECOND);
    const texts = l.logs().map((x) => x.text);
    expect(texts).toContain('TCP connection to [10.0.0.2]:tcp:80 success.');
    expect(texts).toContain('Misc check for [[10.0.0.3]:tcp:80 VS [10.0.0.100]:tcp:80] by [test] succeeded.');
    expect(l.weights().sort()).toEqual(['10.0.0.2 w1', '10.0.0.3 w1']);
  });
});

describe('HTTP_GET probe timeouts on a host', () => {
  const HTTP = `
global_defs {
  checker_log_all_failures
}
virtual_server 10.0.0.100 80 {
  delay_loop 10
  lb_algo rr
  lb_kind NAT
  protocol TCP
  real_server 10.0.0.2 80 {
    warmup 0
    HTTP_GET {
      url {
        path /
      }
      connect_timeout 3
      retry 0
    }
  }
  real_server 10.0.0.9 80 {
    warmup 0
    HTTP_GET {
      url {
        path /
      }
      connect_timeout 3
      retry 0
    }
  }
}
`;

  it('a server that accepts but never answers: "Timeout WEB read" connect_timeout after the request; a missing host: "Timeout connecting"', () => {
    const w = world(5);
    const director = w.host('lb', { eth0: { lan: 'lan', ip: '10.0.0.1/24' } });
    const web = w.host('web', { eth0: { lan: 'lan', ip: '10.0.0.2/24' } });
    const l = web.tcp.listen(0, 80, () => ({}));
    expect(typeof l).not.toBe('string');
    const checker = new CheckerProcess(director, conf(HTTP), new Ipvs(), false);
    checker.start(director.processes.spawn('keepalived', ['keepalived'], checker, 1));
    w.sim.runUntil(5 * SECOND);
    const lines = w.mem.records.flatMap((r) =>
      r.kind === 'log' && (r as { ident?: string }).ident === 'Keepalived_healthcheckers' ? [{ t: r.t / SECOND, text: (r as { text?: string }).text! }] : [],
    );
    const at = (text: string) => lines.find((x) => x.text === text)?.t;
    const silent = at('Timeout WEB read server [10.0.0.2]:tcp:80.')!;
    expect(silent).toBeGreaterThan(4);
    expect(silent).toBeLessThan(4.01);
    expect(at('HTTP_CHECK on service [10.0.0.2]:tcp:80 failed.')).toBe(silent);
    expect(at('Timeout connecting server [10.0.0.9]:tcp:80.')).toBe(4);
  });
});
