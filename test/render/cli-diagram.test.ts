import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { afterEach, describe, expect, it } from 'vitest';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(argv: string[], env: Record<string, string> = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    stdout: (text) => out.push(typeof text === 'string' ? text : Buffer.from(text).toString('latin1')),
    stderr: (text) => err.push(text),
    readStdin: async () => '',
    env,
    cwd: process.cwd(),
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'netdiagram-diagram-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('netdiagram diagram', () => {
  it('writes SVG to standard output with the title, input digest and version, and no date or commit', async () => {
    const r = await run(['diagram', 'examples/pci-demo', '--no-commit', '--title', 'Demo']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')).toBe(true);
    expect(r.stdout).toContain('<title>Demo</title>');
    expect(r.stdout).toMatch(/sha256:[0-9a-f]{64}/);
    expect(r.stdout).toContain('examples/pci-demo (');
    expect(r.stdout).not.toContain('>Commit<');
    expect(r.stdout).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('takes the date from --date, else SOURCE_DATE_EPOCH, and the commit from --commit', async () => {
    const dated = await run(['diagram', 'examples/pci-demo', '--date', '2025-07-01', '--commit', 'abc1234']);
    expect(dated.stdout).toContain('2025-07-01 · netdiagram');
    expect(dated.stdout).toContain('>abc1234<');
    const epoch = await run(['diagram', 'examples/pci-demo', '--no-commit'], { SOURCE_DATE_EPOCH: '1751328000' });
    expect(epoch.stdout).toContain('2025-07-01T00:00:00Z');
  });

  it('picks PNG from the output extension or --format', async () => {
    const dir = tempDir();
    expect((await run(['diagram', 'examples/pci-demo', '--no-commit', '-o', join(dir, 'd.png')])).code).toBe(0);
    expect(readFileSync(join(dir, 'd.png')).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect((await run(['diagram', 'examples/pci-demo', '--no-commit', '--format', 'png', '-o', join(dir, 'x.img')])).code).toBe(0);
    expect(readFileSync(join(dir, 'x.img')).subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('gives the same digest and drawing for the same inputs named in another order', async () => {
    const a = await run(['diagram', 'examples/pci-demo/policies.yaml', 'examples/pci-demo/pci-app.yaml', 'examples/pci-demo/other-app.yaml', '--no-commit', '--title', 't']);
    const b = await run(['diagram', 'examples/pci-demo/other-app.yaml', 'examples/pci-demo/policies.yaml', 'examples/pci-demo/pci-app.yaml', '--no-commit', '--title', 't']);
    const digest = (svg: string) => /sha256:[0-9a-f]{64}/.exec(svg)?.[0];
    const drawing = (svg: string) => svg.slice(svg.indexOf('<g id="containers">'), svg.indexOf('<g id="title-block">'));
    expect(digest(a.stdout)).toBeDefined();
    expect(digest(a.stdout)).toBe(digest(b.stdout));
    expect(drawing(a.stdout)).toBe(drawing(b.stdout));
  });

  it.each([
    [['--format', 'pdf'], /format/],
    [['--direction', 'up'], /direction/],
    [['--detail', 'max'], /detail/],
    [['-o', 'out.pdf'], /cannot tell the format/],
    [['--date', 'yesterday'], /--date/],
  ])('rejects bad usage %j with exit code 2', async (args, message) => {
    const r = await run(['diagram', 'examples/pci-demo', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('draws namespace detail with --expand', async () => {
    const r = await run(['diagram', 'examples/shop', '--no-commit', '--ingress-controller', 'ingress-nginx', '--detail', 'namespace', '--expand', 'payment']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('class="node namespace-summary"');
    expect(r.stdout).toContain('id="ns-_40_ns_3a_payment"');
  });
});
