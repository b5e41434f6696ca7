import type { ElkExtendedEdge, ElkNode, ElkPort, LayoutOptions as ElkOptions } from 'elkjs/lib/elk-api.js';
import { nodeGeometry } from './shapes/node.js';
import { FONT, textWidth } from './shapes/text.js';
import { compareStrings } from './view/graph-data.js';
import type { DiagramView, Direction } from './view/types.js';

/** Label box around edge label text. */
export const EDGE_LABEL_PAD_X = 4;
export const EDGE_LABEL_HEIGHT = 15;

/** The padding inside the cluster and namespace boxes: room for their headers. */
export function containerPadding(kind: 'cluster' | 'namespace', hasNote: boolean): { top: number; side: number } {
  return kind === 'cluster' ? { top: 36, side: 18 } : { top: hasNote ? 44 : 30, side: 14 };
}

/** Minimum width of a container: its header text must fit. */
export function containerHeaderWidth(kind: 'cluster' | 'namespace', label: string, note: string | undefined): number {
  const head = kind === 'cluster'
    ? textWidth(label, { size: FONT.cluster, bold: true }) + 16
    : 22 + textWidth(label, { size: FONT.namespace, bold: true }) + 16;
  return Math.max(head, note === undefined ? 0 : textWidth(note, { size: FONT.small }) + 16);
}

export function edgeLabelSize(label: string, strong: boolean): { width: number; height: number } {
  return { width: textWidth(label, { size: FONT.edge, bold: strong }) + 2 * EDGE_LABEL_PAD_X, height: EDGE_LABEL_HEIGHT };
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
    if (node.kind === 'external' || node.kind === 'any') {
      options['elk.layered.layering.layerConstraint'] = node.side === 'source' ? 'FIRST' : 'LAST';
    }
    add(node.parent, { id: node.id, width: g.width, height: g.height, ports, layoutOptions: options });
  }
  const build = (parent: string | undefined): ElkNode[] => {
    const nodes = (childrenOf.get(parent) ?? []).slice();
    for (const c of view.containers.filter((c) => c.parent === parent)) {
      const padding = containerPadding(c.kind, c.note !== undefined);
      nodes.push({
        id: c.id,
        children: build(c.id),
        layoutOptions: {
          'elk.padding': `[top=${padding.top},left=${padding.side},bottom=${padding.side},right=${padding.side}]`,
          'elk.nodeSize.constraints': 'MINIMUM_SIZE',
          'elk.nodeSize.minimum': `(${containerHeaderWidth(c.kind, c.label, c.note)}, ${padding.top + 20})`,
        },
      });
    }
    return nodes.sort((a, b) => compareStrings(a.id, b.id));
  };
  const edges: ElkExtendedEdge[] = [...view.edges]
    .sort((a, b) => compareStrings(a.id, b.id))
    .map((e) => ({
      id: e.id,
      sources: [e.sourcePort !== undefined ? `${e.source}#${e.sourcePort}` : e.source],
      targets: [e.targetPort !== undefined ? `${e.target}#${e.targetPort}` : e.target],
      ...(e.label !== '' ? { labels: [{ id: `${e.id}#label`, text: e.label, ...edgeLabelSize(e.label, e.strong) }] } : {}),
    }));
  return {
    id: '@root',
    layoutOptions: { ...ROOT_OPTIONS, 'elk.direction': direction === 'right' ? 'RIGHT' : 'DOWN' },
    children: build(undefined),
    edges,
  };
}
