import { describe, expect, it } from 'vitest';
import { runIpvsadm } from '../../../src/kernel/ipvs/ipvsadm/command';
import { Ipvs } from '../../../src/kernel/ipvs/ipvs';
import { fixture, parseTranscript } from './transcript';

/**
 * Replays every ipvsadm command recorded against a real Linux 6.1 IPVS with ipvsadm 1.31 (user-mode-linux,
 * see test/fixtures/ipvs/record/) and compares stdout, stderr and exit status byte for byte.
 */
describe('ipvsadm 1.31 transcript recorded on Linux 6.1', () => {
  const ipvs = new Ipvs(0);
  for (const [i, run] of parseTranscript(fixture('listing.txt')).entries()) {
    it(`#${i} ipvsadm ${run.args.join(' ')}`, () => {
      const got = runIpvsadm(ipvs, run.args, 0);
      expect({ stdout: got.stdout, stderr: got.stderr, exit: got.exitCode }).toEqual({
        stdout: run.stdout,
        stderr: run.stderr,
        exit: run.exit,
      });
    });
  }
});
