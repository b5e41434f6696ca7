import { formatPorts, portsToJson, type PortJson } from '../model/ports.js';
import type { TrafficGraph } from './types.js';

export type EndpointJson =
  | { readonly id: string; readonly type: 'workload'; readonly kind: string; readonly namespace: string; readonly name: string }
  | { readonly id: string; readonly type: 'external'; readonly ips: readonly string[]; readonly name: string }
  | { readonly id: string; readonly type: 'ingress'; readonly kind: 'Ingress' | 'Route'; readonly namespace: string; readonly name: string }
  | { readonly id: string; readonly type: 'service'; readonly kind: 'Service'; readonly namespace: string; readonly name: string; readonly serviceType: string };

export interface ConnectionJson {
  readonly from: string;
  readonly to: string;
  /** `"all"`: every port of TCP, UDP and SCTP. */
  readonly ports: 'all' | readonly PortJson[];
  readonly via: readonly string[];
  readonly partial?: true;
}

export interface RouteJson {
  readonly from: string;
  readonly to: string;
  /** `[]` with `unresolved: true`: no targetPort of the Service names a container port of the backend. */
  readonly ports: 'all' | readonly PortJson[];
  readonly unresolved?: true;
}

/** The public JSON contract of `netdiagram connections --format json`; fields are only ever added. */
export interface TrafficGraphJson {
  readonly endpoints: readonly EndpointJson[];
  readonly connections: readonly ConnectionJson[];
  readonly routes: readonly RouteJson[];
}

/** The canonical JSON form of a traffic graph: fixed key order, sorted by id and by (from, to). */
export function toGraphJson(graph: TrafficGraph): TrafficGraphJson {
  const endpoints: EndpointJson[] = [];
  graph.forEachNode((id, a) => {
    switch (a.type) {
      case 'workload':
        endpoints.push({ id, type: 'workload', kind: a.kind, namespace: a.namespace, name: a.name });
        break;
      case 'external':
        endpoints.push({ id, type: 'external', ips: a.ips, name: a.label });
        break;
      case 'ingress':
        endpoints.push({ id, type: 'ingress', kind: a.kind, namespace: a.namespace, name: a.name });
        break;
      case 'service':
        endpoints.push({ id, type: 'service', kind: 'Service', namespace: a.namespace, name: a.name, serviceType: a.serviceType });
        break;
    }
  });
  const connections: ConnectionJson[] = [];
  const routes: RouteJson[] = [];
  graph.forEachEdge((_key, a, source, target) => {
    if (a.type === 'flow') connections.push({ from: source, to: target, ports: portsToJson(a.ports), via: a.via, ...(a.partial ? { partial: true as const } : {}) });
    else routes.push({ from: source, to: target, ports: portsToJson(a.ports), ...(a.unresolved ? { unresolved: true as const } : {}) });
  });
  const byPair = (x: { from: string; to: string }, y: { from: string; to: string }) =>
    x.from < y.from ? -1 : x.from > y.from ? 1 : x.to < y.to ? -1 : x.to > y.to ? 1 : 0;
  return {
    endpoints: endpoints.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)),
    connections: connections.sort(byPair),
    routes: routes.sort(byPair),
  };
}

/** One `from => to : ports` line per allowed flow, sorted (netpol-analyzer's txt notation). */
export function formatConnectionLines(graph: TrafficGraph): string[] {
  const lines: string[] = [];
  graph.forEachEdge((_key, a, source, target) => {
    if (a.type === 'flow') lines.push(`${source} => ${target} : ${formatPorts(a.ports)}${a.partial ? ' (partial)' : ''}`);
  });
  return lines.sort();
}
