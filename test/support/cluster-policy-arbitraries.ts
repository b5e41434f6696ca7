import fc from 'fast-check';
import { clusterArb, selectorArb } from './cluster-arbitraries.js';
import type { RefCluster, RefClusterPeer, RefClusterPolicy, RefClusterRule } from './reference.js';

// Random cluster-wide policies of both tiers, all three actions and both API versions, for the
// property test against the reference evaluator (reference.ts). Each policy is drawn once in a
// neutral form and written in v1alpha2 (ClusterNetworkPolicy) or v1alpha1 (AdminNetworkPolicy,
// BaselineAdminNetworkPolicy) where that version can say it.

type Action = 'allow' | 'deny' | 'pass';
interface NeutralPort { protocol: 'TCP' | 'UDP' | 'SCTP'; port?: number; end?: number; name?: string }
interface NeutralRule { action: Action; peers: RefClusterPeer[]; ports?: NeutralPort[] }
interface NeutralPolicy {
  tier: 'Admin' | 'Baseline';
  priority: number;
  v1alpha1: boolean;
  subject: RefClusterPolicy['spec']['subject'];
  ingress: NeutralRule[];
  egress: NeutralRule[];
}

const podPeerArb: fc.Arbitrary<RefClusterPeer> = fc.oneof(
  fc.record({ namespaces: selectorArb }),
  fc.record({ pods: fc.record({ namespaceSelector: selectorArb, podSelector: selectorArb }) }),
);
const egressPeerArb: fc.Arbitrary<RefClusterPeer> = fc.oneof(
  { weight: 3, arbitrary: podPeerArb },
  { weight: 1, arbitrary: fc.constantFrom<RefClusterPeer>({ networks: ['0.0.0.0/0'] }, { networks: ['8.8.8.0/24'] }, { networks: ['10.0.0.0/8', '192.168.0.0/16'] }) },
);
const portArb: fc.Arbitrary<NeutralPort> = fc.oneof(
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP', 'SCTP') as fc.Arbitrary<NeutralPort['protocol']>, port: fc.constantFrom(53, 80, 5000, 8080, 9090) }),
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP') as fc.Arbitrary<NeutralPort['protocol']>, port: fc.constantFrom(53, 80, 8080), end: fc.constantFrom(81, 8081, 9090) })
    .filter((p) => p.end > p.port!),
  fc.record({ protocol: fc.constant('TCP' as const), name: fc.constantFrom('http', 'dns', 'metrics', 'nope') }),
);
const ruleArb = (peer: fc.Arbitrary<RefClusterPeer>): fc.Arbitrary<NeutralRule> => fc.record({
  action: fc.constantFrom<Action>('allow', 'deny', 'pass'),
  peers: fc.array(peer, { minLength: 1, maxLength: 2 }),
  ports: fc.option(fc.array(portArb, { minLength: 1, maxLength: 2 }), { nil: undefined }),
}).map((r) => (r.ports?.some((p) => p.name) && r.peers.some((p) => p.networks)
  // the CRDs refuse a named port beside a networks peer
  ? { ...r, ports: r.ports.filter((p) => !p.name) } : r))
  .map((r) => (r.ports && r.ports.length === 0 ? { action: r.action, peers: r.peers } : r));

const policyArb: fc.Arbitrary<NeutralPolicy> = fc.record({
  tier: fc.constantFrom<NeutralPolicy['tier']>('Admin', 'Baseline'),
  priority: fc.constantFrom(1, 2, 3),
  v1alpha1: fc.boolean(),
  subject: fc.oneof(
    fc.record({ namespaces: selectorArb }),
    fc.record({ pods: fc.record({ namespaceSelector: selectorArb, podSelector: selectorArb }) }),
  ),
  ingress: fc.array(ruleArb(podPeerArb), { maxLength: 3 }),
  egress: fc.array(ruleArb(egressPeerArb), { maxLength: 3 }),
});

const V1ALPHA2_ACTION: Record<Action, string> = { allow: 'Accept', deny: 'Deny', pass: 'Pass' };
const V1ALPHA1_ACTION: Record<Action, string> = { allow: 'Allow', deny: 'Deny', pass: 'Pass' };

function written(rule: NeutralRule, direction: 'ingress' | 'egress', v1alpha1: boolean, i: number): RefClusterRule {
  const peers = { [direction === 'ingress' ? 'from' : 'to']: rule.peers };
  if (v1alpha1) {
    const ports = rule.ports?.map((p) => (p.name ? { namedPort: p.name }
      : p.end ? { portRange: { protocol: p.protocol, start: p.port, end: p.end } } : { portNumber: { protocol: p.protocol, port: p.port } }));
    return { name: `r${i}`, action: V1ALPHA1_ACTION[rule.action], ...peers, ...(ports ? { ports } : {}) };
  }
  const protocols = rule.ports?.map((p) => (p.name ? { destinationNamedPort: p.name }
    : { [p.protocol.toLowerCase()]: { destinationPort: p.end ? { range: { start: p.port, end: p.end } } : { number: p.port } } }));
  return { name: `r${i}`, action: V1ALPHA2_ACTION[rule.action], ...peers, ...(protocols ? { protocols } : {}) };
}

/** Writes a neutral policy in its API version: v1alpha1 only where it can say it (one BANP, named default, without Pass). */
function write(p: NeutralPolicy, index: number, banpTaken: { done: boolean }): RefClusterPolicy {
  const pass = [...p.ingress, ...p.egress].some((r) => r.action === 'pass');
  const asBanp = p.v1alpha1 && p.tier === 'Baseline' && !pass && !banpTaken.done;
  const v1alpha1 = p.v1alpha1 && (p.tier === 'Admin' || asBanp);
  if (asBanp) banpTaken.done = true;
  const rules = (direction: 'ingress' | 'egress') => (p[direction].length > 0 ? { [direction]: p[direction].map((r, i) => written(r, direction, v1alpha1, i)) } : {});
  if (!v1alpha1) {
    return { kind: 'ClusterNetworkPolicy', name: `cnp${index}`, spec: { tier: p.tier, priority: p.priority, subject: p.subject, ...rules('ingress'), ...rules('egress') } };
  }
  if (asBanp) return { kind: 'BaselineAdminNetworkPolicy', name: 'default', spec: { subject: p.subject, ...rules('ingress'), ...rules('egress') } };
  return { kind: 'AdminNetworkPolicy', name: `anp${index}`, spec: { priority: p.priority, subject: p.subject, ...rules('ingress'), ...rules('egress') } };
}

/** Random clusters with NetworkPolicies and cluster-wide policies of both tiers. */
export const tieredClusterArb: fc.Arbitrary<RefCluster> = fc.record({
  base: clusterArb,
  policies: fc.array(policyArb, { minLength: 1, maxLength: 3 }),
}).map(({ base, policies }) => {
  const banpTaken = { done: false };
  return { ...base, clusterPolicies: policies.map((p, i) => write(p, i, banpTaken)) };
});
