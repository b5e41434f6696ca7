import { describePeer, formatExposurePorts, formatPeer, formatSelector, isEntireCluster, peerKey, type BoundaryFlow, type CdeScope, type ExposurePorts, type ExposureRow, type NamedPort, type RepresentativePeer } from '@netdiagram/core';
import { formatPortLabel, isEveryPort } from '../format.js';
import { truncateText } from '../measure.js';
import { landingPort, markedTitle } from './edges.js';
import { compareStrings } from './graph-data.js';
import { unionPortSets } from './ports.js';
import { CLUSTER_ID, type Projection } from './projection.js';
import type { DiagramContainer, DiagramEdge, DiagramNode, RepresentativeShape } from './types.js';

/** The entire cluster's two copies, beside ANY's: a source on the left, a destination on the right. */
export const CLUSTER_PODS_SOURCE = '@cluster-pods:source';
export const CLUSTER_PODS_DESTINATION = '@cluster-pods:destination';
/** The text of the entire-cluster shape, in the drawing and the legend. */
export const ENTIRE_CLUSTER_LABEL = 'any pod in the cluster';

const MAX_TITLE_LINES = 12;

/** The exposure drawn: the representative peers' shapes, their dashed namespace boxes, and their edges. */
export interface ExposureDrawing {
  readonly nodes: readonly RepresentativeShape[];
  readonly containers: readonly DiagramContainer[];
  readonly edges: readonly DiagramEdge[];
}

/** The key that ties an exposure row to its representative boundary flow: direction, CDE workload, peer text. */
function rowKey(direction: 'inbound' | 'outbound', workload: string, peerText: string): string {
  return `${direction}\u0000${workload}\u0000${peerText}`;
}

function boundaryKey(f: BoundaryFlow): string | undefined {
  if (!f.representative) return undefined;
  return rowKey(f.direction, f.direction === 'inbound' ? f.to : f.from, f.representative.text);
}

function keyOfRow(row: ExposureRow): string {
  return rowKey(row.direction === 'ingress' ? 'inbound' : 'outbound', row.workload, describePeer(row.peer));
}

/** A row of a direction no policy isolates: the ANY edge already draws it (every pod and every address). */
function isDefaultAllow(row: ExposureRow): boolean {
  return row.via.every((v) => v.startsWith('default-allow:'));
}

/**
 * The exposure rows that are CDE boundary flows: rows of CDE workloads whose peer is not wholly
 * inside the CDE, exactly the boundary entries of the scope that have a `representative` end.
 */
export function boundaryExposureRows(rows: readonly ExposureRow[], scope: CdeScope): ExposureRow[] {
  const keys = new Set(scope.boundary.map(boundaryKey).filter((k): k is string => k !== undefined));
  return rows.filter((row) => keys.has(keyOfRow(row)));
}

/**
 * The boundary numbers of representative flows that a direction no policy isolates stands for, by
 * `in\u0000workload` / `out\u0000workload`: the workload's ANY edge carries them.
 */
export function openRepresentativeNumbers(scope: CdeScope | undefined): Map<string, string[]> {
  const numbers = new Map<string, string[]>();
  for (const f of scope?.boundary ?? []) {
    if (!f.representative || !f.via.every((v) => v.startsWith('default-allow:'))) continue;
    const key = f.direction === 'inbound' ? `in\u0000${f.to}` : `out\u0000${f.from}`;
    numbers.set(key, [...(numbers.get(key) ?? []), f.id]);
  }
  return numbers;
}

/** `any pod · app=monitoring`, `any pod`: the pod part in kubectl syntax. */
function podLabel(peer: RepresentativePeer): string {
  return peer.podSelector.requirements.length === 0 ? 'any pod' : `any pod · ${formatSelector(peer.podSelector)}`;
}

/** `any namespace · team=ops`, `any namespace`: the namespace part of a selector peer. */
function namespaceSelectorLabel(peer: Extract<RepresentativePeer, { namespaceSelector: unknown }>): string {
  return peer.namespaceSelector.requirements.length === 0 ? 'any namespace' : `any namespace · ${formatSelector(peer.namespaceSelector)}`;
}

interface DrawnEdge {
  readonly source: string;
  readonly target: string;
  readonly direction: 'ingress' | 'egress';
  readonly peerText: string;
  numbers: ExposurePorts['numbers'];
  readonly names: Map<string, NamedPort>;
  readonly via: Set<string>;
  readonly workloads: string[];
  readonly boundary: string[];
}

/**
 * Draws the exposure rows: one dashed, empty pod per distinct representative peer, shared by every
 * workload whose rows name it, inside the drawn box of the namespace it names (unless that box is
 * the CDE zone itself, where a pod nobody listed does not belong) or else inside a dashed box of
 * its own (`namespace monitoring`, `any namespace · team=ops`); the entire cluster is one shape on
 * each side, beside ANY. Edges carry the row's ports (names kept) and the boundary numbers of the
 * representative flows they draw. Rows of directions no policy isolates are left to the ANY edge,
 * and rows that admit no port draw nothing. An edge a drawn flow already covers is drawn anyway: it
 * says something stronger (every such pod, listed or not).
 */
