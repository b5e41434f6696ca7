import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildView, layoutGraph, layoutView, renderSvg, type Box, type DiagramView } from '@netdiagram/render';
import { formatFlowNumbers } from '../../packages/render/src/format.js';
import { allow, denyAll, namespace, policy, scopedGraphOf, workload } from './builders.js';

const node = (view: DiagramView, id: string) => view.nodes.find((n) => n.id === id);
const container = (view: DiagramView, id: string) => view.containers.find((c) => c.id === id);
const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;

/**
 * pay (namespace label pci=true): api → vault; shop: web → pay/api (connected), cart (out of
 * scope), batch (workload label pci=true, a CDE workload in a mixed namespace); ops: backup (out of
 * scope); mon: three scrapers → pay/vault; api reachable from 203.0.113.0/24 and reaching 192.0.2.0/24.
 */
function manifests(): string[] {
  const ns = ['pay', 'shop', 'ops', 'mon'];
  return [
    namespace('pay', { pci: 'true' }), namespace('shop'), namespace('ops'), namespace('mon'),
    workload('pay', 'api', { ports: [{ containerPort: 8443 }] }),
    workload('pay', 'vault', { kind: 'StatefulSet', ports: [{ containerPort: 5432 }, { containerPort: 9102 }] }),
    workload('shop', 'web', { ports: [{ containerPort: 8080 }] }),
    workload('shop', 'cart', { ports: [{ containerPort: 8080 }] }),
    workload('shop', 'batch', { labels: { app: 'batch', pci: 'true' } }),
    workload('ops', 'backup'),
    ...['a', 'b', 'c'].map((s) => workload('mon', `scraper-${s}`, { labels: { app: 'scraper', shard: s } })),
    ...ns.map(denyAll),
    ...allow('shop', 'web', 'pay', 'api', 8443),
    ...allow('pay', 'api', 'pay', 'vault', 5432),
    ...allow('shop', 'web', 'shop', 'cart', 8080),
    ...allow('mon', 'scraper', 'pay', 'vault', 9102),
    policy('pay', 'api-public', {
      podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 8443 }] }],
      egress: [{ to: [{ ipBlock: { cidr: '192.0.2.0/24' } }], ports: [{ port: 443 }] }],
      policyTypes: ['Ingress', 'Egress'],
    }),
  ];
}

function scoped() {
  return scopedGraphOf(manifests(), { cde: ['pci=true'] });
}

