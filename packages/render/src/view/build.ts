import { diffFlows, type CdeScope, type ExposureRow, type NotEvaluatedPeer, type TrafficGraph } from '@netdiagram/core';
import { prepareChanges, removedEdges, type PreparedChanges } from './changes.js';
import { prepareStaged, stagedEdges, type PreparedStaged, type StagedGraphs } from './staged.js';
import { notEvaluatedShapes } from './not-evaluated.js';
import { buildEdges } from './edges.js';
import { compareStrings, readGraph, type GraphData } from './graph-data.js';
import type { FlowMarks } from './marks.js';
import { projectCluster, type NamespaceLevel } from './projection.js';
import { CLUSTER_PODS_DESTINATION, CLUSTER_PODS_SOURCE, drawExposure, openRepresentativeNumbers } from './exposure.js';
import { applyScope, boundaryLookup, cdeNamespaces, diagramScope, drawnZoneLookup, graphZone } from './scope.js';
import { volumeShapes } from './volumes.js';
import { isOpenSide } from './open-sides.js';
import type { Detail, DetailOption, DiagramContainer, DiagramEdge, DiagramNode, DiagramScope, DiagramView } from './types.js';

/** Options that decide what the diagram shows. */
export interface ViewOptions {
  /** `auto` (default) picks the most detailed level that stays readable; see `chooseDetail`. */
  readonly detail?: DetailOption;
  /**
   * Namespaces to keep expanded to workload level at namespace detail (`payments`, or a workload
   * `payments/api`, which keeps its namespace expanded).
   */
  readonly expand?: readonly string[];
  /**
   * The PCI DSS scope (`computeScope` of core). When it marks a CDE, the diagram draws the CDE as a
   * hatched, double-bordered zone, shades out-of-scope areas, outlines connected-to shapes, numbers
   * the flows crossing the CDE boundary (F1, F2, …) and lists them in a table; namespaces with CDE
   * workloads stay expanded at namespace detail.
   */
  readonly scope?: CdeScope;
  /**
   * The traffic graph of an earlier input. The diagram then marks the flows added or changed since
   * it, and draws the flows it allowed that are gone as removed (dashed) edges.
   */
  readonly previous?: TrafficGraph;
  /**
   * Staged Calico policies (never enforced): the diagram still draws the enforced flows, and adds
   * dashed `staged +` and `staged −` edges for what the staged policies would allow and stop.
   */
  readonly staged?: StagedGraphs;
  /** Peers the policies name that are not evaluated (core's `listNotEvaluatedPeers`): drawn as dashed peers named as the rules name them. */
  readonly notEvaluated?: readonly NotEvaluatedPeer[];
  /**
   * Exposure rows to draw (`computeExposure` of core, all of them or `boundaryExposureRows`): each
   * representative peer becomes a dashed, empty pod in a dashed namespace box, with an edge per
   * workload (or per collapsed namespace) whose rows name it.
   */
  readonly exposure?: readonly ExposureRow[];
  /**
   * One namespace to draw a page of a multi-page diagram about: its workloads at the chosen detail
   * (`auto`: full, or workload past the full-detail bounds), every flow to or from them, and the
   * namespaces at their other end as collapsed boxes. Flows between other namespaces are left to
   * their own pages. The title block's counts stay those of the whole input.
   */
  readonly focus?: string;
  /**
   * With `focus`, half of the namespace's page, for a namespace too large for one: `inbound`, the
   * flows into its workloads (and between them, and the routes to them); `outbound`, the flows from
   * its workloads to other namespaces and outside.
   */
  readonly focusSide?: FocusSide;
  /**
   * The overview page of a multi-page diagram, at namespace detail: every namespace one box (the CDE
   * namespaces expanded, unless `cde` is `collapsed`: their pages draw them), and the flows one
   * namespace has with several others on the same ports drawn once, to a box naming the others
   * (see `gatherNamespaceSets`). The detail is then `namespace` whatever `detail` says. `part`: an
   * overview too large for one page is drawn in two, the flows inside the cluster (with the ANY
   * edges) and the flows to and from outside addresses.
   */
  readonly overview?: { readonly cde: 'expanded' | 'collapsed'; readonly part?: OverviewPart };
  /** Namespace → the page (or pages) it is drawn on, for a multi-page diagram: collapsed namespace boxes name them. */
  readonly pageOf?: ReadonlyMap<string, number | readonly number[]>;
}

