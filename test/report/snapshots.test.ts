import { describe, expect, it } from 'vitest';
import { snapshotBlock } from '../../src/report/snapshots';
import type { TraceRecord } from '../../src/sim/trace';

const rec = (output: string): TraceRecord<'snapshot'> => ({ t: 20_000_000, kind: 'snapshot', host: 'director1', command: 'ipvsadm -L -n', output });

describe('snapshotBlock', () => {
  it('heads the output with the instant, the host and the command, and keeps trailing blanks', () => {
    const out = 'TCP  172.16.23.80:80 rr\n  -> 172.16.23.11:80             Route   1      0          0         \n';
    expect(snapshotBlock(rec(out))).toBe(`# 20.000000s director1$ ipvsadm -L -n\n${out}\n`);
  });

  it('ends an output without a final newline with one, and an empty output is just the header', () => {
    expect(snapshotBlock(rec('no newline'))).toBe('# 20.000000s director1$ ipvsadm -L -n\nno newline\n\n');
    expect(snapshotBlock(rec(''))).toBe('# 20.000000s director1$ ipvsadm -L -n\n\n');
  });
});
