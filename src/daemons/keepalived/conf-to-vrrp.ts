import { parseIpv4, type Ipv4 } from '../../net/addr';
import type { KeepalivedConfig, VrrpInstance } from './config';
import type { NotifyScripts, VirtualIp, VrrpConfig, VrrpInstanceParams } from './vrrp';
import type { InstanceWire } from './vrrp-packet';

/**
 * keepalived.conf model → the state machine's parameters, with keepalived's completion rules
 * (vrrp_complete_instance): `state MASTER` clears nopreempt and preempt_delay, priority 255 clears
 * nopreempt, the primary address is the interface's first address unless unicast_src_ip / mcast_src_ip.
 */
export function toVrrpConfig(conf: KeepalivedConfig, primaryOf: (dev: string) => Ipv4 | undefined): { config: VrrpConfig; wires: InstanceWire[] } {
  const wires: InstanceWire[] = [];
  const instances = conf.vrrpInstances
    .filter((i) => i.interface !== undefined && i.virtualIpaddress.every((v) => v.family === 4))
    .map((i) => {
      const params = instanceParams(i, primaryOf);
      wires.push({ params, authType: i.authType === 'PASS' ? 1 : 0, authPass: i.authPass ?? '' });
      return params;
    });
  const names = new Set(instances.map((i) => i.name));
  return {
    wires,
    config: {
      instances,
      scripts: conf.vrrpScripts.map((s) => ({ name: s.name, interval: s.interval, rise: s.rise, fall: s.fall, initFail: s.initFail })),
      syncGroups: conf.vrrpSyncGroups.map((g) => ({
        name: g.name,
        members: g.group.filter((m) => names.has(m)),
        trackingWeight: g.syncGroupTrackingWeight,
        notify: notifyScripts(g),
      })),
    },
  };
}

function instanceParams(i: VrrpInstance, primaryOf: (dev: string) => Ipv4 | undefined): VrrpInstanceParams {
  const dev = i.interface!;
  const owner = i.priority === 255;
  const master = i.state === 'MASTER';
  const src = i.unicastSrcIp ?? i.mcastSrcIp;
  const vips: VirtualIp[] = i.virtualIpaddress.map((v) => ({
    text: v.address,
    address: parseIpv4(v.address)!,
    prefixLength: v.prefix,
    dev: v.dev ?? dev,
  }));
  return {
    name: i.name,
    interface: dev,
    vrid: i.virtualRouterId,
    priority: i.priority,
    initialState: i.state,
    advertInt: i.advertInt,
    version: i.version,
    nopreempt: i.nopreempt && !owner && !master,
    preemptDelay: master ? 0 : i.preemptDelay,
    downTimerAdverts: i.downTimerAdverts,
    primaryIp: (src !== undefined ? parseIpv4(src) : undefined) ?? primaryOf(dev) ?? 0,
    vips,
    garp: {
      masterDelay: i.garpMasterDelay,
      masterRepeat: i.garpMasterRepeat,
      masterRefresh: i.garpMasterRefresh,
      masterRefreshRepeat: i.garpMasterRefreshRepeat,
      lowerPrioRepeat: i.garpLowerPrioRepeat,
      lowerPrioDelay: i.garpLowerPrioDelay,
    },
    trackScripts: i.trackScript.map((t) => ({ name: t.name, weight: t.weight, reverse: t.reverse })),
    trackInterfaces: i.trackInterface.map((t) => ({ name: t.name, weight: t.weight, reverse: t.reverse })),
    dontTrackPrimary: i.dontTrackPrimary,
    notify: { ...notifyScripts(i), ...(i.notifyDeleted !== undefined && { deleted: i.notifyDeleted }) },
    lowerPrioNoAdvert: i.lowerPrioNoAdvert,
    higherPrioSendAdvert: i.higherPrioSendAdvert,
    unicastPeers: i.unicastPeer.map((p) => parseIpv4(p)).filter((p): p is number => p !== undefined),
  };
}

/** notify_master / notify_backup / notify_fault / notify_stop / notify of an instance or a sync group. */
function notifyScripts(x: { notifyMaster?: string; notifyBackup?: string; notifyFault?: string; notifyStop?: string; notify?: string }): NotifyScripts {
  return {
    ...(x.notifyMaster !== undefined && { master: x.notifyMaster }),
    ...(x.notifyBackup !== undefined && { backup: x.notifyBackup }),
    ...(x.notifyFault !== undefined && { fault: x.notifyFault }),
    ...(x.notifyStop !== undefined && { stop: x.notifyStop }),
    ...(x.notify !== undefined && { generic: x.notify }),
  };
}
