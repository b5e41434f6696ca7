import { ALL_PORTS, formatPorts, parseCidr, type ExternalNode, type FlowChange, type FlowDiff, type PortSet } from '@netdiagram/core';
import { formatPortLabel, formatPortTitle } from '../format.js';
import { ANY_DESTINATION, ANY_SOURCE, anyShape, externalShape } from './edges.js';
import { compareStrings, type GraphData } from './graph-data.js';
import { isOpenSide } from './open-sides.js';
import type { ChangeMark, FlowMarks } from './marks.js';
import { CLUSTER_ID, namespaceId, type Projection } from './projection.js';
import { unionPortSets } from './ports.js';
import type { DiagramChanges, DiagramContainer, DiagramEdge, DiagramNode, RemovedShape } from './types.js';

const MAX_TITLE_LINES = 12;

interface Range {
  readonly family: 4 | 6;
  readonly lo: bigint;
  readonly hi: bigint;
}

/** A diff between the previous input and the drawn one, ready to mark and draw. */
export interface PreparedChanges {
  readonly counts: DiagramChanges;
  readonly changeOf: FlowMarks['changeOf'];
  readonly wasOpen: FlowMarks['wasOpen'];
  /** Removed flows that had an edge of their own (at least one side isolated before). */
  readonly removedFlows: readonly FlowChange[];
  /** Workloads open in a direction before and not now: their unrestricted edge is removed. */
  readonly closed: readonly { readonly id: string; readonly direction: 'ingress' | 'egress' }[];
  readonly previous: GraphData;
}

/**
 * Prepares a flow diff (`diffFlows(previous, current)`) for drawing: which flows of the current
 * graph are added or changed, and which removed flows and unrestricted edges to draw as removed.
 * Flows with outside addresses are matched by their in-cluster end and overlapping addresses,
 * because the diff names re-cut address sets that need not be nodes of the current graph.
 */
export function prepareChanges(previous: GraphData, current: GraphData, diff: FlowDiff): PreparedChanges {
  const isOutside = (id: string) => current.externals.has(id) || previous.externals.has(id) || id === 'external' || id.startsWith('ipblock:');
  const rangesOf = (id: string): Range[] | undefined => {
    const ips = current.externals.get(id)?.ips ?? previous.externals.get(id)?.ips ?? (id.startsWith('ipblock:') ? id.slice('ipblock:'.length).split(',') : undefined);
    if (!ips) return undefined;
    const ranges = ips.flatMap((ip) => {
      const parsed = parseCidr(ip);
      return parsed.ok ? [parsed.range] : [];
    });
    return ranges.length > 0 ? ranges : undefined;
  };

  const internal = new Map<string, FlowChange>();
  const outside = new Map<string, { change: FlowChange; outsideId: string; ranges: Range[] | undefined }[]>();
  for (const c of diff.changes) {
    if (c.change === 'removed') continue;
    const fromOutside = isOutside(c.from);
    const toOutside = isOutside(c.to);
    if (!fromOutside && !toOutside) internal.set(`${c.from}\u0000${c.to}`, c);
    else if (fromOutside !== toOutside) {
      const key = fromOutside ? `in\u0000${c.to}` : `out\u0000${c.from}`;
      const outsideId = fromOutside ? c.from : c.to;
      const list = outside.get(key) ?? [];
      list.push({ change: c, outsideId, ranges: rangesOf(outsideId) });
      outside.set(key, list);
    }
  }

  const changeOf = (source: string, target: string): ChangeMark | undefined => {
    const sourceOutside = current.externals.has(source);
    const targetOutside = current.externals.has(target);
    if (!sourceOutside && !targetOutside) {
      const c = internal.get(`${source}\u0000${target}`);
      return c ? { change: c.change === 'added' ? 'added' : 'changed', notes: [changeNote(c)] } : undefined;
    }
    if (sourceOutside === targetOutside) return undefined;
    const outsideId = sourceOutside ? source : target;
    const mine = rangesOf(outsideId);
    const candidates = (outside.get(sourceOutside ? `in\u0000${target}` : `out\u0000${source}`) ?? [])
      .filter((c) => !mine || !c.ranges || c.ranges.some((r) => mine.some((m) => overlaps(r, m))));
    if (candidates.length === 0) return undefined;
    // wholly new only when the diff names exactly this address set as added
    const added = candidates.every((c) => c.change.change === 'added') && candidates.some((c) => c.outsideId === outsideId);
    return { change: added ? 'added' : 'changed', notes: candidates.map((c) => changeNote(c.change)) };
  };

  const wasOpen = (id: string, direction: 'ingress' | 'egress'): boolean => {
    const w = previous.workloads.get(id);
    if (!w) return false;
    return isOpenSide(w, direction);
  };

  // a removed flow between two sides that were both open was drawn only through ANY: its ANY edges stand for it
  const openBefore = (id: string, direction: 'ingress' | 'egress') => isOutside(id) || wasOpen(id, direction);
  const removedFlows = diff.changes.filter((c) => c.change === 'removed' && !(openBefore(c.from, 'egress') && openBefore(c.to, 'ingress')));
  const closed: { id: string; direction: 'ingress' | 'egress' }[] = [];
  for (const [id, w] of previous.workloads) {
    const now = current.workloads.get(id);
    if (isOpenSide(w, 'ingress') && (!now || !isOpenSide(now, 'ingress'))) closed.push({ id, direction: 'ingress' });
    if (isOpenSide(w, 'egress') && (!now || !isOpenSide(now, 'egress'))) closed.push({ id, direction: 'egress' });
  }
  const count = (kind: FlowChange['change']) => diff.changes.filter((c) => c.change === kind).length;
  return {
    counts: { added: count('added'), removed: count('removed'), changed: count('changed') },
    changeOf, wasOpen, removedFlows, closed, previous,
  };
}

