import { describe, expect, it } from 'vitest';
import { SECOND } from '../../src/sim/time';
import { holdersAt, logLines, runScenarioFile, transitions } from '../../src/index';
import { runHashed } from './helpers';

// keepalived's timer rules (VRRPv2, advert_int 1 s) and its reload rules (vrrp_daemon.c, vrrp.c), derived here.
const skew = (prio: number): number => Math.floor(((256 - prio) * SECOND) / 256);
const mdi = (prio: number): number => 3 * SECOND + skew(prio);
const LAN = 100; // the scenarios' one-way LAN latency, µs
const DIR = 'scenarios/proxy-ha';
const HUP = 20 * SECOND;

/** proxy1's lines in [from, to), as text. */
const lines = (run: Parameters<typeof logLines>[0], host: string, from: number, to: number): string[] =>
  logLines(run, host)
    .filter((l) => l.t >= from && l.t < to)
    .map((l) => l.text);

describe('proxy-ha: keepalived reload (SIGHUP) against the recorded keepalived 2.2.7', () => {
  it('priority 100 → 90 on the MASTER: it stays MASTER through the reload, proxy2 takes over MDI(99) after the last 100 advert', () => {
    const { run } = runHashed(`${DIR}/reload-priority.yaml`);
    for (const r of run.results) expect(r.ok, `${r.what}: ${r.detail}`).toBe(true);
    // The recorded sequence (reload-b-priority), plus the seed file's missing brace, reported by both processes.
    expect(lines(run, 'proxy1', HUP, HUP + SECOND)).toEqual([
      'Reloading ...',
      "Opening file '/etc/keepalived/keepalived.conf'.",
      'Configuration file /etc/keepalived/keepalived.conf',
      "There are 1 missing '}'s or extra '{'s",
      'Reloading',
      "There are 1 missing '}'s or extra '{'s",
      'Assigned address 172.16.23.100 for interface eth0',
      '(VI_PROXY_HA) setting VIPs.',
      'VRRP sockpool: [ifindex(  2), family(IPv4), proto(112), fd(14,15) multicast, address(224.0.0.18)]',
      'Reload complete',
    ]);
    // No state change at the reload itself, and no priority-0 advert.
    expect(transitions(run, 'proxy1', 'VI_PROXY_HA', 'MASTER')).toEqual([mdi(100)]);
    expect(logLines(run, 'proxy2', 'priority 0')).toEqual([]);
    // The adverts restart their rhythm at the reload: 90s heard at 20, 21, 22, 23 s (+ LAN).
    expect(logLines(run, 'proxy2', 'received lower priority (90)').map((l) => l.t)).toEqual([0, 1, 2, 3].map((n) => HUP + n * SECOND + LAN));
    // The 100 advert sent on the signal is the last one proxy2 accepts.
    const takeover = HUP + LAN + mdi(99);
    expect(transitions(run, 'proxy2', 'VI_PROXY_HA', 'MASTER')).toEqual([takeover]);
    expect(transitions(run, 'proxy1', 'VI_PROXY_HA', 'BACKUP')).toEqual([0, takeover + LAN]);
    expect(holdersAt(run, '172.16.23.80', takeover - 1)).toEqual(['proxy1']);
    expect(holdersAt(run, '172.16.23.80', takeover + SECOND)).toEqual(['proxy2']);
  });

  it('a second VIP: added with a GARP burst, and proxy2 (one VIP) rejects the adverts — split brain', () => {
    const { run } = runHashed(`${DIR}/reload-vip-added.yaml`);
    for (const r of run.results) expect(r.ok, `${r.what}: ${r.detail}`).toBe(true);
    const garps = lines(run, 'proxy1', HUP, HUP + 1).filter((t) => t.startsWith('(VI_PROXY_HA) Sending/queueing'));
    expect(garps).toEqual([
      '(VI_PROXY_HA) Sending/queueing gratuitous ARPs on eth0 for 172.16.23.80',
      '(VI_PROXY_HA) Sending/queueing gratuitous ARPs on eth0 for 172.16.23.81',
    ]);
    expect(holdersAt(run, '172.16.23.81', HUP + 1)).toEqual(['proxy1']);
    expect(transitions(run, 'proxy2', 'VI_PROXY_HA', 'MASTER')).toEqual([HUP + LAN + mdi(99)]);
    expect(holdersAt(run, '172.16.23.80', 25 * SECOND)).toEqual(['proxy1', 'proxy2']);
  });

  it('an interface that does not exist: the VRRP child exits with CONFIG, no priority-0 advert, the VIP stays', () => {
    const { run } = runHashed(`${DIR}/reload-bad-interface.yaml`);
    for (const r of run.results) expect(r.ok, `${r.what}: ${r.detail}`).toBe(true);
    const child = lines(run, 'proxy1', HUP, HUP + 1).slice(4);
    expect(child).toEqual([
      'Reloading',
      "(/etc/keepalived/keepalived.conf: Line 7) WARNING - interface eth9 for vrrp_instance VI_PROXY_HA doesn't exist",
      "There are 1 missing '}'s or extra '{'s",
      'Non-existent interface specified in configuration',
      'Stopped - used 0.000000 user time, 0.000000 system time',
      expect.stringMatching(/^pid \d+ exited with permanent error CONFIG\. Terminating$/),
      'CPU usage (self/children) user: 0.000000/0.000000 system: 0.000000/0.000000',
      'Stopped Keepalived v2.2.7 (01/16,2022)',
    ]);
    expect(logLines(run, 'proxy2', 'priority 0')).toEqual([]);
    expect(transitions(run, 'proxy2', 'VI_PROXY_HA', 'MASTER')).toEqual([HUP + LAN + mdi(99)]);
    expect(holdersAt(run, '172.16.23.80', 25 * SECOND)).toEqual(['proxy1', 'proxy2']);
  });

  it('the reload scenarios give the same trace on every run (pinned hashes)', () => {
    const hashes = Object.fromEntries(
      ['reload-priority', 'reload-vip-added', 'reload-bad-interface'].map((n) => [n, runHashed(`${DIR}/${n}.yaml`).hash.slice(0, 16)]),
    );
    expect(hashes).toMatchInlineSnapshot(`
      {
        "reload-bad-interface": "4bec79f274d7e31f",
        "reload-priority": "18581fdffe4c3250",
        "reload-vip-added": "f18b7c3d45a8b7b8",
      }
    `);
  });
});

