/**
 * Policy APIs other than Kubernetes NetworkPolicy that network plugins enforce. netdiagram does not
 * evaluate them yet, so an input holding one may allow or deny traffic the diagram does not show:
 * each object is reported, never skipped like an unrelated kind.
 */
export interface PolicyFamily {
  /** `Calico`, `Cilium`, … as the message names it. */
  readonly name: string;
  /** API groups of the family (the part of `apiVersion` before the slash). */
  readonly groups: readonly string[];
  /** Kinds of those groups that change what traffic is allowed. */
  readonly kinds: readonly string[];
}

/** The policy families netdiagram recognises but does not evaluate. */
export const UNEVALUATED_POLICY_FAMILIES: readonly PolicyFamily[] = [
  {
    name: 'Calico',
    groups: ['projectcalico.org', 'crd.projectcalico.org'],
    kinds: [
      'NetworkPolicy', 'GlobalNetworkPolicy', 'StagedNetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedKubernetesNetworkPolicy',
      'Tier', 'GlobalNetworkSet', 'NetworkSet', 'HostEndpoint', 'Profile',
    ],
  },
  { name: 'Cilium', groups: ['cilium.io'], kinds: ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'CiliumCIDRGroup'] },
  { name: 'Antrea', groups: ['crd.antrea.io'], kinds: ['NetworkPolicy', 'ClusterNetworkPolicy', 'Tier', 'ClusterGroup', 'Group'] },
  { name: 'Multus', groups: ['k8s.cni.cncf.io'], kinds: ['MultiNetworkPolicy'] },
  // a ListenerSet adds listeners (ports, hostnames) to a Gateway that allows it (spec.allowedListeners):
  // exposure netdiagram does not draw, so it is reported like a policy it does not evaluate
  { name: 'Gateway API', groups: ['gateway.networking.k8s.io'], kinds: ['ListenerSet'] },
  { name: 'Gateway API', groups: ['gateway.networking.x-k8s.io'], kinds: ['XListenerSet'] },
];

/** The family of a policy object netdiagram does not evaluate, or undefined for every other kind. */
export function unevaluatedPolicyFamily(apiVersion: string, kind: string): PolicyFamily | undefined {
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const known = UNEVALUATED_POLICY_FAMILIES.find((f) => f.groups.includes(group) && f.kinds.includes(kind));
  if (known) return known;
  // another CRD named like a network policy (`NetworkPolicy`, `FooNetworkPolicy`) is a policy of its own API,
  // never an old version of the Kubernetes kind to rewrite
  if (group.includes('.') && !KUBERNETES_GROUPS.has(group) && kind.endsWith('NetworkPolicy')) return { name: group, groups: [group], kinds: [kind] };
  return undefined;
}

/** `a Calico policy`, `a Calico policy object` (a Tier, a NetworkSet), `a policy of the API group example.com`. */
export function describeUnevaluated(family: PolicyFamily, kind: string): string {
  if (!UNEVALUATED_POLICY_FAMILIES.includes(family)) return `a policy of the API group ${family.name}`;
  if (family.name === 'Gateway API') return `a Gateway API ${kind} (listeners added to a Gateway)`;
  return `a ${family.name} ${kind.includes('Policy') ? 'policy' : 'policy object'}`;
}

/** Groups whose policy kinds netdiagram reads (current or removed versions), judged by decode. */
const KUBERNETES_GROUPS: ReadonlySet<string> = new Set(['networking.k8s.io', 'extensions', 'policy.networking.k8s.io']);
