import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main, type Io } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';
import { fakeIo, KEEPER, tempDir } from './support.js';

/** A directory with one valid manifest, pod.yaml. */
function project(): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'pod.yaml'), KEEPER);
  return dir;
}

describe('writing output with -o', () => {
  it('replaces the output file by renaming a complete temporary file over it, never writing into it', async () => {
    const dir = project();
    writeFileSync(join(dir, 'out.json'), 'the good diagram of yesterday\n');
    // a hard link shares the old file's inode: writing in place would change it, a rename does not
    linkSync(join(dir, 'out.json'), join(dir, 'yesterday.json'));
    const io = fakeIo(dir);
    expect(await main(['connections', 'pod.yaml', '--format', 'json', '-o', 'out.json'], io)).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')).endpoints.length).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'yesterday.json'), 'utf8')).toBe('the good diagram of yesterday\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(io.out).toBe('');
  });

  it('leaves an existing output file alone when the run fails before writing', async () => {
    const dir = project();
    writeFileSync(join(dir, 'out.txt'), 'keep me\n');
    const io = fakeIo(dir);
    expect(await main(['connections', 'pod.yaml', '--pod-cidr', 'nonsense', '-o', 'out.txt'], io)).toBe(2);
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('keep me\n');
    expect(io.err).toBe('netdiagram: --pod-cidr "nonsense" is not a valid CIDR: missing "/prefix"\n');
  });

  it('creates a missing output directory', async () => {
    const dir = project();
    const io = fakeIo(dir);
    expect(await main(['connections', 'pod.yaml', '-o', 'reports/2026/connections.txt'], io)).toBe(0);
    expect(readFileSync(join(dir, 'reports/2026/connections.txt'), 'utf8')).toContain('safe/keeper[Pod]');
  });

  it('fails with one line and exit code 2 when the output directory cannot be created', async () => {
    const dir = project();
    writeFileSync(join(dir, 'reports'), 'a file, not a directory\n');
    const io = fakeIo(dir);
    expect(await main(['connections', 'pod.yaml', '-o', 'reports/connections.txt'], io)).toBe(2);
    expect(io.err).toMatch(/^netdiagram: cannot create the directory for reports\/connections\.txt: E[A-Z]+ \([a-z ]+\)\n$/);
  });

  it('fails with one line and exit code 2 when the output path is a directory, leaving no temporary file', async () => {
    const dir = project();
    mkdirSync(join(dir, 'out'));
    const io = fakeIo(dir);
    expect(await main(['connections', 'pod.yaml', '-o', 'out'], io)).toBe(2);
    expect(io.err).toBe('netdiagram: cannot write out: it is a directory, not a regular file; netdiagram replaces only regular files (use - for standard output)\n');
    expect(readdirSync(dir).sort()).toEqual(['out', 'pod.yaml']);
    expect(existsSync(join(dir, 'out')) && readdirSync(join(dir, 'out'))).toEqual([]);
  });

  it('writes to standard output with -o -', async () => {
    const dir = project();
    const io = fakeIo(dir);
    expect(await main(['connections', 'pod.yaml', '-o', '-'], io)).toBe(0);
    expect(io.out).toContain('safe/keeper[Pod]');
    expect(readdirSync(dir)).toEqual(['pod.yaml']);
  });
});

describe('error messages', () => {
  it('prints an input error as file:line:column without a stack trace', async () => {
    const dir = project();
    writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: [oops}\n');
    const io = fakeIo(dir);
    expect(await main(['connections', 'bad.yaml', 'pod.yaml'], io)).toBe(2);
    const [first] = io.err.split('\n');
    expect(first).toMatch(/^bad\.yaml:3:\d+: error yaml\/syntax: /);
    expect(io.err).not.toMatch(/^\s+at /m);
  });

  it('escapes control characters from the input, so every diagnostic stays one line and cannot drive the terminal', async () => {
    const dir = project();
    writeFileSync(join(dir, 'evil.yaml'), 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  ingress:\n    - ports:\n        - protocol: "\\e[2J\\nfake.yaml:1:1: error"\n');
    const io = fakeIo(dir);
    expect(await main(['connections', 'evil.yaml', 'pod.yaml'], io)).toBe(2);
    expect(io.err).not.toContain('\u001b');
    expect(io.err.split('\n')[0]).toBe('evil.yaml:8:21: error netpol/invalid-protocol: protocol "\\u001b[2J\\nfake.yaml:1:1: error" must be TCP, UDP or SCTP');
  });

  it('reports an internal error in one line, and its stack trace only with --debug', async () => {
    const dir = project();
    // an Io whose stdout fails stands in for a bug: an exception the CLI did not expect
    const broken = (): Io & { err: string } => {
      const io = fakeIo(dir);
      return Object.assign(io, {
        stdout() {
          throw new Error('stdout went away');
        },
      });
    };
    const quiet = broken();
    expect(await main(['connections', 'pod.yaml'], quiet)).toBe(70);
    expect(quiet.err).toBe('netdiagram: internal error: stdout went away (run with --debug for details)\n');
    const loud = broken();
    expect(await main(['--debug', 'connections', 'pod.yaml'], loud)).toBe(70);
    expect(loud.err.split('\n')[0]).toBe('netdiagram: internal error: stdout went away');
    expect(loud.err).toMatch(/^\s+at /m);
  });
});
