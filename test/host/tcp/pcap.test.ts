import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PcapWriter } from '../../../src/net/pcap';
import { SECOND } from '../../../src/sim/time';
import { pair } from './harness';

function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const BODY = 'x'.repeat(3000) + '\n';

describe.skipIf(!hasTshark())('a TCP capture in Wireshark', () => {
  it('decodes a handshake, an HTTP GET and its answer, a reset port and a close, without any warning', () => {
    const w = pair();
    const pcap = new PcapWriter(Date.UTC(2022, 10, 25));
    w.lan.onFrame((t, f) => pcap.addFrame(t, f));
    w.server.tcp.listen(0, 80, () => ({
      onData: (s) =>
        s.write(`HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Type: text/plain\r\nContent-Length: ${BODY.length}\r\nConnection: keep-alive\r\n\r\n${BODY}`),
      onEnd: (s) => s.end(),
    }));
    w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 80 }, {
      onConnect: (s) => s.write('GET / HTTP/1.1\r\nHost: 10.0.0.2\r\nUser-Agent: curl/7.76.1\r\nAccept: */*\r\n\r\n'),
      onData: (s) => {
        if (s.context === undefined) s.context = 0;
        s.context = (s.context as number) + 1;
        if ((s.context as number) === 3) s.close();
      },
    });
    w.sim.at(SECOND, () => w.client.tcp.connect({ dst: w.ip('10.0.0.2'), dport: 81 }, {}));
    w.sim.runUntil(2 * SECOND);
    const dir = mkdtempSync(join(tmpdir(), 'vrrpsim-tcp-'));
    try {
      const file = join(dir, 'tcp.pcap');
      writeFileSync(file, pcap.toBytes());
      const fields = execFileSync(
        'tshark',
        ['-r', file, '-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-T', 'fields', '-E', 'separator=|',
          '-e', '_ws.col.Protocol', '-e', 'tcp.flags.str', '-e', 'tcp.checksum.status', '-e', 'tcp.analysis.flags', '-e', '_ws.malformed', '-e', '_ws.expert.severity', '-e', '_ws.col.Info'],
        { encoding: 'utf8' },
      )
        .trim()
        .split('\n')
        .map((l) => l.split('|'));
      const tcp = fields.filter((f) => f[0] !== 'ARP');
      expect(tcp.length).toBeGreaterThan(8);
      for (const f of tcp) {
        expect(f[2], f.join(' ')).toBe('1'); // checksum good (PROTO_CHECKSUM_E_GOOD)
        expect(f[3], f.join(' ')).toBe(''); // no tcp.analysis flags
        expect(f[4], f.join(' ')).toBe(''); // not malformed
      }
      // Expert info: chat (SYN, HTTP) and note (FIN) only; the one warning is Wireshark's for any RST.
      const severe = (f: string[]) => f[5]!.split(',').some((v) => Number(v) >= 0x600000);
      expect(tcp.filter((f) => severe(f) && !f[1]!.includes('R')).map((f) => f.join(' '))).toEqual([]);
      expect(tcp.filter((f) => f[1]!.includes('R')).map((f) => f[5])).toEqual([String(0x600000)]);
      const protocols = tcp.map((f) => f[0]);
      expect(protocols.filter((p) => p === 'HTTP').length).toBe(2);
      expect(tcp.find((f) => f[0] === 'HTTP' && f[6]!.startsWith('GET / HTTP/1.1'))).toBeDefined();
      expect(tcp.find((f) => f[0] === 'HTTP' && f[6]!.includes('HTTP/1.1 200 OK'))).toBeDefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
