import type { VrrpTimer } from './actions';
import { log, type Ctx, type Vrrp } from './context';
import { inetNtoa } from './inet';
import { canGotoMaster, groupOf, lowerPrioGarpForGroup } from './sync';
import type { VrrpStateName } from './state';
import { masterDownInterval, skewTime } from './timers';

/**
 * The VRRP instance transitions of keepalived's vrrp.c (`vrrp_state_*`), written as keepalived orders its
 * side effects, on a draft of the process state; each side effect becomes an action.
 */

export interface Advert {
  readonly srcIp: number;
  readonly priority: number;
  readonly adverInt: number;
}

/** VRRP_MS_DOWN_TIMER: Master_Down_Interval with the current effective priority and master interval. */
export function msDownTimer(v: Vrrp): number {
  return masterDownInterval(v.p.version, v.s.effectivePriority, v.s.masterAdverInt, v.p.downTimerAdverts);
}

export function setState(ctx: Ctx, v: Vrrp, to: VrrpStateName): void {
  const from = v.s.state;
  if (from === to) return;
  v.s.state = to;
  ctx.actions.push({ kind: 'state_changed', instance: v.p.name, from, to, priority: v.s.effectivePriority });
}

/** vrrp_init_instance_sands: re-derive the one VRRP deadline from the state, and move the glue's timer. */
export function initInstanceSands(ctx: Ctx, v: Vrrp): void {
  let timer: 'master_down' | 'adver' | null = null;
  let sands: number | null = null;
  if (v.s.state === 'MASTER') {
    timer = 'adver';
    sands = ctx.now + v.p.advertInt;
  } else if (v.s.state === 'BACKUP') {
    timer = 'master_down';
    sands = ctx.now + v.s.msDownTimer;
  }
  if (v.s.sandsTimer !== null && v.s.sandsTimer !== timer) {
    ctx.actions.push({ kind: 'cancel_timer', instance: v.p.name, timer: v.s.sandsTimer });
  }
  if (timer !== null && sands !== null && (timer !== v.s.sandsTimer || sands !== v.s.sands)) {
    armTimer(ctx, v, timer, sands - ctx.now);
  }
  v.s.sands = sands;
  v.s.sandsTimer = timer;
}

export function armTimer(ctx: Ctx, v: Vrrp, timer: VrrpTimer, delay: number): void {
  ctx.actions.push({ kind: 'arm_timer', instance: v.p.name, timer, delay: Math.max(0, delay) });
}

export function sendAdv(ctx: Ctx, v: Vrrp, priority: number): void {
  ctx.actions.push({ kind: 'send_advert', instance: v.p.name, priority, adverInt: v.p.advertInt });
}

/** send_instance_notifies: the state script, the generic `notify` and the FIFO, for the current state. */
export function sendInstanceNotifies(ctx: Ctx, v: Vrrp): void {
  const group = groupOf(ctx, v);
  // A member already put in its group's state by the group has notified once; keepalived does not repeat.
  if (v.s.notifiesSent && group && v.s.state === group.s.state) return;
  const state = v.s.state;
  if (state !== 'MASTER' && state !== 'BACKUP' && state !== 'FAULT' && state !== 'STOP') return;
  v.s.notifiesSent = true;
  const key = state === 'MASTER' ? 'master' : state === 'BACKUP' ? 'backup' : state === 'FAULT' ? 'fault' : 'stop';
  ctx.actions.push({
    kind: 'notify',
    instance: v.p.name,
    state,
    priority: v.s.effectivePriority,
    script: v.p.notify[key],
    generic: v.p.notify.generic,
    genericArgs: ['INSTANCE', v.p.name, state, String(v.s.effectivePriority)],
  });
}

/** vrrp_send_link_update: `rep` rounds of one gratuitous ARP per VIP, only while the VIPs are set. */
export function sendLinkUpdate(ctx: Ctx, v: Vrrp, rep: number): void {
  if (!v.s.vipSet || rep <= 0 || v.p.vips.length === 0) return;
  for (let j = 0; j < rep; j++) {
    for (const vip of v.p.vips) {
      const addr = inetNtoa(vip.address);
      if (j === 0) log(ctx, `(${v.p.name}) Sending/queueing gratuitous ARPs on ${vip.dev} for ${addr}`, true);
      log(ctx, `Sending gratuitous ARP on ${vip.dev} for ${addr}`, true);
    }
  }
  ctx.actions.push({ kind: 'send_garp', instance: v.p.name, vips: v.p.vips, repeat: rep });
}

/** vrrp_restore_interface: optional priority-0 advert, then the VIPs go. */
export function restoreInterface(ctx: Ctx, v: Vrrp, advF: boolean): void {
  if (advF) {
    sendAdv(ctx, v, 0);
    log(ctx, `(${v.p.name}) sent 0 priority`, true);
  }
  if (v.s.vipSet) removeVips(ctx, v);
}