function overlaps(a: Range, b: Range): boolean {
  return a.family === b.family && a.lo <= b.hi && b.lo <= a.hi;
}

/** `+ a → b: TCP 443` or `~ a → b: TCP 80 → TCP 80,443`. */
function changeNote(c: FlowChange): string {
  switch (c.change) {
    case 'added': return `+ ${c.from} → ${c.to}: ${formatPorts(c.after)}`;
    case 'removed': return `- ${c.from} → ${c.to}: ${formatPorts(c.before)}`;
    case 'changed': return `~ ${c.from} → ${c.to}: ${formatPorts(c.before)} → ${formatPorts(c.after)}`;
  }
}

interface RemovedPair {
  readonly source: string;
  readonly target: string;
  ports: PortSet;
  readonly via: Set<string>;
  readonly notes: string[];
  readonly any: boolean;
}

/**
 * The edges (and the nodes they need) that draw what the previous input allowed and this one does
 * not: removed flows, merged per pair of drawn shapes, and removed unrestricted edges. An end that
 * is gone is drawn as a removed workload (or Ingress) in its namespace; outside addresses that are
 * gone as an outside shape.
 */
export function removedEdges(
  changes: PreparedChanges,
  current: GraphData,
  projection: Projection,
  drawn: ReadonlyMap<string, DiagramNode>,
  containers: readonly DiagramContainer[],
): { edges: DiagramEdge[]; nodes: DiagramNode[] } {
  const { previous } = changes;
  const extra = new Map<string, DiagramNode>();
  const containerIds = new Set(containers.map((c) => c.id));
  const has = (id: string) => drawn.has(id) || extra.has(id);

  const outsideEnd = (id: string, side: 'source' | 'destination'): string => {
    const drawnId = `${id}@${side === 'source' ? 'in' : 'out'}`;
    if (!has(drawnId)) {
      const node: Pick<ExternalNode, 'label' | 'ips'> = current.externals.get(id) ?? previous.externals.get(id)
        ?? { label: id.slice('ipblock:'.length).split(',').join(', '), ips: id.slice('ipblock:'.length).split(',') };
      extra.set(drawnId, externalShape(drawnId, node, side));
    }
    return drawnId;
  };
  const goneEnd = (id: string): string | undefined => {
    const node = previous.workloads.get(id) ?? previous.ingresses.get(id);
    if (!node) return undefined;
    const drawnId = `@removed:${id}`;
    if (!has(drawnId)) {
      const kind = node.kind;
      const box = namespaceId(node.namespace);
      const parent = containerIds.has(box) ? box : containerIds.has(CLUSTER_ID) ? CLUSTER_ID : undefined;
      const shape: RemovedShape = {
        kind: 'removed', id: drawnId, parent, name: node.name, namespace: node.namespace, objectKind: kind,
        title: `${kind} ${node.namespace}/${node.name}: in the previous input, not in this one`,
      };
      extra.set(drawnId, shape);
    }
    return drawnId;
  };
  const endpoint = (id: string, side: 'source' | 'destination'): string | undefined => {
    if (current.externals.has(id) || previous.externals.has(id) || id === 'external' || id.startsWith('ipblock:')) return outsideEnd(id, side);
    const now = projection.nodeOf.get(id);
    if (now !== undefined) return now;
    if (current.workloads.has(id) || current.ingresses.has(id) || current.services.has(id)) return undefined;
    return goneEnd(id);
  };

  const pairs = new Map<string, RemovedPair>();
  const add = (source: string, target: string, ports: PortSet, via: readonly string[], note: string, any: boolean) => {
    if (source === target) return;
    const key = `${source}\u0000${target}`;
    const pair = pairs.get(key) ?? { source, target, ports, via: new Set<string>(), notes: [], any };
    pair.ports = unionPortSets([pair.ports, ports]);
    for (const v of via) pair.via.add(v);
    pair.notes.push(note);
    pairs.set(key, pair);
  };
  for (const c of changes.removedFlows) {
    const s = endpoint(c.from, 'source');
    const t = endpoint(c.to, 'destination');
    if (s !== undefined && t !== undefined) add(s, t, c.before, c.via, changeNote(c), false);
  }
  for (const direction of ['ingress', 'egress'] as const) {
    // per drawn shape, the workloads no longer open in this direction
    const ends = new Map<string, string[]>();
    for (const c of changes.closed) {
      if (c.direction !== direction) continue;
      const end = endpoint(c.id, direction === 'ingress' ? 'destination' : 'source');
      if (end !== undefined) ends.set(end, [...(ends.get(end) ?? []), c.id]);
    }
    if (ends.size === 0) continue;
    // as for the unrestricted edges themselves: a namespace box whose every workload closed stands for them all
    for (const c of containers) {
      if (c.kind !== 'namespace') continue;
      const inBox = [...drawn.values()].filter((n) => n.kind === 'workload' && n.parent === c.id).map((n) => n.id);
      if (inBox.length < 2 || !inBox.every((id) => ends.has(id))) continue;
      ends.set(c.id, inBox.flatMap((id) => ends.get(id)!));
      for (const id of inBox) ends.delete(id);
    }
    const anyId = direction === 'ingress' ? ANY_SOURCE : ANY_DESTINATION;
    if (!has(anyId)) extra.set(anyId, anyShape(anyId, direction === 'ingress' ? 'source' : 'destination'));
    for (const [end, ids] of ends) {
      for (const id of ids) {
        const note = `- ${id} is no longer unrestricted for ${direction}`;
        if (direction === 'ingress') add(anyId, end, ALL_PORTS, [`default-allow:${direction}`], note, true);
        else add(end, anyId, ALL_PORTS, [`default-allow:${direction}`], note, true);
      }
    }
  }

  const edges: DiagramEdge[] = [];
  const kindOf = (id: string) => drawn.get(id)?.kind ?? extra.get(id)?.kind;
  for (const p of [...pairs.values()].sort((a, b) => compareStrings(a.source, b.source) || compareStrings(a.target, b.target))) {
    const targetKind = kindOf(p.target);
    const sourceKind = kindOf(p.source);
    const inOnBody = targetKind === 'workload' ? (p.any ? 'in:any' : 'in') : 'in';
    const outOnBody = sourceKind === 'workload' ? (p.any ? 'out:any' : 'out') : 'out';
    const notes = p.notes.slice(0, MAX_TITLE_LINES);
    if (p.notes.length > MAX_TITLE_LINES) notes.push(`… and ${p.notes.length - MAX_TITLE_LINES} more`);
    edges.push({
      id: `${p.source}->${p.target}#removed`, source: p.source, target: p.target,
      ...(sourceKind === undefined || p.source.startsWith('@ns:') ? {} : { sourcePort: outOnBody }),
      ...(targetKind === undefined || p.target.startsWith('@ns:') ? {} : { targetPort: inOnBody }),
      style: 'removed', label: `\u2212 ${p.any ? 'ALL' : formatPortLabel(p.ports)}`, strong: false,
      title: [
        'removed since the previous input: no longer allowed',
        formatPortTitle(p.ports),
        `was allowed by: ${[...p.via].sort(compareStrings).join(', ')}`,
        ...notes,
      ].join('\n'),
    });
  }
  return { edges, nodes: [...extra.values()].sort((a, b) => compareStrings(a.id, b.id)) };
}
