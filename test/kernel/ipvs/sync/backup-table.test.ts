import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../../src/sim/time';
import { Ipvs, type SyncedConn } from '../../../../src/kernel/ipvs/ipvs';
import { recordOf, syncedOf } from '../../../../src/kernel/ipvs/sync';
import { SVC, tcp, VIP } from '../helpers';

const ENTRY: SyncedConn = {
  protocol: 'TCP',
  caddr: '172.16.0.1',
  cport: 4000,
  vaddr: VIP,
  vport: 80,
  daddr: '192.168.1.21',
  dport: 80,
  fwmark: 0,
  template: false,
  state: 'ESTABLISHED',
  timeout: 900 * SECOND,
  fwd: 'masq',
  noOutput: false,
  inactive: false,
};

describe('the backup applying synced entries (ip_vs_proc_conn)', () => {
  it('keeps an entry it has no service for, forwards it by the master method, binds it once the real server exists', () => {
    const ipvs = new Ipvs(0);
    const cp = ipvs.syncConn(ENTRY, SECOND)!;
    expect([cp.dest, cp.fwd, cp.synced, cp.inactive, cp.expires, cp.inPkts]).toEqual([undefined, 'masq', true, false, 901 * SECOND, 3]);
    // Taking over: the client's next segment goes to the same real server.
    const v = ipvs.inbound(tcp('172.16.0.1', 4000, { ack: true }), 2 * SECOND);
    expect(v).toMatchObject({ kind: 'forward', daddr: '192.168.1.21', dport: 80, fwd: 'masq' });
    // The service appears (keepalived's checker adds it); the next message for the entry binds it.
    ipvs.addService({ ...SVC, scheduler: 'rr' }, 3 * SECOND);
    const d = ipvs.addDest(SVC, { addr: '192.168.1.21', port: 80, weight: 1, fwd: 'masq' }, 3 * SECOND);
    ipvs.syncConn({ ...ENTRY, state: 'CLOSE_WAIT', timeout: 60 * SECOND, inactive: true }, 4 * SECOND);
    expect([cp.dest, cp.state, cp.inactive, cp.expires]).toEqual([d, 'CLOSE_WAIT', true, 64 * SECOND]);
    expect([d.activeConns, d.inactConns]).toEqual([0, 1]);
  });

  it('moves a bound entry between ActiveConn and InActConn as the master says', () => {
    const ipvs = new Ipvs(0);
    ipvs.addService({ ...SVC, scheduler: 'rr' }, 0);
    const d = ipvs.addDest(SVC, { addr: '192.168.1.21', port: 80, weight: 1, fwd: 'masq' }, 0);
    ipvs.syncConn(ENTRY, SECOND);
    expect([d.activeConns, d.inactConns]).toEqual([1, 0]);
    ipvs.syncConn({ ...ENTRY, state: 'TIME_WAIT', timeout: 120 * SECOND, inactive: true }, 2 * SECOND);
    expect([d.activeConns, d.inactConns]).toEqual([0, 1]);
  });

  it('replaces an entry for the same client that points at another real server, unless the message is the old one going inactive', () => {
    const ipvs = new Ipvs(0);
    const old = ipvs.syncConn(ENTRY, SECOND)!;
    expect(ipvs.syncConn({ ...ENTRY, daddr: '192.168.1.22', inactive: true }, 2 * SECOND)).toBeUndefined();
    const fresh = ipvs.syncConn({ ...ENTRY, daddr: '192.168.1.22' }, 3 * SECOND)!;
    expect(fresh).not.toBe(old);
    ipvs.advance(3 * SECOND);
    expect(ipvs.conns.entries()).toEqual([fresh]);
  });

  it('a zero timeout (version 0 style) takes the state table, 3 minutes for a template', () => {
    const ipvs = new Ipvs(0);
    expect(ipvs.syncConn({ ...ENTRY, timeout: 0 }, 0)!.timeout).toBe(900 * SECOND);
    expect(ipvs.syncConn({ ...ENTRY, template: true, cport: 0, state: 'ASSURED', timeout: 0 }, 0)!.timeout).toBe(180 * SECOND);
  });

  it('what a master sends is what a backup rebuilds (flags, state, timeout)', () => {
    const master = new Ipvs(0);
    master.addService({ ...SVC, scheduler: 'rr', persistent: 300 }, 0);
    master.addDest(SVC, { addr: '192.168.1.21', port: 80, weight: 1, fwd: 'route' }, 0);
    master.inbound(tcp('172.16.0.1', 4000, { syn: true }), SECOND);
    master.inbound(tcp('172.16.0.1', 4000, { ack: true }), SECOND);
    const [ct, cp] = master.conns.entries();
    expect(recordOf(cp!).flags.toString(16)).toBe('83'); // DROUTE | NOOUTPUT, active
    expect(recordOf(ct!).flags.toString(16)).toBe('1183'); // + INACTIVE + TEMPLATE
    const backup = new Ipvs(0);
    const b = backup.syncConn(syncedOf(recordOf(cp!))!, 2 * SECOND)!;
    const bt = backup.syncConn(syncedOf(recordOf(ct!))!, 2 * SECOND)!;
    expect([b.state, b.fwd, b.noOutput, b.inactive, b.timeout]).toEqual(['ESTABLISHED', 'route', true, false, 900 * SECOND]);
    expect([bt.template, bt.state, bt.cport, bt.timeout]).toEqual([true, 'ASSURED', 0, 300 * SECOND]);
    expect(backup.conns.lookupTemplate('TCP', '172.16.0.1', VIP, 80)).toBe(bt);
  });

  it('a backup skips entries of protocols it does not handle and TCP states out of range', () => {
    const r = recordOf(new Ipvs(0).syncConn(ENTRY, 0)!);
    expect(syncedOf({ ...r, protocol: 132 })).toBeUndefined();
    expect(syncedOf({ ...r, state: 11 })).toBeUndefined();
    expect(syncedOf({ ...r, protocol: 17, state: 1 })).toBeUndefined();
    expect(syncedOf({ ...r, flags: 0x1100, protocol: 0, state: 1 })).toMatchObject({ template: true, protocol: 'IP', state: 'ASSURED' });
  });
});
