import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';
import { demo, demoCopy, fakeIo, tempDir } from './support.js';
import { openEvidenceDir, writeEvidenceDir } from '../../packages/cli/src/evidence-dir.js';
import { liveTemporaries } from '../../packages/cli/src/safe-write.js';

const run = async (argv: string[], env: Record<string, string> = {}) => {
  const io = fakeIo(env);
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
};
const MARKER = '.netdiagram-evidence';
const listed = (dir: string) => readFileSync(join(dir, MARKER), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
/** The demo with the except of pci-frontend-from-outside mistyped as a /33: the API server rejects that policy. */
const badCidr = () => demoCopy((p) => p.replace('- 10.96.0.0/12', '- 10.96.0.0/33'));
const git = (cwd: string, args: string[], env: Record<string, string> = {}) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } }).toString('utf8');
/** The demo committed into a new repository, with the given committer date. */
function committedDemo(date: string): string {
  const repo = tempDir();
  cpSync(demo, join(repo, 'k8s'), { recursive: true, filter: (src) => !src.endsWith('.png') && !src.endsWith('.svg') });
  git(repo, ['init', '-q']);
  git(repo, ['add', '.']);
  git(repo, ['commit', '-q', '-m', 'demo'], { GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date });
  return join(repo, 'k8s');
}

