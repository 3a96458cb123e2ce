import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../../src/sim/time';
import { formatIpv4 } from '../../../../src/net/addr';
import { PcapWriter } from '../../../../src/net/pcap';
import type { Ipv4Packet, UdpDatagram } from '../../../../src/net/packets';
import type { Host } from '../../../../src/host/host';
import type { TcpSocket } from '../../../../src/host/tcp/socket';
import { attachIpvs } from '../../../../src/kernel/ipvs/netfilter';
import { attachSyncDaemons, decodeSyncMessage } from '../../../../src/kernel/ipvs/sync';
import type { Ipvs } from '../../../../src/kernel/ipvs';
import { world } from '../../../host/helpers';

/**
 * The seed's LVS-NAT pair: two directors (eth0 outside, eth1 inside), the VIP and the real servers' gateway
 * VIP on the first; one real server echoing what it gets; a client outside.
 */
function lab() {
  const w = world();
  const client = w.host('client', { eth0: { lan: 'ext', ip: '172.16.23.1/24' } });
  const d1 = w.host('lvs1', { eth0: { lan: 'ext', ip: '172.16.23.100/24' }, eth1: { lan: 'int', ip: '192.168.23.100/24' } });
  const d2 = w.host('lvs2', { eth0: { lan: 'ext', ip: '172.16.23.101/24' }, eth1: { lan: 'int', ip: '192.168.23.101/24' } });
  const web1 = w.host('web1', { eth0: { lan: 'int', ip: '192.168.23.80/24' } }, '192.168.23.105');
  const ipvs = new Map<Host, Ipvs>();
  for (const d of [d1, d2]) {
    const v = attachIpvs(d);
    attachSyncDaemons(d, v);
    ipvs.set(d, v);
    d.run('sysctl -w net.ipv4.ip_forward=1');
    d.run('ipvsadm -A -t 172.16.23.80:80 -s rr -p 5 && ipvsadm -a -t 172.16.23.80:80 -r 192.168.23.80:80 -m');
  }
  d1.run('ip addr add 172.16.23.80/32 dev eth0; ip addr add 192.168.23.105/32 dev eth1');
  web1.tcp.listen(0, 80, () => ({ onData: (s, data) => s.write(Buffer.from(data).toString().toUpperCase()) }));
  const pcap = new PcapWriter(Date.UTC(2022, 10, 25));
  const syncPackets: Ipv4Packet[] = [];
  w.lans.get('int')!.onFrame((t, f) => {
    pcap.addFrame(t, f);
    const p = f.payload;
    if (p.kind === 'ipv4' && p.payload.kind === 'udp' && p.payload.dstPort === 8848) syncPackets.push(p);
  });
  const got: string[] = [];
  let sock: TcpSocket | undefined;
  const connect = () =>
    client.tcp.connect({ dst: w.ip('172.16.23.80'), dport: 80 }, {
      onConnect: (s) => {
        sock = s;
        s.write('hello');
      },
      onData: (_s, data) => got.push(Buffer.from(data).toString()),
    });
  const out = (h: Host, line: string) => {
    let text = '';
    h.run(line, (r) => (text = r.stdout + r.stderr));
    return () => text;
  };
  return { w, client, d1, d2, web1, ipvs, pcap, syncPackets, got, connect, sock: () => sock!, out };
}

