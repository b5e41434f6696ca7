import { ALL_PORTS, diffFlows, formatPorts, isEmptyPorts, type FlowChange, type PortSet, type TrafficGraph } from '@netdiagram/core';
import { formatPortLabel, formatPortTitle } from '../format.js';
import { ANY_DESTINATION, ANY_SOURCE, anyShape, externalShape } from './edges.js';
import { compareStrings, readGraph, type GraphData } from './graph-data.js';
import { isOpenSide } from './open-sides.js';
import type { Projection } from './projection.js';
import { unionPortSets } from './ports.js';
import type { DiagramChanges, DiagramEdge, DiagramNode } from './types.js';

const MAX_TITLE_LINES = 12;

/**
 * Staged Calico policies, for a diagram to draw beside the enforced flows: the graph of the enforced
 * policies and the graph were the staged ones enforced, both with every default-allow pair as an edge
 * (core's `previewStagedPolicies`). The drawn graph stays the enforced one.
 */
export interface StagedGraphs {
  readonly enforced: TrafficGraph;
  readonly staged: TrafficGraph;
  /** The staged policies each changed flow comes from, by `from\0to` (tooltips). */
  readonly policiesOf?: (from: string, to: string) => readonly string[];
}

/** The staged changes, read once per diagram. */
export interface PreparedStaged {
  readonly changes: readonly FlowChange[];
  readonly before: GraphData;
  readonly after: GraphData;
  readonly policiesOf: (from: string, to: string) => readonly string[];
  readonly counts: DiagramChanges;
}

export function prepareStaged(graphs: StagedGraphs): PreparedStaged {
  const changes = diffFlows(graphs.enforced, graphs.staged).changes;
  const count = (kind: FlowChange['change']) => changes.filter((c) => c.change === kind).length;
  return {
    changes, before: readGraph(graphs.enforced), after: readGraph(graphs.staged),
    policiesOf: graphs.policiesOf ?? (() => []),
    counts: { added: count('added'), removed: count('removed'), changed: count('changed') },
  };
}

interface StagedPair {
  readonly source: string;
  readonly target: string;
  readonly style: 'staged-add' | 'staged-remove';
  ports: PortSet;
  readonly notes: string[];
  readonly policies: Set<string>;
  readonly any: boolean;
}

/**
 * The dashed edges that draw what the staged policies would change, were they enforced: a
 * `staged-add` edge per drawn pair for the ports they would newly allow, a `staged-remove` edge for
 * the ports they would no longer allow. A workload the staged policies would open or isolate in a
 * direction gets one edge from or to ANY instead of one per pair, as the enforced diagram draws open
 * sides. Outside addresses the staged policies cut differently are drawn as their own outside shape.
 */
