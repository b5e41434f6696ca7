import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
// @ts-expect-error: a plain .mjs script without type declarations
import { exampleArgs, exampleNames, ROOT } from '../../scripts/render-examples.mjs';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const names: string[] = exampleNames();
const ORIGIN = 'http://netdiagram.invalid';

interface TextBox {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Pairs of text boxes that overlap by more than `tolerance` px in both directions. */
function overlaps(boxes: readonly TextBox[], tolerance = 0.5): string[] {
  const found: string[] = [];
  const sorted = [...boxes].sort((a, b) => a.x - b.x);
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j]!;
      if (b.x >= a.x + a.width - tolerance) break;
      const dx = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const dy = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      if (dx > tolerance && dy > tolerance) found.push(`"${a.text}" overlaps "${b.text}" at (${Math.round(a.x)}, ${Math.round(a.y)})`);
    }
  }
  return found;
}

/**
 * In the browser: for every flow edge (not a Service route), the topmost visible element at a point
 * inside its arrowhead. An arrowhead is covered when that element belongs to neither the edge
 * itself nor a flow edge whose arrowhead ends on the same point (edges landing on one port share
 * their head). The invisible wide stroke edges carry for their tooltip is not visible and is skipped.
 */
function coveredArrowheads(): string[] {
  const isRoute = (g: Element) => /\b(route|broken-route)\b/.test(g.getAttribute('class') ?? '');
  const invisible = (el: Element) => el.getAttribute('stroke-opacity') === '0' && (el.getAttribute('fill') ?? 'none') === 'none';
  const headOf = (g: Element) => {
    const paths = g.querySelectorAll(':scope > path');
    return paths[paths.length - 1] as SVGPathElement | undefined;
  };
  const pointsOf = (head: SVGPathElement) => [...(head.getAttribute('d') ?? '').matchAll(/(-?[\d.]+)[ ,](-?[\d.]+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
  // a filled triangle (M tip L a L b Z) is probed at its centroid; an open head (M a L tip L b) just inside its tip
  const probeOf = (head: SVGPathElement) => {
    const p = pointsOf(head);
    if ((head.getAttribute('fill') ?? 'none') !== 'none') return { tip: p[0]!, at: { x: (p[0]!.x + p[1]!.x + p[2]!.x) / 3, y: (p[0]!.y + p[1]!.y + p[2]!.y) / 3 } };
    const tip = p[1]!;
    const mid = { x: (p[0]!.x + p[2]!.x) / 2, y: (p[0]!.y + p[2]!.y) / 2 };
    const length = Math.hypot(mid.x - tip.x, mid.y - tip.y) || 1;
    return { tip, at: { x: tip.x + (mid.x - tip.x) / length, y: tip.y + (mid.y - tip.y) / length } };
  };
  const found: string[] = [];
  for (const g of document.querySelectorAll('g.edge')) {
    if (isRoute(g)) continue;
    const head = headOf(g);
    if (!head) continue;
    const { tip, at } = probeOf(head);
    const matrix = head.getScreenCTM()!;
    const screen = new DOMPoint(at.x, at.y).matrixTransform(matrix);
    const top = document.elementsFromPoint(screen.x, screen.y).find((el) => el.localName !== 'svg' && el.localName !== 'g' && !invisible(el));
    const owner = top?.closest('g.edge');
    if (owner === g) continue;
    if (owner && !isRoute(owner)) {
      const other = headOf(owner);
      const otherTip = other ? probeOf(other).tip : undefined;
      if (other === top && otherTip && Math.abs(otherTip.x - tip.x) < 0.5 && Math.abs(otherTip.y - tip.y) < 0.5) continue;
    }
    const what = top ? `${top.localName}${top.closest('g[class]') ? ` in g.${(top.closest('g[class]')!.getAttribute('class') ?? '').replace(/ /g, '.')}` : ''}` : 'nothing';
    found.push(`the arrowhead of ${g.id} at (${Math.round(at.x)}, ${Math.round(at.y)}) is covered by ${what}`);
  }
  return found;
}

describe.skipIf(!hasChromium)('example diagrams in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each(names)('loads examples/%s/diagram.svg without errors, scripts, requests or overlapping labels', async (name) => {
    const svg = readFileSync(join(ROOT, 'examples', name, 'diagram.svg'), 'utf8');
    // the whole drawing in the viewport (a fullPage screenshot hangs on SVG documents)
    const size = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
    const viewport = { width: Math.min(Number(size?.[1] ?? 1600), 8000), height: Math.min(Number(size?.[2] ?? 1000), 8000) };
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => problems.push(`console ${message.type()}: ${message.text()}`));
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url === `${ORIGIN}/diagram.svg`) {
        // a policy that blocks every script and every load, so any attempt shows up as a console error
        await route.fulfill({ status: 200, contentType: 'image/svg+xml', headers: { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" }, body: svg });
      } else {
        requests.push(url);
        await route.abort();
      }
    });
    const response = await page.goto(`${ORIGIN}/diagram.svg`);
    expect(response?.status()).toBe(200);
    const facts = await page.evaluate(() => {
      const root = document.documentElement;
      const all = [...document.querySelectorAll('*')];
      return {
        rootName: root.localName,
        parseError: document.querySelector('parsererror') !== null,
        scripts: document.querySelectorAll('script, foreignObject, iframe, object, embed').length,
        eventAttributes: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.localName}@${a.name}`)),
        references: all.flatMap((el) => [...el.attributes].filter((a) => /(^|:)href$/.test(a.name) || /url\((?!#)/.test(a.value)).map((a) => a.value)),
        texts: [...document.querySelectorAll('text')].map((t) => {
          const r = t.getBoundingClientRect();
          return { text: t.textContent ?? '', x: r.x, y: r.y, width: r.width, height: r.height };
        }),
      };
    });
    const covered = await page.evaluate(coveredArrowheads);
    const screenshot = await page.screenshot();
    await context.close();

    expect(facts.rootName).toBe('svg');
    expect(facts.parseError).toBe(false);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    expect(facts.scripts).toBe(0);
    expect(facts.eventAttributes).toEqual([]);
    expect(facts.references).toEqual([]);
    expect(facts.texts.length).toBeGreaterThan(10);
    expect(facts.texts.every((t) => t.width > 0 && t.height > 0)).toBe(true);
    expect(overlaps(facts.texts)).toEqual([]);
    expect(covered).toEqual([]);
    expect(screenshot.length).toBeGreaterThan(10_000);
  });

  describe('on A3 pages (diagram --page A3, what -o diagram.pdf prints)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netdiagram-pages-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.each(names)('draws every page of examples/%s with no overlapping labels and no covered arrowhead', async (name) => {
      const args: string[] = exampleArgs(name, 'svg');
      args.splice(args.indexOf('-o'), 2, '-o', join(dir, `${name}.svg`), '--page', 'A3');
      expect(await main(args, { stdout: () => {}, stderr: () => {}, readStdin: async () => '', env: {}, cwd: ROOT })).toBe(0);
      const files = readdirSync(dir).filter((f) => f === `${name}.svg` || new RegExp(`^${name}-\\d+\\.svg$`).test(f)).sort();
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const svg = readFileSync(join(dir, file), 'utf8');
        const size = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
        const context = await browser.newContext({ viewport: { width: Math.min(Number(size?.[1]), 8000), height: Math.min(Number(size?.[2]), 8000) } });
        const page = await context.newPage();
        await page.setContent(svg.replace(/^<\?xml[^>]*>\n/, ''));
        const texts = await page.evaluate(() => [...document.querySelectorAll('text')].map((t) => {
          const r = t.getBoundingClientRect();
          return { text: t.textContent ?? '', x: r.x, y: r.y, width: r.width, height: r.height };
        }));
        const covered = await page.evaluate(coveredArrowheads);
        await context.close();
        expect({ file, overlaps: overlaps(texts) }).toEqual({ file, overlaps: [] });
        expect({ file, covered }).toEqual({ file, covered: [] });
      }
    });
  });
});

describe.skipIf(hasChromium)('example diagrams in headless Chromium', () => {
  it.skip(`needs Chromium at ${CHROMIUM} (apt-get install -y chromium); .ci/run installs it`, () => {});
});
