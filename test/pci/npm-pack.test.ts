import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demo, tempDir } from './support.js';

const root = join(import.meta.dirname, '../..');
const packages = ['core', 'render', 'view', 'cli'];
const npm = (args: string[], cwd: string) => spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });

/** The public API used as a user of the npm packages would: plain ESM. */
const esm = `
import { readFileSync, readdirSync } from 'node:fs';
import { parseManifests, buildTrafficGraph, toGraphJson, computeScope, auditCluster, findingsToSarif, explainTraffic,
  parseExpectations, checkExpectations, diffFlows, formatPorts } from '@netdiagram/core';
import { layoutGraph, renderSvg, renderPdf, DEFAULT_PAGE } from '@netdiagram/render';
import { main } from '@netdiagram/cli';
const sources = readdirSync('demo').filter((f) => f !== 'expectations.yaml').sort().map((f) => ({ name: f, text: readFileSync('demo/' + f, 'utf8') }));
const { cluster } = parseManifests(sources);
const graph = buildTrafficGraph(cluster);
const scope = computeScope(cluster, graph, { cde: ['app=pci'] });
const findings = auditCluster(cluster, graph, scope);
const explained = explainTraffic(cluster, { from: 'default/other-frontend', to: 'default/pci-backend' });
const expectations = parseExpectations({ name: 'e.yaml', text: readFileSync('demo/expectations.yaml', 'utf8') });
const svg = renderSvg(await layoutGraph(graph));
const pdf = await renderPdf(svg, { page: DEFAULT_PAGE });
let out = '';
const code = await main(['audit', 'demo', '--cde', 'app=pci', '--format', 'json'], {
  stdout: (t) => { out += t; }, stderr: () => {}, readStdin: async () => '', env: {}, cwd: process.cwd(),
});
console.log(JSON.stringify({
  connections: toGraphJson(graph).connections.length,
  boundary: scope.boundary.map((f) => f.id + ' ' + formatPorts(f.ports)),
  findings: findings.map((f) => f.code),
  sarif: findingsToSarif(findings, { toolVersion: '0' }).version,
  explained: explained.ok && explained.explanation.allowed,
  expectations: checkExpectations(cluster, expectations.expectations).every((r) => r.passed),
  diff: diffFlows(graph, graph).changes.length,
  svg: svg.startsWith('<?xml'),
  pdf: new TextDecoder().decode(pdf.subarray(0, 5)),
  cli: [code, JSON.parse(out).summary.findings],
}));
`;

/** The same from TypeScript, type-checked against the installed declarations. */
const ts = `
import { parseManifests, buildTrafficGraph, computeScope, auditCluster, explainTraffic, findLeftOut, formatIncomplete,
  type CdeScope, type Finding, type Explained, type TrafficGraph, type BoundaryFlow, type LeftOut } from '@netdiagram/core';
import { layoutGraph, renderSvg, type Layout } from '@netdiagram/render';
import { main, type Io } from '@netdiagram/cli';
const { cluster } = parseManifests([{ name: 'a.yaml', text: 'apiVersion: v1\\nkind: Pod\\nmetadata: { name: a }\\n' }]);
const sources = [{ name: 'a.yaml', text: 'apiVersion: v1\\nkind: Pod\\nmetadata: { name: a }\\n' }];
const leftOut: readonly LeftOut[] = findLeftOut(sources, parseManifests(sources).diagnostics);
const incomplete: string | undefined = formatIncomplete([], leftOut);
const graph: TrafficGraph = buildTrafficGraph(cluster);
const scope: CdeScope = computeScope(cluster, graph, { cde: ['app=pci'] });
const first: BoundaryFlow | undefined = scope.boundary[0];
const findings: readonly Finding[] = auditCluster(cluster, graph, scope);
const explained: Explained = explainTraffic(cluster, { from: 'default/a', to: '10.0.0.1' });
const layout: Layout = await layoutGraph(graph);
const svg: string = renderSvg(layout);
const io: Io = { stdout: () => {}, stderr: () => {}, readStdin: async () => '', env: {}, cwd: '.' };
const code: number = await main(['--version'], io);
export const summary = [first?.id, findings.length, explained.ok, svg.length, code, leftOut.length, incomplete];
`;

