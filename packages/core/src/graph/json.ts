import { formatPorts, portsToJson, type PortJson } from '../model/ports.js';
import { listEndpoints, listFlows, type Flow, type FlowListOptions } from './flow-list.js';
import type { NodeAttributes, TrafficGraph } from './types.js';

export type EndpointJson =
  | { readonly id: string; readonly type: 'workload'; readonly kind: string; readonly namespace: string; readonly name: string }
  | { readonly id: string; readonly type: 'external'; readonly ips: readonly string[]; readonly name: string; readonly domains?: readonly string[] }
  | { readonly id: string; readonly type: 'ingress'; readonly kind: 'Ingress' | 'Route' | 'Gateway'; readonly namespace: string; readonly name: string }
  | { readonly id: string; readonly type: 'service'; readonly kind: 'Service'; readonly namespace: string; readonly name: string; readonly serviceType: string };

export interface ConnectionJson {
  readonly from: string;
  readonly to: string;
  /** `"all"`: every port of TCP, UDP and SCTP. */
  readonly ports: 'all' | readonly PortJson[];
  readonly via: readonly string[];
  readonly partial?: true;
  /** A rule admitting the flow also matches on HTTP fields (Calico `http`), not evaluated: only some requests pass. */
  readonly l7Restricted?: true;
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

/**
 * The canonical JSON form of a traffic graph: fixed key order, sorted by id and by (from, to). The
 * same for a graph built with `openFlows: 'omit'` as with `edges`: the omitted flows are listed.
 */
export function toGraphJson(graph: TrafficGraph): TrafficGraphJson {
  return {
    endpoints: listEndpoints(graph).map(({ id, node }) => toEndpointJson(id, node)),
    connections: [...listFlows(graph)].map(toConnectionJson),
    routes: toRoutesJson(graph),
  };
}

/** One endpoint as `toGraphJson` lists it. */
export function toEndpointJson(id: string, a: NodeAttributes): EndpointJson {
  switch (a.type) {
    case 'workload':
      return { id, type: 'workload', kind: a.kind, namespace: a.namespace, name: a.name };
    case 'external':
      return { id, type: 'external', ips: a.ips, name: a.label, ...(a.domains ? { domains: a.domains } : {}) };
    case 'ingress':
      return { id, type: 'ingress', kind: a.kind, namespace: a.namespace, name: a.name };
    case 'service':
      return { id, type: 'service', kind: 'Service', namespace: a.namespace, name: a.name, serviceType: a.serviceType };
  }
}

/** One flow as `toGraphJson` lists it. */
export function toConnectionJson({ source, target, verdict }: Flow): ConnectionJson {
  return { from: source, to: target, ports: portsToJson(verdict.ports), via: verdict.via, ...(verdict.partial ? { partial: true as const } : {}), ...(verdict.l7 ? { l7Restricted: true as const } : {}) };
}

/** The graph's routes as `toGraphJson` lists them, sorted by (from, to). */
export function toRoutesJson(graph: TrafficGraph): RouteJson[] {
  const routes: RouteJson[] = [];
  graph.forEachEdge((_key, a, source, target) => {
    if (a.type === 'route') routes.push({ from: source, to: target, ports: portsToJson(a.ports), ...(a.unresolved ? { unresolved: true as const } : {}) });
  });
  return routes.sort((x, y) => (x.from < y.from ? -1 : x.from > y.from ? 1 : x.to < y.to ? -1 : x.to > y.to ? 1 : 0));
}

/** One `from => to : ports` line per allowed flow, sorted (netpol-analyzer's txt notation). */
export function formatConnectionLines(graph: TrafficGraph, options: FlowListOptions = {}): string[] {
  const lines: string[] = [];
  for (const flow of listFlows(graph, options)) lines.push(formatConnectionLine(flow));
  return lines.sort();
}

/** `from => to : ports`, with ` (partial)` for a flow allowed only through part of an ipBlock. */
export function formatConnectionLine({ source, target, verdict }: Flow): string {
  return `${source} => ${target} : ${formatPorts(verdict.ports)}${verdict.partial ? ' (partial)' : ''}${verdict.l7 ? ' (L7-restricted)' : ''}`;
}
