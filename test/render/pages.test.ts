import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { parseManifests } from '@netdiagram/core';
import { MIN_TEXT_PT, printedTextSize, DEFAULT_PAGE, pageNamed } from '@netdiagram/render';
import { afterAll, describe, expect, it } from 'vitest';
import { readPages } from '../support/pdf-reader.js';
import { exampleArgs } from '../../scripts/render-examples.mjs';

// Assessors print: a drawing that would print its text under 7 pt on the chosen page is split into
// an overview and a page per namespace, each a complete diagram (title block with a page line,
// legend), the collapsed namespaces naming the page that draws them; a page still under 7 pt is
// written with a warning on stderr.

const dir = mkdtempSync(join(tmpdir(), 'netdiagram-pages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Paging lays a diagram out several times (details, directions, halves): on the 2-core machine
 * under the whole suite's load a run of the shop takes up to a minute, so these tests get more
 * time than the default. A timeout, not a speed target: `npm run bench:layout` measures.
 */
const PAGED = 240_000;

const SHOP = ['examples/shop', '--ingress-controller', 'ingress-nginx', '--cde', 'pci-dss/scope=cde', '--no-commit'];

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (text) => { stdout += typeof text === 'string' ? text : Buffer.from(text).toString('latin1'); },
    stderr: (text) => { stderr += text; }, readStdin: async () => '', env: {}, cwd: process.cwd(),
  });
  return { code, stdout, stderr };
}

/** The shop's workloads by namespace, read from its manifests (what each namespace's page must draw). */
function shopWorkloads(): Map<string, string[]> {
  const files: string[] = [];
  const walk = (d: string) => { for (const f of readdirSync(d).sort()) { const p = join(d, f); if (statSync(p).isDirectory()) walk(p); else if (/\.ya?ml$/.test(f)) files.push(p); } };
  walk('examples/shop');
  const { cluster } = parseManifests(files.map((f) => ({ name: f, text: readFileSync(f, 'utf8') })));
  const byNamespace = new Map<string, string[]>();
  for (const w of cluster.workloads) byNamespace.set(w.namespace, [...(byNamespace.get(w.namespace) ?? []), w.name]);
  return new Map([...byNamespace].sort(([a], [b]) => (a < b ? -1 : 1)));
}

