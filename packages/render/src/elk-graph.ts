import type { ElkExtendedEdge, ElkNode, ElkPort, LayoutOptions as ElkOptions } from 'elkjs/lib/elk-api.js';
import { boundaryBadgeText } from './view/edges.js';
import { nodeGeometry } from './shapes/node.js';
import { FONT, textWidth } from './shapes/text.js';
import { CDE_LABEL } from './view/scope.js';
import { compareStrings } from './view/graph-data.js';
import { trafficOrder } from './traffic-order.js';
import type { DiagramContainer, DiagramEdge, DiagramView, Direction } from './view/types.js';

/** Label box around edge label text. */
export const EDGE_LABEL_PAD_X = 4;
export const EDGE_LABEL_HEIGHT = 15;
/** The boundary badge inside an edge label: its text size, inner padding, and the gap before the ports. */
export const FLOW_BADGE_FONT = 9;
export const FLOW_BADGE_PAD = 3;
export const FLOW_BADGE_GAP = 4;
/** Header lines of a namespace box: the name, then the CDE zone line, then the note. */
export const NAMESPACE_HEADER = { name: 19.5, line: 16 } as const;
/** The CDE zone label's size. */
export const ZONE_LABEL_FONT = 11;

/** The header lines of a namespace box below its name: the CDE line (a namespace wholly in the CDE), then the note. */
export function namespaceLines(c: DiagramContainer): { text: string; kind: 'zone' | 'note' }[] {
  return [
    ...(c.zone === 'cde' ? [{ text: CDE_LABEL, kind: 'zone' as const }] : []),
    ...(c.note !== undefined ? [{ text: c.note, kind: 'note' as const }] : []),
  ];
}

/** The padding inside the cluster, namespace and CDE boxes: room for their headers. */
export function containerPadding(c: DiagramContainer): { top: number; side: number } {
  switch (c.kind) {
    case 'cluster': return { top: 36, side: 18 };
    case 'cde': return { top: 30, side: 12 };
    case 'namespace': return { top: 30 + NAMESPACE_HEADER.line * namespaceLines(c).length, side: 14 };
    case 'peer-namespace': return { top: 30, side: 12 };
  }
}

/** Minimum width of a container: its header text must fit. */
export function containerHeaderWidth(c: DiagramContainer): number {
  switch (c.kind) {
    case 'cluster': return textWidth(c.label, { size: FONT.cluster, bold: true }) + 16;
    case 'cde': return textWidth(c.label, { size: ZONE_LABEL_FONT, bold: true }) + 28;
    case 'peer-namespace': return 22 + textWidth(c.label, { size: FONT.namespace, bold: true }) + 16;
    case 'namespace': return Math.max(
      22 + textWidth(c.label, { size: FONT.namespace, bold: true }) + 16,
      ...namespaceLines(c).map((l) => (l.kind === 'zone' ? textWidth(l.text, { size: ZONE_LABEL_FONT, bold: true }) + 28 : textWidth(l.text, { size: FONT.small }) + 16)),
    );
  }
}

/** Width of the boundary badge (`F1`, `F2–F5 +3`) drawn at the start of an edge label. */
export function flowBadgeWidth(text: string): number {
  return textWidth(text, { size: FLOW_BADGE_FONT, bold: true }) + 2 * FLOW_BADGE_PAD;
}

/** The size of an edge's label: its text, and the boundary badge before it. */
export function edgeLabelSize(edge: Pick<DiagramEdge, 'label' | 'strong' | 'boundary'>): { width: number; height: number } {
  const badge = boundaryBadgeText(edge.boundary);
  const badgeWidth = badge === undefined ? 0 : flowBadgeWidth(badge) + FLOW_BADGE_GAP;
  return { width: badgeWidth + textWidth(edge.label, { size: FONT.edge, bold: edge.strong }) + 2 * EDGE_LABEL_PAD_X, height: EDGE_LABEL_HEIGHT };
}

