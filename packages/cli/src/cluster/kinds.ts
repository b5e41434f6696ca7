import { UNEVALUATED_POLICY_FAMILIES } from '@netdiagram/core';

/** A kind netdiagram lists from an API server, in its API group. */
export interface ClusterKind {
  /** `` for the core group (`/api/v1`). */
  readonly group: string;
  readonly kind: string;
  /**
   * The versions netdiagram models, in order of preference (the alpha network-policy-api kinds
   * exist in one version each). Absent: the group's preferred version, else the first the server
   * lists that serves the kind.
   */
  readonly versions?: readonly string[];
}

const inGroup = (group: string, kinds: readonly string[], versions?: readonly string[]): ClusterKind[] =>
  kinds.map((kind) => ({ group, kind, ...(versions ? { versions } : {}) }));

/**
 * Every kind netdiagram reads from a live cluster: the Kubernetes kinds the loader models, the
 * network-policy-api's cluster-wide policies, OpenShift Routes, the Gateway API, and every policy
 * kind of the network plugins (Calico, Cilium, Antrea, Multus), which the loader evaluates or
 * reports as not evaluated. A kind is listed only where discovery shows the server serves it.
 * Secrets are never listed and neither are ConfigMaps (NOT_LISTED): the model keeps only their
 * names, which the pods that mount them give.
 */
export const CLUSTER_KINDS: readonly ClusterKind[] = [
  ...inGroup('', ['Namespace', 'Pod', 'Service', 'ReplicationController', 'PersistentVolumeClaim', 'PersistentVolume'], ['v1']),
  ...inGroup('apps', ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'], ['v1']),
  ...inGroup('batch', ['Job', 'CronJob'], ['v1']),
  ...inGroup('networking.k8s.io', ['NetworkPolicy', 'Ingress'], ['v1']),
  ...inGroup('policy.networking.k8s.io', ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'], ['v1alpha1']),
  ...inGroup('policy.networking.k8s.io', ['ClusterNetworkPolicy'], ['v1alpha2']),
  ...inGroup('route.openshift.io', ['Route'], ['v1']),
  ...inGroup('gateway.networking.k8s.io', ['Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute', 'ReferenceGrant']),
  ...UNEVALUATED_POLICY_FAMILIES.flatMap((family) => family.groups.flatMap((group) => inGroup(group, family.kinds))),
];

/** Kinds the loader knows that are never listed from a cluster, and why. */
export const NOT_LISTED: ReadonlyMap<string, string> = new Map([
  ['Secret', 'a Secret holds credentials: only its name matters, and the pods that mount it give that'],
  ['ConfigMap', 'only its name matters, and the pods that mount it give that'],
]);

/**
 * Calico's API server (projectcalico.org/v3) and its CRDs (crd.projectcalico.org/v1) hold the same
 * objects: where the API server runs, the CRDs are its storage and are not read a second time.
 */
export const SHADOWED_GROUPS: ReadonlyMap<string, string> = new Map([['crd.projectcalico.org', 'projectcalico.org']]);

/** API groups built into Kubernetes: their kinds are named bare in source names (`Pod`, not `Pod.apps`). */
export const BUILT_IN_GROUPS: ReadonlySet<string> = new Set(['', 'apps', 'batch', 'networking.k8s.io']);

/** `Pod`, `Deployment`, or `CiliumNetworkPolicy.cilium.io` (kubectl's `kind.group` for a kind of another API). */
export function qualifiedKind(group: string, kind: string): string {
  return BUILT_IN_GROUPS.has(group) ? kind : `${kind}.${group}`;
}
