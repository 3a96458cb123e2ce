import { describe, expect, it } from 'vitest';
import {
  scriptOnReload,
  vrrpInitialState,
  vrrpStep,
  vrrpStepInPlace,
  type VrrpAction,
  type VrrpConfig,
  type VrrpInput,
  type VrrpInstanceParams,
} from '../../../../src/daemons/keepalived/vrrp';
import { SECOND } from '../../../../src/sim/time';
import { adverts, config, Driver, instance, ip, kinds, Lan, logs, script, VIP } from './harness';

const skew = (prio: number) => Math.floor(((256 - prio) * SECOND) / 256);
const mdi = (prio: number) => 3 * SECOND + skew(prio);
const VIP81 = { text: '172.16.23.81', address: ip(81), prefixLength: 32, dev: 'eth0' };

/** The seed's pair: proxy1 (node 0, .100, MASTER 100) and proxy2 (node 1, .101, BACKUP 99), VRID 10. */
const proxy1 = (over: Partial<VrrpInstanceParams> = {}) =>
  config([instance({ name: 'VI_PROXY_HA', vrid: 10, priority: 100, initialState: 'MASTER', primaryIp: ip(100), ...over })]);
const proxy2 = () => config([instance({ name: 'VI_PROXY_HA', vrid: 10, priority: 99, primaryIp: ip(101) })]);

/** proxy2 starts at 0, proxy1 at 5 s: proxy1 is MASTER from 5 s + MDI(100) on, advertising every second. */
function pair(): Lan {
  const l = new Lan([
    { driver: new Driver(proxy1()), ip: ip(100) },
    { driver: new Driver(proxy2()), ip: ip(101) },
  ]);
  l.at(0, 1, { kind: 'start' });
  l.at(5 * SECOND, 0, { kind: 'start' });
  return l;
}
const BECAME_MASTER = 5 * SECOND + mdi(100);
const HUP = BECAME_MASTER + 2 * SECOND + SECOND / 2;

/** A lone MASTER (proxy1's instance), as at `HUP`. */
function master(cfg: VrrpConfig = proxy1()): Driver {
  const d = new Driver(cfg);
  d.feed({ kind: 'start' }, 0);
  d.advance(HUP);
  expect(d.vrrp('VI_PROXY_HA').state).toBe('MASTER');
  return d;
}

const states = (l: Lan) => l.nodes.map((n) => n.driver.vrrp('VI_PROXY_HA').state);

