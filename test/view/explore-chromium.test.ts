import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ExploreData } from '@netdiagram/view';
import { CHROMIUM, LAUNCH_ARGS, openHtml, renderHtmlFile, run } from './support.js';

const hasChromium = existsSync(CHROMIUM);

interface Connection {
  readonly from: string;
  readonly to: string;
  readonly via: readonly string[];
  readonly ports: 'all' | readonly { protocol: string; port?: number; endPort?: number }[];
}

/** An example, the workload the test picks in it, and the options it is drawn and analysed with. */
const CASES = [
  { name: 'pci-demo', workload: 'default/pci-backend[Deployment]', query: 'pci-backend', draw: ['--cde', 'app=pci'], analyse: [] as string[] },
  { name: 'shop', workload: 'payment/payment-api[Deployment]', query: 'payment-api', draw: ['--ingress-controller', 'ingress-nginx', '--cde', 'pci-dss/scope=cde'], analyse: ['--ingress-controller', 'ingress-nginx'] },
];

/** What the page shows now: bright and dimmed edges and nodes (by drawn id), the panel's flow rows. */
async function facts(page: Page) {
  return page.evaluate(() => {
    const data = JSON.parse(document.getElementById('netdiagram-data')!.textContent!) as ExploreData;
    const bright = (items: readonly { id: string; svg: string }[]) =>
      items.filter((i) => { const e = document.getElementById(i.svg); return e !== null && !e.classList.contains('nd-dim'); }).map((i) => i.id).sort();
    return {
      edges: bright(data.edges),
      nodes: bright(data.nodes),
      rows: [...document.querySelectorAll('#flows tbody tr')].map((tr) => ({
        direction: tr.getAttribute('data-direction'),
        peer: tr.querySelector('.peer')!.textContent,
        ports: tr.querySelector('.ports')!.textContent,
        via: tr.querySelector('.via')!.textContent,
      })),
      heading: document.querySelector('#panel h2')?.textContent,
      hash: location.hash,
    };
  });
}