export function removeVips(ctx: Ctx, v: Vrrp): void {
  if (v.p.vips.length > 0) {
    log(ctx, `(${v.p.name}) removing VIPs.`, true);
    ctx.actions.push({ kind: 'remove_vips', instance: v.p.name, vips: v.p.vips });
  }
  v.s.vipSet = false;
}

/** vrrp_state_become_master: VIPs, first GARP burst, refresh deadline, notifies. */
function becomeMaster(ctx: Ctx, v: Vrrp): void {
  if (v.p.version === 3 && v.s.masterAdverInt !== v.p.advertInt) {
    log(
      ctx,
      `(${v.p.name}) changing advert interval from ${v.s.masterAdverInt / 1000}ms to locally configured ${v.p.advertInt / 1000}ms`,
      true,
    );
    v.s.masterAdverInt = v.p.advertInt;
  }
  if (v.p.vips.length > 0) {
    log(ctx, `(${v.p.name}) setting VIPs.`, true);
    ctx.actions.push({ kind: 'add_vips', instance: v.p.name, vips: v.p.vips });
  }
  v.s.vipSet = true;
  sendLinkUpdate(ctx, v, v.p.garp.masterRepeat);
  if (v.p.garp.masterRefresh > 0) v.s.garpRefreshTimer = ctx.now + v.p.garp.masterRefresh;
  sendInstanceNotifies(ctx, v);
}

/** vrrp_state_master_tx: the advert first (so the old master drops the VIPs before our GARPs). */
export function masterTx(ctx: Ctx, v: Vrrp): void {
  sendAdv(ctx, v, v.s.effectivePriority);
  if (!v.s.vipSet) {
    log(ctx, `(${v.p.name}) Entering MASTER STATE`);
    becomeMaster(ctx, v);
    if (v.p.garp.masterDelay > 0) armTimer(ctx, v, 'garp_master', v.p.garp.masterDelay);
  } else if (v.s.garpRefreshTimer !== null && ctx.now > v.s.garpRefreshTimer) {
    sendLinkUpdate(ctx, v, v.p.garp.masterRefreshRepeat);
    v.s.garpRefreshTimer = ctx.now + v.p.garp.masterRefresh;
  }
}

/** vrrp_state_goto_master: unless the sync group holds it back, MASTER now. */
export function gotoMaster(ctx: Ctx, v: Vrrp): void {
  if (groupOf(ctx, v) && !canGotoMaster(ctx, v)) {
    v.s.wantstate = 'MASTER';
    return;
  }
  setState(ctx, v, 'MASTER');
  initInstanceSands(ctx, v);
  masterTx(ctx, v);
}

/** vrrp_state_leave_master, towards `wantstate` (BACKUP, or FAULT with a priority-0 advert). */
export function leaveMaster(ctx: Ctx, v: Vrrp, advF: boolean): void {
  if (v.s.wantstate === 'BACKUP') {
    log(ctx, `(${v.p.name}) Entering BACKUP STATE`);
    v.s.preemptTime = null;
  } else {
    log(ctx, `(${v.p.name}) Entering FAULT STATE`);
    sendAdv(ctx, v, 0);
  }
  restoreInterface(ctx, v, advF);
  setState(ctx, v, v.s.wantstate);
  sendInstanceNotifies(ctx, v);
  v.s.msDownTimer = msDownTimer(v);
  initInstanceSands(ctx, v);
}

/** vrrp_state_leave_fault: to `wantstate` (also used to go from BACKUP to FAULT). */
export function leaveFault(ctx: Ctx, v: Vrrp): void {
  if (v.s.wantstate === 'MASTER') {
    gotoMaster(ctx, v);
  } else {
    if (v.s.state !== v.s.wantstate) {
      log(ctx, `(${v.p.name}) Entering ${v.s.wantstate === 'BACKUP' ? 'BACKUP' : 'FAULT'} STATE`);
    }
    if (v.s.wantstate === 'FAULT' && v.s.state === 'MASTER') {
      sendAdv(ctx, v, 0);
      restoreInterface(ctx, v, false);
    }
    setState(ctx, v, v.s.wantstate);
    sendInstanceNotifies(ctx, v);
    if (v.s.state === 'BACKUP') v.s.preemptTime = null;
  }
  v.s.masterAdverInt = v.p.advertInt;
  v.s.msDownTimer = msDownTimer(v);
  initInstanceSands(ctx, v);
}

function updateMasterAdverInt(ctx: Ctx, v: Vrrp, adverInt: number): void {
  if (v.p.version !== 3 || v.s.masterAdverInt === adverInt) return;
  log(
    ctx,
    `(${v.p.name}) advertisement interval updated from ${v.s.masterAdverInt / 1000}ms to ${adverInt / 1000}ms by master`,
    true,
  );
  v.s.masterAdverInt = adverInt;
}

