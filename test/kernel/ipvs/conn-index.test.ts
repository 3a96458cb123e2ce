import { describe, it, expect } from 'vitest';
import { ConnIndex } from '../../../src/kernel/ipvs/conn-index';
import type { Conn } from '../../../src/kernel/ipvs/conn';

const conn = (n: number): Conn => ({ seq: n }) as unknown as Conn;

describe('ConnIndex', () => {
  it('finds an entry by protocol, addresses and ports, and nothing that differs in any of them', () => {
    const ix = new ConnIndex();
    const a = conn(1);
    ix.set('TCP', '172.16.23.1', 40000, '172.16.23.80', 80, a);
    expect(ix.get('TCP', '172.16.23.1', 40000, '172.16.23.80', 80)).toBe(a);
    expect(ix.get('UDP', '172.16.23.1', 40000, '172.16.23.80', 80)).toBeUndefined();
    expect(ix.get('TCP', '172.16.23.2', 40000, '172.16.23.80', 80)).toBeUndefined();
    expect(ix.get('TCP', '172.16.23.1', 40001, '172.16.23.80', 80)).toBeUndefined();
    expect(ix.get('TCP', '172.16.23.80', 80, '172.16.23.1', 40000)).toBeUndefined();
    expect(ix.get('SCTP', '172.16.23.1', 40000, '172.16.23.80', 80)).toBeUndefined();
  });

  it('keeps the newest entry of a key, and deleting an older one leaves it', () => {
    const ix = new ConnIndex();
    const old = conn(1);
    const newer = conn(2);
    ix.set('TCP', '10.0.0.1', 1, '10.0.0.2', 2, old);
    ix.set('TCP', '10.0.0.1', 1, '10.0.0.2', 2, newer);
    ix.delete('TCP', '10.0.0.1', 1, '10.0.0.2', 2, old);
    expect(ix.get('TCP', '10.0.0.1', 1, '10.0.0.2', 2)).toBe(newer);
    ix.delete('TCP', '10.0.0.1', 1, '10.0.0.2', 2, newer);
    expect(ix.get('TCP', '10.0.0.1', 1, '10.0.0.2', 2)).toBeUndefined();
  });
});
