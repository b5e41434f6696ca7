import { createRequire } from 'node:module';
import type { TrafficGraph } from '@netdiagram/core';
import type ElkModule from 'elkjs/lib/elk.bundled.js';
import type { ElkEdgeSection, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import { toElkGraph } from './elk-graph.js';
import { round } from './format.js';
import { offsetRoutes } from './route-offset.js';
import type { Box, Point } from './shapes/geometry.js';
import { buildView, type ViewOptions } from './view/build.js';
import type { Detail, DiagramChanges, DiagramContainer, DiagramEdge, DiagramNode, DiagramScope, DiagramStats, DiagramView, Direction } from './view/types.js';

// elkjs is 1.6 MB of CommonJS: an `import` of it first has Node scan the whole text for named
// exports (cjs-module-lexer, 0.4-0.6 s of every diagram run); require() loads it without the scan
const ELK = createRequire(import.meta.url)('elkjs/lib/elk.bundled.js') as typeof ElkModule;

/** Options for `layoutGraph`. */
export interface LayoutOptions extends ViewOptions {
  /** `right` (default): sources left, destinations right. `down`: KDL's top-to-bottom. */
  readonly direction?: Direction;
}

export interface LayoutNode {
  readonly node: DiagramNode;
  /** Absolute position and size of the shape (port squares may stick out of it). */
  readonly box: Box;
}

export interface LayoutContainer {
  readonly container: DiagramContainer;
  readonly box: Box;
}

export interface LayoutEdge {
  readonly edge: DiagramEdge;
  /** The orthogonal route, start to end, in absolute coordinates. */
  readonly points: readonly Point[];
  /** Where edges that share a segment branch off (drawn as dots). */
  readonly junctions: readonly Point[];
  readonly label?: Box;
}

/** A laid-out diagram: plain data with absolute coordinates, ready for `renderSvg`. */
export interface Layout {
  readonly direction: Direction;
  readonly detail: Detail;
  /** Size of the drawing (without the title block and legend band). */
  readonly width: number;
  readonly height: number;
  readonly containers: readonly LayoutContainer[];
  readonly nodes: readonly LayoutNode[];
  readonly edges: readonly LayoutEdge[];
  readonly stats: DiagramStats;
  /** The PCI DSS scope, when a CDE is marked: the title block and the boundary table show it. */
  readonly scope?: DiagramScope;
  /** The counts of a diff diagram. */
  readonly changes?: DiagramChanges;
  /** What staged (never enforced) policies would change: drawn dashed, counted in the title block. */
  readonly staged?: DiagramChanges;
}

/**
 * Lays out the allowed-traffic graph with ELK's layered algorithm: namespaces as compound nodes in
 * a cluster box, orthogonal edges, sources outside the cluster first and egress destinations last,
 * at the detail the options ask for. Inputs are sorted and the seed fixed, so the same graph always
 * gives the same coordinates.
 */
export async function layoutGraph(graph: TrafficGraph, options: LayoutOptions = {}, elk: ElkRunner = runElk): Promise<Layout> {
  const direction = options.direction ?? 'right';
  return layoutView(buildView(graph, options), direction, elk);
}

/**
 * Runs ELK on its input graph (elkjs's JSON form; typed loosely so that the published types never
 * load elkjs's own, which do not type-check on their own). The same input always gives the same result.
 */
export type ElkRunner = (graph: unknown) => Promise<unknown>;

// module.exports of elkjs, which carries the constructor as .default
const runElk: ElkRunner = (graph) => new ELK.default().layout(graph as ElkNode);

/**
 * An ElkRunner that lays out each distinct input once: a caller that lays out many views, some of
 * them alike to the last coordinate (`renderPages`, once to choose a page and once to number it),
 * pays for each layout once. Its results are shared: they are read, never changed.
 */
export function memoizedElk(): ElkRunner {
  const results = new Map<string, Promise<unknown>>();
  return (graph) => {
    const key = JSON.stringify(graph);
    const known = results.get(key);
    if (known) return known;
    const result = runElk(graph);
    results.set(key, result);
    return result;
  };
}

/** Lays out an already-built view. */
export async function layoutView(view: DiagramView, direction: Direction, elk: ElkRunner = runElk): Promise<Layout> {
  const result = (await elk(toElkGraph(view, direction))) as ElkNode;
  const boxes = new Map<string, Box>();
  const walk = (node: ElkNode) => {
    for (const child of node.children ?? []) {
      boxes.set(child.id, { x: round(child.x ?? 0), y: round(child.y ?? 0), width: round(child.width ?? 0), height: round(child.height ?? 0) });
      walk(child);
    }
  };
  walk(result);
  const edges: LayoutEdge[] = [];
  const byId = new Map(view.edges.map((e) => [e.id, e]));
  const collect = (node: ElkNode) => {
    for (const e of (node.edges ?? []) as ElkExtendedEdge[]) {
      const edge = byId.get(e.id);
      if (edge) edges.push(readEdge(edge, e));
    }
    for (const child of node.children ?? []) collect(child);
  };
  collect(result);
  edges.sort((a, b) => (a.edge.id < b.edge.id ? -1 : a.edge.id > b.edge.id ? 1 : 0));
  return {
    direction, detail: view.detail,
    width: round(result.width ?? 0), height: round(result.height ?? 0),
    containers: view.containers.map((container) => ({ container, box: boxes.get(container.id)! })),
    nodes: view.nodes.map((node) => ({ node, box: boxes.get(node.id)! })),
    edges: offsetRoutes(edges),
    stats: view.stats,
    ...(view.scope ? { scope: view.scope } : {}),
    ...(view.changes ? { changes: view.changes } : {}),
    ...(view.staged ? { staged: view.staged } : {}),
  };
}

function readEdge(edge: DiagramEdge, e: ElkExtendedEdge): LayoutEdge {
  const sections = orderSections(e.sections ?? []);
  const points: Point[] = [];
  for (const s of sections) {
    for (const p of [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]) {
      const point = { x: round(p.x), y: round(p.y) };
      const last = points[points.length - 1];
      if (!last || last.x !== point.x || last.y !== point.y) points.push(point);
    }
  }
  const junctions = ((e as { junctionPoints?: Point[] }).junctionPoints ?? []).map((p) => ({ x: round(p.x), y: round(p.y) }));
  const l = e.labels?.[0];
  return {
    edge, points, junctions,
    ...(l ? { label: { x: round(l.x ?? 0), y: round(l.y ?? 0), width: round(l.width ?? 0), height: round(l.height ?? 0) } } : {}),
  };
}

/** Sections of a hierarchical edge in path order (each names the sections that follow it). */
function orderSections(sections: readonly ElkEdgeSection[]): ElkEdgeSection[] {
  if (sections.length <= 1) return [...sections];
  const byId = new Map(sections.map((s) => [s.id, s]));
  const first = sections.find((s) => (s.incomingSections ?? []).length === 0) ?? sections[0]!;
  const ordered: ElkEdgeSection[] = [first];
  let current = first;
  while ((current.outgoingSections ?? []).length > 0 && ordered.length < sections.length) {
    const next = byId.get(current.outgoingSections![0]!);
    if (!next) break;
    ordered.push(next);
    current = next;
  }
  return ordered;
}
