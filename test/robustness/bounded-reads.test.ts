import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';
import { diagnosticLines, endpointIds, fakeIo, KEEPER, KEEPER_ID, tempDir } from './support.js';

// Every file read is bounded and typed: a device is refused before a byte of it is read. Without
// this, `check --expect /dev/zero` read 16.8 GB and aborted; a committed symlink to it did the same.

const EXPECTATIONS = `expectations:
  - name: other reaches keeper
    from: app=other
    to: app=keeper
    allow: all
`;

describe('bounded reads', () => {
  it('refuses check --expect /dev/zero with one line and exit 2, without reading it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pod.yaml'), KEEPER);
    const io = fakeIo(dir);
    expect(await main(['check', 'pod.yaml', '--expect', '/dev/zero'], io)).toBe(2);
    expect(io.err.trim().split('\n')).toHaveLength(1);
    expect(io.err).toContain('--expect /dev/zero: a character device, not a file; not read');
  });

  it('refuses --expect through a committed symlink to /dev/zero', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pod.yaml'), KEEPER);
    symlinkSync('/dev/zero', join(dir, 'expectations.yaml'));
    const io = fakeIo(dir);
    expect(await main(['check', 'pod.yaml', '--expect', 'expectations.yaml'], io)).toBe(2);
    expect(io.err).toContain('expectations.yaml: a character device, not a file');
  });

  it('still reads an expectations file relative to the working directory', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pod.yaml'), KEEPER);
    writeFileSync(join(dir, 'other.yaml'), KEEPER.replace(/keeper/g, 'other'));
    writeFileSync(join(dir, 'expect.yaml'), EXPECTATIONS);
    const io = fakeIo(dir);
    expect(await main(['check', 'pod.yaml', 'other.yaml', '--expect', 'expect.yaml'], io)).toBe(0);
    expect(io.out).toContain('1 of 1 expectation passed');
  });

  it('refuses a device named as an input with input/unreadable and analyses the other inputs', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'good.yaml'), KEEPER);
    const io = fakeIo(dir);
    expect(await main(['connections', '/dev/zero', 'good.yaml', '--format', 'json'], io)).toBe(2);
    expect(diagnosticLines(io.err)).toEqual([expect.stringMatching(/^\/dev\/zero:1:1: error input\/unreadable: a character device, not a file; not read$/)]);
    expect(endpointIds(io.out)).toContain(KEEPER_ID);
  });

  it('skips a symlink to /dev/zero inside a directory with a warning, never opening it', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'k8s'));
    writeFileSync(join(dir, 'k8s', 'good.yaml'), KEEPER);
    symlinkSync('/dev/zero', join(dir, 'k8s', 'zero.yaml'));
    const io = fakeIo(dir);
    expect(await main(['connections', 'k8s', '--format', 'json', '--verbose'], io)).toBe(0);
    expect(diagnosticLines(io.err)).toEqual([expect.stringMatching(/zero\.yaml:1:1: warning input\/unreadable: a character device, not a file; skipped$/)]);
    expect(endpointIds(io.out)).toContain(KEEPER_ID);
  });

  it('skips a FIFO inside a directory (reading it would hang) but reads one named on the command line', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'k8s'));
    writeFileSync(join(dir, 'k8s', 'good.yaml'), KEEPER);
    execFileSync('mkfifo', [join(dir, 'k8s', 'pipe.yaml')]);
    const io = fakeIo(dir);
    expect(await main(['connections', 'k8s', '--format', 'json', '--verbose'], io)).toBe(0);
    expect(io.err).toMatch(/pipe\.yaml:1:1: warning input\/unreadable: a FIFO \(named pipe\), not a file; skipped/);

    // `<(helm template …)`: a writer on the other end, as the shell provides one
    const fifo = join(dir, 'named.yaml');
    execFileSync('mkfifo', [fifo]);
    const writer = execFileSync('sh', ['-c', `(cat > '${fifo}' <<'YAML'\n${KEEPER}YAML\n) >/dev/null 2>&1 & echo started`]).toString();
    expect(writer.trim()).toBe('started');
    const named = fakeIo(dir);
    expect(await main(['connections', 'named.yaml', '--format', 'json'], named)).toBe(0);
    expect(endpointIds(named.out)).toContain(KEEPER_ID);
  });
});