describe('the packed npm packages', () => {
  it('install from their tarballs offline, carry LICENSE, README and the docs the help points to, and run from plain ESM, type-checked TypeScript and the netdiagram bin', () => {
    for (const p of packages) {
      if (!existsSync(join(root, 'packages', p, 'dist', 'index.js'))) throw new Error(`packages/${p}/dist is missing: run "npx tsc -b" first`);
    }
    const dir = tempDir();
    const tarballs = join(dir, 'tarballs');
    mkdirSync(tarballs);
    const packed = npm(['pack', '--silent', ...packages.flatMap((p) => ['-w', `packages/${p}`]), '--pack-destination', tarballs], root);
    expect(packed.status, packed.stderr).toBe(0);
    const files = readdirSync(tarballs).sort();
    expect(files).toEqual(['netdiagram-cli-0.1.0.tgz', 'netdiagram-core-0.1.0.tgz', 'netdiagram-render-0.1.0.tgz', 'netdiagram-view-0.1.0.tgz']);
    // the compiled code and declarations, README, LICENSE, and the docs the CLI's help points to: no build state
    const license = readFileSync(join(root, 'LICENSE'), 'utf8');
    expect(license).toContain('Apache License\n                           Version 2.0, January 2004');
    for (const file of files) {
      const listed = execFileSync('tar', ['-tzf', join(tarballs, file)], { encoding: 'utf8' }).split('\n').filter((l) => l !== '');
      expect(listed.filter((l) => !/^package\/dist\/.*\.(js|d\.ts|js\.map|d\.ts\.map)$/.test(l)).sort(), file).toEqual([
        'package/LICENSE', 'package/README.md',
        ...(file.includes('-cli-') ? ['package/docs/diagnostics.md', 'package/docs/pci-evidence.md', 'package/docs/semantics.md'] : []),
        'package/package.json',
      ]);
      expect(listed.some((l) => l.endsWith('.tsbuildinfo')), file).toBe(false);
      expect(listed, file).toEqual(expect.arrayContaining(['package/dist/index.js', 'package/dist/index.d.ts']));
      expect(execFileSync('tar', ['-xzOf', join(tarballs, file), 'package/LICENSE'], { encoding: 'utf8' }), file).toBe(license);
      expect(JSON.parse(execFileSync('tar', ['-xzOf', join(tarballs, file), 'package/package.json'], { encoding: 'utf8' })).license, file).toBe('Apache-2.0');
    }

    const project = join(dir, 'project');
    mkdirSync(project);
    cpSync(demo, join(project, 'demo'), { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({
      name: 'consumer', version: '1.0.0', private: true, type: 'module',
      dependencies: Object.fromEntries(files.map((f) => [`@netdiagram/${f.split('-')[1]}`, `file:../tarballs/${f}`])),
    }, null, 2));
    // dependencies come from the npm cache when it has them, else from the registry
    const flags = ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'];
    let installed = npm([...flags, '--offline'], project);
    if (installed.status !== 0) installed = npm([...flags, '--prefer-offline'], project);
    expect(installed.status, installed.stderr).toBe(0);
    // the packages depend on each other's tarballs, not on copies from the registry
    for (const p of ['cli', 'render', 'view']) expect(existsSync(join(project, 'node_modules', '@netdiagram', p, 'node_modules', '@netdiagram'))).toBe(false);

    writeFileSync(join(project, 'use.mjs'), esm);
    const result = JSON.parse(execFileSync(process.execPath, ['use.mjs'], { cwd: project, encoding: 'utf8' }));
    expect(result).toEqual({
      connections: 2,
      boundary: ['F1 TCP 80'],
      findings: ['cde/exposed-by-service', 'cde/reachable-from-outside'],
      sarif: '2.1.0',
      explained: false,
      expectations: true,
      diff: 0,
      svg: true,
      pdf: '%PDF-',
      cli: [0, 4], // the demo's account-data annotations add the data-flow warnings (the policy's door and the LoadBalancer's)
    });

    const bin = spawnSync(join(project, 'node_modules', '.bin', 'netdiagram'), ['check', 'demo', '--expect', 'demo/expectations.yaml'], { cwd: project, encoding: 'utf8' });
    expect(bin.status, bin.stderr).toBe(0);
    expect(bin.stdout).toContain('10 of 10 expectations passed');
    // the interactive page's bundled script ships in the view package
    const html = spawnSync(join(project, 'node_modules', '.bin', 'netdiagram'), ['diagram', 'demo', '-o', 'demo.html'], { cwd: project, encoding: 'utf8' });
    expect(html.status, html.stderr).toBe(0);
    const page = readFileSync(join(project, 'demo.html'), 'utf8');
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page.length - page.lastIndexOf('<script>')).toBeGreaterThan(10_000);

    // every document a help text points to is in the installed package, at that path
    const cliDir = join(project, 'node_modules', '@netdiagram', 'cli');
    const helps = ['connections', 'diagram', 'audit', 'explain', 'check', 'diff', 'evidence'].map((command) =>
      spawnSync(join(project, 'node_modules', '.bin', 'netdiagram'), [command, '--help'], { cwd: project, encoding: 'utf8' }).stdout).join('\n');
    const pointedTo = [...new Set([...helps.matchAll(/docs\/[\w-]+\.md/g)].map((m) => m[0]))];
    expect(pointedTo).toContain('docs/pci-evidence.md');
    for (const doc of pointedTo) expect(existsSync(join(cliDir, doc)), doc).toBe(true);

    writeFileSync(join(project, 'use.ts'), ts);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: [] },
      files: ['use.ts'],
    }));
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { cwd: project, encoding: 'utf8' });
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
  }, 240_000);
});
