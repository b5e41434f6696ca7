/**
 * A deliberately naive NetworkPolicy evaluator, written straight from the Kubernetes documentation
 * over raw manifest objects, to check the real evaluator against. It knows nothing of the project's
 * compiled rules, classes or port sets: one pod pair, one protocol and one port at a time.
 */
export interface RefPod {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  ports: { name?: string; containerPort: number; protocol?: string }[];
}
export interface RefSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
export interface RefPeer { podSelector?: RefSelector; namespaceSelector?: RefSelector; ipBlock?: { cidr: string; except?: string[] } }
export interface RefPort { protocol?: string; port?: number | string; endPort?: number }
export interface RefRule { from?: RefPeer[]; to?: RefPeer[]; ports?: RefPort[] }
export interface RefPolicy {
  namespace: string;
  name: string;
  spec: { podSelector: RefSelector; policyTypes?: string[]; ingress?: RefRule[]; egress?: RefRule[] };
}
export interface RefCluster {
  namespaces: Record<string, Record<string, string>>;
  pods: RefPod[];
  policies: RefPolicy[];
  /** ClusterNetworkPolicy (v1alpha2), AdminNetworkPolicy and BaselineAdminNetworkPolicy (v1alpha1) objects. */
  clusterPolicies?: RefClusterPolicy[];
}
export interface RefNamespacedPod { namespaceSelector?: RefSelector; podSelector: RefSelector }
export interface RefClusterPeer { namespaces?: RefSelector; pods?: RefNamespacedPod; networks?: string[] }
export interface RefClusterRule {
  name?: string;
  action: string;
  from?: RefClusterPeer[];
  to?: RefClusterPeer[];
  /** v1alpha2 */
  protocols?: Record<string, unknown>[];
  /** v1alpha1 */
  ports?: Record<string, unknown>[];
}
export interface RefClusterPolicy {
  kind: 'ClusterNetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';
  name: string;
  spec: { tier?: string; priority?: number; subject: { namespaces?: RefSelector; pods?: RefNamespacedPod }; ingress?: RefClusterRule[]; egress?: RefClusterRule[] };
}
/** A peer: a pod, or an outside IPv4 address as a number. */
export type RefPeerSubject = { pod: RefPod } | { ip: number };