describe('reload (SIGHUP) of the VRRP child', () => {
  it('unchanged config, MASTER: one advert at the signal, one more right after the reload, then every second from there', () => {
    const d = master();
    const actions = d.reload(proxy1(), HUP);
    expect(kinds(actions)).toEqual(['send_advert', 'log', 'config_completed', 'log', 'arm_timer']);
    expect(logs(actions)).toEqual(['Reloading', '(VI_PROXY_HA) setting VIPs.']);
    expect(logs(actions, false)).toEqual(['Reloading']);
    expect(d.deadline('VI_PROXY_HA', 'adver')).toBe(HUP);
    const after = d.advance(HUP);
    // No "Entering MASTER STATE", no VIP change, no GARP, no notify: the MASTER just goes on.
    expect(kinds(after)).toEqual(['send_advert', 'arm_timer']);
    expect(adverts(after)).toEqual([100]);
    expect(d.deadline('VI_PROXY_HA', 'adver')).toBe(HUP + SECOND);
    expect(d.vrrp('VI_PROXY_HA')).toMatchObject({ state: 'MASTER', vipSet: true, effectivePriority: 100 });
  });

  it('unchanged config, BACKUP: nothing sent or logged but `Reloading`; the down timer restarts at a full MDI', () => {
    const l = pair();
    const hup = HUP + SECOND / 4;
    const actions = l.reload(hup, 1, proxy2());
    expect(kinds(actions)).toEqual(['log', 'config_completed', 'arm_timer']);
    expect(logs(actions)).toEqual(['Reloading']);
    expect(l.nodes[1]!.driver.deadline('VI_PROXY_HA', 'master_down')).toBe(hup + mdi(99));
    l.run(hup + 20 * SECOND);
    expect(states(l)).toEqual(['MASTER', 'BACKUP']);
  });

  it('priority 100 → 90 on the MASTER: no priority-0 advert; the 99 takes over MDI(99) after the last 100 advert (the one sent at the signal)', () => {
    const l = pair();
    const actions = l.reload(HUP, 0, proxy1({ priority: 90 }));
    expect(adverts(actions)).toEqual([100]);
    l.run(HUP + 100);
    expect(adverts(l.nodes[0]!.driver.all.slice(-2))).toEqual([90]);
    const d2 = l.nodes[1]!.driver;
    expect(logs(d2.all)).toContain('(VI_PROXY_HA) received lower priority (90) advert from 172.16.23.100 - discarding');
    const takeover = HUP + 100 + mdi(99);
    l.run(takeover - 1);
    expect(states(l)).toEqual(['MASTER', 'BACKUP']);
    l.run(takeover + 200);
    expect(states(l)).toEqual(['BACKUP', 'MASTER']);
    expect(logs(l.nodes[0]!.driver.all)).toContain('(VI_PROXY_HA) Master received advert from 172.16.23.101 with higher priority 99, ours 90');
  });

  it('a second VIP: only it is added, then a GARP burst for every VIP; no state change', () => {
    const d = master();
    const actions = d.reload(proxy1({ vips: [VIP, VIP81] }), HUP);
    expect(actions.find((a) => a.kind === 'add_vips')).toMatchObject({ vips: [VIP81] });
    expect(actions.find((a) => a.kind === 'send_garp')).toMatchObject({ vips: [VIP, VIP81], repeat: 5 });
    expect(logs(actions)).toEqual([
      'Reloading',
      '(VI_PROXY_HA) setting VIPs.',
      '(VI_PROXY_HA) Sending/queueing gratuitous ARPs on eth0 for 172.16.23.80',
      'Sending gratuitous ARP on eth0 for 172.16.23.80',
      '(VI_PROXY_HA) Sending/queueing gratuitous ARPs on eth0 for 172.16.23.81',
      'Sending gratuitous ARP on eth0 for 172.16.23.81',
      ...Array(4).fill(['Sending gratuitous ARP on eth0 for 172.16.23.80', 'Sending gratuitous ARP on eth0 for 172.16.23.81']).flat(),
    ]);
    expect(kinds(actions).filter((k) => k === 'state_changed' || k === 'notify')).toEqual([]);
  });

  it('a VIP dropped from the MASTER: deleted with keepalived\'s "no longer exist" line, the others stay', () => {
    const d = master(proxy1({ vips: [VIP, VIP81] }));
    const actions = d.reload(proxy1(), HUP);
    expect(logs(actions)).toEqual(['Reloading', '(VI_PROXY_HA) ip address 172.16.23.81/32 dev eth0, no longer exist', '(VI_PROXY_HA) setting VIPs.']);
    expect(actions.find((a) => a.kind === 'remove_vips')).toMatchObject({ vips: [VIP81] });
    expect(kinds(actions)).not.toContain('add_vips');
    expect(kinds(actions)).not.toContain('send_garp');
  });

  it('VIPs of a BACKUP are not touched (they are not set)', () => {
    const d = new Driver(proxy2());
    d.feed({ kind: 'start' }, 0);
    const actions = d.reload(config([instance({ name: 'VI_PROXY_HA', vrid: 10, priority: 99, primaryIp: ip(101), vips: [VIP, VIP81] })]), SECOND);
    expect(kinds(actions)).toEqual(['log', 'config_completed', 'arm_timer']);
  });

  it('renamed instance (same VRID and interface): the state goes with it, under the new name', () => {
    const d = master();
    const actions = d.reload(proxy1({ name: 'VI_PROXY_NEW' }), HUP);
    expect(logs(actions)).toEqual(['Reloading', '(VI_PROXY_NEW) setting VIPs.']);
    expect(Object.keys(d.state.instances)).toEqual(['VI_PROXY_NEW']);
    expect(d.vrrp('VI_PROXY_NEW')).toMatchObject({ state: 'MASTER', vipSet: true });
    expect(adverts(d.advance(HUP))).toEqual([100]);
    expect(kinds(actions)).not.toContain('state_changed');
  });

  it('VRID changed: the old instance sends priority 0 and drops its VIPs, the new one starts as at start-up', () => {
    const d = master(proxy1({ notify: { fault: '/etc/rc.d/init.d/nginx stop', backup: '/etc/rc.d/init.d/nginx restart' } }));
    const actions = d.reload(proxy1({ vrid: 11, notify: { fault: '/etc/rc.d/init.d/nginx stop', backup: '/etc/rc.d/init.d/nginx restart' } }), HUP);
    expect(adverts(actions)).toEqual([100, 0]);
    expect(logs(actions)).toEqual([
      'Reloading',
      '(VI_PROXY_HA) sent 0 priority',
      '(VI_PROXY_HA) removing VIPs.',
      '(VI_PROXY_HA) Entering BACKUP STATE (init)',
    ]);
    const changes = actions.filter((a) => a.kind === 'state_changed');
    expect(changes).toMatchObject([
      { from: 'MASTER', to: 'DELETED' },
      { from: 'INIT', to: 'BACKUP' },
    ]);
    // notify_fault is not run for the deleted instance [obs]; the new one notifies BACKUP.
    expect(actions.filter((a) => a.kind === 'notify')).toMatchObject([{ state: 'BACKUP', script: '/etc/rc.d/init.d/nginx restart' }]);
    expect(d.deadline('VI_PROXY_HA', 'master_down')).toBe(HUP + mdi(100));
  });

  it('deleted instance with a generic notify: it is told FAULT', () => {
    const d = master(proxy1({ notify: { generic: '/bin/n.sh' } }));
    const actions = d.reload(config([]), HUP);
    expect(actions.filter((a) => a.kind === 'notify')).toMatchObject([
      { state: 'FAULT', script: undefined, genericArgs: ['INSTANCE', 'VI_PROXY_HA', 'FAULT', '100'] },
    ]);
  });

  it('notify_deleted: the deleted script runs and the generic notify is told DELETED, even for a FAULT instance', () => {
    const notify = { deleted: '/bin/d.sh', generic: '/bin/n.sh' };
    const d = new Driver(proxy1({ notify }));
    d.feed({ kind: 'start' }, 0);
    d.feed({ kind: 'interface_down', interface: 'eth0' }, SECOND);
    const actions = d.reload(config([]), HUP);
    expect(actions.filter((a) => a.kind === 'notify')).toMatchObject([
      { state: 'DELETED', script: '/bin/d.sh', genericArgs: ['INSTANCE', 'VI_PROXY_HA', 'DELETED', '100'] },
    ]);
    // Without notify_deleted a removed FAULT instance is not notified at all.
    const quiet = new Driver(proxy1({ notify: { generic: '/bin/n.sh' } }));
    quiet.feed({ kind: 'start' }, 0);
    quiet.feed({ kind: 'interface_down', interface: 'eth0' }, SECOND);
    expect(kinds(quiet.reload(config([]), HUP))).not.toContain('notify');
  });

  it('every instance removed: priority 0, VIPs gone, the peer takes over Skew_Time later; the process keeps running empty', () => {
    const l = pair();
    const actions = l.reload(HUP, 0, config([]));
    expect(adverts(actions)).toEqual([100, 0]);
    expect(l.nodes[0]!.driver.state.instances).toEqual({});
    l.run(HUP + 100 + skew(99));
    expect(l.nodes[1]!.driver.vrrp('VI_PROXY_HA').state).toBe('MASTER');
  });

  it('a new instance next to a kept one: the kept MASTER goes on, the new one enters BACKUP (init)', () => {
    const d = master();
    const extra = instance({ name: 'VI_2', vrid: 20, priority: 50, vips: [VIP81] });
    const actions = d.reload(config([...proxy1().instances, extra]), HUP);
    expect(logs(actions, false)).toEqual(['Reloading', '(VI_2) Entering BACKUP STATE (init)']);
    expect(d.deadline('VI_2', 'master_down')).toBe(HUP + mdi(50));
    expect(d.deadline('VI_PROXY_HA', 'adver')).toBe(HUP);
  });

  it('a weighted script keeps its result: failed stays failed, and the priority stays reduced', () => {
    const chk = script({ fall: 2, rise: 1 });
    const cfg = proxy1({ trackScripts: [{ name: 'chk_nginx', weight: -5, reverse: false }] });
    const withChk: VrrpConfig = { ...cfg, scripts: [chk] };
    const d = master(withChk);
    const fail: VrrpInput = { kind: 'script_result', script: 'chk_nginx', outcome: { kind: 'exited', status: 1 } };
    d.feed({ kind: 'script_result', script: 'chk_nginx', outcome: { kind: 'exited', status: 0 } }, HUP - 3 * SECOND);
    d.feed(fail, HUP - 2 * SECOND);
    d.feed(fail, HUP - SECOND);
    expect(d.vrrp('VI_PROXY_HA').effectivePriority).toBe(95);
    const actions = d.reload(withChk, HUP);
    expect(logs(actions, false)).toEqual([
      'Reloading',
      'VRRP_Script(chk_nginx) considered unsuccessful on reload',
      '(VI_PROXY_HA) Changing effective priority from 100 to 95',
    ]);
    expect(adverts(d.advance(HUP))).toEqual([95]);
  });

  it('a sync group of two MASTERs stays MASTER: no instance or group notify, both re-advertise at once', () => {
    const members = [
      instance({ name: 'A', vrid: 51, notify: { master: '/bin/a.sh' } }),
      instance({ name: 'B', vrid: 52, interface: 'eth1', vips: [{ ...VIP81, dev: 'eth1' }] }),
    ];
    const cfg = config(members, [], [{ name: 'VG', members: ['A', 'B'], trackingWeight: false, notify: { master: '/bin/g.sh', backup: '/bin/gb.sh' } }]);
    const d = new Driver(cfg);
    d.feed({ kind: 'start' }, 0);
    d.advance(mdi(100) + SECOND);
    expect([d.vrrp('A').state, d.vrrp('B').state, d.state.groups['VG']!.state]).toEqual(['MASTER', 'MASTER', 'MASTER']);
    const actions = d.reload(cfg, HUP);
    expect(kinds(actions).filter((k) => k === 'notify' || k === 'notify_group' || k === 'state_changed')).toEqual([]);
    expect(d.state.groups['VG']!.state).toBe('MASTER');
    expect(adverts(d.advance(HUP))).toEqual([100, 100]);
  });

  it('an instance in FAULT before and after the reload is not announced again', () => {
    const d = new Driver(proxy1({ notify: { fault: '/bin/f.sh' } }));
    d.feed({ kind: 'start' }, 0);
    d.feed({ kind: 'interface_down', interface: 'eth0' }, SECOND);
    expect(d.vrrp('VI_PROXY_HA').state).toBe('FAULT');
    const actions = d.reload(proxy1({ notify: { fault: '/bin/f.sh' } }), HUP);
    expect(logs(actions)).toEqual(['Reloading', '(VI_PROXY_HA): entering FAULT state (interface eth0 down)']);
    expect(kinds(actions)).not.toContain('notify');
    // Rebuilt from INIT inside keepalived, but no change for the trace.
    expect(kinds(actions)).not.toContain('state_changed');
    expect(d.vrrp('VI_PROXY_HA').state).toBe('FAULT');
    expect(d.timers.size).toBe(0);
  });

  it('vrrpStepInPlace performs the same reload as vrrpStep', () => {
    const d = master(proxy1({ vips: [VIP, VIP81] }));
    const next = config([instance({ name: 'VI_PROXY_NEW', vrid: 10, priority: 90, initialState: 'MASTER', primaryIp: ip(100), vips: [VIP] })]);
    const copy = structuredClone(d.state);
    const inPlace: VrrpAction[] = [
      ...vrrpStepInPlace(d.config, copy, { kind: 'reload_signal' }, HUP),
      ...vrrpStepInPlace(d.config, copy, { kind: 'reload', config: next }, HUP),
    ];
    const actions = d.reload(next, HUP);
    expect(inPlace).toEqual(actions);
    expect(copy).toEqual(d.state);
  });
});