describe('the evidence directory', () => {
  it('removes the files of the previous run that this run does not write, such as a stale expectations.md', async () => {
    const out = join(tempDir(), 'evidence');
    const withExpect = await run(['evidence', demo, '--cde', 'app=pci', '--expect', join(demo, 'expectations.yaml'), '-o', out]);
    expect(withExpect.code).toBe(0);
    expect(readFileSync(join(out, 'expectations.md'), 'utf8')).toContain('pass');
    expect(listed(out)).toContain('expectations.md');
    writeFileSync(join(out, 'notes.txt'), 'the assessor\'s notes');

    const again = await run(['evidence', demo, '--cde', 'app=pci', '-o', out]);
    expect(again.code).toBe(0);
    expect(existsSync(join(out, 'expectations.md'))).toBe(false);
    expect(existsSync(join(out, 'expectations.json'))).toBe(false);
    // a file netdiagram did not write is never deleted, and is named
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('the assessor\'s notes');
    expect(again.err).toContain('left alone in');
    expect(again.err).toContain('notes.txt');
    const written = readdirSync(out).filter((f) => f !== MARKER && f !== 'notes.txt').sort();
    expect(listed(out)).toEqual(written);
    expect(JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8')).options.expect).toBeNull();
  });

  it('refuses, before writing anything, to replace a file the user put there under a name this run writes', async () => {
    const out = join(tempDir(), 'ev2');
    expect((await run(['evidence', demo, '--cde', 'app=pci', '-o', out])).code).toBe(0);
    writeFileSync(join(out, 'expectations.md'), 'mine\n');
    const before = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));

    const r = await run(['evidence', demo, '--cde', 'app=pci', '--expect', join(demo, 'expectations.yaml'), '-o', out]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(`${join(out, 'expectations.md')} is not listed in`);
    expect(r.err).not.toContain('left alone');
    // nothing written: the user's file, the previous bundle and its marker are as they were
    expect(Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]))).toEqual(before);
  });

  it('refuses a non-empty directory it did not write, with one line and exit code 2, and writes nothing', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'report.docx'), 'someone else\'s');
    const r = await run(['evidence', demo, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('is not empty and was not written by netdiagram evidence');
    expect(readdirSync(out)).toEqual(['report.docx']);
  });

  it('accepts an empty directory that already exists', async () => {
    const out = tempDir();
    expect((await run(['evidence', demo, '-o', out])).code).toBe(0);
    expect(existsSync(join(out, MARKER))).toBe(true);
  });

  it('refuses a marker that lists a path out of the directory, and deletes nothing', async () => {
    const parent = tempDir();
    const out = join(parent, 'evidence');
    expect((await run(['evidence', demo, '-o', out])).code).toBe(0);
    writeFileSync(join(parent, 'precious.yaml'), 'keep me');
    writeFileSync(join(out, MARKER), `${readFileSync(join(out, MARKER), 'utf8')}../precious.yaml\n`);
    const r = await run(['evidence', demo, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('"../precious.yaml", which is not a file netdiagram writes');
    expect(readFileSync(join(parent, 'precious.yaml'), 'utf8')).toBe('keep me');
    expect(existsSync(join(out, 'diagram.svg'))).toBe(true);
  });

  it('refuses a directory that is a symbolic link', async () => {
    const real = tempDir();
    const link = join(tempDir(), 'evidence');
    symlinkSync(real, link);
    const r = await run(['evidence', demo, '-o', link]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('is a symbolic link');
    expect(readdirSync(real)).toEqual([]);
  });

  it('replaces a listed file that became a symbolic link without writing through it', async () => {
    const out = join(tempDir(), 'evidence');
    expect((await run(['evidence', demo, '-o', out])).code).toBe(0);
    const outside = join(tempDir(), 'outside.svg');
    writeFileSync(outside, 'not yours');
    execFileSync('rm', [join(out, 'diagram.svg')]);
    symlinkSync(outside, join(out, 'diagram.svg'));
    expect((await run(['evidence', demo, '-o', out])).code).toBe(0);
    expect(readFileSync(outside, 'utf8')).toBe('not yours');
    expect(lstatSync(join(out, 'diagram.svg')).isFile()).toBe(true);
    expect(readFileSync(join(out, 'diagram.svg'), 'utf8')).toMatch(/^<\?xml/);
  });

  it('never writes through a symbolic link planted in the bundle: the bundle is written in a new directory and swapped in', async () => {
    const out = join(tempDir(), 'evidence');
    expect((await run(['evidence', demo, '-o', out])).code).toBe(0);
    const outside = join(tempDir(), 'outside.svg');
    writeFileSync(outside, 'not yours');
    symlinkSync(outside, join(out, `.diagram.svg.${process.pid}.tmp`)); // the name the bundle's files were once written under
    const r = await run(['evidence', demo, '-o', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(outside, 'utf8')).toBe('not yours');
    // not written by netdiagram: left alone, and named
    expect(lstatSync(join(out, `.diagram.svg.${process.pid}.tmp`)).isSymbolicLink()).toBe(true);
    expect(r.err).toContain('left alone in');
  });
});

describe('an evidence run that fails while writing', () => {
  const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, lstatSync(join(dir, f)).isFile() ? readFileSync(join(dir, f)).toString('base64') : 'link']));

  it.each(['beside', 'inside'] as const)('leaves the previous bundle byte for byte as it was, and no staging directory (staged %s the target)', async (staging) => {
    const parent = tempDir();
    const out = join(parent, 'evidence');
    expect((await run(['evidence', demo, '--cde', 'app=pci', '-o', out])).code).toBe(0);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const before = snapshot(out);
    const dir = openEvidenceDir(out, fakeIo());
    let written = 0;
    const failing = (path: string, content: string | Uint8Array) => {
      if (++written === 4) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      writeFileSync(path, content, { flag: 'wx' });
    };
    const files = new Map([['diagram.svg', 'new'], ['flows.csv', 'new'], ['flows.md', 'new'], ['metadata.json', 'new'], ['README.md', 'new']]);
    expect(() => writeEvidenceDir(dir, files, { writeFile: failing, staging })).toThrow(/ENOSPC; the previous bundle is left as it was/);
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(parent)).toEqual(['evidence']);
    expect(liveTemporaries()).toEqual([]);
  });

  it.each(['beside', 'inside'] as const)('leaves a new bundle with exactly its own files and the user\'s after a good run, and nothing beside it (staged %s the target)', async (staging) => {
    const parent = tempDir();
    const out = join(parent, 'evidence');
    expect((await run(['evidence', demo, '--cde', 'app=pci', '--expect', join(demo, 'expectations.yaml'), '-o', out])).code).toBe(0);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const dir = openEvidenceDir(out, fakeIo());
    writeEvidenceDir(dir, new Map([['README.md', 'new readme\n'], ['metadata.json', '{}\n']]), { staging });
    expect(readdirSync(out).sort()).toEqual([MARKER, 'README.md', 'metadata.json', 'notes.txt']);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toBe('new readme\n');
    expect(listed(out)).toEqual(['README.md', 'metadata.json']);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readdirSync(parent)).toEqual(['evidence']);
  });
});

