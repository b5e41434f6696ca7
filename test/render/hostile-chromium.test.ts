import { existsSync } from 'node:fs';
import { buildTrafficGraph, computeScope, parseManifests } from '@netdiagram/core';
import { layoutGraph, renderSvg } from '@netdiagram/render';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { placeholder, withHostileText } from '../support/hostile.js';
import { denyAll, ingress, namespace, policy, service } from './builders.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const ORIGIN = 'http://netdiagram.invalid';
const EVIL = 'http://evil.invalid';

/** Text that would run script, load something or break out of markup if it were written unescaped. */
const HOSTILE = [
  `<script>document.title='pwned';fetch('${EVIL}/script')</script>`,
  `"><svg onload="fetch('${EVIL}/onload')"><image href="${EVIL}/img.png"/>`,
  `javascript:fetch('${EVIL}/js')`,
  `]]><style>@import url(${EVIL}/css);</style><a href="javascript:alert(1)">x</a>`,
  `it's "quoted" \u202Egnp.exe\u202C \u2066isolate\u2069 \u200F`,
];

/**
 * A workload whose name, labels, annotations, containers, ports and volumes all carry `text`. Label
 * values, names and port names are validated on input: names and port names hold a placeholder
 * swapped for the text in the parsed model, annotations and containers carry it as written.
 */
function hostileWorkload(ns: string, name: string, app: string, text: string, port: string, cde: boolean): string {
  const labels = { app };
  return JSON.stringify({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, annotations: { description: text } },
    spec: {
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels, annotations: { description: text, ...(cde ? { 'netdiagram.io/zone': 'cde' } : {}) } },
        spec: {
          containers: [{ name: `c-${text}`, image: `${text}:1`, ports: [{ name: port, containerPort: 8080 }] }],
          volumes: [{ name: 'config', configMap: { name: `cm-${port}` } }, { name: 'secret', secret: { secretName: `s-${port}` } }],
        },
      },
    },
  });
}

function manifests(withGone: boolean): string[] {
  return HOSTILE.flatMap((text, i) => {
    const name = placeholder(i);
    const ns = `ns-${i}-${name}`;
    return [
      namespace(ns, { team: `t${i}` }),
      denyAll(ns),
      hostileWorkload(ns, `web-${name}`, 'web', text, name, false),
      hostileWorkload(ns, `db-${name}`, 'db', text, name, true),
      ...(withGone ? [hostileWorkload(ns, `gone-${name}`, 'gone', text, name, false)] : []),
      service(ns, `svc-${name}`, { app: 'web' }, [{ port: 80, targetPort: 8080 }], 'LoadBalancer'),
      ingress(ns, `ing-${name}`, `${text}.example.com`, `svc-${name}`, 80),
      policy(ns, `in-${name}`, { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }, { ipBlock: { cidr: '203.0.113.0/24' } }] }] }),
      policy(ns, `out-${name}`, { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }, ...(withGone ? [{ ipBlock: { cidr: '198.51.100.0/24' } }] : [])] }] }),
    ];
  });
}

/** The diagram with every kind of text a scoped diff diagram writes: zones, boundary table, removed shapes. */
async function hostileSvg(): Promise<string> {
  const parse = (withGone: boolean) => {
    const parsed = parseManifests([{ name: `${HOSTILE[0]}.yaml`, text: manifests(withGone).join('\n---\n') }]);
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    return { cluster: withHostileText(parsed.cluster, HOSTILE) };
  };
  const previous = buildTrafficGraph(parse(true).cluster);
  const { cluster } = parse(false);
  const graph = buildTrafficGraph(cluster);
  const scope = computeScope(cluster, graph, {});
  expect(cluster.workloads).toHaveLength(2 * HOSTILE.length);
  expect(scope.defined).toBe(true);
  const layout = await layoutGraph(graph, { scope, previous, detail: 'full' });
  return renderSvg(layout, { title: `Title ${HOSTILE.join(' ')}`, source: HOSTILE[1], inputDigest: 'sha256:00', toolVersion: HOSTILE[3], commit: HOSTILE[2], date: HOSTILE[4] });
}

describe.skipIf(!hasChromium)('a diagram of hostile names in headless Chromium', () => {
  it('runs no script, sends no request and logs nothing, with every hostile string shown as text', async () => {
    const svg = await hostileSvg();
    expect(svg).toContain('class="node removed"');
    expect(svg).toContain('boundary-table');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const context = await browser.newContext({ viewport: { width: 1600, height: 1200 } });
      const page = await context.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => problems.push(`console ${message.type()}: ${message.text()}`));
      page.on('dialog', async (dialog) => {
        problems.push(`dialog: ${dialog.message()}`);
        await dialog.dismiss();
      });
      await context.route('**/*', async (route) => {
        const url = route.request().url();
        if (url === `${ORIGIN}/diagram.svg`) {
          // no Content-Security-Policy: if markup got through, its script would run and show up here
          await route.fulfill({ status: 200, contentType: 'image/svg+xml', body: svg });
        } else {
          requests.push(url);
          await route.abort();
        }
      });
      const response = await page.goto(`${ORIGIN}/diagram.svg`, { waitUntil: 'load' });
      expect(response?.status()).toBe(200);
      const facts = await page.evaluate(() => {
        const all = [...document.querySelectorAll('*')];
        return {
          rootName: document.documentElement.localName,
          parseError: document.querySelector('parsererror') !== null,
          title: document.title,
          active: document.querySelectorAll('script, style, foreignObject, iframe, object, embed, image, a, use').length,
          eventAttributes: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.localName}@${a.name}`)),
          references: all.flatMap((el) => [...el.attributes].filter((a) => /href$/i.test(a.name) || /url\((?!#cde-hatch\))/.test(a.value)).map((a) => a.value)),
          text: document.documentElement.textContent ?? '',
          texts: document.querySelectorAll('text').length,
        };
      });
      await context.close();

      expect(facts.rootName).toBe('svg');
      expect(facts.parseError).toBe(false);
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
      expect(facts.title).toBe(`Title ${HOSTILE.join(' ')}`);
      expect(facts.active).toBe(0);
      expect(facts.eventAttributes).toEqual([]);
      expect(facts.references).toEqual([]);
      expect(facts.texts).toBeGreaterThan(50);
      // each hostile string survives as text, whole (names, tooltips) or in part (shortened labels)
      for (const text of HOSTILE) expect(facts.text).toContain(text);
    } finally {
      await browser.close();
    }
  });
});

describe.skipIf(hasChromium)('a diagram of hostile names in headless Chromium', () => {
  it.skip(`needs Chromium at ${CHROMIUM} (apt-get install -y chromium); .ci/run installs it`, () => {});
});