/** What every view level needs besides the graph: the scope, and the changes of a diff diagram. */
interface ViewContext {
  readonly scope: CdeScope | undefined;
  readonly changes: PreparedChanges | undefined;
  readonly staged: PreparedStaged | undefined;
  readonly notEvaluated: readonly NotEvaluatedPeer[];
  readonly marks: FlowMarks;
  readonly exposure: readonly ExposureRow[];
  readonly pageOf: ReadonlyMap<string, number | readonly number[]> | undefined;
  /** An overview's namespace sets (see `ViewOptions.overview`). */
  readonly namespaceSets: boolean;
  /** Whether open sides get their ANY edges (all but an overview's outside part). */
  readonly openSides: boolean;
}

/**
 * Which part of an overview: the flows inside the cluster, or those to and from outside addresses.
 * An inside part still too large is drawn in two: `between`, the edges between two namespaces (every
 * namespace one box), and `shared`, the edges one namespace has with several at once (a dotted box
 * naming them) or with any pod or address (ANY). An outside part still too large: `from-outside`,
 * the flows from outside addresses, and `to-outside`, those to them.
 */
export type OverviewPart = 'inside' | 'outside' | 'between' | 'shared' | 'from-outside' | 'to-outside';

/** The parts an overview part is drawn in when it is too large for its page (none for the smallest). */
export function overviewSubparts(part: OverviewPart | undefined): readonly OverviewPart[] {
  if (part === undefined) return ['inside', 'outside'];
  if (part === 'inside') return ['between', 'shared'];
  if (part === 'outside') return ['from-outside', 'to-outside'];
  return [];
}

/** Which half of a namespace's page: the flows into it, or those out of it. */
export type FocusSide = 'inbound' | 'outbound';

/**
 * The readability bound: at `--detail auto` a diagram draws at most this many shapes (workloads,
 * Services, Ingresses, outside peers, collapsed namespaces), unless namespaces are expanded on
 * request or the inputs name more outside address sets than fit.
 */
export const MAX_AUTO_NODES = 100;
/** `auto` draws workload detail while it needs at most this many namespace boxes: more make long, tangled layers. */
export const WORKLOAD_DETAIL_MAX_NAMESPACES = 16;
/** `auto` draws full detail (ports, Services, config boxes) up to this many workloads … */
export const FULL_DETAIL_MAX_WORKLOADS = 40;
/** … and this many shapes. */
export const FULL_DETAIL_MAX_NODES = 90;

/**
 * What to draw at the chosen detail. `auto` takes full detail up to 40 workloads and 90 shapes,
 * then workload level (Services folded, identical workloads merged, fan-in grouped) while it stays
 * within `MAX_AUTO_NODES` shapes and 16 namespace boxes, then namespace level (one box per
 * namespace, the smallest folded together so the shapes stay within `MAX_AUTO_NODES`).
 */
export function buildView(graph: TrafficGraph, options: ViewOptions = {}): DiagramView {
  const data = readGraph(graph);
  const scope = options.scope?.defined ? options.scope : undefined;
  const changes = options.previous ? prepareChanges(readGraph(options.previous), data, diffFlows(options.previous, graph)) : undefined;
  const staged = options.staged ? prepareStaged(options.staged) : undefined;
  const context: ViewContext = {
    scope, changes, staged: staged && staged.changes.length > 0 ? staged : undefined, notEvaluated: options.notEvaluated ?? [], exposure: options.exposure ?? [], pageOf: options.pageOf, namespaceSets: options.overview !== undefined, openSides: true,
    marks: {
      boundaryOf: scope ? boundaryLookup(scope) : () => undefined,
      changeOf: changes ? changes.changeOf : () => undefined,
      wasOpen: changes ? changes.wasOpen : () => undefined,
    },
  };
  const expand = new Set((options.expand ?? []).map((e) => (e.includes('/') ? e.slice(0, e.indexOf('/')) : e)));
  // the CDE stays expanded when the rest collapses (focus plus context), unless an overview leaves it to its page
  if (scope && options.overview?.cde !== 'collapsed') for (const ns of cdeNamespaces(scope)) expand.add(ns);
  const detail = options.detail ?? 'auto';
  if (options.overview !== undefined) return overviewView(data, context, expand, options.overview.part);
  if (options.focus !== undefined) return focusView(data, context, options.focus, detail, options.focusSide);
  if (detail === 'full' || detail === 'workload') return viewAt(data, context, detail, () => detail);
  if (detail === 'namespace') return namespaceView(data, context, expand, MAX_AUTO_NODES);
  if (data.workloads.size <= FULL_DETAIL_MAX_WORKLOADS) {
    const full = viewAt(data, context, 'full', () => 'full');
    if (full.nodes.length <= FULL_DETAIL_MAX_NODES) return full;
  }
  const workload = viewAt(data, context, 'workload', () => 'workload');
  const boxes = workload.containers.filter((c) => c.kind === 'namespace').length;
  if (workload.nodes.length <= MAX_AUTO_NODES && boxes <= WORKLOAD_DETAIL_MAX_NAMESPACES) return workload;
  return namespaceView(data, context, expand, MAX_AUTO_NODES);
}

