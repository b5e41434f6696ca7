#!/usr/bin/env node
// `npm run bench:layout`: the quality of the drawings, not their speed. Renders every example of
// scripts/render-examples.mjs to SVG exactly as `npm run examples` does (same arguments), plus any
// directory given with `--dir <path>` (drawn with the defaults), and prints, per diagram, the
// figures of bench/layout-metrics.mjs. Deterministic: the same code and inputs give the same table.
// bench/out/layout.json keeps them.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exampleArgs, exampleNames, ROOT } from '../scripts/render-examples.mjs';
import { layoutMetrics } from './layout-metrics.mjs';

function formatTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function parseArgs(argv) {
  const dirs = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dir' && argv[i + 1] !== undefined) dirs.push(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (usage: node bench/layout.mjs [--dir <manifests>]...)`);
  }
  return { dirs };
}

/** Runs `netdiagram` in-process with the SVG on a captured stdout. */
async function renderSvgText(main, args) {
  const chunks = [];
  const errors = [];
  const code = await main(args, {
    stdout: (text) => chunks.push(typeof text === 'string' ? text : Buffer.from(text).toString('utf8')),
    stderr: (text) => errors.push(text),
    readStdin: async () => '',
    env: {},
    cwd: ROOT,
  });
  if (code !== 0) throw new Error(`netdiagram ${args.join(' ')} exited with ${code}: ${errors.join('')}`);
  return chunks.join('');
}

/**
 * The pages `--page A3` writes for the same arguments (one file, or name-1.svg … name-N.svg), with
 * each page's text size printed on A3 landscape: what `-o diagram.pdf` puts on paper.
 */
async function renderA3Pages(main, args, dir, name) {
  const file = join(dir, `${name.replace(/[^a-z0-9-]/gi, '_')}.svg`);
  const paged = [...args];
  paged.splice(paged.indexOf('-o'), 2, '-o', file, '--page', 'A3');
  const code = await main(paged, { stdout: () => {}, stderr: () => {}, readStdin: async () => '', env: {}, cwd: ROOT });
  if (code !== 0) throw new Error(`netdiagram ${paged.join(' ')} exited with ${code}`);
  const files = existsSync(file) ? [file] : [];
  for (let i = 1; existsSync(file.replace(/\.svg$/, `-${i}.svg`)); i++) files.push(file.replace(/\.svg$/, `-${i}.svg`));
  return files.map((f) => {
    const m = layoutMetrics(readFileSync(f, 'utf8'));
    return { width: m.width, height: m.height, medianTextPt: m.medianTextPt, minTextPt: m.minTextPt };
  });
}

async function run() {
  const { dirs } = parseArgs(process.argv.slice(2));
  process.chdir(ROOT);
  const { main } = await import(pathToFileURL(join(ROOT, 'packages/cli/dist/index.js')).href);
  const jobs = [
    ...exampleNames().map((name) => {
      const args = exampleArgs(name, 'svg');
      args.splice(args.indexOf('-o'), 2, '-o', '-');
      return { name, args };
    }),
    ...dirs.map((dir) => ({ name: dir, args: ['diagram', dir, '-o', '-', '--no-commit'] })),
  ];
  const results = [];
  const dir = mkdtempSync(join(tmpdir(), 'netdiagram-layout-'));
  try {
    for (const job of jobs) {
      results.push({ name: job.name, ...layoutMetrics(await renderSvgText(main, job.args)), a3Pages: await renderA3Pages(main, job.args, dir, job.name) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const header = ['diagram', 'px', 'flow edges', 'crossings', 'backward', 'bends', 'length px', 'median text pt (A3)', 'min text pt'];
  const rows = results.map((r) => [
    r.name, `${r.width}×${r.height}`, r.flowEdges, r.crossings, r.backward, r.bends, r.length, r.medianTextPt.toFixed(2), r.minTextPt.toFixed(2),
  ]);
  process.stdout.write(`Layout quality (A3 landscape, 10 mm margins, drawing fitted to the page)\n${formatTable(header, rows)}\n`);
  const pageRows = results.map((r) => [
    r.name, r.a3Pages.length, r.a3Pages.map((p) => p.medianTextPt.toFixed(2)).join(' '),
    Math.min(...r.a3Pages.map((p) => p.medianTextPt)).toFixed(2), r.a3Pages.filter((p) => p.medianTextPt >= 7).length,
  ]);
  process.stdout.write(`\nOn A3 pages (diagram --page A3, as -o diagram.pdf prints it: split when one page would print under 7 pt)\n` +
    `${formatTable(['diagram', 'pages', 'median text pt per page', 'lowest', 'pages at 7 pt or more'], pageRows)}\n`);
  mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/out/layout.json'), `${JSON.stringify(results, null, 2)}\n`);
}

run().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
