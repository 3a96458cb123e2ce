import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenarioFile } from '../../../../src/index';
import type { TraceRecord } from '../../../../src/sim/trace';
import { SECOND } from '../../../../src/sim/time';
import { CHECKING, expectSameChildLines, loadRealRuns, parseSnapshots } from './seed-runs';

const FIXTURE = join(__dirname, '../../../fixtures/keepalived/check/seed-phases.ipvsadm.txt');
const PHASES = ['normal', 'one server down', 'sorry server', 'back'];


/**
 * Issue #7: `ipvsadm -L -n` on the director equals the real ipvsadm 1.31's for the seed's virtual server in
 * each phase, as recorded from keepalived 2.2.7 + IPVS in user-mode-linux (fixtures/keepalived/check/README.md).
 */
describe('the seed virtual server through its phases, against ipvsadm -L -n recorded in UML', () => {
  const real = parseSnapshots(readFileSync(FIXTURE, 'utf8'));
  const run = runScenarioFile('test/fixtures/scenarios/seed-test-html-phases.yaml');
  const snaps = run.records.filter((r): r is TraceRecord<'snapshot'> => r.kind === 'snapshot' && r.host === 'dir');

  it('the fixture has the four phases, as every recorded run printed them', () => {
    expect([...real.keys()]).toEqual(PHASES);
    for (const r of loadRealRuns()) for (const [phase, text] of r.snapshots) expect(text, `${r.name} ${phase}`).toBe(real.get(phase));
  });

  it('the snapshots fall at the instants the recording took them (from the checker child start)', () => {
    expect(snaps.map((s) => s.t / SECOND)).toEqual([12, 34, 54, 71]);
  });

  it('the checker child logs the same lines as the recorded runs, in the same order per real server', () => {
    const got = run.records
      .filter((r): r is TraceRecord<'log'> => r.kind === 'log' && r.host === 'dir' && r.ident === 'Keepalived_healthcheckers')
      .map((r) => r.text)
      .filter((x) => CHECKING.test(x));
    for (const r of loadRealRuns().filter((x) => x.kind === 'phases')) {
      expectSameChildLines(got, r.lines.map((l) => l.text).filter((x) => CHECKING.test(x)), r.name);
    }
  });

  PHASES.forEach((phase, i) => {
    it(`${phase}: byte for byte`, () => {
      expect(snaps[i]!.output).toBe(real.get(phase));
    });
  });
});
