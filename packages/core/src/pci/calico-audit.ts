import type { TieredObjects, TieredPolicy } from '../model/calico-types.js';
import type { Labels } from '../model/selectors.js';
import { inScope } from '../policy/calico-match.js';

/** `all()`, or a Cilium or Kubernetes selector with no requirement (`endpointSelector: {}`). */
function selectsEverything(p: TieredPolicy): boolean {
  return p.selector.kind === 'calico' ? p.selector.selector.kind === 'all' : p.selector.selector.requirements.length === 0;
}

/**
 * Calico's default-deny pattern for a namespace (docs calico/network-policy/get-started/
 * kubernetes-default-deny, tier.mdx): a NetworkPolicy of the namespace, or a GlobalNetworkPolicy
 * whose namespaceSelector takes it, that selects every endpoint (`all()` or no selector), covers
 * the direction and has no rule in it, in a tier whose default action is Deny. The tier then
 * applies to every pod of the namespace, and what no rule of the tier allows is dropped. Under the
 * cilium profile the same shape is a CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy with
 * `endpointSelector: {}` and `ingress: [{}]` (or egress): default-deny, allowing nothing.
 */
export function tieredDefaultDeny(calico: TieredObjects, namespace: string, namespaceLabels: Labels, direction: 'ingress' | 'egress'): TieredPolicy | undefined {
  const denyingTiers = new Set(calico.tiers.filter((t) => t.defaultAction === 'deny').map((t) => t.name));
  return calico.policies.find((p) => denyingTiers.has(p.tier)
    && selectsEverything(p) && p.serviceAccountSelector === undefined
    && p[direction] !== undefined && p[direction]!.length === 0
    && inScope(p.scope, namespace, namespaceLabels));
}
