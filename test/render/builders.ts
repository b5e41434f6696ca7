import { buildTrafficGraph, computeScope, parseManifests, type CdeScope, type GraphOptions, type ScopeOptions, type TrafficGraph } from '@netdiagram/core';

/** Inline manifests for the renderer's tests: small builders over JSON (a subset of YAML). */

export function namespace(name: string, labels: Record<string, string> = {}): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
}

export function workload(
  namespace: string, name: string,
  options: { kind?: string; labels?: Record<string, string>; ports?: { name?: string; containerPort: number; protocol?: string }[]; replicas?: number; containers?: string[]; configMap?: string; secret?: string; claim?: string } = {},
): string {
  const kind = options.kind ?? 'Deployment';
  const labels = options.labels ?? { app: name };
  const containers = (options.containers ?? [name]).map((c, i) => ({ name: c, image: 'example/image:1', ...(i === 0 ? { ports: options.ports ?? [] } : {}) }));
  const volumes = [
    ...(options.configMap ? [{ name: 'config', configMap: { name: options.configMap } }] : []),
    ...(options.secret ? [{ name: 'secret', secret: { secretName: options.secret } }] : []),
    ...(options.claim ? [{ name: 'data', persistentVolumeClaim: { claimName: options.claim } }] : []),
  ];
  const podSpec = { containers, ...(volumes.length > 0 ? { volumes } : {}) };
  if (kind === 'Pod') return JSON.stringify({ apiVersion: 'v1', kind, metadata: { name, namespace, labels }, spec: podSpec });
  return JSON.stringify({
    apiVersion: 'apps/v1', kind, metadata: { name, namespace },
    spec: { ...(options.replicas !== undefined ? { replicas: options.replicas } : {}), selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
  });
}

export function service(namespace: string, name: string, selector: Record<string, string>, ports: { port: number; targetPort?: number | string; protocol?: string }[], type?: string): string {
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Service', metadata: { name, namespace },
    spec: { ...(type ? { type } : {}), selector, ports },
  });
}

export function ingress(namespace: string, name: string, host: string, serviceName: string, port: number): string {
  return JSON.stringify({
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace },
    spec: { rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: serviceName, port: { number: port } } } }] } }] },
  });
}

export function policy(namespace: string, name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
}

/** Default-deny in both directions for every pod of a namespace. */
export function denyAll(namespace: string): string {
  return policy(namespace, 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
}

/** A policy letting `from` (app label, in `fromNs`) reach `to` (app label, in `toNs`) on TCP `port`: egress and ingress halves. */
export function allow(fromNs: string, from: string, toNs: string, to: string, port: number): string[] {
  return [
    policy(fromNs, `${from}-to-${toNs}-${to}`, {
      podSelector: { matchLabels: { app: from } }, policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': toNs } }, podSelector: { matchLabels: { app: to } } }], ports: [{ protocol: 'TCP', port }] }],
    }),
    policy(toNs, `${to}-from-${fromNs}-${from}`, {
      podSelector: { matchLabels: { app: to } }, policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': fromNs } }, podSelector: { matchLabels: { app: from } } }], ports: [{ protocol: 'TCP', port }] }],
    }),
  ];
}

/** Parses manifests (one source each, or one multi-document text) and builds the traffic graph. */
export function graphOf(manifests: readonly string[], options: GraphOptions = {}): TrafficGraph {
  const parsed = parseManifests([{ name: 'input.yaml', text: manifests.join('\n---\n') }]);
  return buildTrafficGraph(parsed.cluster, options);
}

/** The graph and its PCI DSS scope (`computeScope` with these selectors). */
export function scopedGraphOf(manifests: readonly string[], scope: ScopeOptions): { graph: TrafficGraph; scope: CdeScope } {
  const parsed = parseManifests([{ name: 'input.yaml', text: manifests.join('\n---\n') }]);
  const graph = buildTrafficGraph(parsed.cluster);
  return { graph, scope: computeScope(parsed.cluster, graph, scope) };
}
