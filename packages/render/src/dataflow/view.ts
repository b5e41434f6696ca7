import type { AccountDataFlow, AccountDataModel, CdeScope, TrafficGraph } from '@netdiagram/core';
import { STORE_PORT } from '../shapes/workload.js';
import { buildView } from '../view/build.js';
import type { DataStoreShape, DetailOption, DiagramEdge, DiagramNode, DiagramView } from '../view/types.js';
import { dataFlowGraph } from './graph.js';

/** Options for `buildDataFlowView`. */
export interface DataFlowViewOptions {
  readonly detail?: DetailOption;
  /** The CDE scope: the same zones and boundary numbers (F1, …) as the network diagram. */
  readonly scope?: CdeScope;
}

/** The drawn id of a `stores` workload's data store. */
export const dataStoreId = (workload: string): string => `@store:${workload}`;

/** `ENTRY` / `EXIT` marks on outside shapes: where account data enters and leaves the cluster. */
export const ENTRY_MARK = 'ENTRY: account data in';
export const EXIT_MARK = 'EXIT: account data out';

/**
 * The data-flow diagram (PCI DSS 1.2.4), built by the network diagram's own view from the part of
 * the graph that carries account data, then marked: each account-data workload with its roles, a
 * cylinder for each `stores` workload's data, each outside set with its party (or `untrusted
 * network`) and ENTRY or EXIT, and each edge with its D-number and the policies that allow it.
 */
export function buildDataFlowView(graph: TrafficGraph, model: AccountDataModel, options: DataFlowViewOptions = {}): DiagramView {
  const sub = dataFlowGraph(graph, model);
  const view = buildView(sub, { detail: options.detail ?? 'auto', ...(options.scope ? { scope: options.scope } : {}) });
  const handlers = new Map(model.handlers.map((h) => [h.id, h]));
  const outside = new Map(model.outside.map((o) => [o.id, o]));
  const byPair = new Map(model.flows.map((f) => [`${f.from}\u0000${f.to}`, f]));

  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  for (const n of view.nodes) {
    if (n.kind === 'workload' && handlers.has(n.id)) {
      const h = handlers.get(n.id)!;
      nodes.push({ ...n, accountData: { roles: h.roles, flows: h.flows }, title: `${n.title}\naccount data: ${h.roles.join(', ')} (annotation on the ${h.declaredOn}: the team's statement)${h.flows.length > 0 ? `\ndata flows: ${h.flows.join(', ')}` : ''}` });
      if (h.roles.includes('stores')) {
        const store: DataStoreShape = {
          kind: 'data-store', id: dataStoreId(h.id), parent: n.parent, workload: h.id,
          lines: ['account data (stored)', ...(h.flows.length > 0 ? [h.flows.join(', ')] : [])],
          title: `account data stored by ${h.id}, as its netdiagram.io/account-data annotation states`,
          ...(n.zone ? { zone: n.zone } : {}),
        };
        nodes.push(store);
        edges.push({
          id: `${h.id}->${store.id}#route`, source: h.id, sourcePort: STORE_PORT, target: store.id, targetPort: 'in',
          style: 'route', label: '', strong: false, title: `${h.id} stores account data\nstorage, not a network flow`,
        });
      }
    } else if (n.kind === 'external') {
      const end = outside.get(graphId(n.id));
      const who = end && end.parties.length > 0 ? end.parties.map((p) => `${p.kind}: ${p.name}`).join(', ') : 'untrusted network';
      nodes.push({
        ...n, lines: [who, ...n.lines, n.side === 'source' ? ENTRY_MARK : EXIT_MARK],
        title: `${n.title}\n${end && end.parties.length > 0 ? `declared part${end.parties.length === 1 ? 'y' : 'ies'} ${end.parties.map((p) => `${p.name} (${p.kind})`).join(', ')}` : `untrusted network${end && end.overlaps.length > 0 ? `, holding addresses of ${end.overlaps.join(', ')}` : ''}`}`,
      });
    } else nodes.push(n);
  }
  for (const e of view.edges) {
    // routes (Ingress → Service → pod) are structure: a drawn route may end on the pod that carries the Service
    const route = e.style === 'route' || e.style === 'broken-route';
    // … but the route from outside to a LoadBalancer or NodePort Service is the door of an entry: it carries the entry's number
    const doors = route ? model.flows.filter((f) => f.from === graphId(e.source) && (f.exposedThrough.includes(graphId(e.target)) || f.to === graphId(e.target)) && f.via.length === 0 && f.exposedThrough.length > 0) : [];
    if (doors.length > 0) {
      edges.push({ ...e, label: doors.map((f) => f.id).join(', '), title: `${e.title}\n${doors.map((f) => `account-data flow ${f.id} (entry, exposed by ${f.exposedBy.join(', ')})`).join('\n')}` });
      continue;
    }
    const f = route ? undefined : byPair.get(`${graphId(e.source)}\u0000${graphId(e.target)}`);
    edges.push(f ? { ...e, label: `${f.id} ${e.label} · ${policiesText(f)}`, title: `${e.title}\naccount-data flow ${f.id} (${f.kind})${f.explainedBy.length > 0 ? `: ${f.explainedBy.join(', ')}` : ''}` } : e);
  }
  nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { ...view, nodes, edges, stats: { ...view.stats, drawnNodes: nodes.length } };
}

/** The graph id of a drawn shape: outside sets are drawn once per side (`…@in`, `…@out`). */
function graphId(drawn: string): string {
  return drawn.replace(/@(in|out)$/, '');
}

/** `pay/allow-vault`, `pay/a, pay/b`, `pay/a +2`, the exposing Service when no rule is involved, or `default-allow` when no policy isolates a side. */
export function policiesText(f: Pick<AccountDataFlow, 'policies' | 'via' | 'exposedBy'>): string {
  if (f.policies.length === 0 && f.via.length === 0 && f.exposedBy.length > 0) return `exposed by ${f.exposedBy.join(', ')}`;
  if (f.policies.length === 0) return 'default-allow';
  if (f.policies.length <= 2) return f.policies.join(', ');
  return `${f.policies[0]} +${f.policies.length - 1}`;
}