describe('buildView with a CDE scope', () => {
  it('gives every cluster shape its zone and says it in the tooltip', () => {
    const { graph, scope } = scoped();
    const view = buildView(graph, { scope, detail: 'full' });
    expect(node(view, 'pay/api[Deployment]')?.zone).toBe('cde');
    expect(node(view, 'shop/web[Deployment]')?.zone).toBe('connected');
    expect(node(view, 'shop/cart[Deployment]')?.zone).toBe('out-of-scope');
    expect(node(view, 'pay/api[Deployment]')?.title).toContain('PCI DSS scope: in the CDE (--cde pci=true (namespace pay labels))');
    expect(view.nodes.filter((n) => n.kind === 'external').every((n) => n.zone === undefined)).toBe(true);
  });

  it('draws a namespace wholly in the CDE as the CDE zone, and shades one wholly out of scope', () => {
    const { graph, scope } = scoped();
    const view = buildView(graph, { scope, detail: 'full' });
    expect(container(view, '@ns:pay')?.zone).toBe('cde');
    expect(container(view, '@ns:ops')?.zone).toBe('out-of-scope');
    expect(container(view, '@ns:shop')?.zone).toBeUndefined();
  });

  it('puts the CDE workloads of a mixed namespace into a CDE box inside it', () => {
    const { graph, scope } = scoped();
    const view = buildView(graph, { scope, detail: 'full' });
    expect(container(view, '@cde:shop')).toMatchObject({ kind: 'cde', parent: '@ns:shop', label: 'CDE \u2014 PCI DSS scope' });
    expect(node(view, 'shop/batch[Deployment]')?.parent).toBe('@cde:shop');
    expect(node(view, 'shop/web[Deployment]')?.parent).toBe('@ns:shop');
  });

  it('numbers each edge with the boundary flows it draws, and an aggregated edge with all of them', () => {
    const { graph, scope } = scoped();
    const view = buildView(graph, { scope, detail: 'full' });
    const number = (from: string, to: string) => scope.boundary.find((f) => f.from === from && f.to === to)!.id;
    expect(view.edges.find((e) => e.id === 'shop/web[Deployment]->pay/api[Deployment]')?.boundary).toEqual([number('shop/web[Deployment]', 'pay/api[Deployment]')]);
    const fanIn = view.edges.find((e) => e.id === '@ns:mon->pay/vault[StatefulSet]');
    expect(fanIn?.boundary).toEqual(['a', 'b', 'c'].map((s) => number(`mon/scraper-${s}[Deployment]`, 'pay/vault[StatefulSet]')));
    expect(fanIn?.title).toMatch(/^crosses the CDE boundary: F\d+, F\d+, F\d+/);
    // every boundary flow shows up on some edge
    const drawn = new Set(view.edges.flatMap((e) => e.boundary ?? []));
    expect([...drawn].sort()).toEqual(scope.boundary.map((f) => f.id).sort());
    // flows inside the CDE carry no number
    expect(view.edges.find((e) => e.id === 'pay/api[Deployment]->pay/vault[StatefulSet]')?.boundary).toBeUndefined();
  });

  it('puts the numbers of boundary flows that only ANY edges imply on the CDE workload\'s ANY edge', () => {
    const { graph, scope } = scopedGraphOf([namespace('card', { pci: 'true' }), namespace('free'), workload('card', 'legacy'), workload('free', 'x')], { cde: ['pci=true'] });
    const view = buildView(graph, { scope, detail: 'full' });
    const inbound = scope.boundary.filter((f) => f.to === 'card/legacy[Deployment]').map((f) => f.id);
    const outbound = scope.boundary.filter((f) => f.from === 'card/legacy[Deployment]').map((f) => f.id);
    expect(inbound.length).toBeGreaterThan(0);
    expect(view.edges.find((e) => e.id === '@any:source->card/legacy[Deployment]')?.boundary).toEqual(inbound);
    expect(view.edges.find((e) => e.id === 'card/legacy[Deployment]->@any:destination')?.boundary).toEqual(outbound);
  });

  it('keeps namespaces with CDE workloads expanded at namespace detail', () => {
    const { graph, scope } = scoped();
    const view = buildView(graph, { scope, detail: 'namespace' });
    expect(node(view, 'pay/api[Deployment]')?.kind).toBe('workload');
    expect(node(view, '@summary:ops')).toMatchObject({ kind: 'namespace-summary', zone: 'out-of-scope' });
    expect(node(view, '@summary:mon')).toMatchObject({ kind: 'namespace-summary', zone: 'connected' });
  });

  it('never merges workloads of different zones into one group', () => {
    const { graph, scope } = scopedGraphOf([
      namespace('grp'), denyAll('grp'),
      ...['w1', 'w2', 'w3'].map((w) => workload('grp', w)),
      workload('grp', 'w4', { labels: { app: 'w4', pci: 'true' } }),
    ], { cde: ['pci=true'] });
    const view = buildView(graph, { scope, detail: 'workload' });
    const workloads = view.nodes.filter((n) => n.kind === 'workload');
    expect(workloads.map((n) => (n.kind === 'workload' ? [n.count, n.zone] : []))).toEqual([[3, 'out-of-scope'], [1, 'cde']]);
  });

  it('draws no zones without a scope, or when the scope marks no CDE', () => {
    const { graph } = scoped();
    const { scope: undefinedScope } = scopedGraphOf(manifests(), {});
    for (const view of [buildView(graph, { detail: 'full' }), buildView(graph, { detail: 'full', scope: undefinedScope })]) {
      expect(view.nodes.every((n) => n.zone === undefined)).toBe(true);
      expect(view.containers.every((c) => c.kind !== 'cde' && c.zone === undefined)).toBe(true);
      expect(view.edges.every((e) => e.boundary === undefined)).toBe(true);
      expect(view.scope).toBeUndefined();
    }
  });
});

describe('layoutGraph with a CDE scope', () => {
  it('nests the CDE box in its namespace box, with the CDE shapes inside it and the others outside', async () => {
    const { graph, scope } = scoped();
    const layout = await layoutGraph(graph, { scope, detail: 'full' });
    const box = (id: string) => (layout.nodes.find((n) => n.node.id === id) ?? layout.containers.find((c) => c.container.id === id))!.box;
    expect(inside(box('@cde:shop'), box('@ns:shop'))).toBe(true);
    expect(inside(box('shop/batch[Deployment]'), box('@cde:shop'))).toBe(true);
    expect(inside(box('shop/web[Deployment]'), box('@cde:shop'))).toBe(false);
    expect(layout.scope?.boundary).toEqual(scope.boundary);
  });
});

