import { describe, expect, it } from 'vitest';
import { latin1, reusedBytes } from '../../src/net/latin1';

describe('latin1', () => {
  it('decodes each byte as one character, in Buffers and plain arrays, whole or in part', () => {
    const bytes = new Uint8Array([0x47, 0x45, 0x54, 0x20, 0xe9, 0xff, 0x0d, 0x0a]);
    expect(latin1(bytes)).toBe('GET \u00e9\u00ff\r\n');
    expect(latin1(Buffer.from(bytes), 4, 6)).toBe('\u00e9\u00ff');
    expect(latin1(bytes.subarray(2), 0, 2)).toBe('T ');
  });

  it('reads an array marked as reused as the text decoded when it was marked, whole or its head', () => {
    const message = reusedBytes(Buffer.from('HTTP/1.1 200 OK\r\n\r\nbody', 'latin1'));
    const first = latin1(message);
    expect(first).toBe('HTTP/1.1 200 OK\r\n\r\nbody');
    expect(latin1(message)).toBe(first);
    expect(latin1(message, 0, 19)).toBe('HTTP/1.1 200 OK\r\n\r\n');
    expect(latin1(message, 0, 4)).toBe('HTTP');
    expect(latin1(message, 0, 19)).toBe('HTTP/1.1 200 OK\r\n\r\n');
    expect(latin1(message)).toBe(first);
    expect(latin1(message, 19)).toBe('body');
  });

  it('keeps arrays that were not marked apart from one with the same bytes that was', () => {
    const marked = reusedBytes(Buffer.from('same', 'latin1'));
    const other = Buffer.from('same', 'latin1');
    other[0] = 0x53;
    expect(latin1(marked)).toBe('same');
    expect(latin1(other)).toBe('Same');
  });
});
