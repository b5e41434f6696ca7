import { describe, expect, it } from 'vitest';
import { buildView, layoutGraph, renderSvg } from '@netdiagram/render';
import { allow, denyAll, graphOf, namespace, workload } from './builders.js';

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