describe('an evidence bundle from input with errors', () => {
  it('is written, says INCOMPLETE first in README.md, the title block and metadata.json, names the policy left out, and exits 2', async () => {
    const input = badCidr();
    const out = join(tempDir(), 'evidence');
    const r = await run(['evidence', input, '--cde', 'app=pci', '-o', out]);
    expect(r.code).toBe(2);
    const line = 'INCOMPLETE: 1 input error; 1 left out: NetworkPolicy default/pci-frontend-from-outside (netpol/invalid-cidr)';
    expect(r.err).toContain(`for inspection only; ${line}`);

    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    expect(readme.split('\n')[0]).toBe(`**${line}**`);

    const svg = readFileSync(join(out, 'diagram.svg'), 'utf8');
    const block = svg.slice(svg.indexOf('<g id="title-block">'));
    const texts = [...block.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts[1]).toBe(line); // right under the title, before everything else
    expect(existsSync(join(out, 'diagram.png'))).toBe(true);

    const text = readFileSync(join(out, 'metadata.json'), 'utf8');
    const metadata = JSON.parse(text);
    expect(Object.keys(metadata)[0]).toBe('status');
    expect(metadata.status).toBe(line);
    expect(metadata.summary).toMatchObject({ diagnostics: { errors: 1, warnings: 0 }, leftOut: 1 });
    expect(metadata.diagnostics).toEqual([{
      severity: 'error', code: 'netpol/invalid-cidr', message: expect.stringContaining('"10.96.0.0/33" is not a valid CIDR'),
      location: { file: join(input, 'policies.yaml'), line: 73, column: 17 },
    }]);
    expect(metadata.leftOut).toEqual([{
      what: 'NetworkPolicy default/pci-frontend-from-outside', kind: 'object', file: join(input, 'policies.yaml'), document: 3,
      object: { kind: 'NetworkPolicy', namespace: 'default', name: 'pci-frontend-from-outside' },
      errors: metadata.diagnostics,
    }]);
  });

  it('says complete in metadata.json and nothing in README.md when the input had no errors', async () => {
    const out = join(tempDir(), 'evidence');
    expect((await run(['evidence', demo, '-o', out])).code).toBe(0);
    const metadata = JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8'));
    expect(metadata.status).toBe('complete');
    expect(metadata.leftOut).toEqual([]);
    expect(readFileSync(join(out, 'README.md'), 'utf8').split('\n')[0]).toBe('# Network segmentation evidence (PCI DSS requirement 1)');
  });

  it('makes diagram say INCOMPLETE in its title block and exit 2 too', async () => {
    const r = await run(['diagram', badCidr(), '--no-commit']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('>INCOMPLETE: 1 input error; 1 left out: NetworkPolicy default/pci-frontend-from-outside (netpol/invalid-cidr)</text>');
  });
});

describe('an evidence bundle with failed expectations', () => {
  // five expectations on the demo, two of them wrong: a team's expectations.yaml after a policy change
  const expectations = [
    'expectations:',
    '  - name: "pci-frontend reaches pci-backend on TCP 6379 only"',
    '    from: app=pci,tier=frontend',
    '    to: app=pci,tier=backend',
    '    only: [6379/TCP]',
    '  - name: "nothing in app=other reaches app=pci"',
    '    from: app=other',
    '    to: app=pci',
    '    deny: all',
    '  - name: "pci-backend does not call pci-frontend"',
    '    from: app=pci,tier=backend',
    '    to: app=pci,tier=frontend',
    '    deny: all',
    '  - name: "pci-frontend | reaches *pci-backend* on <TCP 5432>"',
    '    from: app=pci,tier=frontend',
    '    to: app=pci,tier=backend',
    '    allow: [5432/TCP]',
    '  - name: "the other app reaches pci-backend"',
    '    from: app=other',
    '    to: app=pci,tier=backend',
    '    allow: [6379/TCP]',
    '',
  ].join('\n');

  it('says so in README.md, naming the failed ones, and on standard error, and still exits 0: check is the gate', async () => {
    const file = join(tempDir(), 'e.yaml');
    writeFileSync(file, expectations);
    const out = join(tempDir(), 'evidence');
    const r = await run(['evidence', demo, '--cde', 'app=pci', '--expect', file, '-o', out]);
    expect(r.code).toBe(0);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('; Expectations: 3 passed, 2 failed (see expectations.md)');

    const readme = readFileSync(join(out, 'README.md'), 'utf8').split('\n');
    const at = readme.indexOf('- Expectations: 3 passed, 2 failed (see expectations.md):');
    expect(at).toBeGreaterThan(0);
    expect(readme.slice(at + 1, at + 3)).toEqual([
      '  - FAIL: pci-frontend \\| reaches \\*pci-backend\\* on &lt;TCP 5432&gt;',
      '  - FAIL: the other app reaches pci-backend',
    ]);
    expect(JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8')).summary.expectations).toEqual({ passed: 3, failed: 2 });
    expect((await run(['check', demo, '--expect', file])).code).toBe(1);
  });

  it('counts them in README.md and on standard error when all pass', async () => {
    const out = join(tempDir(), 'evidence');
    const r = await run(['evidence', demo, '--cde', 'app=pci', '--expect', join(demo, 'expectations.yaml'), '-o', out]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/; Expectations: \d+ passed, 0 failed\n$/);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toMatch(/^- Expectations: \d+ passed, 0 failed$/m);
  });
});

describe('the date of evidence and diagrams', () => {
  it('is the commit date of the inputs\' git HEAD, unless --date or SOURCE_DATE_EPOCH says otherwise', async () => {
    const k8s = committedDemo('2024-03-01T12:00:00Z');
    const dated = async (extra: string[], env: Record<string, string> = {}) => {
      const out = join(tempDir(), 'evidence');
      await run(['evidence', k8s, '-o', out, ...extra], env);
      const metadata = JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8'));
      return [metadata.date, metadata.dateFrom];
    };
    expect(await dated([])).toEqual(['2024-03-01T12:00:00Z', 'git commit']);
    expect(await dated([], { SOURCE_DATE_EPOCH: '1700000000' })).toEqual(['2023-11-14T22:13:20Z', 'SOURCE_DATE_EPOCH']);
    expect(await dated(['--date', '2025-07-01'], { SOURCE_DATE_EPOCH: '1700000000' })).toEqual(['2025-07-01', '--date']);

    const diagram = await run(['diagram', k8s]);
    expect(diagram.out).toContain('2024-03-01T12:00:00Z · netdiagram');
    // --no-commit leaves git out: no commit, and no date taken from it
    expect((await run(['diagram', k8s, '--no-commit'])).out).toContain('>undated · netdiagram');
  });

  it('stays the commit date when the inputs are modified, and the commit says so', async () => {
    const k8s = committedDemo('2024-03-01T12:00:00Z');
    writeFileSync(join(k8s, 'pci-app.yaml'), `${readFileSync(join(k8s, 'pci-app.yaml'), 'utf8')}\n# edited\n`);
    const out = join(tempDir(), 'evidence');
    await run(['evidence', k8s, '-o', out]);
    const metadata = JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8'));
    expect(metadata.date).toBe('2024-03-01T12:00:00Z');
    expect(metadata.git.dirty).toBe(true);
    expect(readFileSync(join(out, 'diagram.svg'), 'utf8')).toContain('(inputs modified)');
  });

  it('is "undated" in the title block outside git, with metadata date null', async () => {
    const out = join(tempDir(), 'evidence');
    await run(['evidence', demoCopy(), '-o', out]);
    expect(JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8'))).toMatchObject({ date: null, dateFrom: null, git: null });
    expect(readFileSync(join(out, 'diagram.svg'), 'utf8')).toContain('>undated · netdiagram');
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('undated (no --date, SOURCE_DATE_EPOCH or git commit)');
  });
});

describe('the same inputs named in another order', () => {
  const files = ['policies.yaml', 'pci-app.yaml', 'other-app.yaml'];
  const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];

  it('give byte-identical evidence bundles, every file', async () => {
    const input = demoCopy();
    const bundles: string[] = [];
    for (const order of [orders[0]!, orders[5]!, orders[3]!]) {
      const out = join(tempDir(), 'evidence');
      const r = await run(['evidence', ...order.map((i) => join(input, files[i]!)), '--cde', 'app=pci', '-o', out], { SOURCE_DATE_EPOCH: '1700000000' });
      expect(r.code).toBe(0);
      bundles.push(out);
    }
    const names = readdirSync(bundles[0]!).sort();
    expect(names).toContain('diagram.png');
    for (const other of bundles.slice(1)) {
      expect(readdirSync(other).sort()).toEqual(names);
      for (const name of names) expect(readFileSync(join(other, name)).equals(readFileSync(join(bundles[0]!, name))), name).toBe(true);
    }
  });

  it('give byte-identical diagrams, SVG in every order and PNG', async () => {
    const input = demoCopy();
    const svg = async (order: number[]) => (await run(['diagram', ...order.map((i) => join(input, files[i]!)), '--cde', 'app=pci'])).out;
    const first = await svg(orders[0]!);
    // the Source line (shortened to fit) starts with the first of the sorted paths
    expect(first).toContain(`>${join(input, 'other-app.yaml')} `);
    for (const order of orders.slice(1)) expect(await svg(order), order.join()).toBe(first);

    const dir = tempDir();
    const png = async (order: number[], name: string) => {
      await run(['diagram', ...order.map((i) => join(input, files[i]!)), '-o', join(dir, name)]);
      return readFileSync(join(dir, name));
    };
    expect((await png(orders[4]!, 'b.png')).equals(await png(orders[0]!, 'a.png'))).toBe(true);
  });

  it('give the same Source line when a directory and a file are named in either order', async () => {
    const input = demoCopy();
    mkdirSync(join(input, 'more'));
    writeFileSync(join(input, 'more', 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: { name: extra }\n');
    const a = await run(['diagram', join(input, 'more'), join(input, 'policies.yaml')]);
    const b = await run(['diagram', join(input, 'policies.yaml'), join(input, 'more')]);
    expect(a.out).toBe(b.out);
  });
});

describe('the evidence marker', () => {
  it('refuses a marker larger than netdiagram ever writes, without reading it whole', async () => {
    const out = join(tempDir(), 'ev');
    expect(await main(['evidence', demo, '--cde', 'app=pci', '-o', out], fakeIo())).toBe(0);
    writeFileSync(join(out, '.netdiagram-evidence'), 'x'.repeat(100 * 1024));
    const io = fakeIo();
    expect(await main(['evidence', demo, '--cde', 'app=pci', '-o', out], io)).toBe(2);
    expect(io.err).toContain('.netdiagram-evidence is larger than 65536 bytes; refusing to use');
  });
});
