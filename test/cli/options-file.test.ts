import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';

const demo = join(import.meta.dirname, '../../examples/pci-demo');

/** A repository (a directory with .git) holding the demo and a netdiagram.yaml; runs happen in a subdirectory of it. */
function repo(config: string): string {
  const root = mkdtempSync(join(tmpdir(), 'netdiagram-config-'));
  mkdirSync(join(root, '.git'));
  cpSync(demo, join(root, 'k8s'), { recursive: true });
  writeFileSync(join(root, 'netdiagram.yaml'), config);
  mkdirSync(join(root, 'sub'));
  return root;
}
async function run(cwd: string, argv: string[]) {
  const io = { out: '', err: '', stdout(t: string | Uint8Array) { io.out += typeof t === 'string' ? t : Buffer.from(t).toString('utf8'); }, stderr(t: string) { io.err += t; }, readStdin: async () => '', env: {}, cwd };
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('netdiagram.yaml: the options a CI run repeats', () => {
  it('fills the options the command line leaves unset, from the repository root; the command line and --no-config win', async () => {
    const root = repo('cde: [app=pci]\ncommands:\n  audit:\n    fail-on: warning\n');
    const audit = await run(join(root, 'sub'), ['audit', '../k8s']);
    expect(audit.out.trim().split('\n').at(-1)).toContain('CDE: 2 workloads (app=pci)');
    expect(audit.code).toBe(1); // fail-on warning, from the audit section
    expect((await run(root, ['audit', 'k8s', '--fail-on', 'error'])).code).toBe(0);
    expect((await run(root, ['audit', 'k8s', '--cde', 'app=other'])).out).toContain('CDE: 2 workloads (app=other)');
    expect((await run(root, ['audit', 'k8s', '--no-config'])).out).toContain('no CDE marked');
  });

  it('refuses a key no command knows and a value outside an option\'s choices, at their line and column, running nothing', async () => {
    const root = repo('cdee: [app=pci]\ncommands:\n  diagram:\n    detail: huge\n  audit:\n    title: x\n');
    const { code, out, err } = await run(root, ['audit', 'k8s']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.split('\n').filter((l) => l.includes('error config/invalid'))).toEqual([
      'netdiagram.yaml:1:7: error config/invalid: no netdiagram command has the option --cdee',
      'netdiagram.yaml:6:12: error config/invalid: netdiagram audit has no option --title',
      'netdiagram.yaml:4:13: error config/invalid: --detail "huge" is not one of auto, full, workload, namespace',
    ]);
  });

  it('records in the evidence metadata that options came from it, with the names of who prepared and approved', async () => {
    const root = repo('cde: app=pci\nprepared-by: Platform team\napproved-by: Jane Doe\nreview-date: 2027-01-15\n');
    expect((await run(root, ['evidence', 'k8s', '-o', 'evidence', '--date', '2026-01-01'])).code).toBe(0);
    const metadata = JSON.parse(readFileSync(join(root, 'evidence', 'metadata.json'), 'utf8'));
    expect(metadata.options).toMatchObject({ cde: ['app=pci'], optionsFile: 'netdiagram.yaml' });
    expect(metadata.record).toEqual({ preparedBy: 'Platform team', approvedBy: 'Jane Doe', reviewDate: '2027-01-15' });
  });

  it('is named in the scope and data-flow records it filled in, and refuses a one-item list for a one-value option', async () => {
    const root = repo('cde: [app=pci]\nprepared-by: Alice\n');
    const scope = await run(root, ['scope', 'k8s', '--no-commit']);
    expect(scope.code).toBe(0);
    expect(scope.out).toContain('- Prepared by: Alice\n- Options file: netdiagram.yaml\n');
    expect(JSON.parse((await run(root, ['scope', 'k8s', '--no-commit', '-f', 'json'])).out).optionsFile).toBe('netdiagram.yaml');
    expect((await run(root, ['dataflow', 'k8s', '--no-commit', '-f', 'md'])).out).toContain('- Options file: netdiagram.yaml\n');
    expect((await run(root, ['scope', 'k8s', '--no-commit', '--no-config', '--cde', 'app=pci'])).out).not.toContain('Options file');
    const list = await run(repo('cde: [app=pci]\nprepared-by: [Alice]\n'), ['scope', 'k8s']);
    expect(list.code).toBe(2);
    expect(list.err).toContain('netdiagram.yaml:2:14: error config/invalid: --prepared-by takes one value, not a list');
  });

  it('reads a file named in it from its own directory, and names its line when the file is missing', async () => {
    const root = repo('cde: app=pci\nparties: parties.yaml\n');
    writeFileSync(join(root, 'parties.yaml'), 'parties:\n  - {name: Acq, kind: acquirer, cidrs: [203.0.113.0/24]}\n');
    const ok = await run(join(root, 'sub'), ['dataflow', '../k8s', '-f', 'csv']);
    expect(ok.err).not.toContain('cannot read');
    expect(ok.code).toBe(0);
    const missing = repo('cde: app=pci\nparties: nowhere.yaml\n');
    const bad = await run(join(missing, 'sub'), ['dataflow', '../k8s', '-f', 'csv']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('netdiagram.yaml:2:10: error config/invalid: --parties nowhere.yaml: no such file (a path in ../netdiagram.yaml is read from its directory');
  });
});