function namespaceView(data: GraphData, context: ViewContext, expand: ReadonlySet<string>, bound: number): DiagramView {
  const levelOf = (ns: string): NamespaceLevel => (expand.has(ns) ? 'workload' : 'summary');
  const first = viewAt(data, context, 'namespace', levelOf);
  if (first.nodes.length <= bound) return first;
  // too many boxes: keep the namespaces with the most workloads, fold the rest into one box
  const summaries = first.nodes.filter((n) => n.kind === 'namespace-summary');
  const budget = bound - (first.nodes.length - summaries.length) - 1;
  const ranked = [...summaries].sort((a, b) => b.workloads - a.workloads || compareStrings(a.id, b.id));
  const folded = new Set(ranked.slice(Math.max(budget, 0)).flatMap((s) => s.namespaces));
  return viewAt(data, context, 'namespace', levelOf, folded);
}

/**
 * An overview at namespace detail, or one part of it: the flows inside the cluster (the ANY edges
 * with them), or those with an outside address at one end; a part's boundary table lists the
 * boundary flows it draws, and the title block's counts stay the whole input's.
 */
function overviewView(data: GraphData, context: ViewContext, expand: ReadonlySet<string>, part: OverviewPart | undefined): DiagramView {
  if (part === undefined) return namespaceView(data, context, expand, MAX_AUTO_NODES);
  const inside = part === 'inside' || part === 'between' || part === 'shared';
  const outside = (f: { source: string; target: string }) => data.externals.has(f.source) || data.externals.has(f.target);
  const flows = data.flows.filter((f) => (inside ? !outside(f)
    : part === 'from-outside' ? data.externals.has(f.source) : part === 'to-outside' ? data.externals.has(f.target) : outside(f)));
  // the representative peers are pods: their edges are drawn with the flows inside
  const partContext: ViewContext = { ...context, openSides: inside, exposure: inside ? context.exposure : [] };
  const drawn = namespaceView({ ...data, flows, routes: inside ? data.routes : [] }, partContext, expand, MAX_AUTO_NODES);
  // the edges one namespace has with many: to a box naming several namespaces, to ANY, to a representative peer
  const many = new Set(drawn.nodes.filter((n) => n.kind === 'namespace-set' || n.kind === 'any' || n.kind === 'representative').map((n) => n.id));
  const shared = (e: DiagramEdge) => many.has(e.source) || many.has(e.target);
  const edges = part === 'between' ? drawn.edges.filter((e) => !shared(e)) : part === 'shared' ? drawn.edges.filter(shared) : drawn.edges;
  // a part with outside addresses, and the shared part, draw the namespaces that have such edges;
  // the inside part and the part between two namespaces draw every one
  const ends = new Set(edges.flatMap((e) => [e.source, e.target]));
  const everyNamespace = part === 'inside' || part === 'between';
  const nodes = drawn.nodes.filter((n) => ends.has(n.id) || (n.kind === 'namespace-summary' ? everyNamespace : !many.has(n.id) && n.kind !== 'external'));
  const kept = new Set(nodes.flatMap((n) => (n.parent === undefined ? [] : [n.parent])));
  // a box is kept when a shape or a kept box is in it
  for (let grew = true; grew;) {
    grew = false;
    for (const c of drawn.containers) if (kept.has(c.id) && c.parent !== undefined && !kept.has(c.parent)) { kept.add(c.parent); grew = true; }
  }
  const view: DiagramView = { ...drawn, nodes, edges, containers: drawn.containers.filter((c) => kept.has(c.id)) };
  return { ...view, ...listedBoundary(view), stats: statsOf(data, view.nodes.length) };
}