export function stagedEdges(
  prepared: PreparedStaged,
  current: GraphData,
  projection: Projection,
  drawn: ReadonlyMap<string, DiagramNode>,
): { edges: DiagramEdge[]; nodes: DiagramNode[] } {
  const { before, after } = prepared;
  const extra = new Map<string, DiagramNode>();
  const has = (id: string) => drawn.has(id) || extra.has(id);
  const isOutside = (id: string) => before.externals.has(id) || after.externals.has(id) || id === 'external' || id.startsWith('ipblock:');
  const endpoint = (id: string, side: 'source' | 'destination'): string | undefined => {
    if (isOutside(id)) {
      const drawnId = `${id}@${side === 'source' ? 'in' : 'out'}`;
      if (!has(drawnId)) {
        const node = current.externals.get(id) ?? before.externals.get(id) ?? after.externals.get(id)
          ?? { label: id.slice('ipblock:'.length).split(',').join(', '), ips: id.slice('ipblock:'.length).split(',') };
        extra.set(drawnId, externalShape(drawnId, node, side));
      }
      return drawnId;
    }
    return projection.nodeOf.get(id);
  };
  const open = (graph: GraphData, id: string, direction: 'ingress' | 'egress') => {
    const w = graph.workloads.get(id);
    return isOutside(id) || (w !== undefined && isOpenSide(w, direction));
  };

  const pairs = new Map<string, StagedPair>();
  const add = (source: string, target: string, style: StagedPair['style'], ports: PortSet, note: string, policies: readonly string[], any: boolean) => {
    if (source === target || isEmptyPorts(ports)) return;
    const key = `${source}\u0000${target}\u0000${style}`;
    const pair = pairs.get(key) ?? { source, target, style, ports, notes: [], policies: new Set<string>(), any };
    pair.ports = unionPortSets([pair.ports, ports]);
    pair.notes.push(note);
    for (const p of policies) pair.policies.add(p);
    pairs.set(key, pair);
  };
  for (const c of prepared.changes) {
    const s = endpoint(c.from, 'source');
    const t = endpoint(c.to, 'destination');
    if (s === undefined || t === undefined) continue;
    const policies = prepared.policiesOf(c.from, c.to);
    // a pair both of whose sides are open is drawn through ANY, before (removed ports) or after (added ports)
    if (!(open(after, c.from, 'egress') && open(after, c.to, 'ingress'))) {
      add(s, t, 'staged-add', c.addedPorts, `+ ${c.from} → ${c.to}: ${formatPorts(c.addedPorts)}`, policies, false);
    }
    if (!(open(before, c.from, 'egress') && open(before, c.to, 'ingress'))) {
      add(s, t, 'staged-remove', c.removedPorts, `\u2212 ${c.from} → ${c.to}: ${formatPorts(c.removedPorts)}`, policies, false);
    }
  }
  // sides the staged policies would open or isolate: one edge from or to ANY
  for (const [id, w] of before.workloads) {
    const now = after.workloads.get(id);
    const drawnId = projection.nodeOf.get(id);
    if (!now || drawnId === undefined) continue;
    for (const direction of ['ingress', 'egress'] as const) {
      const was = isOpenSide(w, direction);
      const is = isOpenSide(now, direction);
      if (was === is) continue;
      const anyId = direction === 'ingress' ? ANY_SOURCE : ANY_DESTINATION;
      if (!has(anyId)) extra.set(anyId, anyShape(anyId, direction === 'ingress' ? 'source' : 'destination'));
      const style = is ? 'staged-add' : 'staged-remove';
      const note = is ? `+ ${id} would be unrestricted for ${direction}` : `\u2212 ${id} would be isolated for ${direction}`;
      if (direction === 'ingress') add(anyId, drawnId, style, ALL_PORTS, note, [], true);
      else add(drawnId, anyId, style, ALL_PORTS, note, [], true);
    }
  }

  const edges: DiagramEdge[] = [];
  const kindOf = (id: string) => drawn.get(id)?.kind ?? extra.get(id)?.kind;
  const ordered = [...pairs.values()].sort((a, b) => compareStrings(a.source, b.source) || compareStrings(a.target, b.target) || compareStrings(a.style, b.style));
  for (const p of ordered) {
    const sourceKind = kindOf(p.source);
    const targetKind = kindOf(p.target);
    const notes = p.notes.slice(0, MAX_TITLE_LINES);
    if (p.notes.length > MAX_TITLE_LINES) notes.push(`… and ${p.notes.length - MAX_TITLE_LINES} more`);
    const adds = p.style === 'staged-add';
    const ports = p.any ? 'ALL' : formatPortLabel(p.ports);
    edges.push({
      id: `${p.source}->${p.target}#${p.style}`, source: p.source, target: p.target,
      ...(sourceKind === undefined || p.source.startsWith('@ns:') ? {} : { sourcePort: sourceKind === 'workload' && p.any ? 'out:any' : 'out' }),
      ...(targetKind === undefined || p.target.startsWith('@ns:') ? {} : { targetPort: targetKind === 'workload' && p.any ? 'in:any' : 'in' }),
      style: p.style, label: `staged ${adds ? '+' : '\u2212'} ${ports}`, strong: false,
      title: [
        adds ? 'staged, not enforced: would be allowed were the staged policies enforced' : 'staged, not enforced: allowed today, would no longer be allowed were the staged policies enforced',
        formatPortTitle(p.ports),
        ...(p.policies.size > 0 ? [`staged policies: ${[...p.policies].sort(compareStrings).join(', ')}`] : []),
        ...notes,
      ].join('\n'),
    });
  }
  return { edges, nodes: [...extra.values()].sort((a, b) => compareStrings(a.id, b.id)) };
}
