import type { AccountDataModel, TrafficGraph } from '@netdiagram/core';

/**
 * The part of the traffic graph a data-flow diagram draws: the account-data workloads, the outside
 * address sets their account-data flows reach, those flows, and the Services and Ingresses in front
 * of the workloads (structure: where data enters through the ingress controller or a load
 * balancer). Node and edge keys and attributes are the graph's own, so the drawing keeps the
 * network diagram's ids and boundary numbers.
 */
export function dataFlowGraph(graph: TrafficGraph, model: AccountDataModel): TrafficGraph {
  const sub = graph.nullCopy() as TrafficGraph;
  const handlers = new Set(model.handlers.map((h) => h.id));
  const keep = new Set<string>(handlers);
  for (const f of model.flows) {
    keep.add(f.from);
    keep.add(f.to);
  }
  // Services with a handler among their backends, and what routes to them (Ingresses, outside addresses)
  const services = new Set<string>();
  graph.forEachEdge((_key, a, source, target) => {
    if (a.type === 'route' && handlers.has(target) && graph.getNodeAttribute(source, 'type') === 'service') services.add(source);
  });
  graph.forEachEdge((_key, a, source, target) => {
    if (a.type === 'route' && services.has(target)) keep.add(source);
  });
  for (const s of services) keep.add(s);
  for (const id of [...keep].sort()) sub.addNode(id, graph.getNodeAttributes(id));

  const flowPairs = new Set(model.flows.map((f) => `${f.from}\u0000${f.to}`));
  graph.forEachEdge((key, a, source, target) => {
    if (!keep.has(source) || !keep.has(target)) return;
    if (a.type === 'flow' && !flowPairs.has(`${source}\u0000${target}`)) return;
    // a Service's route to a backend that is no handler is another workload's business
    if (a.type === 'route' && graph.getNodeAttribute(target, 'type') === 'workload' && !handlers.has(target)) return;
    sub.addDirectedEdgeWithKey(key, source, target, a);
  });

  const namespaces = new Set<string>();
  sub.forEachNode((_id, a) => {
    if (a.type !== 'external') namespaces.add(a.namespace);
  });
  sub.setAttribute('namespaces', graph.getAttribute('namespaces').filter((n) => namespaces.has(n.name)));
  sub.setAttribute('diagnostics', []);
  sub.setAttribute('omittedOpenFlows', 0);
  sub.removeAttribute('openExternals');
  // the volumes bound to the handlers' claims: where the stored data physically is
  const claims = [...handlers].flatMap((id) => {
    const w = graph.getNodeAttributes(id);
    return w.type === 'workload' ? w.uses.filter((u) => u.kind === 'PersistentVolumeClaim').map((u) => ({ w, name: u.name })) : [];
  });
  const boundToHandler = (claim: string) => claims.some(({ w, name }) => {
    if (!claim.startsWith(`${w.namespace}/`)) return false;
    const claimName = claim.slice(w.namespace.length + 1);
    return claimName === name || (w.kind === 'StatefulSet' && claimName.startsWith(`${name}-${w.name}-`));
  });
  sub.setAttribute('persistentVolumes', (graph.getAttribute('persistentVolumes') ?? []).filter((v) => v.claims.some(boundToHandler)));
  return sub;
}
