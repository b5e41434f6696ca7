import fc from 'fast-check';
import { clusterArb, LABEL_KEYS, LABEL_VALUES, NAMESPACES, selectorArb } from './cluster-arbitraries.js';
import type { RefCiliumPolicy, RefCiliumRule, RefCluster, RefSelector } from './reference.js';

// Random Cilium policies beside random NetworkPolicies, for the property test against the
// reference evaluator (reference.ts): namespaced and clusterwide, allow and deny rules, peers by
// endpoint selectors (with and without a namespace key), entities and CIDRs, toPorts with numbers,
// names and ANY, empty rules, and enableDefaultDeny set either way.

const peerSelectorArb: fc.Arbitrary<RefSelector> = fc.oneof(
  { weight: 3, arbitrary: selectorArb },
  { weight: 1, arbitrary: fc.record({ matchLabels: fc.record({ 'io.kubernetes.pod.namespace': fc.constantFrom(...NAMESPACES) }) }) },
  { weight: 1, arbitrary: fc.record({ matchLabels: fc.dictionary(fc.constantFrom(...LABEL_KEYS.map((k) => `io.cilium.k8s.namespace.labels.${k}`)), fc.constantFrom(...LABEL_VALUES), { minKeys: 1, maxKeys: 1 }) }) },
);
const ruleArb: fc.Arbitrary<RefCiliumRule> = fc.record({
  endpoints: fc.array(peerSelectorArb, { maxLength: 2 }),
  entities: fc.array(fc.constantFrom('world' as const, 'cluster' as const, 'all' as const), { minLength: 1, maxLength: 1 }),
  cidrs: fc.constantFrom(['8.8.8.0/24'], ['10.0.0.0/8'], ['0.0.0.0/0']),
  toPorts: fc.array(fc.record({
    ports: fc.array(fc.record({ port: fc.constantFrom('53', '80', '8080', 'http', 'dns', '0'), protocol: fc.constantFrom('TCP' as const, 'UDP' as const, 'ANY' as const) }, { requiredKeys: ['port'] }), { minLength: 1, maxLength: 2 }),
  }), { minLength: 1, maxLength: 2 }),
}, { requiredKeys: [] });

const policyArb = fc.record({
  clusterwide: fc.boolean(),
  namespace: fc.constantFrom(...NAMESPACES),
  endpointSelector: selectorArb,
  ingress: fc.option(fc.array(ruleArb, { maxLength: 2 }), { nil: undefined }),
  ingressDeny: fc.option(fc.array(ruleArb, { maxLength: 2 }), { nil: undefined }),
  egress: fc.option(fc.array(ruleArb, { maxLength: 2 }), { nil: undefined }),
  egressDeny: fc.option(fc.array(ruleArb, { maxLength: 2 }), { nil: undefined }),
  enableDefaultDeny: fc.option(fc.record({ ingress: fc.boolean(), egress: fc.boolean() }, { requiredKeys: [] }), { nil: undefined }),
});

/** Random clusters with NetworkPolicies and Cilium policies. */
export const ciliumClusterArb: fc.Arbitrary<RefCluster> = fc.record({ base: clusterArb, policies: fc.array(policyArb, { minLength: 1, maxLength: 3 }) })
  .map(({ base, policies }) => ({
    ...base,
    cilium: policies.map((p, i): RefCiliumPolicy => ({
      name: `cp${i}`, ...(p.clusterwide ? {} : { namespace: p.namespace }), endpointSelector: p.endpointSelector,
      ...(p.ingress ? { ingress: p.ingress } : {}), ...(p.ingressDeny ? { ingressDeny: p.ingressDeny } : {}),
      ...(p.egress ? { egress: p.egress } : {}), ...(p.egressDeny ? { egressDeny: p.egressDeny } : {}),
      ...(p.enableDefaultDeny ? { enableDefaultDeny: p.enableDefaultDeny } : {}),
    })),
  }));