/** The policy a rule ref belongs to: `netpol:ns/name#ingress[0]` → `ns/name`. */
const policyOf = (ref: string) => ref.replace(/^netpol:/, '').replace(/#.*$/, '');

describe.skipIf(!hasChromium)('the interactive diagram in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each(CASES)('$name: search $query, pick it, and exactly its flows stay bright; the panel lists them with their policies', async ({ name, workload, query, draw, analyse }) => {
    const html = await renderHtmlFile([`examples/${name}`, ...draw]);
    const connections = (JSON.parse((await run(['connections', `examples/${name}`, '--format', 'json', ...analyse])).stdout) as { connections: Connection[] }).connections;
    const mine = connections.filter((c) => c.from === workload || c.to === workload);
    expect(mine.length).toBeGreaterThan(0);
    const opened = await openHtml(browser, html);
    const { page } = opened;
    const data = await page.evaluate(() => JSON.parse(document.getElementById('netdiagram-data')!.textContent!) as ExploreData);

    await page.focus('#search');
    await page.keyboard.type(query);
    const results = await page.locator('#results li').allTextContents();
    expect(results[0]).toContain(query);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    const picked = await facts(page);
    // the drawing: the edges into and out of the workload's shape, and nothing else
    const incident = data.edges.filter((e) => e.source === workload || e.target === workload);
    expect(picked.edges).toEqual(incident.map((e) => e.id).sort());
    expect(picked.nodes).toEqual([...new Set([workload, ...incident.flatMap((e) => [e.source, e.target])])].sort());
    // the permalink names the selection (and, once the view has settled, its zoom)
    expect(picked.hash.split('&')[0]).toBe(`#node=${encodeURIComponent(workload)}`);
    // the panel: every allowed flow of the workload, its direction and the policies allowing it
    expect(picked.rows).toHaveLength(mine.length);
    for (const c of mine) {
      const direction = c.from === workload ? 'outbound' : 'inbound';
      const peerId = c.from === workload ? c.to : c.from;
      const row = picked.rows.find((r) => r.direction === direction && r.ports === portsText(c) && peerLabelMatches(data, r.peer ?? '', peerId));
      expect(row, `${c.from} → ${c.to}`).toBeDefined();
      for (const ref of c.via.filter((v) => v.startsWith('netpol:'))) expect(row!.via).toContain(policyOf(ref));
    }

    // clicking the shape in the drawing selects the same; clicking empty canvas clears
    await page.keyboard.press('Escape');
    await page.locator('#canvas').focus();
    await page.keyboard.press('Escape');
    expect((await facts(page)).edges).toEqual(data.edges.map((e) => e.id).sort());
    const svgId = data.nodes.find((n) => n.id === workload)!.svg;
    await page.locator('#fit').click();
    // a real click on the workload's name in the drawing
    const shortName = workload.replace(/^[^/]*\//, '').replace(/\[.*$/, '');
    const box = (await page.locator(`[id="${svgId}"] text`, { hasText: new RegExp(`^${shortName}$`) }).last().boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    expect((await facts(page)).edges).toEqual(picked.edges);
    await opened.close();
    expect(opened.problems).toEqual([]);
    expect(opened.requests).toEqual([]);
  });

  it('a permalink reopens the same view: selection, filters and zoom', async () => {
    const html = await renderHtmlFile(['examples/shop', '--ingress-controller', 'ingress-nginx', '--cde', 'pci-dss/scope=cde']);
    const first = await openHtml(browser, html);
    await first.page.locator('#filter-port').fill('8443');
    await first.page.locator('#search').fill('payment-api');
    await first.page.keyboard.press('Enter');
    await first.page.waitForFunction(() => location.hash.includes('zoom='));
    const before = await facts(first.page);
    expect(before.hash).toMatch(/node=.*port=8443.*zoom=/);
    const transform = await first.page.locator('#nd-viewport').getAttribute('transform');
    await first.close();

    const second = await openHtml(browser, html, before.hash);
    const after = await facts(second.page);
    expect(after.edges).toEqual(before.edges);
    expect(after.rows).toEqual(before.rows);
    expect(after.heading).toBe(before.heading);
    expect(await second.page.locator('#filter-port').inputValue()).toBe('8443');
    // the fragment keeps three decimals: the same view, to a thousandth of a unit
    const numbers = (t: string | null) => (t ?? '').match(/-?[\d.]+/g)!.map(Number);
    const reopened = numbers(await second.page.locator('#nd-viewport').getAttribute('transform'));
    numbers(transform).forEach((n, i) => expect(Math.abs(reopened[i]! - n)).toBeLessThan(0.001 * Math.max(1, Math.abs(n))));
    // only 8443 flows stay bright, and every one of them touches payment-api
    const data = await second.page.evaluate(() => JSON.parse(document.getElementById('netdiagram-data')!.textContent!) as ExploreData);
    for (const id of after.edges) {
      const edge = data.edges.find((e) => e.id === id)!;
      expect(edge.flows.some((i) => data.flows[i]!.portRanges.includes('TCP/8443'))).toBe(true);
    }
    expect(after.edges.length).toBeGreaterThan(0);
    await second.close();
    expect([...first.problems, ...second.problems]).toEqual([]);
    expect([...first.requests, ...second.requests]).toEqual([]);
  });

  it('zooms and pans from the keyboard and the wheel, and fits back', async () => {
    const html = await renderHtmlFile(['examples/pci-demo', '--cde', 'app=pci']);
    const opened = await openHtml(browser, html);
    const { page } = opened;
    const transform = async () => (await page.locator('#nd-viewport').getAttribute('transform')) ?? '';
    const scale = async () => Number(/scale\(([\d.]+)\)/.exec(await transform())?.[1] ?? 1);
    await page.locator('#canvas').focus();
    await page.keyboard.press('+');
    expect(await scale()).toBeCloseTo(1.25);
    const zoomed = await transform();
    await page.keyboard.press('ArrowLeft');
    expect(await transform()).not.toBe(zoomed);
    expect(await scale()).toBeCloseTo(1.25);
    await page.keyboard.press('0');
    expect(await scale()).toBe(1);
    await page.mouse.move(400, 400);
    await page.mouse.wheel(0, -300);
    await page.waitForFunction(() => /scale\((?!1\))/.test(document.getElementById('nd-viewport')!.getAttribute('transform') ?? ''));
    expect(await scale()).toBeGreaterThan(1);
    await page.locator('#fit').click();
    expect(await scale()).toBe(1);
    await opened.close();
    expect(opened.problems).toEqual([]);
    expect(opened.requests).toEqual([]);
  });

  it('filters: boundary flows only keeps the numbered edges; an edge click explains the edge', async () => {
    const html = await renderHtmlFile(['examples/pci-demo', '--cde', 'app=pci']);
    const opened = await openHtml(browser, html);
    const { page } = opened;
    const data = await page.evaluate(() => JSON.parse(document.getElementById('netdiagram-data')!.textContent!) as ExploreData);
    await page.locator('#filter-boundary').check();
    const boundary = data.edges.filter((e) => e.boundary.length > 0).map((e) => e.id).sort();
    expect(boundary.length).toBeGreaterThan(0);
    expect((await facts(page)).edges).toEqual(boundary);
    await page.locator('#filter-boundary').uncheck();
    const edge = data.edges.find((e) => e.id === 'default/pci-frontend[Deployment]->default/pci-backend[Deployment]')!;
    await page.evaluate((svg) => document.getElementById(svg)!.dispatchEvent(new MouseEvent('click', { bubbles: true })), edge.svg);
    const shown = await facts(page);
    expect(shown.edges).toEqual([edge.id]);
    expect(await page.locator('#edge-explanation').textContent()).toBe(edge.title);
    expect(shown.rows.map((r) => r.via)).toEqual([expect.stringContaining('default/pci-backend-from-frontend')]);
    await opened.close();
    expect(opened.problems).toEqual([]);
    expect(opened.requests).toEqual([]);
  });
});

/** The ports as the panel writes them, from the connections JSON: `TCP 53 · UDP 53`, `TCP 1-65535 · …`. */
function portsText(c: Connection): string {
  if (c.ports === 'all') return ['TCP', 'UDP', 'SCTP'].map((p) => `${p} 1-65535`).join(' · ');
  const byProtocol = new Map<string, string[]>();
  for (const p of c.ports) byProtocol.set(p.protocol, [...(byProtocol.get(p.protocol) ?? []), p.port === undefined ? '1-65535' : p.endPort !== undefined ? `${p.port}-${p.endPort}` : `${p.port}`]);
  return ['TCP', 'UDP', 'SCTP'].filter((p) => byProtocol.has(p)).map((p) => `${p} ${byProtocol.get(p)!.join(',')}`).join(' · ');
}

/** Whether a panel row's peer names the graph node: by the drawn label holding its name, or its id. */
function peerLabelMatches(data: ExploreData, peer: string, id: string): boolean {
  const name = /\/([^/[]+)\[/.exec(id)?.[1] ?? id.replace(/^ipblock:/, '');
  const drawn = data.nodes.find((n) => n.members.includes(id));
  return peer.includes(name) || (drawn !== undefined && peer === drawn.label);
}

describe.skipIf(hasChromium)('the interactive diagram in headless Chromium', () => {
  it.skip(`needs Chromium at ${CHROMIUM} (apt-get install -y chromium); .ci/run installs it`, () => {});
});