export function drawExposure(
  rows: readonly ExposureRow[],
  projection: Projection,
  nodes: readonly DiagramNode[],
  containers: readonly DiagramContainer[],
  scope: CdeScope | undefined,
): ExposureDrawing {
  const boundaryOf = new Map<string, BoundaryFlow>();
  for (const f of scope?.defined ? scope.boundary : []) {
    const key = boundaryKey(f);
    if (key !== undefined) boundaryOf.set(key, f);
  }
  const drawnContainers = new Map(containers.map((c) => [c.id, c]));
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  const shapes = new Map<string, RepresentativeShape>();
  const shapeIdByPeer = new Map<string, string>();
  const usedIds = new Set<string>();
  const peerBoxes = new Map<string, DiagramContainer>();
  const holdsOf = new Map<string, Set<string>>();
  const connected = new Set<string>();
  const edges = new Map<string, DrawnEdge>();

  const namespaceBox = (peer: RepresentativePeer): string => {
    if ('namespace' in peer) {
      const drawn = drawnContainers.get(`@ns:${peer.namespace}`);
      if (drawn && drawn.kind === 'namespace' && drawn.zone !== 'cde') return drawn.id;
      const id = `@peer-ns:${peer.namespace}`;
      if (!peerBoxes.has(id)) {
        peerBoxes.set(id, {
          kind: 'peer-namespace', id, parent: CLUSTER_ID, label: truncateText(`namespace ${peer.namespace}`),
          title: `namespace ${peer.namespace}: pods of it that policies admit by selector, whether or not the input holds them`,
        });
      }
      return id;
    }
    const text = namespaceSelectorLabel(peer);
    const id = `@peer-ns:[${formatSelector(peer.namespaceSelector)}]`;
    if (!peerBoxes.has(id)) {
      peerBoxes.set(id, {
        kind: 'peer-namespace', id, parent: CLUSTER_ID, label: truncateText(text, 40),
        title: `${text}: ${peer.namespaceSelector.requirements.length === 0 ? 'every namespace' : `every namespace labelled ${formatSelector(peer.namespaceSelector)}`}, whether or not the input holds it (a namespace can be given the label tomorrow)`,
      });
    }
    return id;
  };

  const shapeOf = (peer: RepresentativePeer, side: 'source' | 'destination'): string => {
    if (isEntireCluster(peer)) {
      const id = side === 'source' ? CLUSTER_PODS_SOURCE : CLUSTER_PODS_DESTINATION;
      if (!shapes.has(id)) {
        shapes.set(id, {
          kind: 'representative', id, parent: undefined, label: ENTIRE_CLUSTER_LABEL, entireCluster: true, side,
          title: `${ENTIRE_CLUSTER_LABEL} (entire-cluster): every pod of every namespace, whether or not the input holds it`,
        });
      }
      return id;
    }
    const key = peerKey(peer);
    const known = shapeIdByPeer.get(key);
    if (known !== undefined) return known;
    const base = `@peer:${formatPeer(peer)}`;
    let id = base;
    for (let n = 2; usedIds.has(id); n++) id = `${base}#${n}`;
    usedIds.add(id);
    shapeIdByPeer.set(key, id);
    const label = podLabel(peer);
    shapes.set(id, {
      kind: 'representative', id, parent: namespaceBox(peer), label: truncateText(label, 40), entireCluster: false,
      title: `${describePeer(peer)} (${formatPeer(peer)}): every pod these selectors choose, whether or not the input holds it`,
    });
    return id;
  };

  /**
   * "All pods of namespace X", said once: the box X is drawn as (its namespace box, or its collapsed
   * box) is the edge's end, with no `any pod` shape inside it; not when the workload is inside that
   * box (no edge joins a box and a node inside it), nor for a CDE box (a pod the input does not hold
   * is never drawn as part of the CDE).
   */
  const namespaceWide = (peer: RepresentativePeer, drawn: string): string | undefined => {
    if (!('namespace' in peer) || peer.podSelector.requirements.length > 0) return undefined;
    const box = drawnContainers.get(`@ns:${peer.namespace}`);
    if (box && box.kind === 'namespace' && box.zone !== 'cde') {
      for (let p = nodeById.get(drawn)?.parent; p !== undefined; p = drawnContainers.get(p)?.parent) if (p === box.id) return undefined;
      return box.id;
    }
    // collapsed: its own box (not one folded with other namespaces, which would say more than the rule)
    const summary = nodes.find((n) => n.kind === 'namespace-summary' && n.namespaces.length === 1 && n.namespaces[0] === peer.namespace);
    return summary !== undefined && summary.id !== drawn ? summary.id : undefined;
  };

  for (const row of rows) {
    if (isDefaultAllow(row) || (row.ports.names.length === 0 && isEmpty(row.ports.numbers))) continue;
    const drawn = projection.nodeOf.get(row.workload);
    if (drawn === undefined) continue;
    const ingress = row.direction === 'ingress';
    const peer = namespaceWide(row.peer, drawn) ?? shapeOf(row.peer, ingress ? 'source' : 'destination');
    const source = ingress ? peer : drawn;
    const target = ingress ? drawn : peer;
    const key = `${source}\u0000${target}`;
    const edge = edges.get(key) ?? {
      source, target, direction: row.direction, peerText: describePeer(row.peer), numbers: row.ports.numbers,
      names: new Map<string, NamedPort>(), via: new Set<string>(), workloads: [], boundary: [],
    };
    edge.numbers = unionPortSets([edge.numbers, row.ports.numbers]);
    for (const n of row.ports.names) edge.names.set(`${n.protocol} ${n.name}`, n);
    for (const v of row.via) edge.via.add(v);
    edge.workloads.push(row.workload);
    const flow = boundaryOf.get(keyOfRow(row));
    if (flow) {
      edge.boundary.push(flow.id);
      connected.add(peer);
      const holds = holdsOf.get(peer) ?? new Set<string>();
      for (const h of flow.representative!.holds) holds.add(h);
      holdsOf.set(peer, holds);
    }
    edges.set(key, edge);
  }

  const drawnEdges: DiagramEdge[] = [];
  for (const e of [...edges.values()].sort((a, b) => compareStrings(a.source, b.source) || compareStrings(a.target, b.target))) {
    const names = [...e.names.values()].sort((a, b) => compareStrings(a.protocol, b.protocol) || compareStrings(a.name, b.name));
    const ports: ExposurePorts = { numbers: e.numbers, names };
    const boundary = [...new Set(e.boundary)].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
    const drawnEnd = nodeById.get(e.direction === 'ingress' ? e.target : e.source);
    const ends: { sourcePort?: string; targetPort?: string } = e.direction === 'ingress'
      ? { sourcePort: 'out', targetPort: drawnEnd?.kind === 'workload' ? landingPort(drawnEnd.ports, e.numbers) : 'in' }
      : { sourcePort: 'out', targetPort: 'in' };
    // a namespace box (a namespace-wide peer's end) has no ports: the edge ends on its border
    if (drawnContainers.has(e.source)) delete ends.sourcePort;
    if (drawnContainers.has(e.target)) delete ends.targetPort;
    const workloads = e.workloads.length > 1 ? `${e.workloads.length} workloads` : e.workloads[0]!;
    const head = e.direction === 'ingress' ? `${e.peerText} → ${workloads}` : `${workloads} → ${e.peerText}`;
    const lines = [
      head, formatExposurePorts(ports),
      'exposure: the policies admit every pod the selectors choose, whether or not the input holds it',
      `allowed by: ${[...e.via].sort(compareStrings).join(', ')}`,
    ];
    if (e.workloads.length > 1) {
      lines.push(...e.workloads.slice(0, MAX_TITLE_LINES));
      if (e.workloads.length > MAX_TITLE_LINES) lines.push(`… and ${e.workloads.length - MAX_TITLE_LINES} more`);
    }
    drawnEdges.push({
      id: `${e.source}->${e.target}`, source: e.source, target: e.target, ...ends,
      style: 'flow', label: portsLabel(ports), strong: names.length === 0 && isEveryPort(e.numbers),
      title: markedTitle(lines.join('\n'), boundary, undefined, []),
      ...(boundary.length > 0 ? { boundary } : {}),
    });
  }

  const drawnShapes = [...shapes.values()].map((s): RepresentativeShape => {
    if (!connected.has(s.id)) return s;
    const holds = [...(holdsOf.get(s.id) ?? [])].sort(compareStrings);
    const listed = holds.length > 0 ? `\nin the input: ${holds.slice(0, MAX_TITLE_LINES).join(', ')}${holds.length > MAX_TITLE_LINES ? ` … and ${holds.length - MAX_TITLE_LINES} more` : ''}` : '\nin the input: none';
    return { ...s, zone: 'connected', title: `${s.title}\nPCI DSS scope: connected-to the CDE (every such pod is in scope)${listed}` };
  });
  return {
    nodes: drawnShapes.sort((a, b) => compareStrings(a.id, b.id)),
    containers: [...peerBoxes.values()].sort((a, b) => compareStrings(a.id, b.id)),
    edges: drawnEdges,
  };
}

/** An edge label: the numbers as flow labels show them, then the names (`TCP 8080 · TCP http`). */
function portsLabel(ports: ExposurePorts): string {
  const numbers = isEmpty(ports.numbers) ? [] : [formatPortLabel(ports.numbers)];
  const names = ports.names.length === 0 ? [] : [formatExposurePorts({ numbers: { SCTP: [], TCP: [], UDP: [] }, names: ports.names })];
  return [...numbers, ...names].join(' · ');
}

function isEmpty(numbers: ExposurePorts['numbers']): boolean {
  return numbers.TCP.length === 0 && numbers.UDP.length === 0 && numbers.SCTP.length === 0;
}