describe('IPVS connection sync between two directors', () => {
  it('a NAT connection and its template reach the backup; after failover the backup keeps the connection on its real server', () => {
    const l = lab();
    const { w, d1, d2 } = l;
    const started = [l.out(d1, 'ipvsadm --start-daemon master --mcast-interface eth1'), l.out(d2, 'ipvsadm --start-daemon backup --mcast-interface eth1')];
    w.sim.runUntil(SECOND);
    expect(started.map((f) => f())).toEqual(['', '']);
    const listing = l.out(d1, 'ipvsadm -L --daemon');
    w.sim.runUntil(SECOND + 1);
    expect(listing()).toBe('master sync daemon (mcast=eth1, syncid=0, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n');

    l.connect();
    w.sim.runUntil(1.5 * SECOND);
    expect(l.got).toEqual(['HELLO']);
    // SYN, ACK, data: the third client packet of an ESTABLISHED entry is synced; the template each time.
    const master = l.ipvs.get(d1)!;
    const [ct, cp] = master.conns.entries();
    expect(cp!.state).toBe('ESTABLISHED');
    expect(ct!.state).toBe('ASSURED');
    expect(l.syncPackets).toEqual([]);

    // The half-full message leaves at the thread's once-a-second look once it is 2 s old (first use at the
    // SYN, 1 s; the thread looks at 1, 2, 3, 4 s).
    w.sim.runUntil(4.5 * SECOND);
    expect(l.syncPackets.length).toBe(1);
    const sent = l.syncPackets[0]!;
    const sends = w.mem.records.filter((r) => r.kind === 'ipvs.sync.send');
    const receipts = w.mem.records.filter((r) => r.kind === 'ipvs.sync.receive');
    expect(sends.map((r) => r.t)).toEqual([4 * SECOND]);
    expect(receipts.map((r) => [r.host, r.conns])).toEqual([['lvs2', 5]]);
    const received = receipts[0]!.t;
    expect(formatIpv4(sent.src)).toBe('192.168.23.100');
    expect(formatIpv4(sent.dst)).toBe('224.0.0.81');
    expect(sent.ttl).toBe(1);
    expect(sent.df).toBe(false);
    const msg = decodeSyncMessage((sent.payload as UdpDatagram).data);
    // The client's packets: SYN, ACK, data, ACK of the answer. The template goes with each of them (NONE,
    // then ASSURED), the connection at its third (ESTABLISHED, 3 % sync_period 50 == sync_threshold 3).
    expect(msg.conns.map((c) => [c.flags.toString(16), c.state, c.cport, c.timeout])).toEqual([
      ['1100', 0, 0, 5],
      ['1100', 1, 0, 5],
      ['0', 1, cp!.cport, 900],
      ['1100', 1, 0, 5],
      ['1100', 1, 0, 5],
    ]);

    const backup = l.ipvs.get(d2)!;
    const synced = backup.conns.entries();
    expect(synced.map((c) => [c.template, c.state, c.daddr, c.dport, c.synced, c.inactive])).toEqual([
      [true, 'ASSURED', '192.168.23.80', 80, true, true],
      [false, 'ESTABLISHED', '192.168.23.80', 80, true, false],
    ]);
    // Expiry: the master's timeout for the state, counted from the receipt.
    expect(synced.map((c) => c.expires - received)).toEqual([5 * SECOND, 900 * SECOND]);
    expect(synced[1]!.dest?.addr).toBe('192.168.23.80');
    const rsLine = l.out(d2, 'ipvsadm -L -n');
    w.sim.runUntil(4.5 * SECOND + 1);
    expect(rsLine()).toContain('  -> 192.168.23.80:80             Masq    1      1          0         ');

    // Failover: lvs1 dies, lvs2 takes both VIPs (the neighbours learn it, as keepalived's gratuitous ARPs do).
    d1.crash();
    d2.run('ip addr add 172.16.23.80/32 dev eth0; ip addr add 192.168.23.105/32 dev eth1');
    for (const h of [l.client, l.web1]) h.nic('eth0')!.neighbours.flushAll();
    w.sim.runUntil(5 * SECOND);
    l.sock().write('again');
    w.sim.runUntil(6 * SECOND);
    expect(l.got).toEqual(['HELLO', 'AGAIN']);
    expect(backup.conns.entries().find((c) => !c.template)!.dest?.addr).toBe('192.168.23.80');
  });

  it('a backup with syncid 5 ignores a master sending syncid 7; stopping the master drops what it had not sent', () => {
    const l = lab();
    const { w, d1, d2 } = l;
    d1.run('ipvsadm --start-daemon master --mcast-interface eth1 --syncid 7');
    d2.run('ipvsadm --start-daemon backup --mcast-interface eth1 --syncid 5');
    w.sim.runUntil(SECOND);
    l.connect();
    w.sim.runUntil(4 * SECOND);
    expect(l.syncPackets.length).toBe(1);
    expect(l.ipvs.get(d2)!.conns.size).toBe(0);

    l.sock().write('more');
    w.sim.runUntil(4.5 * SECOND);
    const stop = l.out(d1, 'ipvsadm --stop-daemon master');
    w.sim.runUntil(10 * SECOND);
    expect(stop()).toBe('');
    expect(l.syncPackets.length).toBe(1);
    const again = l.out(d1, 'ipvsadm --stop-daemon master');
    const dup = l.out(d2, 'ipvsadm --start-daemon backup --mcast-interface eth1');
    const nodev = l.out(d2, 'ipvsadm --start-daemon master --mcast-interface eth9');
    w.sim.runUntil(11 * SECOND);
    expect([again(), dup(), nodev()]).toEqual(['No daemon is running\n', 'Daemon has already run\n', 'No such device\n']);
  });

  it('keepalived without an instance runs master and backup on both directors: the active director\'s entries reach the other, nobody hears itself', () => {
    const l = lab();
    const { w, d1, d2 } = l;
    for (const d of [d1, d2]) d.run('ipvsadm --start-daemon master --mcast-interface eth1 && ipvsadm --start-daemon backup --mcast-interface eth1');
    w.sim.runUntil(SECOND);
    l.connect();
    w.sim.runUntil(4.5 * SECOND);
    expect(l.syncPackets.map((p) => formatIpv4(p.src))).toEqual(['192.168.23.100']);
    expect(w.mem.records.filter((r) => r.kind === 'ipvs.sync.receive').map((r) => r.host)).toEqual(['lvs2']);
    expect(l.ipvs.get(d2)!.conns.entries().map((c) => c.state)).toEqual(['ASSURED', 'ESTABLISHED']);
    // lvs1's own table is unchanged by the exchange (its entries are not synced ones).
    expect(l.ipvs.get(d1)!.conns.entries().map((c) => c.synced)).toEqual([false, false]);
  });

  it.skipIf(!hasTshark())('Wireshark decodes the sync datagrams as UDP to 8848 (its ipvs dissector)', () => {
    const l = lab();
    const { w, d1, d2 } = l;
    d1.run('ipvsadm --start-daemon master --mcast-interface eth1');
    d2.run('ipvsadm --start-daemon backup --mcast-interface eth1');
    w.sim.runUntil(SECOND);
    l.connect();
    w.sim.runUntil(4 * SECOND);
    const dir = mkdtempSync(join(tmpdir(), 'vrrpsim-syncd-'));
    try {
      const file = join(dir, 'sync.pcap');
      writeFileSync(file, l.pcap.toBytes());
      const fields = execFileSync(
        'tshark',
        ['-r', file, '-Y', 'udp.dstport == 8848', '-o', 'udp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-T', 'fields', '-E', 'separator=|',
          '-e', 'frame.protocols', '-e', 'ip.dst', '-e', 'udp.checksum.status', '-e', '_ws.malformed', '-e', '_ws.expert.severity',
          '-e', 'ipvs.syncid', '-e', 'ipvs.size', '-e', 'ipvs.conncount', '-e', 'ipvs.version', '-e', 'ipvs.size.v1', '-e', 'ipvs.flags.v1',
          '-e', 'ipvs.cport', '-e', 'ipvs.timeout', '-e', 'ipvs.caddr', '-e', 'ipvs.vaddr', '-e', 'ipvs.daddr'],
        { encoding: 'utf8' },
      ).trim().split('\n');
      expect(fields.length).toBe(1);
      const [protocols, dst, checksum, malformed, severity, syncid, size, count, version, sizes, flags, cports, timeouts, caddr, vaddr, daddr] = fields[0]!.split('|');
      // Wireshark's "IP Virtual Services Sync Daemon" dissector (ipvs) sits on UDP 8848 and reads every field.
      expect(protocols).toBe('eth:ethertype:ip:udp:ipvs');
      expect([dst, checksum, malformed, severity]).toEqual(['224.0.0.81', '1', '', '']);
      expect([syncid, size, count, version]).toEqual(['0', '188', '5', '1']);
      expect(sizes).toBe('36,36,36,36,36');
      expect(flags).toBe('0x00001100,0x00001100,0x00000000,0x00001100,0x00001100');
      expect(cports!.split(',')[2]).not.toBe('0');
      expect(timeouts).toBe('5,5,900,5,5');
      expect([caddr!.split(',')[0], vaddr!.split(',')[0], daddr!.split(',')[0]]).toEqual(['172.16.23.1', '172.16.23.80', '192.168.23.80']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
