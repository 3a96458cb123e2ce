import type { VrrpConfig, VrrpInstanceParams } from './params';

/**
 * Load-time pruning of weighted tracking (vrrp.c `vrrp_complete_instance`). In a sync group without
 * `sync_group_tracking_weight`, weighted scripts are removed and weighted interfaces become weight 0 (down ⇒
 * FAULT); an address owner (priority 255) drops both. Returns the config the state machine runs on and the
 * configuration warnings keepalived reports (they also make `keepalived -t` exit 5).
 */
export function vrrpCompleteTracking(config: VrrpConfig): { config: VrrpConfig; warnings: string[] } {
  const warnings: string[] = [];
  const inSyncGroup = new Set<string>();
  for (const g of config.syncGroups) if (!g.trackingWeight) for (const m of g.members) inSyncGroup.add(m);
  const instances = config.instances.map((p): VrrpInstanceParams => {
    const sync = inSyncGroup.has(p.name);
    if (!sync && p.priority !== 255) return p;
    for (const t of p.trackInterfaces) {
      if (t.weight === 0) continue;
      warnings.push(
        sync
          ? `(${p.name}) ignoring ${t.name} tracked interface weight due to SYNC group`
          : `(${p.name}) ignoring ${t.name} tracked interface due to address owner`,
      );
    }
    for (const t of p.trackScripts) {
      if (t.weight === 0) continue;
      const why = sync ? 'SYNC group' : 'address_owner';
      warnings.push(`(${p.name}) ignoring tracked script ${t.name} with weights due to ${why}`);
    }
    return {
      ...p,
      trackScripts: p.trackScripts.filter((t) => t.weight === 0),
      trackInterfaces: sync
        ? p.trackInterfaces.map((t) => (t.weight === 0 ? t : { ...t, weight: 0 }))
        : p.trackInterfaces.filter((t) => t.weight === 0),
    };
  });
  return { config: { ...config, instances }, warnings };
}
