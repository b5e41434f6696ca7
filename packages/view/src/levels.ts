import { gzipSync } from 'node:zlib';
import type { CdeScope, Cluster, TrafficGraph } from '@netdiagram/core';
import { layoutGraph, renderSvg, type Layout, type LayoutOptions, type RenderOptions } from '@netdiagram/render';
import type { ExploreFlow, ExploreLevel } from './data.js';
import { exploreDrawing, listedFlows } from './explore-data.js';

export interface LevelsInput {
  readonly graph: TrafficGraph;
  readonly cluster: Cluster;
  readonly scope?: CdeScope;
  /** The overview as drawn: its collapsed namespace boxes are the namespaces to expand. */
  readonly layout: Layout;
  /** The options the overview was laid out and drawn with; each expanded view adds `focus`. */
  readonly layoutOptions: LayoutOptions;
  readonly renderOptions: RenderOptions;
}

export interface Levels {
  /** The namespaces expanded, sorted. */
  readonly expandable: readonly string[];
  /** Namespace → its `ExploreLevel` as JSON, gzipped, in base64. */
  readonly levels: Readonly<Record<string, string>>;
}

/**
 * The expanded views of an overview: for each namespace it draws collapsed (that holds a workload),
 * the namespace's page as a paginated diagram draws it (`focus`: its workloads, every flow to or
 * from them, the namespaces at the other ends as boxes), laid out and drawn by the same code as
 * the overview, gzipped. Laying out the whole overview again with one namespace expanded costs
 * about ten times more per namespace (1.6 s against 0.15 s on the 2,000-workload benchmark, where
 * 95 namespaces are collapsed) and holds the same flows of that namespace.
 */
export async function expandedLevels({ graph, cluster, scope, layout, layoutOptions, renderOptions }: LevelsInput): Promise<Levels> {
  const withWorkloads = new Set<string>();
  graph.forEachNode((_id, a) => { if (a.type === 'workload') withWorkloads.add(a.namespace); });
  const collapsed = new Set<string>();
  for (const { node } of layout.nodes) {
    if (node.kind === 'namespace-summary') for (const ns of node.namespaces) if (withWorkloads.has(ns)) collapsed.add(ns);
  }
  const expandable = [...collapsed].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (expandable.length === 0) return { expandable, levels: {} };
  const listed: readonly ExploreFlow[] = listedFlows(graph, scope);
  const levels: Record<string, string> = {};
  for (const namespace of expandable) {
    const expanded = await layoutGraph(graph, { ...layoutOptions, focus: namespace });
    const { nodes, namespaces, edges } = exploreDrawing(expanded, graph, cluster, listed);
    const level: ExploreLevel = { namespace, detail: expanded.detail, svg: renderSvg(expanded, renderOptions), nodes, namespaces, edges };
    levels[namespace] = gzipSync(Buffer.from(JSON.stringify(level), 'utf8'), { level: 9 }).toString('base64');
  }
  return { expandable, levels };
}