/** A page's scope with the boundary flows it draws listed (the numbers its edges carry), for a page that draws only some. */
function listedBoundary(view: DiagramView): { scope?: DiagramScope } {
  if (!view.scope) return {};
  // a representative end is a sentence, not a workload id: the numbers on the edges say what is drawn
  const drawn = new Set(view.edges.flatMap((e) => e.boundary ?? []));
  return { scope: { ...view.scope, listed: view.scope.boundary.filter((f) => drawn.has(f.id)) } };
}

/**
 * The page of one namespace: the graph cut down to the flows with an end in it, the namespaces at
 * their other ends collapsed (each names its own page), and the whole input's counts.
 */
function focusView(data: GraphData, context: ViewContext, focus: string, detail: DetailOption, side: FocusSide | undefined): DiagramView {
  const focused = focusData(data, focus, side);
  const inFocus = (ns: string) => ns === focus;
  const direction = side === 'inbound' ? 'ingress' : side === 'outbound' ? 'egress' : undefined;
  const exposure = context.exposure.filter((row) => row.workload.startsWith(`${focus}/`) && (direction === undefined || row.direction === direction));
  const focusedContext: ViewContext = { ...context, exposure };
  const openSides = (ns: string, open: 'ingress' | 'egress') => inFocus(ns) && (direction === undefined || open === direction);
  const at = (level: 'full' | 'workload') => viewAt(focused, focusedContext, level, (ns) => (inFocus(ns) ? level : 'summary'), undefined, openSides);
  let view: DiagramView;
  if (detail === 'full' || detail === 'workload') view = at(detail);
  else if (detail === 'namespace') view = at('workload');
  else {
    const workloads = [...focused.workloads.values()].filter((w) => w.namespace === focus).length;
    const full = workloads <= FULL_DETAIL_MAX_WORKLOADS ? at('full') : undefined;
    view = full && full.nodes.length <= FULL_DETAIL_MAX_NODES ? full : at('workload');
  }
  return { ...view, ...listedBoundary(view), stats: statsOf(data, view.nodes.length) };
}

/** The graph data one namespace's page draws from (see `focusView`). */
function focusData(data: GraphData, focus: string, side: FocusSide | undefined): GraphData {
  const namespaceOf = (id: string): string | undefined =>
    data.workloads.get(id)?.namespace ?? data.services.get(id)?.namespace ?? data.ingresses.get(id)?.namespace;
  const into = (f: { target: string }) => namespaceOf(f.target) === focus;
  const outOf = (f: { source: string; target: string }) => namespaceOf(f.source) === focus && !into(f);
  const flows = data.flows.filter((f) => (side === 'inbound' ? into(f) : side === 'outbound' ? outOf(f) : into(f) || outOf(f)));
  const kept = new Set<string>([focus]);
  for (const f of flows) for (const end of [f.source, f.target]) {
    const ns = namespaceOf(end);
    if (ns !== undefined) kept.add(ns);
  }
  const keep = <V extends { readonly namespace: string }>(map: ReadonlyMap<string, V>) => new Map([...map].filter(([, v]) => kept.has(v.namespace)));
  const endKept = (id: string) => data.externals.has(id) || kept.has(namespaceOf(id) ?? '');
  return {
    ...data,
    workloads: keep(data.workloads), services: keep(data.services), ingresses: keep(data.ingresses),
    flows,
    // routes lead into the namespace: drawn with the flows into it
    routes: side === 'outbound' ? [] : data.routes.filter((r) => endKept(r.source) && endKept(r.target)),
    persistentVolumes: data.persistentVolumes.filter((v) => v.claims.some((c) => c.startsWith(`${focus}/`))),
    namespaces: data.namespaces.filter((ns) => kept.has(ns)),
  };
}

function statsOf(data: GraphData, drawnNodes: number): DiagramView['stats'] {
  const workloads = [...data.workloads.values()];
  return {
    workloads: workloads.length,
    flows: data.flows.length + data.omittedOpenFlows,
    unrestrictedWorkloads: workloads.filter((w) => !w.ingressIsolated || !w.egressIsolated || w.ingressInNameOnly === true || w.egressInNameOnly === true).length,
    namespaces: new Set(workloads.map((w) => w.namespace)).size,
    drawnNodes,
  };
}

