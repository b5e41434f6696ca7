import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
// @ts-expect-error: a plain .mjs script without type declarations
import { exampleNames, ROOT } from '../../scripts/render-examples.mjs';

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
    const viewport = { width: Math.min(Number(size?.[1] ?? 1600), 6000), height: Math.min(Number(size?.[2] ?? 1000), 6000) };
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
    expect(screenshot.length).toBeGreaterThan(10_000);
  });
});

describe.skipIf(hasChromium)('example diagrams in headless Chromium', () => {
  it.skip(`needs Chromium at ${CHROMIUM} (apt-get install -y chromium); .ci/run installs it`, () => {});
});