export function refSelects(selector: RefSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = k(labels, e.key);
    if (e.operator === 'In' && !(has && (e.values ?? []).includes(labels[e.key]!))) return false;
    if (e.operator === 'NotIn' && has && (e.values ?? []).includes(labels[e.key]!)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}
const k = (o: Record<string, string>, key: string) => Object.prototype.hasOwnProperty.call(o, key);

function types(p: RefPolicy): string[] {
  if (p.spec.policyTypes && p.spec.policyTypes.length > 0) return p.spec.policyTypes;
  return (p.spec.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

function ipv4(text: string): number {
  return text.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}
function inCidr(ip: number, cidr: string): boolean {
  const [base, len] = cidr.split('/');
  const size = 2 ** (32 - Number(len));
  const lo = Math.floor(ipv4(base!) / size) * size;
  return ip >= lo && ip < lo + size;
}

function peerMatches(peers: RefPeer[] | undefined, policyNamespace: string, subject: RefPeerSubject, cluster: RefCluster): boolean {
  if (!peers || peers.length === 0) return true;
  return peers.some((peer) => {
    if (peer.ipBlock) {
      if (!('ip' in subject)) return false;
      return inCidr(subject.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((e) => inCidr(subject.ip, e));
    }
    if (!('pod' in subject)) return false;
    const p = subject.pod;
    const nsOk = peer.namespaceSelector ? refSelects(peer.namespaceSelector, cluster.namespaces[p.namespace] ?? {}) : p.namespace === policyNamespace;
    const podOk = peer.podSelector ? refSelects(peer.podSelector, p.labels) : true;
    return nsOk && podOk;
  });
}

function portMatches(ports: RefPort[] | undefined, destination: RefPod | undefined, protocol: string, port: number): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((e) => {
    if ((e.protocol ?? 'TCP') !== protocol) return false;
    if (e.port === undefined) return true;
    if (typeof e.port === 'number') return port >= e.port && port <= (e.endPort ?? e.port);
    return (destination?.ports ?? []).some((cp) => cp.name === e.port && (cp.protocol ?? 'TCP') === protocol && cp.containerPort === port);
  });
}

// ---- the network-policy-api tiers, from the doc comments of apis/v1alpha2 (spec.tier, priority,
// action) and apis/v1alpha1: Admin tier, then NetworkPolicy (final for a pod it isolates), then
// Baseline, then allow. In a tier, policies by priority (ties: by kind prefix and name, as netdiagram
// documents) and rules as written; the first rule matching the connection decides.

const tierOf = (p: RefClusterPolicy) => (p.kind === 'AdminNetworkPolicy' || p.spec.tier === 'Admin' ? 'Admin' : 'Baseline');
const idOf = (p: RefClusterPolicy) => `${p.kind === 'ClusterNetworkPolicy' ? 'cnp' : p.kind === 'AdminNetworkPolicy' ? 'anp' : 'banp'}:${p.name}`;

function selectsPod(who: { namespaces?: RefSelector; pods?: RefNamespacedPod }, pod: RefPod, cluster: RefCluster): boolean {
  const nsLabels = { ...(cluster.namespaces[pod.namespace] ?? {}), 'kubernetes.io/metadata.name': pod.namespace };
  if (who.namespaces) return refSelects(who.namespaces, nsLabels);
  if (who.pods) return refSelects(who.pods.namespaceSelector ?? {}, nsLabels) && refSelects(who.pods.podSelector, pod.labels);
  return false;
}

function clusterPeerMatches(peer: RefClusterPeer, subject: RefPeerSubject, cluster: RefCluster): boolean {
  if (peer.networks) return 'ip' in subject && peer.networks.some((c) => inCidr(subject.ip, c));
  return 'pod' in subject && selectsPod(peer, subject.pod, cluster);
}

function clusterPortMatches(rule: RefClusterRule, destination: RefPod | undefined, protocol: string, port: number): boolean {
  const named = (name: unknown) => (destination?.ports ?? []).some((cp) => cp.name === name && (cp.protocol ?? 'TCP') === protocol && cp.containerPort === port);
  if (rule.protocols) {
    return rule.protocols.some((entry) => {
      if ('destinationNamedPort' in entry) return named(entry.destinationNamedPort);
      const spec = entry[protocol.toLowerCase()] as { destinationPort: { number?: number; range?: { start: number; end: number } } } | undefined;
      if (!spec) return false;
      const d = spec.destinationPort;
      return d.number !== undefined ? d.number === port : port >= d.range!.start && port <= d.range!.end;
    });
  }
  if (rule.ports) {
    return rule.ports.some((entry) => {
      if ('namedPort' in entry) return named(entry.namedPort);
      const n = entry.portNumber as { protocol?: string; port: number } | undefined;
      if (n) return (n.protocol ?? 'TCP') === protocol && n.port === port;
      const r = entry.portRange as { protocol?: string; start: number; end: number };
      return (r.protocol ?? 'TCP') === protocol && port >= r.start && port <= r.end;
    });
  }
  return true; // absent: every protocol and port
}

/** The action of the first matching rule of a tier's policies selecting `pod`, or undefined. */
function tierAction(
  cluster: RefCluster, tier: 'Admin' | 'Baseline', pod: RefPod, direction: 'Ingress' | 'Egress', peer: RefPeerSubject, destination: RefPod | undefined, protocol: string, port: number,
): 'allow' | 'deny' | 'pass' | undefined {
  const policies = (cluster.clusterPolicies ?? []).filter((p) => tierOf(p) === tier && selectsPod(p.spec.subject, pod, cluster))
    .sort((a, b) => (a.spec.priority ?? 0) - (b.spec.priority ?? 0) || (idOf(a) < idOf(b) ? -1 : 1));
  for (const p of policies) {
    for (const rule of (direction === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []) {
      const peers = (direction === 'Ingress' ? rule.from : rule.to) ?? [];
      if (!peers.some((x) => clusterPeerMatches(x, peer, cluster)) || !clusterPortMatches(rule, destination, protocol, port)) continue;
      return rule.action === 'Deny' ? 'deny' : rule.action === 'Pass' ? 'pass' : 'allow';
    }
  }
  return undefined;
}

/** What one side's policies allow, every tier: `pod`'s ingress from `peer`, or its egress to `peer`. */
export function directionAllows(
  cluster: RefCluster, pod: RefPod, direction: 'Ingress' | 'Egress', peer: RefPeerSubject, destination: RefPod | undefined, protocol: string, port: number,
): boolean {
  const admin = tierAction(cluster, 'Admin', pod, direction, peer, destination, protocol, port);
  if (admin === 'allow') return true;
  if (admin === 'deny') return false;
  const isolated = cluster.policies.some((p) => p.namespace === pod.namespace && refSelects(p.spec.podSelector, pod.labels) && types(p).includes(direction));
  if (isolated) return networkPolicyAllows(cluster, pod, direction, peer, destination, protocol, port);
  return tierAction(cluster, 'Baseline', pod, direction, peer, destination, protocol, port) !== 'deny';
}

/** What NetworkPolicies alone allow: `pod`'s ingress from `peer`, or its egress to `peer`. */
export function networkPolicyAllows(
  cluster: RefCluster, pod: RefPod, direction: 'Ingress' | 'Egress', peer: RefPeerSubject, destination: RefPod | undefined, protocol: string, port: number,
): boolean {
  const policies = cluster.policies.filter((p) => p.namespace === pod.namespace && refSelects(p.spec.podSelector, pod.labels) && types(p).includes(direction));
  if (policies.length === 0) return true;
  return policies.some((p) => {
    const rules = direction === 'Ingress' ? p.spec.ingress ?? [] : p.spec.egress ?? [];
    return rules.some((r) => peerMatches(direction === 'Ingress' ? r.from : r.to, p.namespace, peer, cluster) && portMatches(r.ports, destination, protocol, port));
  });
}

/** Whether `source` may open a connection to `destination` on protocol/port. */
export function refAllowed(cluster: RefCluster, source: RefPeerSubject, destination: RefPeerSubject, protocol: string, port: number): boolean {
  const dstPod = 'pod' in destination ? destination.pod : undefined;
  const egress = 'pod' in source ? directionAllows(cluster, source.pod, 'Egress', destination, dstPod, protocol, port) : true;
  const ingress = dstPod ? directionAllows(cluster, dstPod, 'Ingress', source, dstPod, protocol, port) : true;
  return egress && ingress;
}

// What the API server accepts, from https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
// and the label selector rules (In/NotIn need values, Exists/DoesNotExist take none): a policy
// with any other selector is rejected, so it never exists in the cluster.
const REF_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const REF_DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function refValidKey(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1]!;
  if (name.length === 0 || name.length > 63 || !REF_NAME.test(name)) return false;
  if (parts.length === 1) return true;
  const prefix = parts[0]!;
  return prefix.length > 0 && prefix.length <= 253 && prefix.split('.').every((l) => l.length <= 63 && REF_DNS_LABEL.test(l));
}

function refValidValue(value: string): boolean {
  return value === '' || (value.length <= 63 && REF_NAME.test(value));
}

function refValidSelector(selector: RefSelector | undefined): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (!refValidKey(k) || !refValidValue(v)) return false;
  for (const e of selector.matchExpressions ?? []) {
    if (!refValidKey(e.key)) return false;
    const values = e.values ?? [];
    if ((e.operator === 'In' || e.operator === 'NotIn') && values.length === 0) return false;
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && values.length > 0) return false;
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator)) return false;
    if (!values.every(refValidValue)) return false;
  }
  return true;
}

/** Whether the API server would accept the policy's selectors. */
export function refPolicyIsValid(policy: RefPolicy): boolean {
  const peers = [...(policy.spec.ingress ?? []).flatMap((r) => r.from ?? []), ...(policy.spec.egress ?? []).flatMap((r) => r.to ?? [])];
  return refValidSelector(policy.spec.podSelector) && peers.every((p) => refValidSelector(p.podSelector) && refValidSelector(p.namespaceSelector));
}
