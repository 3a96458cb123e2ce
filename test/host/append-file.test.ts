import { describe, it, expect } from 'vitest';
import { AppendFile } from '../../src/host/append-file';

const text = (d: Uint8Array): string => Buffer.from(d).toString('latin1');

describe('AppendFile', () => {
  it('keeps what the file held and adds each line with its newline, latin1 bytes as written', () => {
    let now = 5;
    const f = new AppendFile(new TextEncoder().encode('old\n'), 0o640, () => now);
    expect(f.mtimeUs).toBe(5);
    now = 9;
    f.appendLine('caf\xe9');
    f.appendLine('');
    expect(f.mtimeUs).toBe(9);
    expect([...f.data]).toEqual([...Buffer.from('old\ncaf\xe9\n\n', 'latin1')]);
    expect(f.mode).toBe(0o640);
  });

  it('leaves a view handed out earlier as it was, and leaves the initial bytes alone', () => {
    const initial = new Uint8Array([0x61, 0x0a]);
    const f = new AppendFile(initial, 0o644, () => 0);
    const before = f.data;
    f.appendLine('b');
    const middle = f.data;
    for (let i = 0; i < 300; i++) f.appendLine(`line ${i}`);
    expect(text(before)).toBe('a\n');
    expect(text(middle)).toBe('a\nb\n');
    expect([...initial]).toEqual([0x61, 0x0a]);
    const lines = text(f.data).split('\n');
    expect(lines.length).toBe(303);
    expect(lines.slice(0, 4)).toEqual(['a', 'b', 'line 0', 'line 1']);
    expect(lines.slice(-2)).toEqual(['line 299', '']);
  });

  it('reads the same whether lines were read one at a time or in batches', () => {
    const often = new AppendFile(new Uint8Array(0), 0o644, () => 0);
    const once = new AppendFile(new Uint8Array(0), 0o644, () => 0);
    for (let i = 0; i < 1000; i++) {
      often.appendLine(`${i}`.repeat(i % 7));
      once.appendLine(`${i}`.repeat(i % 7));
      if (i % 13 === 0) expect(often.data.length).toBe(text(often.data).length);
    }
    expect(text(often.data)).toBe(text(once.data));
    expect(text(once.data).split('\n').length).toBe(1001);
  });

  it('writes a line piece by piece, across chunks and longer than a chunk, as one line', () => {
    const f = new AppendFile(new Uint8Array(0), 0o644, () => 0);
    const long = 'y'.repeat(40000);
    const want: string[] = [];
    for (let i = 0; i < 500; i++) {
      const pieces = [`${i} `, i % 100 === 7 ? long : 'x'.repeat(i % 50), ' end'];
      for (const p of pieces) f.write(p);
      f.endLine();
      want.push(pieces.join(''));
      if (i % 97 === 0) expect(text(f.data)).toBe(want.map((l) => `${l}\n`).join(''));
    }
    expect(text(f.data)).toBe(want.map((l) => `${l}\n`).join(''));
  });

  it('keeps every line of runs of equal lines, read at any point, across chunks', () => {
    const f = new AppendFile(new TextEncoder().encode('start\n'), 0o644, () => 0);
    const want: string[] = ['start'];
    let seed = 7;
    for (let i = 0; i < 6000; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      // long runs of one line, a few others between, now and then a line longer than a chunk
      const kind = seed % 100;
      const line = kind < 85 ? `same line ${Math.floor(i / 700)}` : kind < 99 ? `other ${seed % 3}` : 'z'.repeat(17000 + (seed % 5));
      if (kind % 2 === 0) f.appendLine(line);
      else {
        f.write(line.slice(0, 3));
        f.write(line.slice(3));
        f.endLine();
      }
      want.push(line);
      if (seed % 53 === 0) expect(text(f.data)).toBe(want.map((l) => `${l}\n`).join(''));
    }
    expect(text(f.data)).toBe(want.map((l) => `${l}\n`).join(''));
  });

  it('repeats the line before when it is at hand whole, and says when it is not', () => {
    const f = new AppendFile(new Uint8Array(0), 0o644, () => 0);
    expect(f.repeatLine()).toBe(false);
    f.appendLine('one');
    expect(f.repeatLine()).toBe(true);
    expect(f.lineCount).toBe(2);
    expect(text(f.data)).toBe('one\none\n');
    expect(f.repeatLine()).toBe(true); // after a read as well
    f.write('tw');
    expect(f.repeatLine()).toBe(false); // a line half written
    f.write('o');
    f.endLine();
    // a line that began in the chunk before is not at hand whole
    f.appendLine('x'.repeat(16365));
    f.write('abcdefghij');
    f.write('klmnopqrst');
    f.endLine();
    expect(f.repeatLine()).toBe(false);
    f.appendLine('three');
    expect(f.repeatLine()).toBe(true);
    expect(f.lineCount).toBe(8);
    expect(text(f.data)).toBe(`one\none\none\ntwo\n${'x'.repeat(16365)}\nabcdefghijklmnopqrst\nthree\nthree\n`);
  });
});
