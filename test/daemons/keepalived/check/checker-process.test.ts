import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../../src/sim/time';
import { lab } from './lab';

describe('CheckerProcess on a director with two web servers (seed experiments 5 and 6)', () => {
  it('starts: IPVS programmed at once, checkers activated, first checks within 1 s + warmup', () => {
    const l = lab();
    expect(l.dests()).toEqual(['192.168.23.81:8080', '192.168.23.80:80']);
    l.sim.runUntil(8 * SECOND);
    const texts = l.logs().map((x) => x.text);
    expect(texts.slice(0, 4)).toEqual([
      'Gained quorum 1+0=1 <= 2 for VS [172.16.23.80]:tcp:80',
      'Activating healthchecker for service [192.168.23.80]:tcp:80 for VS [172.16.23.80]:tcp:80',
      'Activating healthchecker for service [192.168.23.81]:tcp:8080 for VS [172.16.23.80]:tcp:80',
      'Activating BFD healthchecker',
    ]);
    const ups = l.logs().filter((x) => x.text.startsWith('Remote Web server'));
    expect(ups.map((x) => x.text)).toEqual(expect.arrayContaining([
      'Remote Web server [192.168.23.80]:tcp:80 succeed on service.',
      'Remote Web server [192.168.23.81]:tcp:8080 succeed on service.',
    ]));
    for (const u of ups) expect(u.t).toBeGreaterThan(1);
    for (const u of ups) expect(u.t).toBeLessThan(7.1);
    expect(l.seen1[0]).toBe('/test.html');
  });

  it('test.html renamed on both: removed after 4 failed attempts, sorry server in; back: out again', () => {
    const l = lab();
    l.sim.runUntil(30 * SECOND);
    l.files1.delete('/test.html');
    l.files2.delete('/test.html');
    l.sim.runUntil(60 * SECOND);
    const gone = l.logs().filter((x) => x.t >= 30);
    const texts = gone.map((x) => x.text);
    expect(texts).toContain('HTTP_CHECK on service [192.168.23.80]:tcp:80 failed after 3 retries.');
    expect(texts).toContain('Removing service [192.168.23.80]:tcp:80 from VS [172.16.23.80]:tcp:80');
    expect(texts).toContain('Adding sorry server [192.168.23.121]:tcp:8080 to VS [172.16.23.80]:tcp:80');
    // 9–15 s after the files went (plus the attempts' milliseconds).
    const removed = gone.find((x) => x.text.startsWith('Removing service [192.168.23.80]'))!.t;
    expect(removed).toBeGreaterThan(39);
    expect(removed).toBeLessThan(45.1);
    expect(l.dests()).toEqual(['192.168.23.121:8080']);

    l.files1.set('/test.html', 'Just test for WEB1\n');
    l.sim.runUntil(80 * SECOND);
    const back = l.logs().filter((x) => x.t >= 60);
    const firstOk = back.find((x) => x.text === 'MD5 digest success to [192.168.23.80]:tcp:80 url(/test.html)')!.t;
    const up = back.find((x) => x.text === 'Remote Web server [192.168.23.80]:tcp:80 succeed on service.')!.t;
    expect(up - firstOk).toBeGreaterThan(6);
    expect(up - firstOk).toBeLessThan(6.1);
    expect(back.filter((x) => x.t === up).map((x) => x.text)).toEqual([
      'MD5 digest success to [192.168.23.80]:tcp:80 url(/test.html)',
      'Remote Web server [192.168.23.80]:tcp:80 succeed on service.',
      'Adding service [192.168.23.80]:tcp:80 to VS [172.16.23.80]:tcp:80',
      'Gained quorum 1+0=1 <= 1 for VS [172.16.23.80]:tcp:80',
      'Removing sorry server [192.168.23.121]:tcp:8080 from VS [172.16.23.80]:tcp:80',
      'Adding alive servers to the pool for VS [172.16.23.80]:tcp:80',
    ]);
    expect(l.dests()).toEqual(['192.168.23.80:80']);
  });

  it('a real server that refuses the connection goes down at its first check (retries primed at start)', () => {
    const l = lab({ web2Listening: false, logAll: true });
    l.sim.runUntil(8 * SECOND);
    const lines = l.logs().filter((x) => x.text.includes('192.168.23.81'));
    expect(lines.slice(1).map((x) => x.text)).toEqual([
      'Connection failed server [192.168.23.81]:tcp:8080.',
      'HTTP_CHECK on service [192.168.23.81]:tcp:8080 failed after 3 retries.',
      'Removing service [192.168.23.81]:tcp:8080 from VS [172.16.23.80]:tcp:80',
    ]);
    expect(l.dests()).toEqual(['192.168.23.80:80']);
  });

  it('SIGSTOP freezes the checks, SIGCONT resumes them where they were', () => {
    const l = lab();
    l.sim.runUntil(10 * SECOND);
    l.director.signal(l.proc.pid, 'STOP');
    const before = l.seen1.length;
    l.sim.runUntil(30 * SECOND);
    expect(l.seen1.length).toBe(before);
    l.director.signal(l.proc.pid, 'CONT');
    l.sim.runUntil(40 * SECOND);
    expect(l.seen1.length).toBeGreaterThan(before);
    expect(l.logs().filter((x) => x.t > 10).map((x) => x.text)).toEqual([]);
  });

  it('SIGTERM: services shut down and the child exits', () => {
    const l = lab();
    l.sim.runUntil(10 * SECOND);
    l.checker.terminate();
    expect(l.logs().slice(-3).map((x) => x.text)).toEqual([
      'Shutting down service [192.168.23.80]:tcp:80 from VS [172.16.23.80]:tcp:80',
      'Shutting down service [192.168.23.81]:tcp:8080 from VS [172.16.23.80]:tcp:80',
      'Stopped',
    ]);
    expect(l.ipvs.listServices()).toEqual([]);
    expect(l.proc.alive).toBe(false);
  });
});