describe('diagram -o diagram.pdf of a drawing too large for one A3 page', () => {
  it('writes an overview and a page per namespace, each A3 landscape, numbered, cross-referenced, with every workload on its page as extractable text', async () => {
    const file = join(dir, 'shop.pdf');
    const r = await run(['diagram', ...SHOP, '-o', file]);
    expect(r.code).toBe(0);
    const namespaces = shopWorkloads();
    const pages = readPages(readFileSync(file));
    const total = pages.length;
    // an overview (or two: the flows inside, those with outside addresses), and a page per
    // namespace, or two (the flows in, the flows out) for one too large for a page
    expect(total).toBeGreaterThanOrEqual(namespaces.size + 1);
    expect(total).toBeLessThanOrEqual(2 * namespaces.size + 2);
    expect(r.stderr).toContain(`split into ${total} pages of A3 landscape`);
    for (const page of pages) {
      expect(page.width).toBeCloseTo(1190.55, 2);
      expect(page.height).toBeCloseTo(841.89, 2);
    }
    const text = pages.map((p) => p.texts.join('\n'));
    text.forEach((t, i) => expect(t).toContain(`${i + 1} / ${total} · `));
    expect(text[0]).toMatch(new RegExp(`1 / ${total} · the overview`));
    // it says it is aggregated: an edge there stands for many flows
    expect(text[0]).toMatch(/the overview[^,]*, aggregated/);
    const overviews = text.filter((t) => / \/ \d+ · the overview/.test(t)).length;
    expect(overviews).toBeGreaterThanOrEqual(1);
    expect(overviews).toBeLessThanOrEqual(4);
    // the counts are the whole input's on every page
    const counts = (t: string) => /\d+ workloads · \d+ allowed flows · \d+ unrestricted workloads?/.exec(t)?.[0];
    expect(counts(text[0]!)).toBeDefined();
    for (const t of text) expect(counts(t)).toBe(counts(text[0]!));
    const pagesOf = new Map<string, number[]>();
    for (const [ns, workloads] of namespaces) {
      const own = text.flatMap((t, i) => (new RegExp(`\\d+ / ${total} · namespace ${ns}(:|, flows (in|out):)`).test(t) ? [i + 1] : []));
      expect({ ns, pages: own.length }).toSatisfy((x: { pages: number }) => x.pages === 1 || x.pages === 2);
      for (const page of own) for (const w of workloads) expect(text[page - 1]).toContain(w);
      pagesOf.set(ns, own);
    }
    // every page after the overview is one namespace's
    expect([...pagesOf.values()].flat().sort((a, b) => a - b)).toEqual(Array.from({ length: total - overviews }, (_, i) => i + 1 + overviews));
    // the overview's collapsed namespaces name their pages
    for (const [ns, own] of pagesOf) {
      for (const t of text.slice(0, overviews)) if (t.includes(`ns ${ns}\n`)) expect(t).toContain(`drawn on ${own.length === 1 ? 'page' : 'pages'} ${own.join(', ')}`);
    }
    expect(text.slice(1).some((t) => /drawn on page \d+/.test(t))).toBe(true);
  }, PAGED);

  it('writes diagram-1.svg … diagram-N.svg with --page for SVG, and refuses standard output for several pages', async () => {
    const r = await run(['diagram', ...SHOP, '--page', 'A3', '-o', join(dir, 'shop.svg')]);
    expect(r.code).toBe(0);
    const written = readdirSync(dir).filter((f) => /^shop(-\d+)?\.svg$/.test(f)).sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
    const count = Number(/split into (\d+) pages/.exec(r.stderr)?.[1]);
    expect(count).toBeGreaterThan(shopWorkloads().size);
    expect(written).toEqual(Array.from({ length: count }, (_, i) => `shop-${i + 1}.svg`));
    // the split: each page's text prints larger than the single drawing's
    const single = await run(['diagram', ...SHOP]);
    const whole = printedTextSize(single.stdout, DEFAULT_PAGE).median;
    for (const f of written) expect(printedTextSize(readFileSync(join(dir, f), 'utf8'), DEFAULT_PAGE).median).toBeGreaterThan(whole);
    // each page's boundary table lists exactly the boundary flows its edges carry; the overview, all of them
    const numbersOf = (text: string) => [...new Set([...text.matchAll(/crosses the CDE boundary: ([^(]*)\(/g)].flatMap((m) => m[1]!.split(',').map((id) => id.trim())))].sort();
    const tabled = (svg: string) => {
      const table = svg.indexOf('<g id="boundary-table">');
      return table < 0 ? [] : [...new Set([...svg.slice(table).matchAll(/fill="#ffffff">(F\d+)</g)].map((m) => m[1]!))].sort();
    };
    const all = tabled(single.stdout);
    expect(all.length).toBeGreaterThan(0);
    const overviewTables: string[] = [];
    written.forEach((f) => {
      const svg = readFileSync(join(dir, f), 'utf8');
      const edges = svg.slice(svg.indexOf('<g id="edges">'), svg.indexOf('<g id="nodes">'));
      expect({ f, tabled: tabled(svg) }).toEqual({ f, tabled: numbersOf(edges) });
      if (/ · the overview/.test(svg)) overviewTables.push(...tabled(svg));
    });
    // the overview (both its parts, when it takes two) lists every boundary flow
    expect([...new Set(overviewTables)].sort()).toEqual(all);
    // every page prints its text at 7 pt or more on A3 landscape: the done-when of issue 13
    for (const f of written) expect({ f, pt: printedTextSize(readFileSync(join(dir, f), 'utf8'), DEFAULT_PAGE).median }).toSatisfy((x: { pt: number }) => x.pt >= MIN_TEXT_PT);
    expect(r.stderr).not.toContain('warning');
    const refused = await run(['diagram', ...SHOP, '--page', 'A3', '-o', '-']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/standard output holds one file/);
  }, PAGED);

  it('puts the 50-workload marketplace on A3 landscape pages that all print at 7 pt or more, with extractable text', async () => {
    const file = join(dir, 'marketplace.pdf');
    const r = await run(['diagram', 'examples/marketplace', '--ingress-controller', 'ingress-nginx', '--cde', 'pci-dss/scope=cde', '--no-commit', '-o', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('warning');
    const pages = readPages(readFileSync(file));
    // ten namespaces with workloads: an overview (or two) and one or two pages each
    expect(pages.length).toBeGreaterThanOrEqual(11);
    expect(pages.length).toBeLessThanOrEqual(22);
    expect(r.stderr).toContain(`split into ${pages.length} pages of A3 landscape`);
    for (const page of pages) {
      expect(page.width).toBeCloseTo(1190.55, 2);
      expect(page.height).toBeCloseTo(841.89, 2);
    }
    const text = pages.map((p) => p.texts.join('\n'));
    text.forEach((t, i) => expect(t).toContain(`${i + 1} / ${pages.length} · `));
    expect(text[0]).toContain('50 workloads');
    // the same pages as SVG: each at 7 pt or more
    const svgDir = mkdtempSync(join(dir, 'marketplace-'));
    const svg = await run(['diagram', 'examples/marketplace', '--ingress-controller', 'ingress-nginx', '--cde', 'pci-dss/scope=cde', '--no-commit', '--page', 'A3', '-o', join(svgDir, 'm.svg')]);
    expect(svg.code).toBe(0);
    const written = readdirSync(svgDir).filter((f) => f.endsWith('.svg'));
    expect(written).toHaveLength(pages.length);
    for (const f of written) expect({ f, pt: printedTextSize(readFileSync(join(svgDir, f), 'utf8'), DEFAULT_PAGE).median }).toSatisfy((x: { pt: number }) => x.pt >= MIN_TEXT_PT);
  }, PAGED);

  it('prints every A3 page of the shop, the shop through a Gateway and the marketplace at 7 pt or more, as `npm run examples` titles them, each overview part naming the others truly', async () => {
    const texts = (svg: string) => [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
    // the title block's Page row: its value's lines, from the row's label to the next row's
    const pageLine = (svg: string) => { const t = texts(svg); return t.slice(t.indexOf('Page') + 1, t.indexOf('Source')).join(' '); };
    const tabled = (svg: string) => {
      const table = svg.indexOf('<g id="boundary-table">');
      return table < 0 ? [] : [...new Set([...svg.slice(table).matchAll(/fill="#ffffff">(F\d+)</g)].map((m) => m[1]!))];
    };
    for (const name of ['shop-gateway', 'marketplace', 'shop']) {
      const out = mkdtempSync(join(dir, `${name}-`));
      const args = exampleArgs(name, 'svg');
      args.splice(args.indexOf('-o'), 2, '-o', join(out, 'd.svg'), '--page', 'A3');
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.stderr).not.toContain('warning');
      const total = Number(/split into (\d+) pages/.exec(r.stderr)?.[1]);
      const svgs = Array.from({ length: total }, (_, i) => readFileSync(join(out, `d-${i + 1}.svg`), 'utf8'));
      const lines = svgs.map(pageLine);
      svgs.forEach((svg, i) => {
        expect({ name, page: i + 1, pt: printedTextSize(svg, DEFAULT_PAGE).median }).toSatisfy((x: { pt: number }) => x.pt >= MIN_TEXT_PT);
        expect(lines[i]!.startsWith(`${i + 1} / ${total} · `)).toBe(true);
      });
      // the overview's parts come first; each names the page of every other part, and that page draws what it says
      const overviews = lines.filter((l) => / · the overview/.test(l)).length;
      expect(lines.slice(0, overviews).every((l) => / · the overview/.test(l))).toBe(true);
      for (const line of lines.slice(0, overviews)) {
        const named = [...line.matchAll(/(the flows [^;,]*?)(?: are)? on page (\d+)/g)];
        expect(named).toHaveLength(overviews - 1);
        for (const [, what, page] of named) {
          expect(Number(page)).toBeLessThanOrEqual(overviews);
          expect(lines[Number(page) - 1]).toContain(` · the overview of ${what}, aggregated`);
        }
      }
      // nothing left out: the overview pages together list every boundary flow
      const boundary = Number(/· (\d+) boundary flows/.exec(texts(svgs[0]!).join('\n'))?.[1]);
      expect(boundary).toBeGreaterThan(0);
      expect(new Set(svgs.slice(0, overviews).flatMap(tabled)).size).toBe(boundary);
      // every collapsed namespace names pages that draw it
      for (const svg of svgs) {
        const t = texts(svg);
        t.forEach((text, i) => {
          const ns = /^ns (\S+)$/.exec(text)?.[1];
          const ref = ns === undefined ? undefined : t.slice(i + 1, i + 6).map((x) => /^drawn on pages? ([\d, ]+)$/.exec(x)?.[1]).find((x) => x !== undefined);
          if (ref !== undefined) for (const page of ref.split(', ')) expect(lines[Number(page) - 1]).toMatch(new RegExp(`^\\d+ / \\d+ · namespace ${ns}(:|, flows)`));
        });
      }
    }
  }, PAGED);

  it('gives the same bytes for the same inputs, whatever order they are named in', async () => {
    const files = ['examples/shop/storefront.yaml', 'examples/shop/payment.yaml', 'examples/shop/checkout.yaml', 'examples/shop/data.yaml', 'examples/shop/namespaces.yaml', 'examples/shop/policies'];
    const args = ['--ingress-controller', 'ingress-nginx', '--cde', 'pci-dss/scope=cde', '--no-commit'];
    const a = join(dir, 'order-a.pdf');
    const b = join(dir, 'order-b.pdf');
    expect((await run(['diagram', ...files, ...args, '-o', a])).code).toBe(0);
    expect((await run(['diagram', ...[...files].reverse(), ...args, '-o', b])).code).toBe(0);
    expect(readPages(readFileSync(a)).length).toBeGreaterThan(1);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  }, PAGED);

  it('fits Online Boutique on one A3 page at 7 pt or more, every workload drawn, without a word on stderr', async () => {
    const file = join(dir, 'boutique.pdf');
    const r = await run(['diagram', 'examples/online-boutique', '--no-commit', '-o', file]);
    expect(r.stderr).toBe('');
    const pages = readPages(readFileSync(file));
    expect(pages).toHaveLength(1);
    for (const name of ['frontend', 'cartservice', 'redis-cart', 'checkoutservice', 'paymentservice', 'loadgenerator']) expect(pages[0]!.texts).toContain(name);
    const svg = await run(['diagram', 'examples/online-boutique', '--no-commit', '--page', 'A3']);
    expect(printedTextSize(svg.stdout, DEFAULT_PAGE).median).toBeGreaterThanOrEqual(MIN_TEXT_PT);
  });

  it('warns on stderr when a page it cannot split prints under 7 pt, and still writes it', async () => {
    const file = join(dir, 'boutique-a4.pdf');
    const r = await run(['diagram', 'examples/online-boutique', '--no-commit', '--page', 'A4-portrait', '-o', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^netdiagram: warning: the diagram prints its text at \d+(\.\d+)? pt \(median; smallest \d+(\.\d+)? pt\) on A4 portrait, under 7 pt/);
    const printed = Number(/at (\d+(?:\.\d+)?) pt/.exec(r.stderr)?.[1]);
    expect(printed).toBeLessThan(MIN_TEXT_PT);
    expect(readPages(readFileSync(file))).toHaveLength(1);
    // the figure is the one the page prints
    const svg = await run(['diagram', 'examples/online-boutique', '--no-commit', '--page', 'A4-portrait']);
    expect(printedTextSize(svg.stdout, pageNamed('A4-portrait')!).median).toBe(printed);
  });
});
