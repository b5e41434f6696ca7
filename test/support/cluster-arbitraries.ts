import fc from 'fast-check';
import { refCalicoSelectorText, type RefCalicoEntity, type RefCiliumRule, type RefCluster, type RefPeer, type RefPolicy, type RefPort, type RefRule, type RefSelector } from './reference.js';

// Random clusters over a small alphabet of namespaces, labels and ports, for the property tests
// that compare the evaluators with the brute-force reference (reference.ts).

export const LABEL_KEYS = ['app', 'tier', 'team'];
export const LABEL_VALUES = ['web', 'db', 'x'];
export const labelsArb = fc.dictionary(fc.constantFrom(...LABEL_KEYS), fc.constantFrom(...LABEL_VALUES), { maxKeys: 3 });
/**
 * Selectors over an alphabet of keys and values. With `invalid`, some keys and values are ones the
 * API server rejects (a space, two slashes, 64 characters): the policy then never exists.
 */
export const INVALID_KEYS = ['bad key', 'a/b/c', '-app', `${'k'.repeat(64)}`];
export const INVALID_VALUES = ['bad value', 'x'.repeat(64), '-web'];
export const selectorArbOf = (invalid: boolean): fc.Arbitrary<RefSelector> => {
  const key = invalid ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...LABEL_KEYS) }, { weight: 1, arbitrary: fc.constantFrom(...INVALID_KEYS) }) : fc.constantFrom(...LABEL_KEYS);
  const value = invalid ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...LABEL_VALUES) }, { weight: 1, arbitrary: fc.constantFrom(...INVALID_VALUES) }) : fc.constantFrom(...LABEL_VALUES);
  return fc.record({
    matchLabels: fc.option(fc.dictionary(key, value, { maxKeys: 2 }), { nil: undefined }),
    matchExpressions: fc.option(fc.array(fc.oneof(
      fc.record({ key, operator: fc.constantFrom('In', 'NotIn'), values: fc.uniqueArray(value, { minLength: invalid ? 0 : 1, maxLength: 2 }) }),
      fc.record({ key, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
      ...(invalid ? [fc.record({ key, operator: fc.constantFrom('Exists', 'DoesNotExist'), values: fc.uniqueArray(value, { minLength: 1, maxLength: 1 }) })] : []),
    ), { maxLength: 2 }), { nil: undefined }),
  }, { requiredKeys: [] });
};
export const selectorArb = selectorArbOf(false);
export const peerArbOf = (selector: fc.Arbitrary<RefSelector>): fc.Arbitrary<RefPeer> => fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector: selector }),
  fc.record({ podSelector: selector, namespaceSelector: selector }),
  fc.constantFrom<RefPeer>(
    { ipBlock: { cidr: '10.0.0.0/8' } }, { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } },
    { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.2.0.0/16'] } }, { ipBlock: { cidr: '8.8.8.0/24' } },
  ),
);
export const protocolArb = fc.option(fc.constantFrom('TCP', 'UDP', 'SCTP'), { nil: undefined });
export const portArb: fc.Arbitrary<RefPort> = fc.oneof(
  fc.record({ protocol: protocolArb, port: fc.constantFrom(53, 80, 5000, 8080, 9090) }, { requiredKeys: ['port'] }),
  fc.record({ protocol: protocolArb, port: fc.constantFrom(53, 80, 8080), endPort: fc.constantFrom(81, 8081, 9090) }, { requiredKeys: ['port', 'endPort'] })
    .filter((p) => p.endPort >= (p.port as number)),
  fc.record({ protocol: protocolArb, port: fc.constantFrom('http', 'dns', 'metrics', 'nope') }, { requiredKeys: ['port'] }),
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP', 'SCTP') }),
);
export const ruleArb = (peerKey: 'from' | 'to', selector = selectorArb): fc.Arbitrary<RefRule> => fc.record({
  [peerKey]: fc.option(fc.array(peerArbOf(selector), { maxLength: 2 }), { nil: undefined }),
  ports: fc.option(fc.array(portArb, { maxLength: 2 }), { nil: undefined }),
} as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: [] }) as fc.Arbitrary<RefRule>;
export const POD_PORTS = [
  { name: 'http', containerPort: 80 }, { name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 },
  { name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'sig', containerPort: 5000, protocol: 'SCTP' },
];
export const NAMESPACES = ['a', 'b', 'c'];