function viewAt(
  data: GraphData, context: ViewContext, detail: Detail, levelOf: (ns: string) => NamespaceLevel, folded?: ReadonlySet<string>,
  openSidesIn?: (namespace: string, direction: 'ingress' | 'egress') => boolean,
): DiagramView {
  const { scope, changes } = context;
  const projection = projectCluster(data, levelOf, folded, (id) => graphZone(scope, id));
  const zoneOf = scope ? drawnZoneLookup(scope, projection) : () => undefined;
  const edgeSet = buildEdges(data, projection, {
    peerGroups: detail !== 'full', marks: context.marks, zoneOf, openNumbers: openRepresentativeNumbers(scope), namespaceSets: context.namespaceSets,
    ...(openSidesIn ? { openSidesIn } : !context.openSides ? { openSidesIn: () => false } : {}),
  });
  let nodes: DiagramNode[] = [];
  for (const node of projection.nodes.values()) {
    nodes.push(node.kind === 'namespace-summary' ? { ...node, internalFlows: edgeSet.internalFlows.get(node.id) ?? 0, ...pageRefOf(node.namespaces, context.pageOf) } : node);
  }
  // item by item: push(...list) passes every item as an argument, and a large cluster overflows the stack
  for (const item of edgeSet.nodes) nodes.push(item);
  const edges = [...edgeSet.edges];
  if (detail === 'full' && data.persistentVolumes.length > 0) {
    const volumes = volumeShapes(data.persistentVolumes, nodes);
    for (const item of volumes.nodes) nodes.push(item);
    for (const item of volumes.edges) edges.push(item);
  }
  let containers: DiagramContainer[] = projection.containers.map((c) => {
    const note = edgeSet.notes.get(c.id);
    return note === undefined ? c : { ...c, note };
  });
  if (changes) {
    const removed = removedEdges(changes, data, projection, new Map(nodes.map((n) => [n.id, n])), containers);
    for (const item of removed.nodes) nodes.push(item);
    for (const item of removed.edges) edges.push(item);
  }
  if (context.notEvaluated.length > 0) {
    const peers = notEvaluatedShapes(context.notEvaluated, projection);
    for (const item of peers.nodes) nodes.push(item);
    for (const item of peers.edges) edges.push(item);
  }
  if (context.staged) {
    const added = stagedEdges(context.staged, data, projection, new Map(nodes.map((n) => [n.id, n])));
    for (const item of added.nodes) nodes.push(item);
    for (const item of added.edges) edges.push(item);
  }
  if (scope) ({ nodes, containers } = applyScope(scope, nodes, containers, zoneOf));
  // after the scope: a namespace box's zone says whether a pod nobody listed may be drawn inside it
  const exposureRows = rowsBesideSummaries(context.exposure, data, projection);
  if (exposureRows.length > 0) {
    const exposure = drawExposure(exposureRows, projection, nodes, containers, scope);
    for (const item of exposure.nodes) nodes.push(item);
    containers = [...containers, ...exposure.containers];
    for (const item of exposure.edges) mergeEdge(edges, item);
    dropImpliedPairs(edges, exposure.edges, new Map(nodes.map((n) => [n.id, n])), new Set(containers.map((c) => c.id)));
  }
  nodes.sort((a, b) => compareStrings(a.id, b.id));
  return {
    detail, containers, nodes, edges,
    ...(scope ? { scope: diagramScope(scope) } : {}),
    ...(changes ? { changes: changes.counts } : {}),
    ...(context.staged ? { staged: context.staged.counts } : {}),
    stats: statsOf(data, nodes.length),
  };
}

/**
 * The exposure rows to draw beside the collapsed namespace boxes: a row whose representative peer
 * lies in a namespace drawn as one box, and whose workload has a flow with that namespace's pods,
 * is already drawn by the box's edge, which carries the row's boundary number (and the boundary
 * table names its selector); a second, dashed box of the same namespace would only say it twice.
 * Rows whose peer has no pod in the input keep their shape: nothing else draws them.
 */
function rowsBesideSummaries(rows: readonly ExposureRow[], data: GraphData, projection: ReturnType<typeof projectCluster>): readonly ExposureRow[] {
  if (rows.length === 0) return rows;
  const summarised = new Set<string>();
  for (const node of projection.nodes.values()) if (node.kind === 'namespace-summary') for (const ns of node.namespaces) summarised.add(ns);
  if (summarised.size === 0) return rows;
  const reached = new Set<string>();
  for (const f of data.flows) {
    const source = data.workloads.get(f.source);
    const target = data.workloads.get(f.target);
    if (source && summarised.has(source.namespace)) reached.add(`ingress\u0000${f.target}\u0000${source.namespace}`);
    if (target && summarised.has(target.namespace)) reached.add(`egress\u0000${f.source}\u0000${target.namespace}`);
  }
  return rows.filter((row) => !('namespace' in row.peer && reached.has(`${row.direction}\u0000${row.workload}\u0000${row.peer.namespace}`)));
}

