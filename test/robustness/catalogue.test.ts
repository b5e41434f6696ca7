import { mkdirSync, readdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import type { DiagnosticCode } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { diagnosticLines, endpointIds, fakeIo, KEEPER, KEEPER_ID, tempDir } from './support.js';

const fixtures = join(import.meta.dirname, '../fixtures/_error_');

interface Case {
  /** Directory under test/fixtures/_error_/. */
  readonly name: string;
  /** `file:line:column`, severity and code of each diagnostic the case must produce. */
  readonly expect: readonly (readonly [at: string, severity: 'error' | 'warning', code: DiagnosticCode])[];
  readonly exit: 0 | 2;
  /** Pass `input/` as a directory instead of naming each file. */
  readonly directory?: boolean;
}

// case → code → exit; each fixture holds the bad input and a valid pod (and often a valid
// document beside the bad one in the same file), and expected/diagnostics.txt is the CLI's stderr
const cases: readonly Case[] = [
  { name: 'yaml-syntax-error', expect: [['input/bad.yaml:4:1', 'error', 'yaml/syntax']], exit: 2 },
  { name: 'yaml-duplicate-key', expect: [['input/bad.yaml:6:3', 'error', 'yaml/duplicate-key']], exit: 2 },
  { name: 'helm-template-unrendered', expect: [['input/bad.yaml:6:7', 'error', 'input/template']], exit: 2 },
  { name: 'yaml-kubectl-octal-port', expect: [['input/bad.yaml:8:17', 'warning', 'yaml/kubectl-scalar']], exit: 0 },
  { name: 'yaml-null-key', expect: [['input/bad.yaml:7:5', 'error', 'yaml/not-json']], exit: 2 },
  { name: 'yaml-tab-indentation', expect: [['input/bad.yaml:4:1', 'error', 'yaml/syntax']], exit: 2 },
  { name: 'yaml-collection-key', expect: [['input/bad.yaml:5:5', 'error', 'yaml/syntax']], exit: 2 },
  { name: 'yaml-billion-laughs', expect: [['input/bad.yaml:1:1', 'error', 'yaml/alias-limit']], exit: 2 },
  { name: 'yaml-recursive-alias', expect: [['input/bad.yaml:8:17', 'error', 'yaml/alias-limit']], exit: 2 },
  { name: 'yaml-too-deep', expect: [['input/bad.yaml:5:204', 'error', 'yaml/too-deep']], exit: 2 },
  { name: 'document-is-a-scalar', expect: [['input/bad.yaml:1:5', 'error', 'k8s/not-an-object']], exit: 2 },
  { name: 'document-is-a-list', expect: [['input/bad.yaml:1:1', 'error', 'k8s/not-an-object']], exit: 2 },
  { name: 'file-without-manifests', expect: [['input/values.yaml:1:1', 'error', 'k8s/not-a-manifest']], exit: 2 },
  { name: 'comment-only-file', expect: [['input/notes.yaml:1:1', 'error', 'input/empty']], exit: 2 },
  {
    name: 'stray-files-in-directory', directory: true, exit: 0,
    expect: [['input/empty.yaml:1:1', 'warning', 'input/empty'], ['input/package.json:1:1', 'warning', 'k8s/not-a-manifest']],
  },
  { name: 'kind-missing', expect: [['input/bad.yaml:1:1', 'error', 'k8s/missing-kind']], exit: 2 },
  { name: 'api-version-missing', expect: [['input/bad.yaml:1:1', 'error', 'k8s/missing-api-version']], exit: 2 },
  { name: 'neither-kind-nor-api-version', expect: [['input/bad.yaml:1:1', 'error', 'k8s/missing-kind']], exit: 2 },
  { name: 'kind-misspelled', expect: [['input/bad.yaml:2:7', 'error', 'k8s/unknown-kind']], exit: 2 },
  { name: 'ingress-extensions-v1beta1', expect: [['input/bad.yaml:1:13', 'error', 'k8s/unsupported-api-version']], exit: 2 },
  { name: 'metadata-without-name', expect: [['input/bad.yaml:3:11', 'error', 'k8s/missing-name']], exit: 2 },
  { name: 'duplicate-object', expect: [['input/bad.yaml:8:18', 'warning', 'k8s/duplicate-object']], exit: 0 },
  { name: 'label-key-invalid', expect: [['input/bad.yaml:6:25', 'error', 'k8s/invalid-label']], exit: 2 },
  { name: 'unknown-field', expect: [['input/bad.yaml:6:5', 'error', 'k8s/unknown-field'], ['input/bad.yaml:7:3', 'error', 'k8s/unknown-field']], exit: 2 },
  { name: 'wrong-type', expect: [['input/bad.yaml:7:13', 'error', 'k8s/wrong-type']], exit: 2 },
  { name: 'object-name-invalid', expect: [['input/bad.yaml:3:18', 'error', 'k8s/invalid-name'], ['input/bad.yaml:8:32', 'error', 'k8s/invalid-name']], exit: 2 },
  { name: 'zone-annotation-invalid', expect: [['input/bad.yaml:6:25', 'error', 'k8s/invalid-annotation']], exit: 2 },
  { name: 'selector-unknown-operator', expect: [['input/bad.yaml:7:30', 'error', 'selector/unknown-operator']], exit: 2 },
  { name: 'selector-in-without-values', expect: [['input/bad.yaml:7:30', 'error', 'selector/invalid-values']], exit: 2 },
  { name: 'cidr-host-bits', expect: [['input/bad.yaml:8:27', 'warning', 'netpol/cidr-host-bits']], exit: 0 },
  { name: 'cidr-prefix-out-of-range', expect: [['input/bad.yaml:8:27', 'error', 'netpol/invalid-cidr']], exit: 2 },
  { name: 'except-outside-cidr', expect: [['input/bad.yaml:10:22', 'error', 'netpol/except-outside-cidr']], exit: 2 },
  {
    name: 'port-out-of-range', exit: 2,
    expect: [['input/bad.yaml:8:17', 'error', 'netpol/invalid-port'], ['input/bad.yaml:9:17', 'error', 'netpol/invalid-port']],
  },
  { name: 'end-port-below-port', expect: [['input/bad.yaml:8:33', 'error', 'netpol/invalid-end-port']], exit: 2 },
  { name: 'end-port-with-named-port', expect: [['input/bad.yaml:8:33', 'error', 'netpol/invalid-end-port']], exit: 2 },
  { name: 'protocol-unknown', expect: [['input/bad.yaml:8:22', 'error', 'netpol/invalid-protocol']], exit: 2 },
  { name: 'ipblock-with-selector', expect: [['input/bad.yaml:8:20', 'error', 'netpol/ipblock-with-selector']], exit: 2 },
  { name: 'service-target-port-name-unknown', expect: [['input/bad.yaml:7:30', 'warning', 'service/unresolved-target-port']], exit: 0 },
];

describe('the catalogue of bad input', () => {
  it('has a fixture directory for every case and a case for every fixture directory', () => {
    expect(readdirSync(fixtures).sort()).toEqual(cases.map((c) => c.name).sort());
  });

  it.each(cases)('$name: reports it at file:line:column, exits $exit, and still analyses the valid documents', async (c) => {
    const dir = join(fixtures, c.name);
    const files = readdirSync(join(dir, 'input')).sort();
    const inputs = c.directory ? ['input'] : files.map((f) => `input/${f}`);
    const io = fakeIo(dir);

    expect(await main(['connections', ...inputs, '--format', 'json', '--verbose'], io)).toBe(c.exit);

    const lines = diagnosticLines(io.err);
    for (const [at, severity, code] of c.expect) {
      expect(lines.some((line) => line.startsWith(`${at}: ${severity} ${code}: `)), `${at}: ${severity} ${code}\n${io.err}`).toBe(true);
    }
    expect(io.err).not.toMatch(/^\s+at /m); // no stack trace
    // the valid pod in good.yaml, and the valid document beside the bad one, are in the graph
    const ids = endpointIds(io.out);
    expect(ids).toContain(KEEPER_ID);
    if (files.includes('bad.yaml') && readFileSync(join(dir, 'input/bad.yaml'), 'utf8').includes('name: neighbour')) {
      expect(ids).toContain('safe/neighbour[Pod]');
    }
    await expect(io.err).toMatchFileSnapshot(join(dir, 'expected/diagnostics.txt'));
  });

  it('still applies a policy whose cidr has host bits set, as its network', async () => {
    const io = fakeIo(join(fixtures, 'cidr-host-bits'));
    expect(await main(['connections', 'input/bad.yaml', 'input/good.yaml'], io)).toBe(0);
    expect(io.out).toContain('ipblock:192.168.1.0/24 => safe/keeper[Pod] : All Connections');
    // the warning is printed even without --verbose: the policy means something else than it says
    expect(io.err).toContain('input/bad.yaml:8:27: warning netpol/cidr-host-bits');
  });
});

describe('bad files, directories and streams', () => {
  /** Runs `connections` over `inputs` in `dir`, with a valid pod in good.yaml beside them. */
  async function run(dir: string, inputs: readonly string[], stdin: string | Uint8Array = '') {
    writeFileSync(join(dir, 'good.yaml'), KEEPER);
    const io = fakeIo(dir, stdin);
    const exit = await main(['connections', ...inputs, 'good.yaml', '--format', 'json', '--verbose'], io);
    return { exit, io, lines: diagnosticLines(io.err), ids: io.out === '' ? [] : endpointIds(io.out) };
  }

  it('refuses a binary file named on the command line, and keeps the other inputs', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'image.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
    const { exit, lines, ids } = await run(dir, ['image.yaml']);
    expect(exit).toBe(2);
    expect(lines).toEqual(['image.yaml:1:1: error input/binary: binary file, not YAML or JSON']);
    expect(ids).toContain(KEEPER_ID);
  });

  it('skips a binary file found in a directory with a warning', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'k8s'));
    writeFileSync(join(dir, 'k8s/blob.json'), Buffer.from([0x00, 0x01, 0x02]));
    writeFileSync(join(dir, 'k8s/pod.yaml'), KEEPER);
    const io = fakeIo(dir);
    expect(await main(['connections', 'k8s', '--format', 'json', '--verbose'], io)).toBe(0);
    expect(diagnosticLines(io.err)).toEqual(['k8s/blob.json:1:1: warning input/binary: binary file, not YAML or JSON; skipped']);
    expect(endpointIds(io.out)).toContain(KEEPER_ID);
  });

  it('reports bytes that are not UTF-8 at their line and column', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.concat([
      Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf'), Buffer.from([0xe9]), Buffer.from('}\n'),
    ]));
    const { exit, lines, ids } = await run(dir, ['latin1.yaml']);
    expect(exit).toBe(2);
    expect(lines).toEqual(['latin1.yaml:3:21: error input/not-utf8: invalid UTF-8 (byte 0xe9 at offset 51); save the file as UTF-8']);
    expect(ids).toContain(KEEPER_ID);
  });

  it('treats an empty file named on the command line as an error', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'empty.yaml'), '\n  \n');
    const { exit, lines, ids } = await run(dir, ['empty.yaml']);
    expect(exit).toBe(2);
    expect(lines).toEqual(['empty.yaml:1:1: error input/empty: file is empty']);
    expect(ids).toContain(KEEPER_ID);
  });

  it('reads each file once in a directory with a symlink loop, and warns about the loop', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'k8s/nested'), { recursive: true });
    writeFileSync(join(dir, 'k8s/pod.yaml'), KEEPER);
    symlinkSync('..', join(dir, 'k8s/nested/up'));
    const io = fakeIo(dir);
    expect(await main(['connections', 'k8s', '--format', 'json', '--verbose'], io)).toBe(0);
    expect(diagnosticLines(io.err)).toEqual([`${join('k8s/nested/up')}:1:1: warning input/unreadable: directory symlink loop; skipped`]);
    expect(endpointIds(io.out).filter((id) => id === KEEPER_ID)).toHaveLength(1);
  });

  it('reports a path that does not exist, and analyses the paths that do', async () => {
    const dir = tempDir();
    const { exit, lines, ids } = await run(dir, ['missing.yaml']);
    expect(exit).toBe(2);
    expect(lines).toEqual(['missing.yaml:1:1: error input/not-found: no such file or directory']);
    expect(ids).toContain(KEEPER_ID);
  });

  it.each([
    ['empty', ''],
    ['blank', ' \n\n'],
  ])('treats %s standard input as an error', async (_what, stdin) => {
    const dir = tempDir();
    const { exit, lines, ids } = await run(dir, ['-'], stdin);
    expect(exit).toBe(2);
    expect(lines).toEqual(['<stdin>:1:1: error input/empty: standard input is empty']);
    expect(ids).toContain(KEEPER_ID);
  });

  it('checks standard input given as bytes like a file', async () => {
    const dir = tempDir();
    const { exit, lines } = await run(dir, ['-'], new Uint8Array([0x61, 0x3a, 0x20, 0xff, 0x0a]));
    expect(exit).toBe(2);
    expect(lines).toEqual(['<stdin>:1:4: error input/not-utf8: invalid UTF-8 (byte 0xff at offset 3); save the file as UTF-8']);
  });

  it('refuses an input larger than MAX_INPUT_BYTES without reading it, naming the limit', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'huge.yaml'), '');
    truncateSync(join(dir, 'huge.yaml'), 128 * 1024 * 1024 + 1); // sparse: costs no disk and is never read
    const { exit, lines, ids } = await run(dir, ['huge.yaml']);
    expect(exit).toBe(2);
    expect(lines).toEqual(['huge.yaml:1:1: error input/too-large: larger than 128 MiB, the most netdiagram reads in one run (MAX_INPUT_BYTES); not read']);
    expect(ids).toContain(KEEPER_ID);
  });

  it('fails cleanly on nesting deep enough to exhaust the YAML parser\'s stack', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'deep.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`);
    const { exit, lines, ids, io } = await run(dir, ['deep.yaml']);
    expect(exit).toBe(2);
    expect(lines, lines.join("\n")).toHaveLength(1);
    expect(lines[0]).toMatch(/^deep\.yaml:4:\d+: error yaml\/too-deep: /);
    expect(io.err.split('\n').every((line) => line.length < 300)).toBe(true); // the code frame shows a window, not the whole line
    expect(ids).toContain(KEEPER_ID);
  });
});