export const clusterArbOf = (selector: fc.Arbitrary<RefSelector>): fc.Arbitrary<RefCluster> => fc.record({
  namespaces: fc.record({ a: labelsArb, b: labelsArb, c: labelsArb }),
  pods: fc.array(fc.record({
    namespace: fc.constantFrom(...NAMESPACES),
    labels: labelsArb,
    // a pod declares each port name at most once
    ports: fc.subarray(POD_PORTS).map((ps) => ps.filter((p, i) => ps.findIndex((q) => q.name === p.name) === i)),
  }), { minLength: 1, maxLength: 5 }).map((pods) => pods.map((p, i) => ({ ...p, name: `p${i}` }))),
  policies: fc.array(fc.record({
    namespace: fc.constantFrom(...NAMESPACES),
    spec: fc.record({
      podSelector: selector,
      policyTypes: fc.option(fc.constantFrom(['Ingress'], ['Egress'], ['Ingress', 'Egress']), { nil: undefined }),
      ingress: fc.option(fc.array(ruleArb('from', selector), { maxLength: 2 }), { nil: undefined }),
      egress: fc.option(fc.array(ruleArb('to', selector), { maxLength: 2 }), { nil: undefined }),
    }, { requiredKeys: ['podSelector'] }),
  }), { maxLength: 4 }).map((ps) => ps.map((p, i) => ({ ...p, name: `np${i}` }) as RefPolicy)),
});
export const clusterArb = clusterArbOf(selectorArb);

export function manifests(cluster: RefCluster): string {
  const docs: unknown[] = [
    ...Object.entries(cluster.namespaces).map(([name, labels]) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } })),
    ...cluster.pods.map((p) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.name, namespace: p.namespace, labels: p.labels }, spec: { containers: [{ name: 'c', ports: p.ports }] } })),
    ...cluster.policies.map((p) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: p.name, namespace: p.namespace }, spec: p.spec })),
    ...(cluster.clusterPolicies ?? []).map((p) => ({
      apiVersion: `policy.networking.k8s.io/${p.kind === 'ClusterNetworkPolicy' ? 'v1alpha2' : 'v1alpha1'}`, kind: p.kind, metadata: { name: p.name }, spec: p.spec,
    })),
    ...(cluster.cilium ?? []).map((p) => {
      const rules = (list: RefCiliumRule[] | undefined, direction: 'ingress' | 'egress') => list?.map((r) => {
        const from = direction === 'ingress' ? 'from' : 'to';
        return {
          ...(r.endpoints ? { [`${from}Endpoints`]: r.endpoints } : {}), ...(r.entities ? { [`${from}Entities`]: r.entities } : {}),
          ...(r.cidrs ? { [`${from}CIDR`]: r.cidrs } : {}), ...(r.toPorts ? { toPorts: r.toPorts } : {}),
        };
      });
      const spec = {
        endpointSelector: p.endpointSelector,
        ...(p.ingress ? { ingress: rules(p.ingress, 'ingress') } : {}), ...(p.ingressDeny ? { ingressDeny: rules(p.ingressDeny, 'ingress') } : {}),
        ...(p.egress ? { egress: rules(p.egress, 'egress') } : {}), ...(p.egressDeny ? { egressDeny: rules(p.egressDeny, 'egress') } : {}),
        ...(p.enableDefaultDeny ? { enableDefaultDeny: p.enableDefaultDeny } : {}),
      };
      return {
        apiVersion: 'cilium.io/v2', kind: p.namespace ? 'CiliumNetworkPolicy' : 'CiliumClusterwideNetworkPolicy',
        metadata: { name: p.name, ...(p.namespace ? { namespace: p.namespace } : {}) }, spec,
      };
    }),
    ...(cluster.calico?.tiers ?? []).map((t) => ({
      apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: t.name },
      spec: { ...(t.order !== undefined ? { order: t.order } : {}), ...(t.defaultAction ? { defaultAction: t.defaultAction } : {}) },
    })),
    ...(cluster.calico?.policies ?? []).map((p) => {
      const entity = (e: RefCalicoEntity | undefined) => e && {
        ...e, ...(e.selector ? { selector: refCalicoSelectorText(e.selector) } : {}), ...(e.notSelector ? { notSelector: refCalicoSelectorText(e.notSelector) } : {}),
        ...(e.namespaceSelector ? { namespaceSelector: refCalicoSelectorText(e.namespaceSelector) } : {}),
      };
      const rules = (list: typeof p.ingress) => (list ?? []).map((r) => ({ ...r, ...(r.source ? { source: entity(r.source) } : {}), ...(r.destination ? { destination: entity(r.destination) } : {}) }));
      return {
        apiVersion: 'projectcalico.org/v3', kind: p.kind, metadata: { name: p.name, ...(p.namespace ? { namespace: p.namespace } : {}) },
        spec: {
          tier: p.tier, ...(p.order !== undefined ? { order: p.order } : {}), ...(p.selector ? { selector: refCalicoSelectorText(p.selector) } : {}),
          types: p.types, ingress: rules(p.ingress), egress: rules(p.egress),
        },
      };
    }),
  ];
  return docs.map((d) => JSON.stringify(d)).join('\n---\n');
}