const ROOT_OPTIONS: ElkOptions = {
  'elk.algorithm': 'layered',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.randomSeed': '1',
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.spacing.nodeNodeBetweenLayers': '50',
  'elk.spacing.nodeNode': '28',
  'elk.spacing.edgeNode': '18',
  'elk.spacing.edgeEdge': '12',
  'elk.layered.spacing.edgeNodeBetweenLayers': '18',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '10',
  'elk.spacing.edgeLabel': '4',
  'elk.spacing.labelNode': '6',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.edgeLabels.sideSelection': 'SMART_DOWN',
  // Brandes–Köpf placement: straight long edges, and much faster than NETWORK_SIMPLEX here
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.nodePlacement.bk.fixedAlignment': 'BALANCED',
  'elk.spacing.componentComponent': '40',
  'elk.padding': '[top=16,left=16,bottom=16,right=16]',
};

/**
 * The ELK input for a view: sorted children and edges, namespaces as compound nodes inside the
 * cluster, fixed port positions on leaf shapes (never ports on compound nodes: ELK #1192), sources
 * outside the cluster in the first layer and destinations in the last.
 */
export function toElkGraph(view: DiagramView, direction: Direction): ElkNode {
  const childrenOf = new Map<string | undefined, ElkNode[]>();
  const add = (parent: string | undefined, node: ElkNode) => {
    const list = childrenOf.get(parent);
    if (list) list.push(node);
    else childrenOf.set(parent, [node]);
  };
  // children in the order traffic enters them; a box where its first member stands
  const rank = trafficOrder(view.nodes, view.containers, view.edges);
  const boxRank = new Map<string, number>();
  const settle = (id: string, r: number) => {
    let current: string | undefined = id;
    while (current !== undefined) {
      boxRank.set(current, Math.min(boxRank.get(current) ?? Infinity, r));
      current = view.containers.find((c) => c.id === current)?.parent;
    }
  };
  for (const node of view.nodes) if (node.parent !== undefined) settle(node.parent, rank.get(node.id)!);
  for (const c of view.containers) settle(c.id, rank.get(c.id)!);
  const orderOf = (id: string) => boxRank.get(id) ?? rank.get(id) ?? Infinity;
  const usedPorts = new Set<string>();
  for (const e of view.edges) {
    if (e.sourcePort !== undefined) usedPorts.add(`${e.source}#${e.sourcePort}`);
    if (e.targetPort !== undefined) usedPorts.add(`${e.target}#${e.targetPort}`);
  }
  for (const node of view.nodes) {
    const g = nodeGeometry(node, direction);
    // every port square is declared, so ELK keeps labels and edges off the unused ones too; the
    // zero-size attachment points only when an edge uses them
    const ports: ElkPort[] = g.ports
      .filter((p) => p.box.width > 0 || usedPorts.has(`${node.id}#${p.key}`))
      .map((p) => ({
        id: `${node.id}#${p.key}`, x: p.box.x, y: p.box.y, width: p.box.width, height: p.box.height,
        layoutOptions: { 'elk.port.side': p.side },
      }));
    const options: ElkOptions = { 'elk.portConstraints': 'FIXED_POS' };
    if (node.kind === 'external' || node.kind === 'any' || (node.kind === 'representative' && node.side !== undefined)) {
      options['elk.layered.layering.layerConstraint'] = node.side === 'source' ? 'FIRST' : 'LAST';
    }
    add(node.parent, { id: node.id, width: g.width, height: g.height, ports, layoutOptions: options });
  }
  const edgesIn = edgesByAncestor(view, orderOf, direction);
  const build = (parent: string | undefined): ElkNode[] => {
    const nodes = (childrenOf.get(parent) ?? []).slice();
    for (const c of view.containers.filter((c) => c.parent === parent)) {
      const padding = containerPadding(c);
      nodes.push({
        id: c.id,
        children: build(c.id),
        edges: edgesIn.get(c.id) ?? [],
        layoutOptions: {
          'elk.padding': `[top=${padding.top},left=${padding.side},bottom=${padding.side},right=${padding.side}]`,
          'elk.nodeSize.constraints': 'MINIMUM_SIZE',
          'elk.nodeSize.minimum': `(${containerHeaderWidth(c)}, ${padding.top + 20})`,
        },
      });
    }
    return nodes.sort((a, b) => orderOf(a.id) - orderOf(b.id) || compareStrings(a.id, b.id));
  };
  return {
    id: '@root',
    layoutOptions: { ...ROOT_OPTIONS, 'elk.direction': direction === 'right' ? 'RIGHT' : 'DOWN' },
    children: build(undefined),
    edges: edgesIn.get(undefined) ?? [],
  };
}

