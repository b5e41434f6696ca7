#!/usr/bin/env node
/**
 * `npm run bench:view`: the interactive diagram of the generated clusters (L: 2,000 workloads, the
 * issue's benchmark) at auto detail, opened in this machine's Chromium (/usr/bin/chromium). Reports
 * the page's size, the time from navigation to interactive (the page's `netdiagram-interactive`
 * mark: data parsed, drawing wrapped for zoom, highlighting and panel ready; target < 2 s at L),
 * the time of one search-and-select, and the time to expand the collapsed namespace with the most
 * workloads (from the expand request to the expanded view interactive and drawn once: the page's
 * `netdiagram-expanded` measure; target < 1 s), min / median / max over the runs, each in a fresh
 * page. L50 is L's 2,000 workloads in 40 namespaces of 50, the namespace of 50 workloads.
 * A benchmark, not a test: it times, it does not fail.
 *
 *   npm run bench:view                  sizes S, L and L50
 *   npm run bench:view -- --sizes M     other sizes
 *   npm run bench:view -- --shot out/l.png   also a screenshot with the first search result selected
 *   npm run bench:view -- --shot-expanded out/open.png   and one per size with the namespace expanded (out/open-L.png …)
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

const { values } = parseArgs({ options: { sizes: { type: 'string', default: 'S,L,L50' }, shot: { type: 'string' }, 'shot-expanded': { type: 'string' }, query: { type: 'string', default: 'api' } } });
/** Sizes of this benchmark beside generate.mjs's. */
const VARIANTS = { L50: { namespaces: 40, workloads: 2000, policies: 1000, podsPerWorkload: 5 } };
const NOT_WORKLOADS = /\[(Service|Ingress|Route|Gateway)\]$/;
if (!existsSync(CHROMIUM)) {
  console.log(`bench:view needs Chromium at ${CHROMIUM}; skipped`);
  process.exit(0);
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
try {
  for (const size of values.sizes.split(',')) {
    const dir = mkdtempSync(join(tmpdir(), `netdiagram-bench-view-${size}-`));
    try {
      writeCluster(generateCluster({ size: VARIANTS[size] ?? size, seed: 1 }), join(dir, 'in'));
      const out = join(dir, 'diagram.html');
      const started = process.hrtime.bigint();
      const cli = spawnSync(process.execPath, [CLI, 'diagram', join(dir, 'in'), '--ingress-controller', 'ingress-nginx/app.kubernetes.io/name=ingress-nginx', '--no-commit', '-o', out], { encoding: 'utf8' });
      const writeS = Number(process.hrtime.bigint() - started) / 1e9;
      if (cli.status !== 0) throw new Error(`diagram exited ${cli.status}: ${cli.stderr}`);
      const html = readFileSync(out, 'utf8');
      const data = JSON.parse(/<script type="application\/json" id="netdiagram-data">([^<]*)<\/script>/.exec(html)[1]);
      const times = [];
      const expandTimes = [];
      let selectMs;
      // the collapsed namespace (a box of its own) with the most workloads
      const boxes = data.nodes.filter((n) => n.kind === 'namespace-summary' && n.collapsed?.length === 1 && data.expandable.includes(n.collapsed[0]));
      const workloadsIn = (n) => n.members.filter((m) => !NOT_WORKLOADS.test(m)).length;
      const box = boxes.sort((a, b) => workloadsIn(b) - workloadsIn(a))[0];
      for (let run = 0; run < RUNS; run++) {
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
        const page = await context.newPage();
        const problems = [];
        page.on('pageerror', (e) => problems.push(e.message));
        await context.route('**/*', (route) => (route.request().url() === `${ORIGIN}/diagram.html` ? route.fulfill({ status: 200, contentType: 'text/html', body: html }) : route.abort()));
        await page.goto(`${ORIGIN}/diagram.html`);
        await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
        times.push(await page.evaluate(() => performance.getEntriesByName('netdiagram-interactive')[0].startTime));
        if (box) {
          const namespace = box.collapsed[0];
          await page.evaluate((svg) => document.getElementById(svg).dispatchEvent(new MouseEvent('click', { bubbles: true })), box.svg);
          await page.locator(`#panel button.expand[data-namespace="${namespace}"]`).click();
          await page.waitForSelector(`body[data-open="${namespace}"][data-switches="1"]`, { state: 'attached' });
          expandTimes.push(await page.evaluate(() => performance.getEntriesByName('netdiagram-expanded')[0].duration));
          if (run === RUNS - 1 && values['shot-expanded']) await page.screenshot({ path: values['shot-expanded'].replace(/(\.png)?$/, `-${size}.png`) });
          await page.locator('#collapse').click();
          await page.waitForSelector('body[data-open=""][data-switches="2"]', { state: 'attached' });
        }
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
        `search "${values.query}" + select ${selectMs} ms` +
        (box ? `; expand ${box.collapsed[0]} (${workloadsIn(box)} workloads, ${data.expandable.length} namespaces expandable): ${spread(expandTimes)} (target < 1000 ms)` : '; nothing collapsed to expand'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  await browser.close();
}

/** `min / median / max` of the times, in whole milliseconds. */
function spread(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return `min ${Math.round(sorted[0])} / median ${Math.round(sorted[Math.floor(sorted.length / 2)])} / max ${Math.round(sorted[sorted.length - 1])} ms over ${sorted.length} pages`;
}
