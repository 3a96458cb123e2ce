import { describe, expect, it } from 'vitest';
import { httpDate, parseHttpDate, timeLocal } from '../../../src/daemons/nginx/http-date';

describe('dates', () => {
  it('formats RFC 1123 dates', () => {
    expect(httpDate(1669308430_000)).toBe('Thu, 24 Nov 2022 16:47:10 GMT');
    expect(httpDate(1000)).toBe('Thu, 01 Jan 1970 00:00:01 GMT');
    expect(httpDate(2145916555_000)).toBe('Thu, 31 Dec 2037 23:55:55 GMT');
    expect(httpDate(951782400_999)).toBe('Tue, 29 Feb 2000 00:00:00 GMT');
  });

  it('formats $time_local in the host zone', () => {
    expect(timeLocal(1669308430_000, 480)).toBe('25/Nov/2022:00:47:10 +0800');
    expect(timeLocal(1669308430_000, -330)).toBe('24/Nov/2022:11:17:10 -0530');
    expect(timeLocal(0, 0)).toBe('01/Jan/1970:00:00:00 +0000');
  });

  it('reads dates back', () => {
    for (const ms of [0, 1669308430_000, 951782400_000, 4102444800_000]) expect(parseHttpDate(httpDate(ms))).toBe(ms);
    expect(parseHttpDate('Thu, 24 Nov 2022 16:47:10')).toBeUndefined();
  });
});