/** The IPv4 id and source of every VRRP frame in a pcap (libpcap format, Ethernet, IP header without options). */
function vrrpIpIds(pcap: Uint8Array): Array<{ src: string; id: number }> {
  const view = new DataView(pcap.buffer, pcap.byteOffset, pcap.byteLength);
  const out: Array<{ src: string; id: number }> = [];
  for (let off = 24; off < pcap.length; ) {
    const len = view.getUint32(off + 8, true);
    const frame = off + 16;
    if (view.getUint16(frame + 12) === 0x0800 && pcap[frame + 14 + 9] === 112) {
      out.push({ src: [...pcap.subarray(frame + 26, frame + 30)].join('.'), id: view.getUint16(frame + 14 + 4) });
    }
    off = frame + len;
  }
  return out;
}

describe('proxy-ha: the adverts’ IP id across a reload', () => {
  it('counts per instance from 1; the reloaded instance is new and starts again at 1 after the signal advert', () => {
    const run = runScenarioFile(`${DIR}/reload-priority.yaml`, { pcap: true });
    const ids = vrrpIpIds(run.pcaps.get('ext')!)
      .filter((f) => f.src === '172.16.23.100')
      .map((f) => f.id);
    // MASTER from 3.609375 s: adverts at 3.6 … 19.6 s (17), the signal advert at 20 s (18th), then a new series.
    expect(ids.slice(0, 20)).toEqual([...Array.from({ length: 18 }, (_, i) => i + 1), 1, 2]);
  });
});
