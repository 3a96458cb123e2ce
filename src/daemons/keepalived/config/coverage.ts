import { KEYWORDS } from './inventory';

/**
 * Which keepalived keywords vrrpsim acts on. Every keyword of 2.2.7 is parsed and kept in the model;
 * "simulated" ones change what the simulated daemons do, the rest are "accepted, not simulated" (some of
 * those have typed fields already, waiting for the daemon code that reads them). Keep this list true.
 */
export interface KeywordStatus {
  readonly block: string;
  readonly keyword: string;
  readonly status: 'simulated' | 'parsed';
}

const CHECKER_COMMON = [
  'connect_ip', 'connect_port', 'bindto', 'connect_timeout', 'retry', 'delay_before_retry', 'warmup',
  'delay_loop', 'alpha', 'log_all_failures', 'nb_get_retry', 'virtualhost', 'http_protocol', 'url', 'misc_path',
  'misc_timeout', 'misc_dynamic', 'fast_recovery',
];

const SIMULATED: Readonly<Record<string, readonly string[]>> = {
  top: ['global_defs', 'static_routes', 'vrrp_sync_group', 'vrrp_instance', 'vrrp_script', 'virtual_server'],
  global_defs: [
    'router_id', 'enable_script_security', 'script_user', 'vrrp_version', 'vrrp_garp_master_delay', 'vrrp_garp_master_repeat', 'vrrp_garp_master_refresh',
    'vrrp_garp_master_refresh_repeat', 'vrrp_garp_lower_prio_delay', 'vrrp_garp_lower_prio_repeat', 'vrrp_lower_prio_no_advert', 'vrrp_higher_prio_send_advert', 'vrrp_down_timer_adverts', 'checker_log_all_failures', 'lvs_sync_daemon',
  ],
  vrrp_instance: [
    'state', 'interface', 'virtual_router_id', 'priority', 'advert_int', 'version', 'virtual_ipaddress', 'track_interface', 'track_script', 'dont_track_primary', 'mcast_src_ip',
    'unicast_src_ip', 'unicast_peer', 'nopreempt', 'preempt', 'preempt_delay', 'notify_master',
    'notify_backup', 'notify_fault', 'notify_stop', 'notify', 'garp_master_delay',
    'garp_master_refresh', 'garp_master_repeat', 'garp_master_refresh_repeat', 'garp_lower_prio_delay',
    'garp_lower_prio_repeat', 'lower_prio_no_advert', 'higher_prio_send_advert', 'down_timer_adverts', 'authentication',
  ],
  'vrrp_instance.authentication': ['auth_type', 'auth_pass'],
  vrrp_sync_group: ['group', 'notify_master', 'notify_backup', 'notify_fault', 'notify_stop', 'notify', 'sync_group_tracking_weight'],
  vrrp_script: ['script', 'interval', 'timeout', 'weight', 'rise', 'fall', 'init_fail'],
  virtual_server: [
    'delay_before_retry', 'retry', 'warmup', 'connect_timeout', 'delay_loop', 'inhibit_on_failure', 'lb_algo', 'lvs_sched',
    'lb_kind', 'lvs_method', 'persistence_timeout', 'protocol', 'alpha', 'omega', 'quorum_up', 'quorum_down', 'quorum',
    'hysteresis', 'sorry_server', 'sorry_server_inhibit', 'real_server', 'virtualhost',
  ],
  'virtual_server.real_server': [
    'weight', 'lvs_method', 'inhibit_on_failure', 'notify_up', 'notify_down', 'alpha', 'retry', 'delay_before_retry',
    'warmup', 'connect_timeout', 'delay_loop', 'virtualhost', 'MISC_CHECK', 'TCP_CHECK', 'HTTP_GET', 'SSL_GET',
  ],
  'virtual_server.real_server.HTTP_GET': CHECKER_COMMON,
  'virtual_server.real_server.SSL_GET': CHECKER_COMMON,
  'virtual_server.real_server.TCP_CHECK': CHECKER_COMMON,
  'virtual_server.real_server.MISC_CHECK': [...CHECKER_COMMON, 'user'],
  'virtual_server.real_server.HTTP_GET.url': ['path', 'digest', 'status_code', 'virtualhost'],
  'virtual_server.real_server.SSL_GET.url': ['path', 'digest', 'status_code', 'virtualhost'],
};

export function keywordCoverage(): KeywordStatus[] {
  const out: KeywordStatus[] = [];
  for (const [block, keywords] of Object.entries(KEYWORDS)) {
    const sim = new Set(SIMULATED[block] ?? []);
    for (const keyword of keywords) out.push({ block, keyword, status: sim.has(keyword) ? 'simulated' : 'parsed' });
  }
  return out;
}
