/** The kinds of policy.networking.k8s.io netdiagram evaluates, each in the one version that defines it. */
export const CLUSTER_POLICY_KINDS = ['ClusterNetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'] as const;
/** The Gateway API kinds netdiagram reads. */
export const GATEWAY_KINDS = ['Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute', 'ReferenceGrant'] as const;
/**
 * The versions each Gateway API kind is served in, newest first (apis/v1, v1beta1, v1alpha2, v1alpha3
 * of sigs.k8s.io/gateway-api): the fields are the same in each, the experimental kinds moving up.
 */
export const GATEWAY_VERSIONS: ReadonlyMap<string, readonly string[]> = new Map([
  ['Gateway', ['v1', 'v1beta1']],
  ['HTTPRoute', ['v1', 'v1beta1']],
  ['GRPCRoute', ['v1', 'v1alpha2']],
  ['TLSRoute', ['v1', 'v1alpha3', 'v1alpha2']],
  ['TCPRoute', ['v1', 'v1alpha2']],
  ['UDPRoute', ['v1', 'v1alpha2']],
  ['ReferenceGrant', ['v1', 'v1beta1', 'v1alpha2']],
].map(([kind, versions]) => [kind as string, (versions as string[]).map((v) => `gateway.networking.k8s.io/${v}`)]));
const HOME_VERSIONS: ReadonlyMap<string, string> = new Map([
  ['ClusterNetworkPolicy', 'policy.networking.k8s.io/v1alpha2'],
  ['AdminNetworkPolicy', 'policy.networking.k8s.io/v1alpha1'],
  ['BaselineAdminNetworkPolicy', 'policy.networking.k8s.io/v1alpha1'],
]);

/**
 * The API groups netdiagram reads each kind from. A kind is only a name inside its group: a Knative
 * `serving.knative.dev/v1` Service or a Volcano `batch.volcano.sh/v1alpha1` Job is another API that
 * shares a name with a Kubernetes kind, never a Kubernetes object to read or validate as one.
 */
export const KIND_GROUPS: ReadonlyMap<string, readonly string[]> = new Map([
  ...['Namespace', 'Pod', 'Service', 'ReplicationController', 'ConfigMap', 'Secret', 'PersistentVolumeClaim', 'PersistentVolume']
    .map((kind): [string, readonly string[]] => [kind, ['']]),
  // `extensions/v1beta1` served these until Kubernetes 1.16; netdiagram has always read them there
  ...['Deployment', 'ReplicaSet', 'DaemonSet'].map((kind): [string, readonly string[]] => [kind, ['apps', 'extensions']]),
  ['StatefulSet', ['apps']],
  ['Job', ['batch']],
  ['CronJob', ['batch']],
  // removed versions of these (`extensions/v1beta1`) are errors with a rewrite hint, in decode.ts
  ['NetworkPolicy', ['networking.k8s.io', 'extensions']],
  ['Ingress', ['networking.k8s.io', 'extensions']],
  // the network-policy-api's cluster-wide policies: v1alpha2 ClusterNetworkPolicy, v1alpha1 AdminNetworkPolicy
  // and BaselineAdminNetworkPolicy (https://network-policy-api.sigs.k8s.io/)
  ...CLUSTER_POLICY_KINDS.map((kind): [string, readonly string[]] => [kind, ['policy.networking.k8s.io']]),
  // the Gateway API (https://gateway-api.sigs.k8s.io/): Gateways, the routes attached to them, and the grants for cross-namespace backends
  ...GATEWAY_KINDS.map((kind): [string, readonly string[]] => [kind, ['gateway.networking.k8s.io']]),
  // OpenShift 3 served Route in the legacy `v1` group as well as in route.openshift.io
  ['Route', ['route.openshift.io', '']],
]);

/** Groups netdiagram reads kinds from: a modelled kind written in one of them but not its own is a mistake. */
export const READ_GROUPS: ReadonlySet<string> = new Set([...KIND_GROUPS.values()].flat());

/** The API group of an apiVersion: `apps` for `apps/v1`, `` (core) for `v1`. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Whether netdiagram reads this kind in this apiVersion's group. */
export function readsKind(apiVersion: string, kind: string): boolean {
  return KIND_GROUPS.get(kind)?.includes(groupOf(apiVersion)) ?? false;
}

/** Where a modelled kind lives, for messages: `v1`, `apps/v1`, `route.openshift.io/v1`. */
export function homeOf(kind: string): string {
  const home = HOME_VERSIONS.get(kind);
  if (home) return home;
  const group = KIND_GROUPS.get(kind)?.[0];
  return group === undefined ? '' : group === '' ? 'v1' : `${group}/v1`;
}

/** Kinds without a namespace: `metadata.namespace` does not apply to them. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set(['Namespace', 'PersistentVolume', ...CLUSTER_POLICY_KINDS]);
