import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTrafficGraph, parseManifests, type Source, type TrafficGraph } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { generateCluster } from '../../bench/generate.mjs';

function sourcesOf(dir: string): Source[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).sort()
    .map((f) => ({ name: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
}

/** Each edge's key, and its place: its ends' places among the nodes, then its type. */
function edgeOrder(graph: TrafficGraph) {
  const place = new Map(graph.nodes().map((id, i) => [id, i]));
  const edges: { key: string; expected: string; at: [number, number, string] }[] = [];
  graph.forEachEdge((key, attributes, source, target) => {
    edges.push({ key, expected: `${attributes.type}:${source}->${target}`, at: [place.get(source)!, place.get(target)!, attributes.type] });
  });
  return edges;
}

const before = (a: [number, number, string], b: [number, number, string]) => a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);

describe('the graph\'s order', () => {
  const controller = { ingressController: { namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } } };
  const inputs: [string, Source[]][] = [
    ['a generated cluster (classes of several workloads, outside addresses, Ingresses)', generateCluster({ size: { namespaces: 8, workloads: 60, policies: 30, podsPerWorkload: 2 }, seed: 4 })],
    ['examples/online-boutique', sourcesOf('examples/online-boutique')],
    ['examples/shop-gateway', sourcesOf('examples/shop-gateway')],
  ];
  it.each(inputs)('holds its nodes by id and its edges by source, target and type, each under the key `type:source->target` (%s)', (_name, sources) => {
    const graph = buildTrafficGraph(parseManifests(sources).cluster, controller);
    const ids = graph.nodes();
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const edges = edgeOrder(graph);
    expect(edges.length).toBeGreaterThan(0);
    for (const e of edges) expect(e.key).toBe(e.expected);
    // strictly: no two edges share a source, a target and a type
    for (let i = 1; i < edges.length; i++) expect(before(edges[i - 1]!.at, edges[i]!.at), `${edges[i - 1]!.key} before ${edges[i]!.key}`).toBeLessThan(0);
    // a source with flows both to workloads and to outside addresses or Services, so the merge is exercised
    const kindsBySource = new Map<string, Set<string>>();
    graph.forEachEdge((_k, a, s, t) => { if (a.type === 'flow') kindsBySource.set(s, (kindsBySource.get(s) ?? new Set()).add(graph.getNodeAttribute(t, 'type'))); });
    if (_name.startsWith('a generated')) expect([...kindsBySource.values()].some((kinds) => kinds.has('workload') && kinds.size > 1)).toBe(true);
  });
});
