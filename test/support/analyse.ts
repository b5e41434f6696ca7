import { buildTrafficGraph, formatPorts, parseManifests, toGraphJson, type GraphOptions, type ParseOptions } from '@netdiagram/core';

/** Parses inline YAML (one source per argument) and returns the allowed flows as `from => to` → ports text. */
export function flowsOf(texts: string | readonly string[], options: GraphOptions & ParseOptions = {}): Map<string, string> {
  const { graph } = analyse(texts, options);
  const flows = new Map<string, string>();
  graph.forEachEdge((_key, a, s, t) => {
    if (a.type === 'flow') flows.set(`${s} => ${t}`, formatPorts(a.ports));
  });
  return flows;
}

/** Parses inline YAML and builds the graph; returns both with the diagnostics. */
export function analyse(texts: string | readonly string[], options: GraphOptions & ParseOptions = {}) {
  const list = typeof texts === 'string' ? [texts] : texts;
  const parsed = parseManifests(list.map((text, i) => ({ name: `input-${i}.yaml`, text })), {
    ...(options.namespace ? { namespace: options.namespace } : {}), ...(options.selectors ? { selectors: options.selectors } : {}),
    ...(options.lenient ? { lenient: true } : {}), ...(options.cni ? { cni: options.cni } : {}),
  });
  const graph = buildTrafficGraph(parsed.cluster, options);
  return { parsed, graph, json: toGraphJson(graph) };
}

/** A bare pod manifest. */
export function pod(namespace: string, name: string, labels: Record<string, string>, ports: { name?: string; containerPort: number; protocol?: string }[] = []): string {
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'c', image: 'x', ports }] },
  });
}

export function namespace(name: string, labels: Record<string, string> = {}): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
}

export function policy(namespace: string, name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
}

/** Joins manifests into one multi-document YAML text. */
export function docs(...manifests: string[]): string {
  return manifests.join('\n---\n');
}

/** A Calico object (projectcalico.org/v3); `namespace` undefined for the cluster-wide kinds. */
export function calico(kind: string, name: string, namespace: string | undefined, spec: Record<string, unknown>, labels?: Record<string, string>): string {
  return JSON.stringify({ apiVersion: 'projectcalico.org/v3', kind, metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) }, spec });
}
