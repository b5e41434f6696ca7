import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildTrafficGraph, parseManifests } from '@netdiagram/core';
import { layoutGraph, renderSvg, type Layout } from '@netdiagram/render';
import { drawnEnds, expandedLevels, exploreData, type ExploreLevel } from '@netdiagram/view';
import { allow, denyAll, namespace, workload } from '../render/builders.js';

const manifests = [
  namespace('shop'), namespace('ops'),
  workload('shop', 'web'), workload('shop', 'worker-a', { labels: { app: 'worker-a', tier: 'w' } }),
  workload('shop', 'worker-b', { labels: { app: 'worker-b', tier: 'w' } }), workload('shop', 'worker-c', { labels: { app: 'worker-c', tier: 'w' } }),
  workload('ops', 'agent'),
  denyAll('shop'), denyAll('ops'),
  ...allow('shop', 'web', 'ops', 'agent', 9000),
];
const parsed = parseManifests([{ name: 'input.yaml', text: manifests.join('\n---\n') }]);
const graph = buildTrafficGraph(parsed.cluster);
const RENDER = { title: 'T', source: 's', inputDigest: 'sha256:0', toolVersion: '0', date: 'undated', notices: [], clusterPolicies: 0 };

describe('the data of the interactive page', () => {
  it("a merged workload shape's members come from the shape's data, not from its tooltip", async () => {
    const layout = await layoutGraph(graph, { detail: 'workload' });
    const merged = layout.nodes.find(({ node }) => node.kind === 'workload' && node.count === 3);
    expect(merged).toBeDefined();
    // a tooltip that names nothing (or more lines, as a CDE zone note adds) changes no member
    const retitled: Layout = { ...layout, nodes: layout.nodes.map((n) => (n === merged ? { ...n, node: { ...n.node, title: 'identical workers\nzone: in the CDE' } } : n)) };
    const data = exploreData({ layout: retitled, graph, cluster: parsed.cluster, title: 'T' });
    expect(data.nodes.find((n) => n.id === merged!.node.id)!.members).toEqual(['shop/worker-a[Deployment]', 'shop/worker-b[Deployment]', 'shop/worker-c[Deployment]']);
  });

  it('an expanded view per collapsed namespace: its workloads drawn, its edges indexing the shared flows', async () => {
    const layoutOptions = { detail: 'namespace' as const };
    const layout = await layoutGraph(graph, layoutOptions);
    const boxes = layout.nodes.filter(({ node }) => node.kind === 'namespace-summary');
    expect(boxes.length).toBeGreaterThan(0);
    const { expandable, levels } = await expandedLevels({ graph, cluster: parsed.cluster, layout, layoutOptions, renderOptions: RENDER });
    expect(expandable).toEqual(['ops', 'shop']);
    expect(Object.keys(levels).sort()).toEqual(['ops', 'shop']);
    // the same input, the same bytes
    expect((await expandedLevels({ graph, cluster: parsed.cluster, layout, layoutOptions, renderOptions: RENDER })).levels).toEqual(levels);
    const overview = exploreData({ layout, graph, cluster: parsed.cluster, title: 'T', expandable });
    expect(overview.expandable).toEqual(['ops', 'shop']);
    expect(overview.nodes.filter((n) => n.kind === 'namespace-summary').flatMap((n) => n.collapsed ?? []).sort()).toEqual(['ops', 'shop']);
    const shop = JSON.parse(gunzipSync(Buffer.from(levels['shop']!, 'base64')).toString('utf8')) as ExploreLevel;
    expect(shop.namespace).toBe('shop');
    expect(shop.svg).toBe(renderSvg(await layoutGraph(graph, { ...layoutOptions, focus: 'shop' }), RENDER));
    const members = new Set(shop.nodes.flatMap((n) => n.members));
    for (const id of ['shop/web[Deployment]', 'shop/worker-a[Deployment]', 'shop/worker-b[Deployment]', 'shop/worker-c[Deployment]']) expect(members.has(id), id).toBe(true);
    // the page completes the flows' drawn ends from the level's shapes: the web → agent flow is its edge's
    const flows = drawnEnds(shop.nodes, overview.flows);
    const i = flows.findIndex((f) => f.from === 'shop/web[Deployment]' && f.to === 'ops/agent[Deployment]');
    expect(i).toBeGreaterThanOrEqual(0);
    const edge = shop.edges.find((e) => e.flows.includes(i));
    expect(edge).toBeDefined();
    expect([edge!.source, edge!.target]).toEqual([flows[i]!.fromNode, flows[i]!.toNode]);
  });
});
