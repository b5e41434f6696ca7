import { compareStrings } from './view/graph-data.js';
import type { DiagramContainer, DiagramEdge, DiagramNode } from './view/types.js';

/**
 * The order in which traffic enters the drawn shapes, handed to ELK as the model order of each box's
 * children and as a direction priority on every edge (10 along the order, 0 against it), which
 * ELK's cycle breaking keeps pointing forward. (ELK's MODEL_ORDER cycle breaking throws in nested
 * boxes, and partitions are ignored there.) Untrusted sources first (outside addresses, ANY, Ingresses,
 * LoadBalancer and NodePort Services), then the workloads callers before callees, egress
 * destinations last. Where the flows form a cycle, the edges that point back are preferably the
 * weak ones: an edge that exists only because its target admits every peer says nothing about the
 * order of the pair (frontend may be reached by every service it calls, yet it calls them).
 *
 * The order inside the cluster is Eades, Lin and Smyth's greedy heuristic for a small feedback arc
 * set, on weighted edges (a weak edge weighs almost nothing), with ties broken by id so the order
 * depends on the view only.
 */
export function trafficOrder(
  nodes: readonly DiagramNode[], containers: readonly DiagramContainer[], edges: readonly DiagramEdge[],
): Map<string, number> {
  const tier = (n: DiagramNode): number => {
    switch (n.kind) {
      case 'external':
      case 'any':
        return n.side === 'source' ? 0 : 2;
      case 'representative':
        return n.side === 'destination' ? 2 : n.side === 'source' ? 0 : 1;
      case 'ingress':
        return 0;
      case 'service':
        return n.code === 'LB' || n.code === 'NP' ? 0 : 1;
      default:
        return 1;
    }
  };
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const ids = [...nodes.map((n) => n.id), ...containers.map((c) => c.id)].sort(compareStrings);
  const out = new Map<string, Map<string, number>>(ids.map((id) => [id, new Map()]));
  const into = new Map<string, Map<string, number>>(ids.map((id) => [id, new Map()]));
  for (const e of edges) {
    if (e.source === e.target || !out.has(e.source) || !out.has(e.target)) continue;
    const w = isWeak(e, byId.get(e.target)) ? 0.001 : 1;
    out.get(e.source)!.set(e.target, (out.get(e.source)!.get(e.target) ?? 0) + w);
    into.get(e.target)!.set(e.source, (into.get(e.target)!.get(e.source) ?? 0) + w);
  }
  const order = greedyOrder(ids, out, into);
  // tiers first, the greedy order inside each tier
  const position = new Map(order.map((id, i) => [id, i]));
  const tierOf = (id: string) => {
    const n = byId.get(id);
    return n ? tier(n) : 1;
  };
  const ranked = [...ids].sort((a, b) => tierOf(a) - tierOf(b) || position.get(a)! - position.get(b)!);
  return new Map(ranked.map((id, i) => [id, i]));
}

/** An edge into a workload whose policies admit every peer on every port: the target, not the pair, makes it. */
function isWeak(e: DiagramEdge, target: DiagramNode | undefined): boolean {
  if (e.style === 'route' || e.style === 'broken-route') return false;
  return target?.kind === 'workload' && (!target.ingressIsolated || target.ingressInNameOnly);
}

/** Eades–Lin–Smyth: sinks to the back, sources to the front, else the node whose out-weight most exceeds its in-weight. */
function greedyOrder(ids: readonly string[], out: Map<string, Map<string, number>>, into: Map<string, Map<string, number>>): string[] {
  const left = new Set(ids);
  const outW = new Map(ids.map((id) => [id, sum(out.get(id)!.values())]));
  const inW = new Map(ids.map((id) => [id, sum(into.get(id)!.values())]));
  const outN = new Map(ids.map((id) => [id, out.get(id)!.size]));
  const inN = new Map(ids.map((id) => [id, into.get(id)!.size]));
  const front: string[] = [];
  const back: string[] = [];
  const remove = (id: string) => {
    left.delete(id);
    for (const [t, w] of out.get(id)!) if (left.has(t)) { inW.set(t, inW.get(t)! - w); inN.set(t, inN.get(t)! - 1); }
    for (const [s, w] of into.get(id)!) if (left.has(s)) { outW.set(s, outW.get(s)! - w); outN.set(s, outN.get(s)! - 1); }
  };
  while (left.size > 0) {
    let changed = true;
    while (changed) {
      changed = false;
      for (const id of [...left]) {
        if (outN.get(id) === 0) { back.push(id); remove(id); changed = true; }
      }
      for (const id of [...left]) {
        if (inN.get(id) === 0) { front.push(id); remove(id); changed = true; }
      }
    }
    if (left.size === 0) break;
    let best: string | undefined;
    let bestDelta = -Infinity;
    for (const id of left) {
      const delta = outW.get(id)! - inW.get(id)!;
      if (delta > bestDelta) { best = id; bestDelta = delta; }
    }
    front.push(best!);
    remove(best!);
  }
  return [...front, ...back.reverse()];
}

function sum(values: Iterable<number>): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