/** vrrp_state_backup: a valid advert while BACKUP. Returns nothing; the caller re-derives the deadline. */
export function stateBackup(ctx: Ctx, v: Vrrp, ad: Advert): void {
  const name = v.p.name;
  const prio = v.s.effectivePriority;
  if (ad.priority === 0) {
    log(ctx, `(${name}) Backup received priority 0 advertisement`, true);
    v.s.msDownTimer = skewTime(v.p.version, prio, v.s.masterAdverInt);
    return;
  }
  const preemptDelayRunning = v.p.preemptDelay > 0 && (v.s.preemptTime === null || v.s.preemptTime > ctx.now);
  if (v.p.nopreempt || ad.priority >= prio || preemptDelayRunning) {
    updateMasterAdverInt(ctx, v, ad.adverInt);
    v.s.msDownTimer = msDownTimer(v);
    v.s.masterSaddr = ad.srcIp;
    v.s.masterPriority = ad.priority;
    if (v.p.preemptDelay > 0) {
      if (ad.priority >= prio) {
        if (v.s.preemptTime !== null) {
          log(ctx, `(${name}) stop preempt delay`, true);
          v.s.preemptTime = null;
        }
      } else if (v.s.preemptTime === null) {
        const d = v.p.preemptDelay;
        log(ctx, `(${name}) start preempt delay (${Math.floor(d / 1e6)}.${String(d % 1e6).padStart(6, '0')})`, true);
        v.s.preemptTime = ctx.now + d;
      }
    }
    v.s.wantstate = 'BACKUP';
    return;
  }
  log(ctx, `(${name}) received lower priority (${ad.priority}) advert from ${inetNtoa(ad.srcIp)} - discarding`);
  v.s.masterSaddr = ad.srcIp;
  ignoreAdvert(ctx, v);
}

/** An ignored advert leaves the BACKUP deadline where the last accepted advert put it. */
export function ignoreAdvert(ctx: Ctx, v: Vrrp): void {
  v.s.msDownTimer = Math.max(0, (v.s.sands ?? ctx.now) - ctx.now);
}

/** vrrp_state_master_rx: a valid advert while MASTER; true when it must leave MASTER for BACKUP. */
export function masterRx(ctx: Ctx, v: Vrrp, ad: Advert): boolean {
  const name = v.p.name;
  const from = inetNtoa(ad.srcIp);
  const addrCmp = Math.sign(ad.srcIp - v.p.primaryIp);
  const higher = (p: number) => p > v.s.effectivePriority || (p === v.s.effectivePriority && addrCmp > 0);

  if (ad.priority === 0 || (v.p.higherPrioSendAdvert && higher(ad.priority))) {
    sendAdv(ctx, v, v.s.effectivePriority);
    if (ad.priority === 0) {
      log(ctx, `(${name}) Master received priority 0 message`, true);
      return false;
    }
  }

  if (ad.priority === v.s.effectivePriority) {
    if (addrCmp === 0) {
      log(ctx, `(${name}) WARNING - equal priority advert received from remote host with our IP address.`);
    } else if (v.s.effectivePriority === 255) {
      log(
        ctx,
        `(${name}) CONFIGURATION ERROR: local instance and a remote instance are both configured as address owner, please fix - reducing local priority`,
      );
      v.s.effectivePriority = 254;
      v.s.basePriority = 254;
    }
  }

  const ours = v.s.effectivePriority;
  if (ad.priority < ours || (ad.priority === ours && addrCmp < 0)) {
    const election = v.p.lowerPrioNoAdvert ? '' : ', forcing new election';
    log(ctx, `(${name}) Received advert from ${from} with lower priority ${ad.priority}, ours ${ours}${election}`);
    if (!v.p.lowerPrioNoAdvert) sendAdv(ctx, v, ours);
    lowerPrioGarp(ctx, v);
    lowerPrioGarpForGroup(ctx, v);
    return false;
  }

  if (higher(ad.priority)) {
    if (ad.priority > ours) {
      log(ctx, `(${name}) Master received advert from ${from} with higher priority ${ad.priority}, ours ${ours}`);
    } else {
      log(ctx, `(${name}) Master received advert from ${from} with same priority ${ad.priority} but higher IP address than ours`);
    }
    updateMasterAdverInt(ctx, v, ad.adverInt);
    v.s.msDownTimer = msDownTimer(v);
    v.s.masterPriority = ad.priority;
    v.s.wantstate = 'BACKUP';
    setState(ctx, v, 'BACKUP');
    return true;
  }
  return false;
}

/** garp_lower_prio_repeat GARPs now and, after garp_lower_prio_delay, again. */
export function lowerPrioGarp(ctx: Ctx, v: Vrrp): void {
  if (v.p.garp.lowerPrioRepeat <= 0) return;
  sendLinkUpdate(ctx, v, v.p.garp.lowerPrioRepeat);
  if (v.p.garp.lowerPrioDelay > 0) armTimer(ctx, v, 'garp_lower_prio', v.p.garp.lowerPrioDelay);
}
