#!/usr/bin/env node
/**
 * `npm run bench:view`: the interactive diagram of the generated clusters (L: 2,000 workloads, the
 * issue's benchmark) at auto detail, opened in this machine's Chromium (/usr/bin/chromium). Reports
 * the page's size, the time from navigation to interactive (the page's `netdiagram-interactive`
 * mark: data parsed, drawing wrapped for zoom, highlighting and panel ready; target < 2 s at L),
 * and the time of one search-and-select. A benchmark, not a test: it times, it does not fail.
 *
 *   npm run bench:view                  sizes S and L
 *   npm run bench:view -- --sizes M     other sizes
 *   npm run bench:view -- --shot out/l.png   also a screenshot with the first search result selected
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { generateCluster, writeCluster } from './generate.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(root, 'packages', 'cli', 'dist', 'bin.js');
const CHROMIUM = '/usr/bin/chromium';
const ORIGIN = 'http://netdiagram.invalid';
const RUNS = 3;

const { values } = parseArgs({ options: { sizes: { type: 'string', default: 'S,L' }, shot: { type: 'string' }, query: { type: 'string', default: 'api' } } });
if (!existsSync(CHROMIUM)) {
  console.log(`bench:view needs Chromium at ${CHROMIUM}; skipped`);
  process.exit(0);
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
try {
  for (const size of values.sizes.split(',')) {
    const dir = mkdtempSync(join(tmpdir(), `netdiagram-bench-view-${size}-`));
    try {
      writeCluster(generateCluster({ size, seed: 1 }), join(dir, 'in'));
      const out = join(dir, 'diagram.html');
      const started = process.hrtime.bigint();
      const cli = spawnSync(process.execPath, [CLI, 'diagram', join(dir, 'in'), '--ingress-controller', 'ingress-nginx/app.kubernetes.io/name=ingress-nginx', '--no-commit', '-o', out], { encoding: 'utf8' });
      const writeS = Number(process.hrtime.bigint() - started) / 1e9;
      if (cli.status !== 0) throw new Error(`diagram exited ${cli.status}: ${cli.stderr}`);
      const html = readFileSync(out, 'utf8');
      const data = JSON.parse(/<script type="application\/json" id="netdiagram-data">([^<]*)<\/script>/.exec(html)[1]);
      const times = [];
      let selectMs;
      for (let run = 0; run < RUNS; run++) {
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
        const page = await context.newPage();
        const problems = [];
        page.on('pageerror', (e) => problems.push(e.message));
        await context.route('**/*', (route) => (route.request().url() === `${ORIGIN}/diagram.html` ? route.fulfill({ status: 200, contentType: 'text/html', body: html }) : route.abort()));
        await page.goto(`${ORIGIN}/diagram.html`);
        await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
        times.push(await page.evaluate(() => performance.getEntriesByName('netdiagram-interactive')[0].startTime));
        if (run === RUNS - 1) {
          await page.fill('#search', values.query);
          const t0 = Date.now();
          await page.keyboard.press('Enter');
          await page.waitForSelector('#panel h3');
          selectMs = Date.now() - t0;
          if (values.shot) await page.screenshot({ path: values.shot });
        }
        if (problems.length > 0) console.log(`${size}: page errors: ${problems.join('; ')}`);
        await context.close();
      }
      times.sort((a, b) => a - b);
      console.log(`${size}: ${data.detail} detail, ${data.nodes.length} shapes, ${data.edges.length} edges, ${data.flows.length} flows; ` +
        `HTML ${(html.length / 1e6).toFixed(1)} MB written in ${writeS.toFixed(1)} s; interactive after ${Math.round(times[Math.floor(times.length / 2)])} ms (median of ${RUNS}, target < 2000 ms at L); ` +
        `search "${values.query}" + select ${selectMs} ms`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  await browser.close();
}