describe('scriptOnReload (clear_diff_script)', () => {
  const s = script({ rise: 2, fall: 3 });
  it('a script still in its initial state starts over', () => {
    expect(scriptOnReload(s, { result: 1, lastStatus: 0, initState: 'init' }, s)).toEqual({
      state: { result: 1, lastStatus: 0, initState: 'init' },
      log: null,
    });
  });
  it('good at the top stays at the new top; failed keeps its distance below rise', () => {
    const bigger = script({ rise: 3, fall: 4 });
    expect(scriptOnReload(s, { result: 4, lastStatus: 0, initState: 'done' }, bigger)).toEqual({
      state: { result: 6, lastStatus: 0, initState: 'done' },
      log: 'VRRP_Script(chk_nginx) considered successful on reload',
    });
    expect(scriptOnReload(s, { result: 1, lastStatus: 1, initState: 'done' }, bigger).state.result).toBe(2);
    expect(scriptOnReload(s, { result: 0, lastStatus: 1, initState: 'done' }, bigger)).toEqual({
      state: { result: 0, lastStatus: 1, initState: 'done' },
      log: 'VRRP_Script(chk_nginx) considered unsuccessful on reload',
    });
    expect(scriptOnReload(s, { result: 3, lastStatus: 0, initState: 'done' }, script({ rise: 1, fall: 1 })).state.result).toBe(1);
  });
  it('is applied to the process state on reload', () => {
    const cfg = { ...proxy1(), scripts: [s] };
    const st = vrrpInitialState(cfg);
    const next = vrrpStep(cfg, st, { kind: 'reload', config: cfg }, 0);
    expect(next.state.scripts['chk_nginx']).toEqual(st.scripts['chk_nginx']);
  });
});
