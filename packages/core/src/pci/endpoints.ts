import { didYouMean } from '../manifests/did-you-mean.js';
import { parseAddress, parseCidr, type AddressRange } from '../model/ipblock.js';
import { isServiceBackend, workloadSubject } from '../policy/subjects.js';
import { matchesSelector, type Labels, type Selector } from '../model/selectors.js';
import type { Cluster, IngressObject, Service, Workload } from '../model/types.js';
import type { AddressSubject, PodSubject } from '../policy/evaluate.js';

/** What a name on the command line refers to. */
export type Endpoint =
  | { readonly kind: 'workload'; readonly id: string; readonly workload: Workload }
  | { readonly kind: 'service'; readonly id: string; readonly service: Service; readonly backends: readonly Workload[] }
  | { readonly kind: 'ingress'; readonly id: string; readonly ingress: IngressObject }
  | { readonly kind: 'address'; readonly id: string; readonly ranges: readonly AddressRange[] };

/** A resolved endpoint, or why the name resolves to nothing. */
export type ResolvedEndpoint = { readonly ok: true; readonly endpoint: Endpoint } | { readonly ok: false; readonly reason: string };

/**
 * Resolves a name to a workload, Service, Ingress/Route, or outside address. Accepted: a full id
 * (`shop/web[Deployment]`, `shop/web[Service]`, `shop/web[Ingress]`), `namespace/name` or a bare
 * name for a workload, an IP address (`10.1.2.3`) or a CIDR (`203.0.113.0/24`).
 */
export function resolveEndpoint(cluster: Cluster, text: string): ResolvedEndpoint {
  const address = parseAddress(text);
  if (address) return { ok: true, endpoint: { kind: 'address', id: text, ranges: [address] } };
  if (/^[0-9a-fA-F.:]+\/\d+$/.test(text)) {
    const cidr = parseCidr(text);
    if (!cidr.ok) return { ok: false, reason: `"${text}" is not a valid CIDR: ${cidr.reason}` };
    return { ok: true, endpoint: { kind: 'address', id: cidr.canonical, ranges: [cidr.range] } };
  }
  const workload = cluster.workloads.find((w) => w.id === text);
  if (workload) return { ok: true, endpoint: { kind: 'workload', id: workload.id, workload } };
  const service = cluster.services.find((s) => s.id === text);
  if (service) return { ok: true, endpoint: { kind: 'service', id: service.id, service, backends: backendsOf(cluster, service) } };
  const ingress = cluster.ingresses.find((i) => i.id === text);
  if (ingress) return { ok: true, endpoint: { kind: 'ingress', id: ingress.id, ingress } };

  // shorter names pick a workload: `namespace/name`, or a name unique across namespaces
  const slash = text.indexOf('/');
  const candidates = slash >= 0
    ? cluster.workloads.filter((w) => `${w.namespace}/${w.name}` === text)
    : cluster.workloads.filter((w) => w.name === text);
  if (candidates.length === 1) return { ok: true, endpoint: { kind: 'workload', id: candidates[0]!.id, workload: candidates[0]! } };
  if (candidates.length > 1) return { ok: false, reason: `"${text}" is ambiguous: ${candidates.map((w) => w.id).join(', ')}` };
  // a typo would otherwise read as "not in the input": name the nearest id, or the nearest short name
  const ids = [...cluster.workloads.map((w) => w.id), ...cluster.services.map((s) => s.id), ...cluster.ingresses.map((i) => i.id)];
  const near = didYouMean(text, ids)
    ?? didYouMean(text, cluster.workloads.map((w) => (slash >= 0 ? `${w.namespace}/${w.name}` : w.name)));
  return { ok: false, reason: `"${text}" names no workload, Service or Ingress in the input, and is not an IP address or CIDR${near ? ` (did you mean ${near}?)` : ''}` };
}

/** The workloads a Service selects: same namespace, every selector label equal. */
export function backendsOf(cluster: Cluster, service: Service): Workload[] {
  return cluster.workloads.filter((w) => isServiceBackend(service, w));
}

/** The pod subject the evaluator judges for a workload. Pod IPs count only when pod CIDRs are known. */
export function podSubjectOf(cluster: Cluster, w: Workload, options: { readonly podCidrs?: readonly AddressRange[] } = {}): PodSubject {
  const ns = cluster.namespaces.find((n) => n.name === w.namespace);
  return workloadSubject(w, ns?.labels, { withPodIPs: (options.podCidrs ?? []).length > 0 });
}

/** The evaluator's subject for a set of outside addresses. */
export function addressSubject(ranges: readonly AddressRange[]): AddressSubject {
  return { kind: 'address', ranges };
}

/** Workloads matching a pod selector and, optionally, a namespace selector. */
export function selectWorkloads(
  cluster: Cluster,
  pods: Selector,
  namespaces?: Selector,
): Workload[] {
  const labelsOf = new Map<string, Labels>(cluster.namespaces.map((n) => [n.name, n.labels]));
  return cluster.workloads.filter((w) =>
    matchesSelector(pods, w.labels) &&
    (namespaces === undefined || matchesSelector(namespaces, labelsOf.get(w.namespace) ?? { 'kubernetes.io/metadata.name': w.namespace })));
}
