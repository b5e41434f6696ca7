import type { ExternalNode, FlowEdge, IngressNode, RouteEdge, ServiceNode, TrafficGraph, WorkloadNode } from '@netdiagram/core';

/** Ordinal comparison of strings, the same on every machine (no locale). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface GraphFlow {
  readonly source: string;
  readonly target: string;
  readonly flow: FlowEdge;
}

export interface GraphRoute {
  readonly source: string;
  readonly target: string;
  readonly route: RouteEdge;
}

export interface PersistentVolumeData {
  readonly name: string;
  readonly provider?: string;
  readonly claims: readonly string[];
}

/** The traffic graph read into sorted plain maps and lists, the form every view step works on. */
export interface GraphData {
  readonly workloads: ReadonlyMap<string, WorkloadNode>;
  readonly services: ReadonlyMap<string, ServiceNode>;
  readonly ingresses: ReadonlyMap<string, IngressNode>;
  readonly externals: ReadonlyMap<string, ExternalNode>;
  readonly flows: readonly GraphFlow[];
  /** Flows between sides that are both default-allow, left out of the graph (`openFlows: 'omit'`): counted, drawn as ANY edges. */
  readonly omittedOpenFlows: number;
  readonly routes: readonly GraphRoute[];
  /** PersistentVolumes and the claims bound to them (`namespace/name`), by name. */
  readonly persistentVolumes: readonly PersistentVolumeData[];
  /** Namespace names, sorted: declared ones and any an object uses. */
  readonly namespaces: readonly string[];
}

/** Reads the graph in id order, so the result does not depend on insertion order. */
export function readGraph(graph: TrafficGraph): GraphData {
  const workloads = new Map<string, WorkloadNode>();
  const services = new Map<string, ServiceNode>();
  const ingresses = new Map<string, IngressNode>();
  const externals = new Map<string, ExternalNode>();
  const namespaces = new Set<string>(graph.getAttribute('namespaces').map((n) => n.name));
  for (const id of graph.nodes().sort(compareStrings)) {
    const a = graph.getNodeAttributes(id);
    switch (a.type) {
      case 'workload':
        workloads.set(id, a);
        namespaces.add(a.namespace);
        break;
      case 'service':
        services.set(id, a);
        namespaces.add(a.namespace);
        break;
      case 'ingress':
        ingresses.set(id, a);
        namespaces.add(a.namespace);
        break;
      case 'external':
        externals.set(id, a);
        break;
    }
  }
  const flows: GraphFlow[] = [];
  const routes: GraphRoute[] = [];
  graph.forEachEdge((_key, a, source, target) => {
    if (a.type === 'flow') flows.push({ source, target, flow: a });
    else routes.push({ source, target, route: a });
  });
  const byPair = (x: { source: string; target: string }, y: { source: string; target: string }) =>
    compareStrings(x.source, y.source) || compareStrings(x.target, y.target);
  return {
    workloads, services, ingresses, externals, flows: flows.sort(byPair), routes: routes.sort(byPair), namespaces: [...namespaces].sort(compareStrings),
    omittedOpenFlows: graph.getAttribute('omittedOpenFlows') ?? 0,
    persistentVolumes: [...(graph.getAttribute('persistentVolumes') ?? [])]
      .map((v) => ({ ...v, claims: [...v.claims].sort(compareStrings) }))
      .sort((a, b) => compareStrings(a.name, b.name)),
  };
}