/**
 * The ELK edges, each in the lowest box that holds both its ends: an edge inside one namespace is
 * that namespace's, so ELK lays it out (and breaks its cycles) with the namespace's children
 * instead of splitting it at the box's border.
 */
function edgesByAncestor(view: DiagramView, orderOf: (id: string) => number, direction: Direction): Map<string | undefined, ElkExtendedEdge[]> {
  const parentOf = new Map<string, string | undefined>([
    ...view.nodes.map((n) => [n.id, n.parent] as const),
    ...view.containers.map((c) => [c.id, c.parent] as const),
  ]);
  const chain = (id: string): (string | undefined)[] => {
    const out: (string | undefined)[] = [];
    for (let p = parentOf.get(id); p !== undefined; p = parentOf.get(p)) out.push(p);
    return [...out, undefined];
  };
  const byBox = new Map<string | undefined, ElkExtendedEdge[]>();
  const labelled = onceLabelled(view.edges);
  // next to the arrowhead where no other label can land beside it: the edge is the only labelled one
  // into its node, or the only one on its port square; ELK does not keep end labels apart, so the
  // others stay in the middle of their edges
  const count = (key: (e: DiagramEdge) => string) => {
    const m = new Map<string, number>();
    for (const e of view.edges) if (labelled.has(e.id)) m.set(key(e), (m.get(key(e)) ?? 0) + 1);
    return m;
  };
  const portKey = (e: DiagramEdge) => `${e.target}#${e.targetPort ?? ''}`;
  const perPort = count(portKey);
  const perNode = count((e) => e.target);
  // drawn top to bottom, a node's port squares stand side by side, closer than a label is wide: a
  // label beside one arrowhead would lie on the next port's arrowhead, so only a node's one labelled edge gets it
  const atHead = (e: DiagramEdge) => perNode.get(e.target) === 1
    || (direction === 'right' && e.targetPort?.startsWith('port:') === true && perPort.get(portKey(e)) === 1);
  for (const e of [...view.edges].sort((a, b) => compareStrings(a.id, b.id))) {
    const above = new Set(chain(e.target));
    // the lowest box above the source that is also above the target (and is neither end itself)
    const box = chain(e.source).find((b) => above.has(b) && b !== e.target && b !== e.source);
    const list = byBox.get(box) ?? [];
    list.push({
      id: e.id,
      sources: [e.sourcePort !== undefined ? `${e.source}#${e.sourcePort}` : e.source],
      targets: [e.targetPort !== undefined ? `${e.target}#${e.targetPort}` : e.target],
      // the label next to the arrowhead, at the port the edge lands on: on the edge's own last segment
      ...(labelled.has(e.id) ? { labels: [{ id: `${e.id}#label`, text: e.label, ...edgeLabelSize(e), layoutOptions: { 'elk.edgeLabels.placement': atHead(e) ? 'HEAD' : 'CENTER' } }] } : {}),
      // ELK's cycle breaking keeps the edges with priority pointing forward: those along the traffic order
      layoutOptions: { 'elk.layered.priority.direction': orderOf(e.source) < orderOf(e.target) ? '10' : '0' },
    });
    byBox.set(box, list);
  }
  return byBox;
}

/**
 * The edges that carry their label. Edges that land on the same port merge into one line there,
 * so when they say the same thing (same label and style, no boundary number, no change) the line
 * is labelled once, by the first edge in id order; each edge keeps its own `<title>`.
 */
export function onceLabelled(edges: readonly DiagramEdge[]): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  for (const e of [...edges].sort((a, b) => compareStrings(a.id, b.id))) {
    if (e.label === '') continue;
    if (e.boundary !== undefined || e.change !== undefined) {
      out.add(e.id);
      continue;
    }
    const key = `${e.target}#${e.targetPort ?? ''}\u0000${e.style}\u0000${e.strong}\u0000${e.label}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.add(e.id);
  }
  return out;
}
