import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    [['--format', 'jpeg'], /format/],
    [['--direction', 'up'], /direction/],
    [['--detail', 'max'], /detail/],
    [['-o', 'out.jpg'], /cannot tell the format/],
    [['--format', 'pdf', '--page', 'A5'], /--page "A5" is not a page/],
    [['--format', 'pdf', '--page', 'A4-sideways'], /--page "A4-sideways" is not a page/],
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

describe('the PCI DSS scope in CLI diagrams', () => {
  it('draws the CDE zone, the boundary numbers and table with diagram --cde', async () => {
    const r = await run(['diagram', 'examples/pci-demo', '--no-commit', '--cde', 'app=pci']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('fill="url(#cde-hatch)"');
    expect(r.stdout).toContain('>CDE \u2014 PCI DSS scope</text>');
    expect(r.stdout).toContain('Flows crossing the CDE boundary (F1)');
    expect(r.stdout).toContain('PCI DSS CDE (app=pci): 2 workloads · 0 connected-to · 1 boundary flow');
    const plain = await run(['diagram', 'examples/pci-demo', '--no-commit']);
    expect(plain.stdout).not.toContain('cde-hatch');
  });

  it('draws the CDE boundary\'s representative peers by default with --cde, every one with --exposure, none with --no-exposure', async () => {
    const shop = ['diagram', 'examples/shop', '--no-commit', '--ingress-controller', 'ingress-nginx'];
    const count = (svg: string) => svg.split('class="node representative').length - 1;
    const cde = await run([...shop, '--cde', 'pci-dss/scope=cde']);
    expect(cde.code).toBe(0);
    expect(cde.stdout).toContain('>any pod · app=prometheus</text>');
    expect(cde.stdout).toContain('pods app=prometheus in namespace monitoring');
    const none = await run([...shop, '--cde', 'pci-dss/scope=cde', '--no-exposure']);
    expect(count(none.stdout)).toBe(0);
    expect(none.stdout).toContain('Flows crossing the CDE boundary');
    const plain = await run(shop);
    expect(count(plain.stdout)).toBe(0);
    const all = await run([...shop, '--exposure']);
    // storefront/web's egress to pods app=cart in namespace storefront is no CDE boundary flow: only --exposure draws it
    expect(all.stdout).toContain('>any pod · app=cart</text>');
    expect(cde.stdout).not.toContain('>any pod · app=cart</text>');
    expect(count(all.stdout)).toBeGreaterThan(count(cde.stdout));
  });

  it('says in its help what --exposure and --no-exposure draw, and the default with a CDE', async () => {
    const help = await run(['diagram', '--help']);
    expect(help.stdout).toContain('--exposure');
    expect(help.stdout).toContain('--no-exposure');
    expect(help.stdout).toContain('with a CDE (--cde or a zone annotation) the ones whose edges cross the CDE');
  });

  it('rejects a CDE selector that does not parse with exit code 2', async () => {
    const r = await run(['diagram', 'examples/pci-demo', '--cde', 'app in (pci']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--cde "app in (pci"');
  });

  it('puts the scope into the evidence bundle\'s diagram', async () => {
    const dir = tempDir();
    expect((await run(['evidence', 'examples/pci-demo', '--cde', 'app=pci', '-o', dir])).code).toBe(0);
    const svg = readFileSync(join(dir, 'diagram.svg'), 'utf8');
    expect(svg).toContain('fill="url(#cde-hatch)"');
    expect(svg).toMatch(/<text [^>]*>F1<\/text>/);
    expect(readFileSync(join(dir, 'boundary.csv'), 'utf8')).toContain('F1,inbound');
  });

  it('draws the new diagram with the changes marked with diff --format svg or png', async () => {
    const next = tempDir();
    cpSync('examples/pci-demo', next, { recursive: true, filter: (src) => !/diagram\.(svg|png)$|expectations\.yaml$/.test(src) });
    const policies = join(next, 'policies.yaml');
    writeFileSync(policies, readFileSync(policies, 'utf8').replace('              - 10.96.0.0/12\n      ports:\n        - protocol: TCP\n          port: 80', '              - 10.96.0.0/16\n      ports:\n        - protocol: TCP\n          port: 80\n        - protocol: TCP\n          port: 443'));
    const svg = await run(['diff', 'examples/pci-demo', next, '--cde', 'app=pci', '--format', 'svg']);
    expect(svg.code).toBe(0);
    expect(svg.stdout).toContain('class="edge from-outside changed"');
    expect(svg.stdout).toContain('>~ TCP 80,443</text>');
    expect(svg.stdout).toContain('1 added · 0 removed · 1 changed, since the previous input');
    expect(svg.stdout).toContain(`changes from examples/pci-demo to ${next}`);
    expect(svg.stdout).toContain('fill="url(#cde-hatch)"');
    const dir = tempDir();
    expect((await run(['diff', 'examples/pci-demo', next, '--format', 'png', '-o', join(dir, 'diff.png')])).code).toBe(0);
    expect(readFileSync(join(dir, 'diff.png')).subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});
