import { existsSync } from 'node:fs';
import { buildTrafficGraph, computeScope, parseManifests } from '@netdiagram/core';
import { layoutGraph, renderSvg } from '@netdiagram/render';
import { exploreData, renderHtml, renderInteractiveHtml, type ExploreData } from '@netdiagram/view';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { placeholder, withHostileText } from '../support/hostile.js';
import { denyAll, namespace, policy, workload } from '../render/builders.js';
import { CHROMIUM, LAUNCH_ARGS, openHtml } from './support.js';

const hasChromium = existsSync(CHROMIUM);
const EVIL = 'http://evil.invalid';

/** Text that would run script, load something or break out of markup or JSON if written unescaped. */
const HOSTILE = [
  `<script>document.title='pwned';fetch('${EVIL}/script')</script>`,
  `"><img src=x onerror="fetch('${EVIL}/onerror')"><svg onload="fetch('${EVIL}/onload')">`,
  `</script><script>alert(1)</script><!--`,
  `javascript:fetch('${EVIL}/js') \u2028 \u2029 ]]>`,
  `it's "quoted" \u202Egnp.exe\u202C &amp; &lt;b&gt;`,
];

/** Per hostile text: a namespace, a web and a CDE db workload, and policies, all carrying the text. */
function manifests(): string[] {
  return HOSTILE.flatMap((_text, i) => {
    const name = placeholder(i);
    const ns = `ns-${i}-${name}`;
    return [
      namespace(ns, { team: name }),
      denyAll(ns),
      workload(ns, `web-${name}`, { labels: { app: 'web', tier: name }, ports: [{ name, containerPort: 8080 }] }),
      workload(ns, `db-${name}`, { labels: { app: 'db', zone: 'cde' }, ports: [{ containerPort: 5432 }] }),
      policy(ns, `in-${name}`, { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }, { ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 5432 }] }] }),
      policy(ns, `out-${name}`, { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }] }] }),
    ];
  });
}

async function hostilePage(): Promise<{ html: string; data: ExploreData }> {
  const parsed = parseManifests([{ name: `${HOSTILE[0]}.yaml`, text: manifests().join('\n---\n') }]);
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const cluster = withHostileText(parsed.cluster, HOSTILE);
  const graph = buildTrafficGraph(cluster);
  const scope = computeScope(cluster, graph, { cde: ['zone=cde'] });
  const layout = await layoutGraph(graph, { scope, detail: 'full' });
  const title = `Title ${HOSTILE.join(' ')}`;
  const svg = renderSvg(layout, { title, source: HOSTILE[1]!, inputDigest: 'sha256:00', toolVersion: HOSTILE[3]!, commit: HOSTILE[2], date: HOSTILE[4]! });
  const data = exploreData({ layout, graph, cluster, scope, title });
  return { html: renderHtml({ svg, data }), data };
}

