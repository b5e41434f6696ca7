import { OPEN_EGRESS_FLOW, OPEN_FLOW, OPEN_INGRESS_FLOW, type FlowVerdict } from './flows.js';
import type { ExternalNode, NodeAttributes, TrafficGraph } from './types.js';

// A cluster of n workloads without policies allows n² flows. A graph built with `openFlows: 'omit'`
// holds none of them; this module lists them from the workloads' isolation, one at a time, in the
// order the graph's own flows are listed, so an output of millions of lines is written without
// millions of edges or strings in memory.

/** One allowed flow: `source` may send `verdict.ports` to `target`. */
export interface Flow {
  readonly source: string;
  readonly target: string;
  /** The edge's attributes, or one shared verdict for every default-allow flow of its kind. */
  readonly verdict: FlowVerdict;
}

export interface FlowListOptions {
  /**
   * `list` (default): every flow, those `openFlows: 'omit'` left out of the graph included.
   * `summarize`: only the graph's own flow edges; `listOpenWorkloads` names the workloads whose
   * default-allow flows are left out.
   */
  readonly openPairs?: 'list' | 'summarize';
}

/** A workload not isolated in some direction: every flow that direction's default-allow admits. */
export interface OpenWorkload {
  readonly id: string;
  readonly ingressOpen: boolean;
  readonly egressOpen: boolean;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Default-allow flows left out of the graph: to `targets[i]`, by `verdicts[i]`. */
export interface OpenTargets {
  readonly targets: readonly string[];
  readonly verdicts: readonly FlowVerdict[];
}

/** The flows from one source: the graph's own and, merged into them by target, the left-out ones. */
export interface SourceFlows {
  readonly source: string;
  /** The graph's flow edges from `source`, sorted by target. */
  readonly edges: readonly Flow[];
  /**
   * The default-allow flows from `source` (to every target but `source` itself). Every source of
   * one kind (a workload open for egress; outside addresses) shares one object, so a writer can
   * render its targets once for millions of lines.
   */
  readonly open: OpenTargets;
}

const NO_TARGETS: OpenTargets = { targets: [], verdicts: [] };

/**
 * Every allowed flow of the graph, sorted by (source, target), lazily. For a graph built with
 * `openFlows: 'omit'` this includes the flows it left out: from each workload not isolated for
 * egress to each other workload not isolated for ingress (default-allow on both sides), and between
 * those workloads and the outside address sets; the same list a graph built with `edges` holds.
 * https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies
 */
export function* listFlows(graph: TrafficGraph, options: FlowListOptions = {}): Generator<Flow> {
  for (const { source, edges, open } of listFlowsBySource(graph, options)) {
    // two sorted lists of distinct targets: an omitted flow is never also an edge
    let e = 0;
    for (let i = 0; i < open.targets.length; i++) {
      const target = open.targets[i]!;
      if (target === source) continue;
      while (e < edges.length && edges[e]!.target < target) yield edges[e++]!;
      yield { source, target, verdict: open.verdicts[i]! };
    }
    while (e < edges.length) yield edges[e++]!;
  }
}

/** `listFlows` one source at a time, sorted by source, for writers of millions of lines. */
export function* listFlowsBySource(graph: TrafficGraph, options: FlowListOptions = {}): Generator<SourceFlows> {
  const open = options.openPairs === 'summarize' ? undefined : graph.getAttribute('openExternals');
  const ingressOpen: string[] = [];
  const egressOpen = new Set<string>();
  if (open) {
    graph.forEachNode((id, a) => {
      if (a.type !== 'workload') return;
      if (!a.ingressIsolated) ingressOpen.push(id);
      if (!a.egressIsolated) egressOpen.add(id);
    });
  }
  ingressOpen.sort(compare);
  const inbound = new Set(open?.inbound.map((e) => e.id));
  const outbound = new Set(open?.outbound.map((e) => e.id));
  // what a workload open for egress reaches by default: workloads open for ingress, outside addresses
  const targets = [...ingressOpen, ...outbound].sort(compare);
  const fromOpen: OpenTargets = { targets, verdicts: targets.map((t) => (outbound.has(t) ? OPEN_EGRESS_FLOW : OPEN_FLOW)) };
  const fromOutside: OpenTargets = { targets: ingressOpen, verdicts: ingressOpen.map(() => OPEN_INGRESS_FLOW) };
  const sources = [...new Set([...graph.nodes(), ...inbound])].sort(compare);
  // a graph built with `edges` holds the default-allow flows: summarized, they are not listed
  const summarized = options.openPairs === 'summarize' ? (source: string, target: string) => isDefaultAllowed(graph, source, target) : () => false;
  for (const source of sources) {
    const edges: Flow[] = [];
    if (graph.hasNode(source)) {
      graph.forEachOutEdge(source, (_key, a, _s, target) => {
        if (a.type === 'flow' && !summarized(source, target)) edges.push({ source, target, verdict: a });
      });
      edges.sort((x, y) => compare(x.target, y.target));
    }
    yield { source, edges, open: egressOpen.has(source) ? fromOpen : inbound.has(source) ? fromOutside : NO_TARGETS };
  }
}

/** Whether a flow is one `openFlows: 'omit'` leaves out: each end a workload open that way, or outside addresses. */
function isDefaultAllowed(graph: TrafficGraph, source: string, target: string): boolean {
  const from = graph.getNodeAttributes(source);
  const to = graph.getNodeAttributes(target);
  const sends = from.type === 'external' || (from.type === 'workload' && !from.egressIsolated);
  const receives = to.type === 'external' || (to.type === 'workload' && !to.ingressIsolated);
  return sends && receives && (from.type === 'workload' || to.type === 'workload');
}

/** Ids and attributes of every endpoint of `listFlows` and of the graph's routes, sorted by id. */
export function listEndpoints(graph: TrafficGraph, options: FlowListOptions = {}): { readonly id: string; readonly node: NodeAttributes }[] {
  const endpoints = new Map<string, NodeAttributes>();
  graph.forEachNode((id, node) => void endpoints.set(id, node));
  const open = options.openPairs === 'summarize' ? undefined : graph.getAttribute('openExternals');
  const extra: { id: string; node: ExternalNode }[] = [...(open?.inbound ?? []), ...(open?.outbound ?? [])];
  for (const { id, node } of extra) if (!endpoints.has(id)) endpoints.set(id, node);
  return [...endpoints].map(([id, node]) => ({ id, node })).sort((x, y) => compare(x.id, y.id));
}

/**
 * The workloads that no policy isolates for ingress or for egress, sorted by id: with
 * `openPairs: 'summarize'` their default-allow flows are not listed, one line each says where.
 */
export function listOpenWorkloads(graph: TrafficGraph): OpenWorkload[] {
  const open: OpenWorkload[] = [];
  graph.forEachNode((id, a) => {
    if (a.type === 'workload' && (!a.ingressIsolated || !a.egressIsolated)) open.push({ id, ingressOpen: !a.ingressIsolated, egressOpen: !a.egressIsolated });
  });
  return open.sort((x, y) => compare(x.id, y.id));
}
