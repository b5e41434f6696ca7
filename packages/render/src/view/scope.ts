import { boundaryNumbers, type CdeScope } from '@netdiagram/core';
import type { BoundaryMark } from './marks.js';
import type { Projection } from './projection.js';
import type { DiagramContainer, DiagramNode, DiagramScope, ScopeZone } from './types.js';

/** The label of the CDE zone, on its box and in the legend. */
export const CDE_LABEL = 'CDE \u2014 PCI DSS scope';

const ZONE_RANK: Readonly<Record<ScopeZone, number>> = { 'out-of-scope': 0, connected: 1, cde: 2 };

/** The zone of a graph node (outside addresses have none). */
export function graphZone(scope: CdeScope | undefined, id: string): ScopeZone | undefined {
  const zone = scope?.zones[id];
  return zone === undefined || zone === 'external' ? undefined : zone;
}

/** Looks up the boundary number of a graph flow. */
export function boundaryLookup(scope: CdeScope): (source: string, target: string) => BoundaryMark | undefined {
  const byFlow = boundaryNumbers(scope);
  return (source, target) => {
    const f = byFlow.get(`${source}\u0000${target}`);
    return f ? { id: f.id, direction: f.direction } : undefined;
  };
}

/** The namespaces holding a CDE workload: they stay expanded when other namespaces collapse. */
export function cdeNamespaces(scope: CdeScope): Set<string> {
  return new Set(scope.cde.map((m) => m.id.slice(0, m.id.indexOf('/'))));
}

/**
 * The zone of a drawn node: its graph node's zone, or for a node standing for several (a group of
 * identical workloads, a peer group, a collapsed namespace) the most sensitive zone among them.
 */
export function drawnZoneLookup(scope: CdeScope, projection: Projection): (drawnId: string) => ScopeZone | undefined {
  return (drawnId) => {
    const members = projection.members.get(drawnId);
    const ids = members && members.length > 0 ? members : [drawnId];
    let best: ScopeZone | undefined;
    for (const id of ids) {
      const zone = graphZone(scope, id);
      if (zone !== undefined && (best === undefined || ZONE_RANK[zone] > ZONE_RANK[best])) best = zone;
    }
    return best;
  };
}

function zoneText(scope: CdeScope, node: DiagramNode, zone: ScopeZone): string {
  switch (zone) {
    case 'cde': {
      const member = node.kind === 'workload' && node.count === 1 ? scope.cde.find((m) => m.id === node.id) : undefined;
      return `PCI DSS scope: in the CDE${member ? ` (${member.reasons.join('; ')})` : ''}`;
    }
    case 'connected': return 'PCI DSS scope: connected-to the CDE (an allowed flow to or from it)';
    case 'out-of-scope': return 'PCI DSS scope: out of scope';
  }
}

/**
 * Puts the scope into the drawing: every cluster shape gets its zone (and a tooltip line saying
 * it); a namespace whose shapes are all in the CDE becomes the CDE zone itself, one whose shapes are
 * all out of scope is shaded, and a namespace with some CDE shapes gets a CDE box around them.
 */
export function applyScope(
  scope: CdeScope,
  nodes: readonly DiagramNode[],
  containers: readonly DiagramContainer[],
  zoneOf: (drawnId: string) => ScopeZone | undefined,
): { nodes: DiagramNode[]; containers: DiagramContainer[] } {
  const zoned = nodes.map((n): DiagramNode => {
    if (n.kind === 'external' || n.kind === 'any' || n.kind === 'removed' || n.kind === 'volume') return n;
    const zone = n.kind === 'peer-group' ? zoneOf(n.members[0]!) : zoneOf(n.id);
    return zone === undefined ? n : { ...n, zone, title: `${n.title}\n${zoneText(scope, n, zone)}` };
  });
  const parentOf = new Map<string, string>();
  const out: DiagramContainer[] = [];
  for (const c of containers) {
    if (c.kind !== 'namespace') {
      out.push(c);
      continue;
    }
    const children = zoned.filter((n) => n.parent === c.id);
    const cde = children.filter((n) => n.zone === 'cde');
    if (children.length > 0 && cde.length === children.length) {
      out.push({ ...c, zone: 'cde', title: `${c.title}\n${CDE_LABEL}: every workload here is in the CDE` });
    } else if (cde.length > 0) {
      out.push(c);
      const id = `@cde:${c.id.slice('@ns:'.length)}`;
      out.push({ kind: 'cde', id, parent: c.id, label: CDE_LABEL, title: `${CDE_LABEL}: the CDE workloads of ${c.title}` });
      for (const n of cde) parentOf.set(n.id, id);
    } else if (children.length > 0 && children.every((n) => n.zone === 'out-of-scope')) {
      out.push({ ...c, zone: 'out-of-scope', title: `${c.title}\nout of PCI DSS scope` });
    } else {
      out.push(c);
    }
  }
  return {
    nodes: zoned.map((n) => (parentOf.has(n.id) ? { ...n, parent: parentOf.get(n.id)! } : n)),
    containers: out,
  };
}

/** What the title block and the boundary table say about the scope. */
export function diagramScope(scope: CdeScope): DiagramScope {
  return { selectors: scope.selectors, cdeWorkloads: scope.cde.length, connected: scope.connected.length, boundary: scope.boundary };
}
