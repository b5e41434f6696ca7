import { describe, expect, it } from 'vitest';
import { buildView, layoutGraph, renderSvg } from '@netdiagram/render';
import { allow, denyAll, graphOf, namespace, policy, workload } from './builders.js';

// The overview of a multi-page diagram says once what one namespace shares with many: every
// namespace → dns on the same port is one edge from a dotted box naming them, not one per namespace;
// the namespaces keep their own boxes, the label counts the flows, and the title block's counts stay true.

const TEAMS = ['alpha', 'bravo', 'charlie', 'delta'];

function manifests(): string[] {
  return [
    namespace('dns'), workload('dns', 'resolver', { ports: [{ containerPort: 53 }] }), denyAll('dns'),
    ...TEAMS.flatMap((t) => [
      namespace(t), workload(t, 'api', { ports: [{ containerPort: 8080 }] }), denyAll(t),
      ...allow(t, 'api', 'dns', 'resolver', 53),
    ]),
    // one flow of its own, which no set draws
    ...allow('alpha', 'api', 'bravo', 'api', 8080),
  ];
}

describe('the overview of a multi-page diagram', () => {
  it('draws the flows several namespaces share with one as one edge from a box naming them, and keeps the others', () => {
    const graph = graphOf(manifests());
    const view = buildView(graph, { overview: { cde: 'collapsed' } });
    const sets = view.nodes.filter((n) => n.kind === 'namespace-set');
    expect(sets).toHaveLength(1);
    const set = sets[0]!;
    expect(set.kind === 'namespace-set' && set.namespaces).toEqual(TEAMS);
    expect(set.kind === 'namespace-set' && set.everyOther).toBe(true);
    const toDns = view.edges.filter((e) => e.target === '@summary:dns');
    expect(toDns.map((e) => e.source)).toEqual([set.id]);
    expect(toDns[0]!.label).toBe('4 flows · TCP 53');
    for (const t of TEAMS) expect(toDns[0]!.title).toContain(`${t}/api[Deployment] → dns/resolver[Deployment]`);
    // the namespaces keep their boxes, and the flow only two of them have keeps its edge
    for (const t of TEAMS) expect(view.nodes.some((n) => n.id === `@summary:${t}`)).toBe(true);
    expect(view.edges.some((e) => e.source === '@summary:alpha' && e.target === '@summary:bravo')).toBe(true);
    expect(view.stats.flows).toBe(graph.filterEdges((_e, a) => a.type === 'flow').length);
  });

  it('draws one edge per namespace at namespace detail outside an overview', () => {
    const view = buildView(graphOf(manifests()), { detail: 'namespace' });
    expect(view.nodes.some((n) => n.kind === 'namespace-set')).toBe(false);
    expect(view.edges.filter((e) => e.target === '@summary:dns')).toHaveLength(TEAMS.length);
  });

  it('names every namespace of the set in the drawing and explains the box in the legend', async () => {
    const svg = renderSvg(await layoutGraph(graphOf(manifests()), { overview: { cde: 'collapsed' } }));
    expect(svg).toContain('every other namespace (4)');
    expect(svg).toContain('alpha, bravo, charlie, delta');
    expect(svg).toContain('namespaces with the same flow, one edge for all');
  });

  it('leaves namespaces that are too few to a set of their own edges', () => {
    const few = [
      namespace('dns'), workload('dns', 'resolver', { ports: [{ containerPort: 53 }] }), denyAll('dns'),
      ...TEAMS.slice(0, 2).flatMap((t) => [namespace(t), workload(t, 'api'), denyAll(t), ...allow(t, 'api', 'dns', 'resolver', 53)]),
    ];
    const view = buildView(graphOf(few), { overview: { cde: 'collapsed' } });
    expect(view.nodes.some((n) => n.kind === 'namespace-set')).toBe(false);
    expect(view.edges.filter((e) => e.target === '@summary:dns')).toHaveLength(2);
  });
});

describe('the parts of an overview too large for one page', () => {
  // the teams' DNS (a set), a flow between two teams, and flows from and to outside addresses
  const outside = [
    policy('alpha', 'api-from-outside', {
      podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
    }),
    policy('bravo', 'api-to-outside', {
      podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }] }],
    }),
  ];
  const graph = graphOf([...manifests(), ...outside]);
  const part = (p: 'inside' | 'outside' | 'between' | 'shared' | 'from-outside' | 'to-outside') => buildView(graph, { overview: { cde: 'collapsed', part: p } });
  const ids = (view: ReturnType<typeof part>) => view.edges.map((e) => e.id).sort();

  it('draws every edge of the inside part on exactly one of its two: between two namespaces, or shared with many', () => {
    const [inside, between, shared] = [part('inside'), part('between'), part('shared')];
    expect([...ids(between), ...ids(shared)].sort()).toEqual(ids(inside));
    expect(ids(between).filter((id) => ids(shared).includes(id))).toEqual([]);
    expect(between.edges.some((e) => e.source === '@summary:alpha' && e.target === '@summary:bravo')).toBe(true);
    expect(shared.edges.some((e) => e.target === '@summary:dns' && shared.nodes.find((n) => n.id === e.source)?.kind === 'namespace-set')).toBe(true);
    expect(between.nodes.some((n) => n.kind === 'namespace-set')).toBe(false);
    // the part between two namespaces still draws every namespace; the shared part, those with such flows
    const boxes = (view: ReturnType<typeof part>) => view.nodes.filter((n) => n.kind === 'namespace-summary').map((n) => n.id).sort();
    expect(boxes(between)).toEqual(boxes(inside));
    expect(boxes(shared)).toEqual(['@summary:dns']);
    // the title block's counts stay the whole input's
    const { drawnNodes: _drawn, ...counts } = inside.stats;
    for (const view of [between, shared]) expect(view.stats).toMatchObject(counts);
    expect(counts.flows).toBe(graph.filterEdges((_e, a) => a.type === 'flow').length);
  });

  it('draws every edge of the outside part on exactly one of its two: from outside addresses, or to them', () => {
    const [all, from, to] = [part('outside'), part('from-outside'), part('to-outside')];
    expect(all.edges.length).toBe(2);
    expect([...ids(from), ...ids(to)].sort()).toEqual(ids(all));
    const kindOf = (view: ReturnType<typeof part>, id: string) => view.nodes.find((n) => n.id === id)?.kind;
    expect(from.edges.map((e) => [kindOf(from, e.source), e.target])).toEqual([['external', '@summary:alpha']]);
    expect(to.edges.map((e) => [e.source, kindOf(to, e.target)])).toEqual([['@summary:bravo', 'external']]);
    expect(to.nodes.some((n) => n.id === '@summary:alpha')).toBe(false);
  });
});
