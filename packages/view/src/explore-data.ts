import { listFlows, type CdeScope, type Cluster, type PortSet, type TrafficGraph } from '@netdiagram/core';
import { svgId, type DiagramNode, type Layout } from '@netdiagram/render';
import { drawnEnds, type ExploreData, type ExploreEdge, type ExploreFlow, type ExploreNode, type ExploreRule } from './data.js';

export interface ExploreInput {
  readonly layout: Layout;
  readonly graph: TrafficGraph;
  readonly cluster: Cluster;
  readonly scope?: CdeScope;
  readonly title: string;
  /** The collapsed namespaces the page holds an expanded view of (`expandedLevels`); none by default. */
  readonly expandable?: readonly string[];
}

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
const EXTERNAL_SIDE = /@(in|out)$/;

/**
 * The data an interactive diagram carries: the drawn shapes with the graph nodes they stand for,
 * the drawn edges with the allowed flows they draw, and where each rule of `via` is written. Built
 * in the layout's and the flow list's (sorted) order, so the same input gives the same JSON.
 */
export function exploreData({ layout, graph, cluster, scope, title, expandable = [] }: ExploreInput): ExploreData {
  const drawn = exploreDrawing(layout, graph, cluster, listedFlows(graph, scope));
  return {
    version: 1, title, detail: layout.detail, nodes: drawn.nodes, namespaces: drawn.namespaces, edges: drawn.edges,
    flows: drawn.flows, rules: ruleTable(cluster), expandable: [...expandable],
  };
}

/** Every allowed flow of the graph, in the flow list's order, without its drawn ends (`drawnEnds` adds them). */
export function listedFlows(graph: TrafficGraph, scope: CdeScope | undefined): ExploreFlow[] {
  const boundaryOf = new Map((scope?.boundary ?? []).map((b) => [`${b.from}\u0000${b.to}`, b.id]));
  return [...listFlows(graph, { openPairs: 'summarize' })].map(({ source, target, verdict }) => {
    const boundary = boundaryOf.get(`${source}\u0000${target}`);
    return {
      from: source, to: target,
      ports: portsText(verdict.ports), portRanges: portRanges(verdict.ports),
      protocols: PROTOCOLS.filter((p) => verdict.ports[p].length > 0),
      via: [...verdict.via], partial: verdict.partial,
      ...(boundary !== undefined ? { boundary } : {}),
    };
  });
}

/** One laid-out view's shapes, namespaces and edges, and the flows with their drawn ends in it. */
export function exploreDrawing(layout: Layout, graph: TrafficGraph, cluster: Cluster, listed: readonly ExploreFlow[]): Pick<ExploreData, 'nodes' | 'namespaces' | 'edges' | 'flows'> {
  const nodes = layout.nodes.map(({ node }) => exploreNode(node, graph));
  const flows = drawnEnds(nodes, listed);
  const flowsByPair = new Map<string, number[]>();
  flows.forEach((f, i) => {
    if (f.fromNode === undefined || f.toNode === undefined) return;
    const key = `${f.fromNode}\u0000${f.toNode}`;
    flowsByPair.set(key, [...(flowsByPair.get(key) ?? []), i]);
  });
  const edges: ExploreEdge[] = layout.edges.map(({ edge, label }) => ({
    id: edge.id, svg: svgId('e', edge.id), source: edge.source, target: edge.target, style: edge.style,
    label: edge.label, title: edge.title, boundary: [...(edge.boundary ?? [])],
    labelled: label !== undefined && edge.label !== '',
    flows: edge.style === 'route' ? [] : flowsByPair.get(`${edge.source}\u0000${edge.target}`) ?? [],
  }));
  const namespaceLabels = new Map(cluster.namespaces.map((n) => [n.name, labelTexts(n.labels)]));
  const namespaces = layout.containers.filter((c) => c.container.kind === 'namespace').map(({ container }) => {
    const name = container.id.replace(/^@ns:/, '');
    return { id: container.id, svg: svgId('ns', container.id), name, labels: namespaceLabels.get(name) ?? [] };
  });
  return { nodes, namespaces, edges, flows };
}

function exploreNode(node: DiagramNode, graph: TrafficGraph): ExploreNode {
  const members = membersOf(node, graph);
  const labels = new Set<string>();
  for (const m of members) {
    const a = graph.getNodeAttributes(m);
    if (a.type === 'workload') for (const text of labelTexts(a.labels)) labels.add(text);
  }
  const ports = 'ports' in node ? node.ports.map((p) => p.key) : [];
  return {
    id: node.id, svg: svgId('n', node.id), kind: node.kind, label: labelOf(node),
    ...('namespace' in node ? { namespace: node.namespace } : {}),
    ...(node.zone !== undefined ? { zone: node.zone } : {}),
    labels: [...labels].sort(), ports, members,
    ...(node.kind === 'namespace-summary' ? { collapsed: [...node.namespaces] } : {}),
  };
}

/** The graph nodes a drawn shape stands for. */
function membersOf(node: DiagramNode, graph: TrafficGraph): string[] {
  const known = (ids: Iterable<string>) => [...ids].filter((id) => graph.hasNode(id));
  switch (node.kind) {
    case 'workload':
      return known(node.members);
    case 'service':
    case 'ingress':
      return known([node.id]);
    case 'external':
      return known([node.id.replace(EXTERNAL_SIDE, '')]);
    case 'peer-group':
      return known(node.members);
    case 'namespace-summary': {
      const namespaces = new Set(node.namespaces);
      return graph.filterNodes((_id, a) => a.type !== 'external' && namespaces.has(a.namespace)).sort();
    }
    default:
      return [];
  }
}

function labelOf(node: DiagramNode): string {
  switch (node.kind) {
    case 'workload':
    case 'service':
    case 'ingress':
    case 'removed':
      return `${node.namespace}/${node.name}`;
    case 'external':
      return node.lines.join(' ');
    case 'namespace-summary':
      return node.namespaces.join(', ');
    case 'any':
      return 'ANY';
    case 'representative':
      return node.label;
    case 'peer-group':
      return `${node.members.length} workloads in ${node.namespace}`;
    default:
      return node.title.split('\n')[0] ?? node.id;
  }
}

function labelTexts(labels: Readonly<Record<string, string>>): string[] {
  return Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`);
}

function portsText(ports: PortSet): string {
  const parts = PROTOCOLS.filter((p) => ports[p].length > 0)
    .map((p) => `${p} ${ports[p].map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(',')}`);
  return parts.length === 0 ? 'no ports' : parts.join(' · ');
}

function portRanges(ports: PortSet): string[] {
  return PROTOCOLS.flatMap((p) => ports[p].map(([lo, hi]) => `${p}/${lo === hi ? lo : `${lo}-${hi}`}`));
}

/** Every policy rule of the input, by the ref `via` names it with. */
function ruleTable(cluster: Cluster): Record<string, ExploreRule> {
  const rules: [string, ExploreRule][] = [];
  const at = (l: { file: string; line: number } | undefined) => (l ? { at: `${l.file}:${l.line}` } : {});
  for (const p of cluster.policies) {
    for (const r of [...p.ingress, ...p.egress]) rules.push([r.ref, { policy: p.id, ...at(r.location ?? p.location) }]);
  }
  for (const p of cluster.clusterPolicies ?? []) {
    for (const r of [...p.ingress, ...p.egress]) rules.push([r.ref, { policy: p.id, ...at(r.location ?? p.location) }]);
  }
  rules.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(rules);
}
