import fc from 'fast-check';
import { clusterArb, LABEL_KEYS, LABEL_VALUES, NAMESPACES } from './cluster-arbitraries.js';
import type { RefCalico, RefCalicoEntity, RefCalicoPolicy, RefCalicoRule, RefCalicoSelector, RefCluster } from './reference.js';

// Random Calico tiers and policies beside random NetworkPolicies, for the property test against
// the reference evaluator (reference.ts): user tiers before, after and tied with tier `default`,
// both default actions, policy orders tied with the NetworkPolicies' 1000, all four actions, and
// entities with selector, notSelector, namespaceSelector, nets, notNets, ports and notPorts.

const key = fc.constantFrom(...LABEL_KEYS);
const value = fc.constantFrom(...LABEL_VALUES);
const leaf: fc.Arbitrary<RefCalicoSelector> = fc.oneof(
  fc.constant<RefCalicoSelector>({ op: 'all' }),
  fc.record({ op: fc.constant('has' as const), key }),
  fc.record({ op: fc.constantFrom('==' as const, '!=' as const), key, value }),
  fc.record({ op: fc.constantFrom('in' as const, 'not in' as const), key, values: fc.uniqueArray(value, { maxLength: 2 }) }),
);
export const calicoSelectorArb: fc.Arbitrary<RefCalicoSelector> = fc.oneof(
  { weight: 3, arbitrary: leaf },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('!' as const), of: leaf }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('&&' as const, '||' as const), left: leaf, right: leaf }) },
);

const entityArb = (destination: boolean): fc.Arbitrary<RefCalicoEntity> => fc.record({
  selector: calicoSelectorArb,
  notSelector: calicoSelectorArb,
  namespaceSelector: calicoSelectorArb,
  nets: fc.constantFrom(['10.0.0.0/8'], ['8.8.8.0/24'], ['0.0.0.0/0'], ['10.0.0.0/8', '192.168.0.0/16']),
  notNets: fc.constantFrom(['10.0.0.0/8'], ['8.8.8.0/24']),
  ...(destination ? {
    ports: fc.array(fc.constantFrom<number | string>(53, 80, 8080, '80:8080', '5000:9090', 'http', 'dns', 'metrics', 'nope'), { minLength: 1, maxLength: 2 }),
    notPorts: fc.array(fc.constantFrom<number | string>(53, 8080, '1:79', 'http'), { minLength: 1, maxLength: 2 }),
  } : {}),
}, { requiredKeys: [] });

const ruleArb: fc.Arbitrary<RefCalicoRule> = fc.record({
  action: fc.constantFrom('Allow', 'Deny', 'Pass', 'Log') as fc.Arbitrary<RefCalicoRule['action']>,
  protocol: fc.constantFrom('TCP', 'UDP') as fc.Arbitrary<'TCP' | 'UDP'>,
  source: entityArb(false),
  destination: entityArb(true),
}, { requiredKeys: ['action'] }).map((r) => {
  // numbered ports need the rule's protocol (the API server refuses them without one)
  const numbered = [...(r.destination?.ports ?? []), ...(r.destination?.notPorts ?? [])].some((p) => typeof p === 'number' || /^\d/.test(p));
  return numbered && !r.protocol ? { ...r, protocol: 'TCP' as const } : r;
});

const policyArb = fc.record({
  global: fc.boolean(),
  namespace: fc.constantFrom(...NAMESPACES),
  tier: fc.constantFrom('default', 't1', 't2'),
  order: fc.option(fc.constantFrom(1, 2, 1000, 2000), { nil: undefined }),
  selector: fc.option(calicoSelectorArb, { nil: undefined }),
  types: fc.constantFrom<('Ingress' | 'Egress')[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  ingress: fc.array(ruleArb, { maxLength: 3 }),
  egress: fc.array(ruleArb, { maxLength: 3 }),
});

const tierArb = (name: string) => fc.record({
  name: fc.constant(name),
  order: fc.option(fc.constantFrom(10, 20, 1_000_000, 5_000_000), { nil: undefined }),
  defaultAction: fc.option(fc.constantFrom('Deny' as const, 'Pass' as const), { nil: undefined }),
}).map((t) => ({ name: t.name, ...(t.order !== undefined ? { order: t.order } : {}), ...(t.defaultAction ? { defaultAction: t.defaultAction } : {}) }));

/** Random clusters with NetworkPolicies, Calico Tiers and Calico (Global)NetworkPolicies. */
export const calicoClusterArb: fc.Arbitrary<RefCluster> = fc.record({
  base: clusterArb,
  tiers: fc.tuple(tierArb('t1'), tierArb('t2')),
  policies: fc.array(policyArb, { minLength: 1, maxLength: 4 }),
}).map(({ base, tiers, policies }) => {
  const calico: RefCalico = {
    tiers,
    policies: policies.map((p, i): RefCalicoPolicy => ({
      kind: p.global ? 'GlobalNetworkPolicy' : 'NetworkPolicy', name: `c${i}`, ...(p.global ? {} : { namespace: p.namespace }),
      tier: p.tier, ...(p.order !== undefined ? { order: p.order } : {}), ...(p.selector ? { selector: p.selector } : {}),
      types: p.types, ingress: p.ingress, egress: p.egress,
    })),
  };
  return { ...base, calico };
});
