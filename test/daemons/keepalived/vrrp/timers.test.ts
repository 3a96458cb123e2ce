import { describe, expect, it } from 'vitest';
import { masterDownInterval, skewTime } from '../../../../src/daemons/keepalived/vrrp';
import { MS, SECOND } from '../../../../src/sim/time';

describe('Skew_Time and Master_Down_Interval (include/vrrp.h)', () => {
  it('VRRPv2 skew is (256 − prio) / 256 s, truncated, whatever advert_int', () => {
    expect(skewTime(2, 99, SECOND)).toBe(Math.floor(((256 - 99) * SECOND) / 256));
    expect(skewTime(2, 99, SECOND)).toBe(613_281);
    expect(skewTime(2, 100, 10 * SECOND)).toBe(Math.floor(((256 - 100) * SECOND) / 256));
    expect(skewTime(2, 255, SECOND)).toBe(3_906);
    // 158 × 3,906.25 = 617,187.5: truncated, never rounded.
    expect(skewTime(2, 98, SECOND)).toBe(617_187);
    expect(skewTime(2, 1, SECOND)).toBe(996_093);
  });

  it('VRRPv2 Master_Down_Interval = 3 × advert_int + skew', () => {
    expect(masterDownInterval(2, 99, SECOND, 3)).toBe(3 * SECOND + Math.floor(((256 - 99) * SECOND) / 256));
    expect(masterDownInterval(2, 99, SECOND, 3)).toBe(3_613_281);
    expect(masterDownInterval(2, 100, SECOND, 3)).toBe(3_609_375);
    expect(masterDownInterval(2, 99, 2 * SECOND, 3)).toBe(6_613_281);
  });

  it('VRRPv3 skew scales with Master_Adver_Interval in centiseconds × 625 / 16', () => {
    const v3 = (prio: number, adv: number) => Math.floor(((256 - prio) * Math.floor(adv / 10_000) * 625) / 16);
    expect(skewTime(3, 100, SECOND)).toBe(v3(100, SECOND));
    expect(skewTime(3, 99, 500 * MS)).toBe(306_640);
    expect(masterDownInterval(3, 100, 500 * MS, 3)).toBe(1_804_687);
    expect(masterDownInterval(3, 255, 500 * MS, 3)).toBe(3 * 500 * MS + v3(255, 500 * MS));
  });
});
