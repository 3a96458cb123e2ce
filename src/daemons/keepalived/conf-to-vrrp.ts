import { parseIpv4, type Ipv4 } from '../../net/addr';
import type { KeepalivedConfig, VrrpInstance } from './config';
import { GARP_DEFAULTS, type VirtualIp, type VrrpConfig, type VrrpInstanceParams } from './vrrp';
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
      const params = instanceParams(conf, i, primaryOf);
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
        notify: {
          ...(g.notifyMaster !== undefined && { master: g.notifyMaster }),
          ...(g.notifyBackup !== undefined && { backup: g.notifyBackup }),
          ...(g.notifyFault !== undefined && { fault: g.notifyFault }),
          ...(g.notifyStop !== undefined && { stop: g.notifyStop }),
          ...(g.notify !== undefined && { generic: g.notify }),
        },
      })),
    },
  };
}

function instanceParams(conf: KeepalivedConfig, i: VrrpInstance, primaryOf: (dev: string) => Ipv4 | undefined): VrrpInstanceParams {
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
  const g = conf.globalDefs;
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
      masterDelay: i.garpMasterDelay ?? g.vrrpGarpMasterDelay ?? GARP_DEFAULTS.masterDelay,
      masterRepeat: i.garpMasterRepeat,
      masterRefresh: i.garpMasterRefresh,
      masterRefreshRepeat: i.garpMasterRefreshRepeat,
      lowerPrioRepeat: i.garpLowerPrioRepeat,
      lowerPrioDelay: i.garpLowerPrioDelay,
    },
    trackScripts: i.trackScript.map((t) => ({ name: t.name, weight: t.weight, reverse: t.reverse })),
    trackInterfaces: i.trackInterface.map((t) => ({ name: t.name, weight: t.weight, reverse: t.reverse })),
    dontTrackPrimary: i.dontTrackPrimary,
    notify: {
      ...(i.notifyMaster !== undefined && { master: i.notifyMaster }),
      ...(i.notifyBackup !== undefined && { backup: i.notifyBackup }),
      ...(i.notifyFault !== undefined && { fault: i.notifyFault }),
      ...(i.notifyStop !== undefined && { stop: i.notifyStop }),
      ...(i.notify !== undefined && { generic: i.notify }),
    },
    lowerPrioNoAdvert: i.lowerPrioNoAdvert,
    higherPrioSendAdvert: i.higherPrioSendAdvert,
    unicastPeers: i.unicastPeer.map((p) => parseIpv4(p)).filter((p): p is number => p !== undefined),
  };
}
