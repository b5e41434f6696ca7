import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { buildTrafficGraph, computeScope, parseManifests } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { flowTable } from '../../packages/cli/src/commands/evidence.js';
import { withHostileText } from '../support/hostile.js';
import { demo, demoCopy, fakeIo, tempDir, withoutDenyAll } from './support.js';

const expectations = join(demo, 'expectations.yaml');
const run = async (argv: string[], env: Record<string, string> = {}) => {
  const io = fakeIo(env);
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
};
/** The demo with pci-frontend also open on TCP 443 from outside, and from all of 10.96.0.0/12 but 10.96.0.0/16. */
const loosened = () => demoCopy((p) => p
  .replace('              - 10.96.0.0/12\n      ports:\n        - protocol: TCP\n          port: 80', '              - 10.96.0.0/16\n      ports:\n        - protocol: TCP\n          port: 80\n        - protocol: TCP\n          port: 443'));
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8');

describe('every PCI command', () => {
  it.each(['audit', 'diff', 'explain', 'check', 'evidence'])('%s has --help text with an example', async (command) => {
    const { code, out } = await run([command, '--help']);
    expect(code).toBe(0);
    expect(out).toContain('Examples:');
    expect(out).toContain(`$ netdiagram ${command} `);
  });
});

describe('netdiagram audit', () => {
  it('passes --fail-on error on the seed demo and fails --fail-on warning', async () => {
    const ok = await run(['audit', demo, '--cde', 'app=pci', '--fail-on', 'error']);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/warning cde\/reachable-from-outside: .* \[PCI DSS 1\.4\.4\]\n/);
    // the demo's annotations state that pci-frontend handles card data: its public reach is the data-flow warning too
    expect(ok.out).toMatch(/warning data\/reachable-from-untrusted: default\/pci-frontend\[Deployment\] .* \(D1, F1\) \[PCI DSS 1\.4\.2\]\n/);
    expect(ok.out.trim().split('\n').at(-1)).toBe('4 findings: 0 errors, 4 warnings; CDE: 2 workloads (app=pci), 0 connected-to, 1 boundary flow');
    expect((await run(['audit', demo, '--cde', 'app=pci', '--fail-on', 'warning'])).code).toBe(1);
  });

  it('fails --fail-on error once the deny-all policy is deleted', async () => {
    const { code, out } = await run(['audit', demoCopy(withoutDenyAll), '--cde', 'app=pci', '--fail-on', 'error']);
    expect(code).toBe(1);
    expect(out).toContain('error namespace/no-default-deny-ingress');
  });

  it('writes JSON, Markdown and SARIF', async () => {
    const json = JSON.parse((await run(['audit', demo, '--cde', 'app=pci', '-f', 'json'])).out);
    expect(json.summary).toEqual({ findings: 4, errors: 0, warnings: 4 });
    expect(json.findings[0]).toEqual({
      code: 'cde/exposed-by-service', severity: 'warning', object: 'default/pci-frontend[Service]',
      message: expect.stringContaining('LoadBalancer Service default/pci-frontend exposes CDE workload'), requirements: ['1.4.2'],
      location: { file: join(demo, 'pci-app.yaml'), line: 32, column: 1 },
    });
    expect((await run(['audit', demo, '--cde', 'app=pci', '-f', 'md'])).out).toContain('| severity | code | object | where | PCI DSS | finding |');
    const sarif = JSON.parse((await run(['audit', demo, '--cde', 'app=pci', '-f', 'sarif'])).out);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toHaveLength(4);
  });

  it('refuses a --cde selector that does not parse, with exit code 2', async () => {
    const { code, err } = await run(['audit', demo, '--cde', 'app in (pci']);
    expect(code).toBe(2);
    expect(err).toBe('netdiagram: --cde "app in (pci": unbalanced parentheses in "app in (pci"\n');
  });
});

describe('netdiagram check', () => {
  it('passes the expectations of the seed demo', async () => {
    const { code, out } = await run(['check', demo, '--expect', expectations]);
    expect(code).toBe(0);
    expect(out).toMatch(/^PASS {2}.*goal 3: pci-frontend reaches pci-backend on TCP 6379 only \(1 pair\)$/m);
    expect(out.trim().split('\n').at(-1)).toBe('10 of 10 expectations passed');
  });

  it('fails once the deny-all policy is deleted', async () => {
    const { code, out } = await run(['check', demoCopy(withoutDenyAll), '--expect', expectations]);
    expect(code).toBe(1);
    expect(out).toMatch(/^FAIL {2}.*goal 2: nothing in app=pci reaches app=other \(4 pairs, 2 failing\)$/m);
    expect(out).toContain('default/pci-backend[Deployment] → default/other-backend[Deployment]: allows All Connections; expected all ports denied');
  });

  it('reports a bad expectations file at its line and exits 2', async () => {
    const file = join(tempDir(), 'bad.yaml');
    writeFileSync(file, 'expectations:\n  - from: app=a\n    to: app=b\n    deny: [eighty]\n');
    const { code, err } = await run(['check', demo, '--expect', file]);
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toBe(`${file}:4:12: error expect/invalid: "eighty" is not a port (expected PORT, PORT/PROTOCOL or FROM-TO/PROTOCOL, e.g. 80/TCP)`);
  });

  it('writes JSON', async () => {
    const json = JSON.parse((await run(['check', demo, '--expect', expectations, '-f', 'json'])).out);
    expect(json.summary).toEqual({ expectations: 10, passed: 10, failed: 0 });
  });
});

