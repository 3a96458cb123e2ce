import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../../src/sim/time';
import { listAll } from '../../../../src/kernel/ipvs';
import { conf, seedLvsText } from './conf';
import { lab } from './lab';

const VS = '[172.16.23.80]:tcp:80';
const WEB1 = '[192.168.23.80]:tcp:80';
const WEB2 = '[192.168.23.81]:tcp:8080';

/** The seed configuration with one edit. */
const edited = (from: string | RegExp, to: string): string => {
  const text = seedLvsText();
  const out = text.replace(from, to);
  if (out === text) throw new Error(`no ${String(from)} in the seed configuration`);
  return out;
};

/** Reloads the lab's checker child with `text` at `at`, and returns its lines from the reload on. */
function reloadAt(l: ReturnType<typeof lab>, at: number, text: string): () => string[] {
  l.sim.runUntil(at);
  let ready = 0;
  l.checker.reload(conf(text), () => {}, () => ready++);
  expect(ready).toBe(1);
  return () => l.logs().filter((x) => x.t >= at / SECOND).map((x) => x.text);
}

describe('checker child reload (check_daemon.c reload_check_thread, ipwrapper.c clear_diff_services)', () => {
  it('an unchanged configuration: nothing leaves the table, every checker starts again after BOOTSTRAP_DELAY + warmup', () => {
    const l = lab();
    const lines = reloadAt(l, 20 * SECOND, seedLvsText());
    expect(lines()).toEqual([
      'Reloading',
      `Activating healthchecker for service ${WEB1} for VS ${VS}`,
      `Activating healthchecker for service ${WEB2} for VS ${VS}`,
      'Activating BFD healthchecker',
    ]);
    expect(l.dests()).toEqual(['192.168.23.81:8080', '192.168.23.80:80']);
    // warmup defaults to delay_loop (6 s): the first check falls in [1 s, 7 s] after the reload.
    const before = l.seen1.length;
    l.sim.runUntil(21 * SECOND - 1);
    expect(l.seen1.length).toBe(before);
    l.sim.runUntil(27 * SECOND + 100_000);
    expect(l.seen1.length).toBe(before + 1);
    expect(lines().slice(4)).toEqual([]);
  });

  it('a real server taken out of the configuration leaves the table, with its line; a new one enters without a line', () => {
    const l = lab();
    const text = edited('real_server 192.168.23.81 8080', 'real_server 192.168.23.82 8080');
    const lines = reloadAt(l, 20 * SECOND, text);
    expect(lines().slice(0, 3)).toEqual(['Reloading', `service ${WEB2} no longer exist`, `Removing service ${WEB2} from VS ${VS}`]);
    expect(l.dests()).toEqual(['192.168.23.82:8080', '192.168.23.80:80']);
  });

  it('a virtual server taken out: its real servers, then the service itself, leave the kernel', () => {
    const l = lab();
    const text = edited(/virtual_server 172\.16\.23\.80 80 \{[\s\S]*$/, '');
    const lines = reloadAt(l, 20 * SECOND, text);
    expect(lines()).toEqual([
      'Reloading',
      `Removing Virtual Server ${VS}`,
      `Removing service ${WEB1} from VS ${VS}`,
      `Removing service ${WEB2} from VS ${VS}`,
      'Activating BFD healthchecker',
    ]);
    expect(l.ipvs.listServices()).toEqual([]);
  });

  it('a new weight is applied to the kept server (update_svr_wgt), and a new scheduler to the service', () => {
    const l = lab();
    const text = edited('weight 1', 'weight 3').replace('lb_algo rr', 'lb_algo wlc');
    const lines = reloadAt(l, 20 * SECOND, text);
    expect(lines()).toContain(`Changing weight from 1 to 3 for active service ${WEB1} of VS ${VS}`);
    const table = listAll(l.ipvs, { numeric: true });
    expect(table).toContain('TCP  172.16.23.80:80 wlc persistent 5');
    expect(table).toMatch(/-> 192\.168\.23\.80:80 +Masq +3 /);
    expect(table).toMatch(/-> 192\.168\.23\.81:8080 +Masq +1 /);
  });

  it('a server down before the reload stays down, its checker still down: one success brings it back', () => {
    const l = lab();
    l.sim.runUntil(10 * SECOND);
    l.files1.delete('/test.html');
    l.sim.runUntil(40 * SECOND);
    expect(l.dests()).toEqual(['192.168.23.81:8080']);
    const lines = reloadAt(l, 40 * SECOND, seedLvsText());
    expect(l.dests()).toEqual(['192.168.23.81:8080']);
    l.files1.set('/test.html', 'Just test for WEB1\n');
    l.sim.runUntil(42 * SECOND);
    // The first check after the reload (1 s later) succeeds, and the server is added at once.
    expect(lines()).toContain(`Remote Web server ${WEB1} succeed on service.`);
    expect(lines()).toContain(`Adding service ${WEB1} to VS ${VS}`);
    expect(l.dests()).toEqual(['192.168.23.80:80', '192.168.23.81:8080']);
  });

  it('a changed checker of a down server starts afresh and optimistic: the server is added back, then removed at its first failure', () => {
    const l = lab();
    l.sim.runUntil(10 * SECOND);
    l.files1.delete('/test.html');
    l.sim.runUntil(40 * SECOND);
    // Another url: not the same checker, so nothing is carried over; a non-alpha checker that has not run is up.
    const text = edited('path /test.html', 'path /index.html');
    const lines = reloadAt(l, 40 * SECOND, text);
    expect(lines().slice(0, 2)).toEqual(['Reloading', `Adding service ${WEB1} to VS ${VS}`]);
    expect(l.dests()).toEqual(['192.168.23.80:80', '192.168.23.81:8080']);
    // Its retries are used up: the first failed attempt (404 for /index.html) takes it out again.
    l.sim.runUntil(47 * SECOND + 100_000);
    expect(lines()).toContain(`Removing service ${WEB1} from VS ${VS}`);
    expect(l.dests()).toEqual(['192.168.23.81:8080']);
  });
});

describe('checker states a reload starts from (check_data.c validate_check_config skips its start-up settings on reload)', () => {
  it('a real server new in the configuration needs all its retries to fail, where one failure is enough at start-up', () => {
    const l = lab({ logAll: true });
    const moved = '[192.168.23.81]:tcp:8081';
    // Nothing listens on 8081: every attempt is refused.
    const text = edited('real_server 192.168.23.81 8080', 'real_server 192.168.23.81 8081').replace('global_defs {', 'global_defs {\nchecker_log_all_failures');
    const lines = reloadAt(l, 20 * SECOND, text);
    expect([...l.dests()].sort()).toEqual(['192.168.23.80:80', '192.168.23.81:8081']);
    l.sim.runUntil(50 * SECOND);
    const mine = lines().filter((x) => x.includes(moved));
    expect(mine).toEqual([
      `Activating healthchecker for service ${moved} for VS ${VS}`,
      ...Array(4).fill(`Connection failed server ${moved}.`),
      `HTTP_CHECK on service ${moved} failed after 3 retries.`,
      `Removing service ${moved} from VS ${VS}`,
    ]);
    expect(l.dests()).toEqual(['192.168.23.80:80']);
  });

  it('an identical checker carried over with no retry counted still needs all its retries to fail after the reload', () => {
    const l = lab({ logAll: true });
    const lines = reloadAt(l, 20 * SECOND, seedLvsText().replace('global_defs {', 'global_defs {\nchecker_log_all_failures'));
    l.files1.delete('/test.html');
    l.sim.runUntil(45 * SECOND);
    const web1 = lines().filter((x) => x.includes(WEB1));
    expect(web1.slice(1)).toEqual([
      ...Array(4).fill(`HTTP status code error to server ${WEB1}.`),
      `HTTP_CHECK on service ${WEB1} failed after 3 retries.`,
      `Removing service ${WEB1} from VS ${VS}`,
    ]);
  });

  it('a new alpha checker on a kept real server starts up (not down, as at start-up): its failures take the server out', () => {
    const l = lab();
    l.sim.runUntil(20 * SECOND);
    const text = edited('HTTP_GET {\nurl {\npath /test.html', 'HTTP_GET {\nalpha\nurl {\npath /missing.html');
    const lines = reloadAt(l, 20 * SECOND, text);
    l.sim.runUntil(27 * SECOND + 100_000);
    // First failed attempt: retries still to come, the server stays.
    expect(l.dests()).toEqual(['192.168.23.81:8080', '192.168.23.80:80']);
    l.sim.runUntil(40 * SECOND);
    expect(lines()).toContain(`HTTP_CHECK on service ${WEB1} failed after 3 retries.`);
    expect(lines()).toContain(`Removing service ${WEB1} from VS ${VS}`);
    expect(l.dests()).toEqual(['192.168.23.81:8080']);
  });
});

describe('a reload the checker child cannot use', () => {
  it('ending in stop_check: the child logs Stopped and exits with KEEPALIVED_EXIT_CONFIG', () => {
    const l = lab({ detail: true });
    l.sim.runUntil(10 * SECOND);
    l.checker.reloadFailed(() => {}, true);
    expect(l.logs().map((x) => x.text).slice(-2)).toEqual(['Reloading', 'Stopped - used 0.000000 user time, 0.000000 system time']);
    expect(l.proc.exitCode).toBe(2);
  });

  it('ending in the parser (a keyword missing its parameter: null_strvec exits at once): no Stopped line', () => {
    const l = lab({ detail: true });
    l.sim.runUntil(10 * SECOND);
    l.checker.reloadFailed(() => {}, false);
    expect(l.logs().map((x) => x.text).slice(-1)).toEqual(['Reloading']);
    expect(l.proc.exitCode).toBe(2);
    expect(l.dests()).toEqual(['192.168.23.81:8080', '192.168.23.80:80']);
  });
});