describe('renderSvg with a CDE scope', () => {
  it('draws the CDE hatched with a double border and its label, and the boundary numbers and table', async () => {
    const { graph, scope } = scoped();
    const svg = renderSvg(await layoutGraph(graph, { scope, detail: 'full' }));
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('<pattern id="cde-hatch" patternUnits="userSpaceOnUse"');
    expect(svg).toMatch(/<g id="cde-_40_cde_3a_shop" class="cde">/);
    expect(svg.match(/fill="url\(#cde-hatch\)"/g)!.length).toBeGreaterThanOrEqual(3); // namespace, CDE box, legend
    expect(svg).toContain('>CDE \u2014 PCI DSS scope</text>');
    expect(svg).toContain(`Flows crossing the CDE boundary (F1\u2013F${scope.boundary.length})`);
    expect(svg).toContain('<g class="zone connected">');
    expect(svg).toContain('<g class="zone out-of-scope">');
    for (const key of ['zone-cde', 'zone-connected', 'zone-out-of-scope', 'boundary']) expect(svg).toContain(`class="legend-${key}"`);
    expect(svg).toMatch(/<text [^>]*>Scope<\/text>/);
    // the hatch is the only reference, and it is local
    expect([...svg.matchAll(/url\(([^)]*)\)/g)].every((m) => m[1] === '#cde-hatch')).toBe(true);
    expect(svg).not.toMatch(/href=|xlink:/);
  });

  it('shows no zone legend, pattern or table without a scope', async () => {
    const { graph } = scoped();
    const svg = renderSvg(await layoutGraph(graph, { detail: 'full' }));
    expect(svg).not.toMatch(/<defs|<pattern|url\(|legend-zone|legend-boundary|boundary-table/);
  });

  it('caps the boundary table and names the flows left out and a command that lists them, since diagram writes no boundary.csv', async () => {
    const sources = Array.from({ length: 15 }, (_, i) => `client-${String(i).padStart(2, '0')}`);
    const { scope, graph } = scopedGraphOf([
      namespace('card', { pci: 'true' }), namespace('apps'), denyAll('card'), denyAll('apps'),
      workload('card', 'vault', { ports: [{ containerPort: 5432 }] }),
      ...sources.flatMap((name) => [workload('apps', name), ...allow('apps', name, 'card', 'vault', 5432)]),
    ], { cde: ['pci=true'] });
    expect(scope.boundary).toHaveLength(15);
    const layout = await layoutView(buildView(graph, { scope, detail: 'full' }), 'right');
    const svg = renderSvg(layout);
    expect(svg).toContain('>\u2026 3 more (F13\u2013F15): netdiagram evidence lists every boundary flow in boundary.csv</text>');
    expect(svg.match(/<g class="boundary-flow">/g)).toHaveLength(12);
    // the flows left out of the table keep their numbered badges in the drawing
    expect(svg).toMatch(/>(F\d+\u2013)?F15<\/text>/);

    const thirteen = scopedGraphOf([
      namespace('card', { pci: 'true' }), namespace('apps'), denyAll('card'), denyAll('apps'),
      workload('card', 'vault', { ports: [{ containerPort: 5432 }] }),
      ...sources.slice(0, 13).flatMap((name) => [workload('apps', name), ...allow('apps', name, 'card', 'vault', 5432)]),
    ], { cde: ['pci=true'] });
    const one = renderSvg(await layoutView(buildView(thirteen.graph, { scope: thirteen.scope, detail: 'full' }), 'right'));
    expect(one).toContain('>\u2026 1 more (F13): netdiagram evidence lists every boundary flow in boundary.csv</text>');
  });

  it('writes the same bytes whatever the order of the manifests', async () => {
    const render = async (docs: string[]) => {
      const { graph, scope } = scopedGraphOf(docs, { cde: ['pci=true'] });
      return renderSvg(await layoutGraph(graph, { scope, detail: 'full' }));
    };
    expect(await render([...manifests()].reverse())).toBe(await render(manifests()));
  });

  it('says so when no flow crosses the boundary', async () => {
    const { graph, scope } = scopedGraphOf([namespace('card', { pci: 'true' }), denyAll('card'), workload('card', 'vault')], { cde: ['pci=true'] });
    const svg = renderSvg(await layoutGraph(graph, { scope }));
    expect(svg).toContain('Flows crossing the CDE boundary (none)');
    expect(svg).toContain('No allowed flow crosses the CDE boundary.');
  });
});

describe('formatFlowNumbers', () => {
  it.each([
    [['F1'], 'F1'],
    [['F2', 'F1'], 'F1, F2'],
    [['F1', 'F2', 'F3', 'F7'], 'F1\u2013F3, F7'],
    [['F1', 'F3', 'F5', 'F7', 'F8', 'F9', 'F10'], 'F1, F3, F5 +4'],
  ])('writes %j as %j', (ids, text) => {
    expect(formatFlowNumbers(ids)).toBe(text);
  });
});