describe.skipIf(!hasChromium)('an interactive diagram of hostile names in headless Chromium', () => {
  it('runs no script but its own, loads nothing, and shows every hostile string as text in the drawing, the search and the panel', async () => {
    const { html: withPolicy, data } = await hostilePage();
    expect(data.nodes.length).toBeGreaterThanOrEqual(2 * HOSTILE.length);
    // without the Content-Security-Policy: escaping alone must keep the markup inert
    const withoutPolicy = withPolicy.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
    expect(withoutPolicy).not.toBe(withPolicy);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    try {
      for (const html of [withoutPolicy, withPolicy]) {
        const opened = await openHtml(browser, html);
        const { page } = opened;
        const panelTexts: string[] = [];
        for (const node of data.nodes.filter((n) => n.kind === 'workload')) {
          await page.evaluate((svg) => document.getElementById(svg)!.dispatchEvent(new MouseEvent('click', { bubbles: true })), node.svg);
          panelTexts.push(await page.locator('#panel').innerText());
        }
        await page.locator('#search').fill('web-');
        const results = await page.locator('#results').textContent();
        const facts = await page.evaluate(() => {
          const all = [...document.querySelectorAll('*')];
          return {
            title: document.title,
            scripts: document.querySelectorAll('script').length,
            active: document.querySelectorAll('iframe, object, embed, img, image, a, use, foreignObject, link, base, form').length,
            eventAttributes: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.localName}@${a.name}`)),
            text: document.body.textContent ?? '',
          };
        });
        await opened.close();
        expect(opened.problems).toEqual([]);
        expect(opened.requests).toEqual([]);
        expect(facts.title).toBe(`Title ${HOSTILE.join(' ')}`);
        expect(facts.scripts).toBe(3); // the data, the expanded views and the page's own script
        expect(facts.active).toBe(0);
        expect(facts.eventAttributes).toEqual([]);
        for (const text of HOSTILE) {
          expect(facts.text).toContain(text);
          expect(panelTexts.some((t) => t.includes(text)), `panel shows ${JSON.stringify(text)}`).toBe(true);
          expect(results).toContain(`web-${text}`);
        }
      }
    } finally {
      await browser.close();
    }
  });
});

describe.skipIf(!hasChromium)('an expanded namespace of hostile names in headless Chromium', () => {
  it('unpacks and shows each collapsed namespace as text: no script, no request, no active element', async () => {
    const parsed = parseManifests([{ name: `${HOSTILE[0]}.yaml`, text: manifests().join('\n---\n') }]);
    const cluster = withHostileText(parsed.cluster, HOSTILE);
    const graph = buildTrafficGraph(cluster);
    const layoutOptions = { detail: 'namespace' as const };
    const layout = await layoutGraph(graph, layoutOptions);
    const renderOptions = { title: 'T', source: HOSTILE[1]!, inputDigest: 'sha256:00', toolVersion: HOSTILE[3]!, date: HOSTILE[4]! };
    const withPolicy = await renderInteractiveHtml({ svg: renderSvg(layout, renderOptions), layout, layoutOptions, renderOptions, graph, cluster, title: 'T' });
    const withoutPolicy = withPolicy.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    try {
      for (const html of [withoutPolicy, withPolicy]) {
        const opened = await openHtml(browser, html);
        const { page } = opened;
        const data = await page.evaluate(() => JSON.parse(document.getElementById('netdiagram-data')!.textContent!) as ExploreData);
        expect(data.expandable).toHaveLength(HOSTILE.length);
        for (const [i, ns] of data.expandable.entries()) {
          const box = data.nodes.find((n) => n.collapsed?.includes(ns))!;
          if (i > 0) {
            await page.locator('#collapse').click();
            await page.waitForSelector(`body[data-switches="${2 * i}"]`, { state: 'attached' });
          }
          await page.evaluate((svg) => document.getElementById(svg)!.dispatchEvent(new MouseEvent('click', { bubbles: true })), box.svg);
          await page.locator('#panel button.expand').filter({ hasText: ns }).first().click();
          await page.waitForSelector(`body[data-switches="${2 * i + 1}"]`, { state: 'attached' });
          const facts = await page.evaluate(() => {
            const all = [...document.querySelectorAll('*')];
            return {
              open: document.body.dataset['open'],
              scripts: document.querySelectorAll('script').length,
              active: document.querySelectorAll('iframe, object, embed, img, image, a, use, foreignObject, link, base, form').length,
              eventAttributes: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.localName}@${a.name}`)),
              drawing: document.querySelector('#canvas > svg')?.textContent ?? '',
              toolbar: document.getElementById('open-namespace')?.textContent ?? '',
            };
          });
          expect(facts.open).toBe(ns);
          expect(facts.scripts).toBe(3);
          expect(facts.active).toBe(0);
          expect(facts.eventAttributes).toEqual([]);
          expect(facts.toolbar).toBe(`namespace ${ns} expanded`);
          expect(facts.drawing).toContain(`web-${HOSTILE[i]}`.slice(0, 12));
        }
        await opened.close();
        expect(opened.problems).toEqual([]);
        expect(opened.requests).toEqual([]);
      }
    } finally {
      await browser.close();
    }
  });
});

describe.skipIf(hasChromium)('an interactive diagram of hostile names in headless Chromium', () => {
  it.skip(`needs Chromium at ${CHROMIUM} (apt-get install -y chromium); .ci/run installs it`, () => {});
});
