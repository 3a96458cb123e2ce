import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/sim/time';
import { parseShell, ShellSyntaxError } from '../../../src/host/shell/parse';
import { world } from '../helpers';

function sh(line: string, setup?: (h: ReturnType<ReturnType<typeof world>['host']>) => void) {
  const w = world();
  const h = w.host('h', { eth0: { lan: 'lan', ip: '10.0.0.1/24' } });
  setup?.(h);
  const res = w.run(h, line);
  w.sim.runUntil(30 * SECOND);
  return { ...res()!, host: h };
}

describe('shell parsing', () => {
  it('parses lists, pipelines, redirections and if', () => {
    const list = parseShell('a && b || c; d | e > /tmp/x 2>&1\nif test -f x; then echo y; else echo n; fi');
    expect(list).toHaveLength(3);
    expect(list[0]!.rest.map((r) => r.op)).toEqual(['&&', '||']);
    expect(list[1]!.first.commands).toHaveLength(2);
    expect(list[2]!.first.commands[0]!.type).toBe('if');
  });

  it("words syntax errors as bash does", () => {
    expect(() => parseShell('echo "unterminated')).toThrow(ShellSyntaxError);
    expect(() => parseShell('&& x')).toThrow("syntax error near unexpected token `&&'");
    expect(() => parseShell('if true; then echo')).toThrow("syntax error near unexpected token `EOF'");
  });
});

describe('shell execution', () => {
  it('expands variables, $? and quotes', () => {
    expect(sh('X=1; echo "$X" \'$X\' $?; false; echo $?').stdout).toBe('1 $X 0\n1\n');
  });

  it('runs && / || by status and if/elif/else', () => {
    expect(sh('false && echo no || echo yes').stdout).toBe('yes\n');
    expect(sh('if false; then echo a; elif true; then echo b; else echo c; fi').stdout).toBe('b\n');
  });

  it('pipes output into the next command and redirects to files', () => {
    const r = sh('echo hello > /tmp/f; echo world >> /tmp/f; cat /tmp/f | grep wor');
    expect(r.stdout).toBe('world\n');
    expect(r.host.vfs.readText('/tmp/f')).toBe('hello\nworld\n');
  });

  it('reports unknown commands with status 127 and missing files', () => {
    const r = sh('nosuch');
    expect(r.code).toBe(127);
    expect(r.stderr).toBe('bash: nosuch: command not found\n');
    expect(sh('cat /none').stderr).toBe('cat: /none: No such file or directory\n');
  });

  it('runs executable scripts from the VFS with their arguments, and refuses non-executable ones', () => {
    const setup = (h: { vfs: { write(p: string, c: string, m?: number): void } }) => {
      h.vfs.write('/usr/local/bin/greet', '#!/bin/bash\necho "hi $1 ($#)"\nexit 3\n', 0o755);
      h.vfs.write('/usr/local/bin/plain', 'echo x\n', 0o644);
    };
    const r = sh('/usr/local/bin/greet you', setup);
    expect(r.stdout).toBe('hi you (1)\n');
    expect(r.code).toBe(3);
    expect(sh('/usr/local/bin/plain', setup).code).toBe(126);
  });

  it('mv, test and md5sum work on the VFS (the seed renames test.html)', () => {
    const r = sh('mv /html/test.html /html/test.html.bak; test -f /html/test.html || echo gone; md5sum /html/test.html.bak', (h) =>
      h.vfs.write('/html/test.html', 'Just test for WEB1\n'),
    );
    expect(r.stdout).toBe('gone\n60f16b089b6c69717ffdd41fc0896652  /html/test.html.bak\n');
  });

  it('sleep takes simulated time', () => {
    const w = world();
    const h = w.host('h', { eth0: { lan: 'lan', ip: '10.0.0.1/24' } });
    let at = -1;
    h.run('sleep 2.5; echo done', () => (at = w.sim.now));
    w.sim.runUntil(10 * SECOND);
    expect(at).toBe(2.5 * SECOND);
  });

  it('killall -0 tells whether a process exists; killall signals it', () => {
    const w = world();
    const h = w.host('h', { eth0: { lan: 'lan', ip: '10.0.0.1/24' } });
    const codes: number[] = [];
    h.run('killall -0 nginx', (r) => codes.push(r.code));
    h.spawn('nginx', ['nginx'], { terminated: () => {} });
    h.run('killall -0 nginx', (r) => codes.push(r.code));
    h.run('killall nginx; killall -0 nginx', (r) => codes.push(r.code));
    w.sim.runUntil(SECOND);
    expect(codes).toEqual([1, 0, 1]);
  });

  it('ip addr add/del follow Linux: /32 VIP is primary, same-subnet address is secondary', () => {
    const r = sh('ip addr add 10.0.0.80/32 dev eth0; ip addr add 10.0.0.81/24 dev eth0; ip addr add 10.0.0.80/32 dev eth0; ip addr show dev eth0');
    expect(r.stderr).toBe('RTNETLINK answers: File exists\n');
    expect(r.stdout).toMatch(
      /inet 10\.0\.0\.1\/24 brd 10\.0\.0\.255 scope global eth0\n.*\n {4}inet 10\.0\.0\.80\/32 scope global eth0\n.*\n {4}inet 10\.0\.0\.81\/24 scope global secondary eth0\n/,
    );
  });

  it('a LVS-DR VIP added to lo (scope global) is listed after 127.0.0.1 (scope host), as __inet_insert_ifa orders them', () => {
    const r = sh('ip addr add 10.0.0.80/32 dev lo; ip addr add 127.0.0.2/8 dev lo scope host; ip addr show dev lo');
    expect(r.stdout.match(/inet \S+ .*/g)).toEqual([
      'inet 127.0.0.1/8 scope host lo',
      'inet 10.0.0.80/32 scope global lo',
      'inet 127.0.0.2/8 scope host secondary lo',
    ]);
  });

  it('sysctl reads and writes, as procps prints it', () => {
    expect(sh('sysctl -w net.ipv4.ip_forward=1; sysctl net.ipv4.ip_forward; sysctl -n net.ipv4.ip_forward').stdout).toBe(
      'net.ipv4.ip_forward = 1\nnet.ipv4.ip_forward = 1\n1\n',
    );
  });
});