describe('netdiagram explain', () => {
  it('explains a denied pair per direction', async () => {
    const { code, out } = await run(['explain', demo, '--from', 'default/other-frontend', '--to', 'default/pci-backend', '--port', '6379/TCP']);
    expect(code).toBe(0);
    expect(out).toBe([
      'default/other-frontend[Deployment] → default/pci-backend[Deployment]: denied',
      '  default/other-frontend[Deployment] → default/pci-backend[Deployment]: denied (asked: TCP 6379)',
      '    TCP 6379: denied by egress and ingress',
      '    egress of default/other-frontend[Deployment] is isolated by default/deny-all; no rule admits default/pci-backend[Deployment]',
      '    ingress of default/pci-backend[Deployment] is isolated by default/deny-all, default/pci-backend-from-frontend; no rule admits default/other-frontend[Deployment]',
      '',
    ].join('\n'));
  });

  it('writes JSON and refuses an unknown endpoint with exit code 2', async () => {
    const json = JSON.parse((await run(['explain', demo, '--from', '203.0.113.7', '--to', 'default/pci-frontend[Service]', '-f', 'json'])).out);
    expect(json.allowed).toBe(true);
    expect(json.pairs[0].allowed).toEqual([{ protocol: 'TCP', port: 80 }]);
    const bad = await run(['explain', demo, '--from', 'nope', '--to', 'default/pci-backend']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--from: "nope" names no workload');
  });
});

describe('netdiagram diff', () => {
  it('reports exactly the new flows of a loosened policy, in each format', async () => {
    const next = loosened();
    const txt = await run(['diff', demo, next, '--cde', 'app=pci']);
    expect(txt.code).toBe(0);
    expect(txt.out).toBe([
      '~ ipblock:0.0.0.0/0 except 10.96.0.0/12 => default/pci-frontend[Deployment] : TCP 80 → TCP 80,443 (+TCP 443)  [CDE]',
      '+ ipblock:10.97.0.0/16,10.98.0.0/15,10.100.0.0/14,10.104.0.0/13 => default/pci-frontend[Deployment] : TCP 80,443  [CDE]',
      // the loosened policy selects a CDE workload: a segmentation control changed (PCI DSS 11.4.5)
      '11.4.5: segmentation changed, re-test required: changed NetworkPolicy default/pci-frontend-from-outside, 2 flows with an end in the CDE',
      '1 added, 0 removed, 1 changed; the CDE is affected',
      '',
    ].join('\n'));
    const json = JSON.parse((await run(['diff', demo, next, '--cde', 'app=pci', '-f', 'json'])).out);
    expect(json.summary).toEqual({ added: 1, removed: 0, changed: 1, cdeChanged: true });
    expect(json.changes.map((c: { addedPorts: unknown }) => c.addedPorts)).toEqual([[{ protocol: 'TCP', port: 443 }], [{ protocol: 'TCP', port: 80 }, { protocol: 'TCP', port: 443 }]]);
    const md = (await run(['diff', demo, next, '--cde', 'app=pci', '-f', 'md'])).out;
    expect(md).toContain('| changed | ipblock:0.0.0.0/0 except 10.96.0.0/12 | default/pci-frontend[Deployment] | TCP 80 → TCP 80,443 (+TCP 443) | yes | netpol:default/pci-frontend-from-outside#ingress[0] |');
    expect(md.split('\n').filter((l) => /^\| (added|removed|changed) /.test(l))).toHaveLength(2);
  });

  it('gates CI with --fail-on-change and --fail-on-cde-change', async () => {
    const next = loosened();
    expect((await run(['diff', demo, next, '--fail-on-change'])).code).toBe(1);
    expect((await run(['diff', demo, next, '--cde', 'app=pci', '--fail-on-cde-change'])).code).toBe(1);
    expect((await run(['diff', demo, next, '--cde', 'app=other', '--fail-on-cde-change'])).code).toBe(0);
    const same = await run(['diff', demo, demoCopy(), '--fail-on-change', '--fail-on-cde-change', '--cde', 'app=pci', '-f', 'md']);
    expect(same).toMatchObject({ code: 0, out: '### netdiagram: allowed network flows\n\nNo change in allowed flows.\n' });
  });

  it('compares with a git revision without touching the work tree', async () => {
    const repo = tempDir();
    git(repo, 'init', '-q');
    cpSync(demo, join(repo, 'k8s'), { recursive: true });
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'demo');
    const policies = join(repo, 'k8s', 'policies.yaml');
    writeFileSync(policies, withoutDenyAll(readFileSync(policies, 'utf8')));
    writeFileSync(join(repo, 'k8s', 'extra.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: { name: extra }\n');
    const before = { status: git(repo, 'status', '--porcelain'), head: git(repo, 'rev-parse', 'HEAD'), text: readFileSync(policies, 'utf8') };

    const { code, out, err } = await run(['diff', '--base', 'HEAD', join(repo, 'k8s'), '--cde', 'app=pci', '-f', 'json', '--fail-on-cde-change']);
    expect(err).toBe('');
    expect(code).toBe(1);
    const json = JSON.parse(out);
    expect(json.summary.cdeChanged).toBe(true);
    expect(json.changes).toContainEqual(expect.objectContaining({ change: 'added', from: 'default/pci-backend[Deployment]', to: 'default/other-backend[Deployment]' }));
    expect(json.changes.some((c: { from: string; to: string }) => c.from === 'default/extra[Pod]' || c.to === 'default/extra[Pod]')).toBe(true);
    expect(json.changes.every((c: { change: string }) => c.change === 'added')).toBe(true);
    expect({ status: git(repo, 'status', '--porcelain'), head: git(repo, 'rev-parse', 'HEAD'), text: readFileSync(policies, 'utf8') }).toEqual(before);

    // the committed state compared with itself: a clean work tree has no change
    git(repo, 'stash', '-q', '--include-untracked');
    expect((await run(['diff', '--base', 'HEAD', join(repo, 'k8s'), '--fail-on-change'])).code).toBe(0);
    // a single file and a subdirectory work too
    expect((await run(['diff', '--base', 'HEAD', join(repo, 'k8s', 'policies.yaml'), '--fail-on-change'])).code).toBe(0);
  });

  it('refuses an unknown revision, a path outside git, and one input without --base', async () => {
    const repo = tempDir();
    git(repo, 'init', '-q');
    writeFileSync(join(repo, 'a.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: { name: a }\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'a');
    const unknown = await run(['diff', '--base', 'no-such-rev', repo]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('"no-such-rev" is not a commit');
    expect((await run(['diff', '--base', '--upload-pack=x', repo])).code).toBe(2);
    const outside = await run(['diff', '--base', 'HEAD', tempDir()]);
    expect(outside.code).toBe(2);
    expect(outside.err).toContain('is not inside a git repository');
    const one = await run(['diff', demo]);
    expect(one.code).toBe(2);
    expect(one.err).toContain('diff needs two inputs');
  });
});

describe('netdiagram evidence', () => {
  it('writes the bundle, byte-identical on every run, dated from --date, SOURCE_DATE_EPOCH or nothing outside git', async () => {
    const first = join(tempDir(), 'evidence');
    const second = join(tempDir(), 'evidence');
    const args = (dir: string) => ['evidence', demo, '--cde', 'app=pci', '--expect', expectations, '-o', dir];
    expect((await run(args(first), { SOURCE_DATE_EPOCH: '1700000000' })).code).toBe(0);
    expect((await run(args(second), { SOURCE_DATE_EPOCH: '1700000000' })).code).toBe(0);
    const files = readdirSync(first).sort();
    expect(files).toEqual([
      '.netdiagram-evidence', 'README.md', 'boundary.csv', 'boundary.md', 'dataflow.csv', 'dataflow.md', 'dataflow.png', 'dataflow.svg',
      'diagram.html', 'diagram.pdf', 'diagram.png', 'diagram.svg', 'expectations.json', 'expectations.md',
      'exposure.csv', 'exposure.md', 'findings.json', 'findings.md', 'findings.sarif', 'flows.csv', 'flows.md', 'graph.json', 'metadata.json',
      'scope-record.json', 'scope-record.md', 'scope.json', 'segmentation-plan.csv', 'segmentation-plan.md',
    ]);
    for (const f of files) expect(readFileSync(join(second, f)).equals(readFileSync(join(first, f))), f).toBe(true);
    // the demo's policies name every peer: its exposure is the two rules between frontend and backend
    expect(readFileSync(join(first, 'exposure.csv'), 'utf8').split('\r\n').filter((l) => l !== '').map((l) => l.split(',')[0])).toEqual(['direction', 'egress', 'ingress']);

    const metadata = JSON.parse(readFileSync(join(first, 'metadata.json'), 'utf8'));
    expect(metadata.date).toBe('2023-11-14T22:13:20Z');
    expect(metadata.tool.name).toBe('netdiagram');
    expect(metadata.inputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(metadata.options.cde).toEqual(['app=pci']);
    expect(metadata.summary).toMatchObject({ workloads: 4, flows: 2, cdeWorkloads: 2, boundaryFlows: 1, accountData: { workloads: 2, flows: 3, parties: 0 }, findings: { errors: 0, warnings: 4 }, expectations: { passed: 10, failed: 0 } });
    expect(metadata.files.map((f: { name: string }) => f.name)).toEqual(files.filter((f) => !['README.md', 'metadata.json', '.netdiagram-evidence'].includes(f)));

    expect(readFileSync(join(first, 'boundary.csv'), 'utf8')).toBe([
      'flow,direction,from,to,ports,policies,rules',
      'F1,inbound,ipblock:0.0.0.0/0 except 10.96.0.0/12,default/pci-frontend[Deployment],TCP 80,default/pci-frontend-from-outside,netpol:default/pci-frontend-from-outside#ingress[0]',
      '',
    ].join('\r\n'));
    expect(readFileSync(join(first, 'flows.md'), 'utf8')).toContain('| 2 | F1 | ipblock:0.0.0.0/0 except 10.96.0.0/12 | external | default/pci-frontend[Deployment] | cde | TCP 80 |');
    expect(readFileSync(join(first, 'diagram.svg'), 'utf8')).toMatch(/^<\?xml/);
    expect(readFileSync(join(first, 'diagram.png')).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(readFileSync(join(first, 'diagram.pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // the interactive page: the bundle's own diagram.svg, with the graph it was drawn from, loading nothing
    const html = readFileSync(join(first, 'diagram.html'), 'utf8');
    const svgBody = readFileSync(join(first, 'diagram.svg'), 'utf8').replace(/^<\?xml[^>]*\?>\s*/, '').trimEnd();
    expect(html).toContain(`<main id="canvas">${svgBody}</main>`);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-/);
    const embedded = JSON.parse(/<script type="application\/json" id="netdiagram-data">([^<]*)<\/script>/.exec(html)![1]!) as { title: string; flows: { from: string; to: string; boundary?: string }[] };
    expect(embedded.title).toBe('Allowed network traffic (PCI DSS requirement 1 evidence)');
    expect(embedded.flows.filter((f) => f.boundary !== undefined).map((f) => [f.boundary, f.to])).toEqual([['F1', 'default/pci-frontend[Deployment]']]);
    expect(readFileSync(join(first, 'README.md'), 'utf8')).toContain('| diagram.html |');

    const dated = join(tempDir(), 'evidence');
    await run(['evidence', demo, '-o', dated, '--date', '2025-07-01']);
    expect(JSON.parse(readFileSync(join(dated, 'metadata.json'), 'utf8')).date).toBe('2025-07-01');
    // the demo lives in this repository, which would date it with its commit: a copy outside git is undated
    const undated = join(tempDir(), 'evidence');
    await run(['evidence', demoCopy(), '-o', undated]);
    expect(JSON.parse(readFileSync(join(undated, 'metadata.json'), 'utf8')).date).toBeNull();
    expect((await run(['evidence', demo, '-o', undated, '--date', 'yesterday'])).code).toBe(2);
  });

  it('keeps spreadsheet formulas in names inert in the CSV tables', () => {
    // the loader refuses the namespace "=cmd" (k8s/invalid-name); the table must still escape it if a model holds it
    const parsed = parseManifests([{ name: 'pods.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: { name: a, namespace: hx0x }\n---\napiVersion: v1\nkind: Pod\nmetadata: { name: b }\n' }]);
    expect(parsed.diagnostics).toEqual([]);
    const cluster = withHostileText(parsed.cluster, ['=cmd']);
    const graph = buildTrafficGraph(cluster);
    const csv = flowTable(graph, computeScope(cluster, graph, {}), 'csv');
    expect(csv).toContain('"\'=cmd/a[Pod]"');
    expect(csv).not.toMatch(/(^|,)=cmd/m);
  });

  it('records the git commit of the inputs', async () => {
    const repo = tempDir();
    git(repo, 'init', '-q');
    mkdirSync(join(repo, 'k8s'));
    cpSync(join(demo, 'policies.yaml'), join(repo, 'k8s', 'policies.yaml'));
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'x');
    const out = join(tempDir(), 'evidence');
    await run(['evidence', join(repo, 'k8s'), '-o', out]);
    expect(JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8')).git).toEqual({
      commit: git(repo, 'rev-parse', 'HEAD').trim(), date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/), dirty: false,
    });
    expect(existsSync(join(out, 'diagram.svg'))).toBe(true);
  });
});