/**
 * Adds an exposure edge, or, where a flow edge joins the same two shapes (a namespace box's edge
 * of every workload there, and the rule that admits every pod of it) with the same label, merges
 * it into that edge: one line, its tooltip saying both, its boundary numbers both edges' numbers.
 */
function mergeEdge(edges: DiagramEdge[], edge: DiagramEdge): void {
  const at = edges.findIndex((e) => e.id === edge.id);
  if (at < 0) {
    edges.push(edge);
    return;
  }
  // other ports: a line of its own, beside the flow's, so that neither label hides what the other says
  if (edges[at]!.label !== edge.label) {
    edges.push({ ...edge, id: `${edge.id}#exposure` });
    return;
  }
  const existing = edges[at]!;
  const boundary = [...new Set([...(existing.boundary ?? []), ...(edge.boundary ?? [])])].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  edges[at] = { ...existing, title: `${existing.title}\n\n${edge.title}`, ...(boundary.length > 0 ? { boundary } : {}) };
}

/**
 * A namespace-wide edge (box X → W: the rule admits every pod of X) implies the flows from those of
 * X's workloads whose egress is open, and a cluster-wide one (`any pod in the cluster` → W) those
 * from every workload whose egress is open: their own edges, with the same label, are dropped, and
 * their boundary numbers go to the wide edge. The same the other way (W → box X, W → any pod in the
 * cluster) for destinations open for ingress. A workload that restricts its side keeps its own edge.
 */
function dropImpliedPairs(edges: DiagramEdge[], exposureEdges: readonly DiagramEdge[], nodeById: ReadonlyMap<string, DiagramNode>, boxes: ReadonlySet<string>): void {
  for (const wide of exposureEdges) {
    const fromMany = boxes.has(wide.source) || wide.source === CLUSTER_PODS_SOURCE;
    const toMany = boxes.has(wide.target) || wide.target === CLUSTER_PODS_DESTINATION;
    if (!fromMany && !toMany) continue;
    const covers = (many: string, node: DiagramNode | undefined, direction: 'ingress' | 'egress') =>
      node?.kind === 'workload' && (many === CLUSTER_PODS_SOURCE || many === CLUSTER_PODS_DESTINATION || node.parent === many) && isOpenSide(node, direction);
    const implied = edges.filter((e) => e.style === 'flow' && e.label === wide.label && e.id !== wide.id && (fromMany
      ? e.target === wide.target && covers(wide.source, nodeById.get(e.source), 'egress')
      : e.source === wide.source && covers(wide.target, nodeById.get(e.target), 'ingress')));
    if (implied.length === 0) continue;
    const at = edges.findIndex((e) => e.id === wide.id || e.id === `${wide.id}#exposure`);
    const edge = edges[at]!;
    const boundary = [...new Set([...(edge.boundary ?? []), ...implied.flatMap((e) => e.boundary ?? [])])].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
    const others = implied.map((e) => (fromMany ? e.source : e.target)).join(', ');
    const also = `also stands for the flows ${fromMany ? 'of' : 'to'} ${others}: open for ${fromMany ? 'egress' : 'ingress'}, they need no rule of their own`;
    edges[at] = { ...edge, title: `${edge.title}\n${also}`, ...(boundary.length > 0 ? { boundary } : {}) };
    for (const e of implied) edges.splice(edges.indexOf(e), 1);
  }
}

/** `pageRef` of a collapsed box in a multi-page diagram: the pages its namespaces are drawn on (`page 3`, `pages 3, 4`). */
function pageRefOf(namespaces: readonly string[], pageOf: ReadonlyMap<string, number | readonly number[]> | undefined): { pageRef?: string } {
  if (!pageOf) return {};
  const pages = [...new Set(namespaces.flatMap((ns) => { const p = pageOf.get(ns); return p === undefined ? [] : typeof p === 'number' ? [p] : [...p]; }))].sort((a, b) => a - b);
  if (pages.length === 0) return {};
  return { pageRef: `${pages.length === 1 ? 'page' : 'pages'} ${pages.join(', ')}` };
}
