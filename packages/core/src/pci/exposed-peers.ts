import { selectorImplies } from '../exposure/containment.js';
import { NAMESPACE_NAME_LABEL } from '../model/labels.js';
import { isEntireCluster, type RepresentativePeer } from '../exposure/peer.js';
import { formatSelector, matchesSelector, type Labels, type Selector } from '../model/selectors.js';
import type { Namespace, Workload } from '../model/types.js';
import { ZONE_ANNOTATION } from '../model/zone.js';

/**
 * How far a representative peer reaches, for the audit: `unlisted` when it takes in pods of
 * namespaces nobody named (the entire cluster, every namespace, or namespaces chosen by a label
 * other than `kubernetes.io/metadata.name`, which any namespace can be given tomorrow), `namespace`
 * when it stays inside one named namespace.
 */
export function peerReach(peer: RepresentativePeer): 'unlisted' | 'namespace' {
  return 'namespace' in peer ? 'namespace' : 'unlisted';
}

/**
 * Whether every pod a peer stands for is in the CDE, from the selectors alone: its pod selector
 * implies a CDE selector, or its namespace (named, or chosen by a selector that implies a CDE
 * selector) is in the CDE by label or annotation. Conservative: no means "cannot tell", and the
 * peer is then treated as crossing the boundary.
 */
export function peerInsideCde(peer: RepresentativePeer, cdeSelectors: readonly Selector[], namespaces: ReadonlyMap<string, Namespace>): boolean {
  if (cdeSelectors.some((s) => selectorImplies(peer.podSelector, s))) return true;
  if ('namespace' in peer) {
    const ns = namespaces.get(peer.namespace);
    if (ns?.annotations[ZONE_ANNOTATION] === 'cde') return true;
    const labels = ns?.labels ?? { [NAMESPACE_NAME_LABEL]: peer.namespace };
    return cdeSelectors.some((s) => s.requirements.length > 0 && matchesSelector(s, labels));
  }
  return cdeSelectors.some((s) => s.requirements.length > 0 && selectorImplies(peer.namespaceSelector, s));
}

/** Whether a workload of the input is one of the pods a peer stands for. */
export function peerHolds(peer: RepresentativePeer, workload: Workload, namespaceLabels: ReadonlyMap<string, Labels>): boolean {
  if (!matchesSelector(peer.podSelector, workload.labels)) return false;
  if ('namespace' in peer) return peer.namespace === workload.namespace;
  return matchesSelector(peer.namespaceSelector, namespaceLabels.get(workload.namespace) ?? { [NAMESPACE_NAME_LABEL]: workload.namespace });
}

/**
 * The peer in words, for tables and findings: `any pod in the cluster`, `any pod in namespace
 * checkout`, `pods app=api in namespaces team=x`, `pods k8s-app=kube-dns in any namespace`.
 */
export function describePeer(peer: RepresentativePeer): string {
  if (isEntireCluster(peer)) return 'any pod in the cluster';
  const pods = peer.podSelector.requirements.length === 0 ? 'any pod' : `pods ${formatSelector(peer.podSelector)}`;
  if ('namespace' in peer) return `${pods} in namespace ${peer.namespace}`;
  if (peer.namespaceSelector.requirements.length === 0) return `${pods} in any namespace`;
  return `${pods} in namespaces ${formatSelector(peer.namespaceSelector)}`;
}
