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
  /** Calico's objects: with them the cluster is judged as Calico judges it (--cni calico). */
  calico?: RefCalico;
  /** Cilium's policies: with them the cluster is judged as Cilium judges it (--cni cilium). */
  cilium?: RefCiliumPolicy[];
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
  const side = cluster.calico ? calicoDirectionAllows : cluster.cilium ? ciliumDirectionAllows : directionAllows;
  const egress = 'pod' in source ? side(cluster, source.pod, 'Egress', destination, dstPod, protocol, port) : true;
  const ingress = dstPod ? side(cluster, dstPod, 'Ingress', source, dstPod, protocol, port) : true;
  return egress && ingress;
}

// ---- Calico, from its docs: tier.mdx ("each tier that contains a policy that applies to the
// endpoint processes the packet", tiers sorted by order; Pass goes to the next tier; a tier that
// applies but takes no action drops the packet unless its defaultAction is Pass; the last tier
// passing or no tier applying: the namespace profile, which allows), _rule.mdx (Allow and Deny are
// final, Log continues), networkpolicy.mdx (policies by order, unset last, ties by name),
// _entityrule.mdx and _selector-scopes.mdx (what selector, notSelector, namespaceSelector, nets and
// notNets match), kubernetes policy conversion (tier default, order 1000). Selectors are
// small expression trees here, evaluated directly; the manifests carry their text.

export type RefCalicoSelector =
  | { op: 'all' } | { op: 'has'; key: string } | { op: '==' | '!='; key: string; value: string }
  | { op: 'in' | 'not in'; key: string; values: string[] } | { op: '!'; of: RefCalicoSelector }
  | { op: '&&' | '||'; left: RefCalicoSelector; right: RefCalicoSelector };
export interface RefCalicoEntity {
  selector?: RefCalicoSelector; notSelector?: RefCalicoSelector; namespaceSelector?: RefCalicoSelector;
  nets?: string[]; notNets?: string[]; ports?: (number | string)[]; notPorts?: (number | string)[];
}
export interface RefCalicoRule { action: 'Allow' | 'Deny' | 'Pass' | 'Log'; protocol?: 'TCP' | 'UDP'; source?: RefCalicoEntity; destination?: RefCalicoEntity }
export interface RefCalicoPolicy {
  kind: 'NetworkPolicy' | 'GlobalNetworkPolicy';
  name: string;
  /** NetworkPolicy only. */
  namespace?: string;
  tier?: string;
  order?: number;
  selector?: RefCalicoSelector;
  types: ('Ingress' | 'Egress')[];
  ingress?: RefCalicoRule[];
  egress?: RefCalicoRule[];
}
export interface RefCalico {
  tiers: { name: string; order?: number; defaultAction?: 'Deny' | 'Pass' }[];
  policies: RefCalicoPolicy[];
}

export function refCalicoSelects(s: RefCalicoSelector, labels: Record<string, string>): boolean {
  switch (s.op) {
    case 'all': return true;
    case 'has': return k(labels, s.key);
    // a label that is absent is "not equal" and "not in" every set
    case '==': return k(labels, s.key) && labels[s.key] === s.value;
    case '!=': return !k(labels, s.key) || labels[s.key] !== s.value;
    case 'in': return k(labels, s.key) && s.values.includes(labels[s.key]!);
    case 'not in': return !k(labels, s.key) || !s.values.includes(labels[s.key]!);
    case '!': return !refCalicoSelects(s.of, labels);
    case '&&': return refCalicoSelects(s.left, labels) && refCalicoSelects(s.right, labels);
    case '||': return refCalicoSelects(s.left, labels) || refCalicoSelects(s.right, labels);
  }
}

/** The selector's text, as a manifest would carry it. */
export function refCalicoSelectorText(s: RefCalicoSelector): string {
  const q = (v: string) => `'${v}'`;
  switch (s.op) {
    case 'all': return 'all()';
    case 'has': return `has(${s.key})`;
    case '==': case '!=': return `${s.key} ${s.op} ${q(s.value)}`;
    case 'in': case 'not in': return `${s.key} ${s.op} {${s.values.map(q).join(', ')}}`;
    case '!': return `!(${refCalicoSelectorText(s.of)})`;
    case '&&': case '||': return `(${refCalicoSelectorText(s.left)}) ${s.op} (${refCalicoSelectorText(s.right)})`;
  }
}

const endpointLabelsOf = (pod: RefPod) => ({ ...pod.labels, 'projectcalico.org/namespace': pod.namespace, 'projectcalico.org/orchestrator': 'k8s', 'projectcalico.org/serviceaccount': 'default' });
const namespaceLabelsOf = (cluster: RefCluster, ns: string) => ({ ...(cluster.namespaces[ns] ?? {}), 'kubernetes.io/metadata.name': ns, 'projectcalico.org/name': ns });

/**
 * Whether an entity matches one end: a namespaced policy's selectors see only its namespace (or
 * the namespaceSelector's), a global one's every namespace; selectors match only pods (this
 * cluster has no NetworkSets), nets only outside addresses (no pod CIDRs), and the negated fields
 * everything they do not name.
 */
function refCalicoEntityMatches(e: RefCalicoEntity | undefined, policy: RefCalicoPolicy, end: RefPeerSubject, cluster: RefCluster): boolean {
  if (!e) return true;
  const pod = 'pod' in end ? end.pod : undefined;
  const ip = 'ip' in end ? end.ip : undefined;
  if (e.nets && !(ip !== undefined && e.nets.some((c) => inCidr(ip, c)))) return false;
  if (e.notNets && ip !== undefined && e.notNets.some((c) => inCidr(ip, c))) return false;
  const scoped = e.selector !== undefined || e.namespaceSelector !== undefined || (e.notSelector !== undefined && policy.namespace !== undefined);
  if (scoped) {
    if (!pod) return false;
    const nsOk = e.namespaceSelector ? refCalicoSelects(e.namespaceSelector, namespaceLabelsOf(cluster, pod.namespace))
      : policy.namespace === undefined || pod.namespace === policy.namespace;
    if (!nsOk || (e.selector && !refCalicoSelects(e.selector, endpointLabelsOf(pod)))) return false;
  }
  if (e.notSelector && pod && refCalicoSelects(e.notSelector, endpointLabelsOf(pod))) return false;
  return true;
}

function refCalicoPortMatches(ports: (number | string)[], destination: RefPod | undefined, protocol: string, port: number): boolean {
  return ports.some((p) => {
    if (typeof p === 'number') return p === port;
    const range = /^(\d+):(\d+)$/.exec(p);
    if (range) return port >= Number(range[1]) && port <= Number(range[2]);
    return (destination?.ports ?? []).some((cp) => cp.name === p && (cp.protocol ?? 'TCP') === protocol && cp.containerPort === port);
  });
}

function refCalicoRuleMatches(
  rule: RefCalicoRule, policy: RefCalicoPolicy, pod: RefPod, direction: 'Ingress' | 'Egress', peer: RefPeerSubject, destination: RefPod | undefined, protocol: string, port: number, cluster: RefCluster,
): boolean {
  if (rule.protocol && rule.protocol !== protocol) return false;
  const [source, dest]: [RefPeerSubject, RefPeerSubject] = direction === 'Ingress' ? [peer, { pod }] : [{ pod }, peer];
  if (!refCalicoEntityMatches(rule.source, policy, source, cluster) || !refCalicoEntityMatches(rule.destination, policy, dest, cluster)) return false;
  const d = rule.destination;
  if (d?.ports && !refCalicoPortMatches(d.ports, destination, protocol, port)) return false;
  if (d?.notPorts && refCalicoPortMatches(d.notPorts, destination, protocol, port)) return false;
  return true;
}

/** What Calico's tiers allow for one side: `pod`'s ingress from `peer`, or its egress to `peer`. */
export function calicoDirectionAllows(
  cluster: RefCluster, pod: RefPod, direction: 'Ingress' | 'Egress', peer: RefPeerSubject, destination: RefPod | undefined, protocol: string, port: number,
): boolean {
  const calico = cluster.calico!;
  const tiers = [...calico.tiers.filter((t) => t.name !== 'default'), { name: 'default', order: 1_000_000, defaultAction: 'Deny' as const }];
  tiers.sort((a, b) => (a.order === b.order ? (a.name < b.name ? -1 : 1) : a.order === undefined ? 1 : b.order === undefined ? -1 : a.order - b.order));
  type Entry = { order: number; key: string; decide: () => 'allow' | 'deny' | 'pass' | undefined };
  for (const tier of tiers) {
    const entries: Entry[] = [];
    for (const p of calico.policies) {
      if ((p.tier ?? 'default') !== tier.name || !p.types.includes(direction)) continue;
      if (p.namespace !== undefined && p.namespace !== pod.namespace) continue;
      if (!refCalicoSelects(p.selector ?? { op: 'all' }, endpointLabelsOf(pod))) continue;
      entries.push({
        order: p.order ?? Infinity, key: `${p.name}/${p.namespace ?? ''}/${p.kind}`,
        decide: () => {
          for (const rule of (direction === 'Ingress' ? p.ingress : p.egress) ?? []) {
            if (!refCalicoRuleMatches(rule, p, pod, direction, peer, destination, protocol, port, cluster)) continue;
            if (rule.action === 'Log') continue;
            return rule.action === 'Allow' ? 'allow' : rule.action === 'Deny' ? 'deny' : 'pass';
          }
          return undefined;
        },
      });
    }
    if (tier.name === 'default') {
      for (const p of cluster.policies) {
        if (p.namespace !== pod.namespace || !refSelects(p.spec.podSelector, pod.labels) || !types(p).includes(direction)) continue;
        entries.push({
          order: 1000, key: `${p.name}/${p.namespace}/KubernetesNetworkPolicy`,
          decide: () => ((direction === 'Ingress' ? p.spec.ingress ?? [] : p.spec.egress ?? [])
            .some((r) => peerMatches(direction === 'Ingress' ? r.from : r.to, p.namespace, peer, cluster) && portMatches(r.ports, destination, protocol, port)) ? 'allow' : undefined),
        });
      }
    }
    if (entries.length === 0) continue;
    entries.sort((a, b) => (a.order !== b.order ? a.order - b.order : a.key < b.key ? -1 : 1));
    let verdict: 'allow' | 'deny' | 'pass' | undefined;
    for (const e of entries) {
      verdict = e.decide();
      if (verdict) break;
    }
    verdict ??= tier.defaultAction === 'Pass' ? 'pass' : 'deny';
    if (verdict === 'allow') return true;
    if (verdict === 'deny') return false;
  }
  return true;
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

// ---- Cilium, from its docs: deny.rst ("Deny policies take precedence over allow policies,
// regardless of whether they are a Cilium Network Policy, a Clusterwide Cilium Network Policy or
// even a Kubernetes Network Policy"; a pod enters default-deny "as soon a single policy selects
// it"), layer3.rst (an empty EndpointSelector selects all endpoints; world is every address
// outside the cluster, cluster every endpoint inside, all both; CIDR rules do not select pods),
// layer4.rst (toPorts; protocol omitted = any), kubernetes.rst (a CiliumNetworkPolicy's peers
// are in its namespace unless the selector names one; a clusterwide policy's in any),
// enableDefaultDeny (true for each direction that has rules, unless set).

export interface RefCiliumRule {
  endpoints?: RefSelector[];
  entities?: ('world' | 'cluster' | 'all')[];
  cidrs?: string[];
  toPorts?: { ports: { port: string; protocol?: 'TCP' | 'UDP' | 'ANY' }[] }[];
}
export interface RefCiliumPolicy {
  name: string;
  /** undefined: a CiliumClusterwideNetworkPolicy. */
  namespace?: string;
  endpointSelector: RefSelector;
  ingress?: RefCiliumRule[];
  ingressDeny?: RefCiliumRule[];
  egress?: RefCiliumRule[];
  egressDeny?: RefCiliumRule[];
  enableDefaultDeny?: { ingress?: boolean; egress?: boolean };
}

const identityOf = (cluster: RefCluster, pod: RefPod): Record<string, string> => {
  const out: Record<string, string> = { ...pod.labels, 'io.kubernetes.pod.namespace': pod.namespace, 'io.cilium.k8s.policy.serviceaccount': 'default' };
  const nsLabels = { ...(cluster.namespaces[pod.namespace] ?? {}), 'kubernetes.io/metadata.name': pod.namespace };
  for (const [k, v] of Object.entries(nsLabels)) out[`io.cilium.k8s.namespace.labels.${k}`] = v;
  return out;
};

function refCiliumPeerMatches(rule: RefCiliumRule, policy: RefCiliumPolicy, peer: RefPeerSubject, cluster: RefCluster): boolean {
  const hasL3 = rule.endpoints !== undefined || rule.entities !== undefined || rule.cidrs !== undefined;
  if (!hasL3) return rule.toPorts !== undefined;
  if ('ip' in peer) {
    return (rule.entities ?? []).some((e) => e === 'world' || e === 'all') || (rule.cidrs ?? []).some((c) => inCidr(peer.ip, c));
  }
  if ((rule.entities ?? []).some((e) => e === 'cluster' || e === 'all')) return true;
  return (rule.endpoints ?? []).some((sel) => {
    const keys = [...Object.keys(sel.matchLabels ?? {}), ...(sel.matchExpressions ?? []).map((e) => e.key)];
    const namesNamespace = keys.includes('io.kubernetes.pod.namespace') || (policy.namespace !== undefined && keys.some((x) => x.startsWith('io.cilium.k8s.namespace.labels.')));
    if (!namesNamespace && policy.namespace !== undefined && peer.pod.namespace !== policy.namespace) return false;
    return refSelects(sel, identityOf(cluster, peer.pod));
  });
}

function refCiliumPortMatches(rule: RefCiliumRule, destination: RefPod | undefined, protocol: string, port: number): boolean {
  if (!rule.toPorts) return true;
  return rule.toPorts.some((tp) => tp.ports.some((p) => {
    const proto = p.protocol ?? 'ANY';
    if (proto !== 'ANY' && proto !== protocol) return false;
    if (/^\d+$/.test(p.port)) return Number(p.port) === 0 || Number(p.port) === port;
    return (destination?.ports ?? []).some((cp) => cp.name === p.port && (cp.protocol ?? 'TCP') === protocol && cp.containerPort === port);
  }));
}

/** What Cilium allows for one side: deny rules first, then the union of allows where some policy isolates. */
export function ciliumDirectionAllows(
  cluster: RefCluster, pod: RefPod, direction: 'Ingress' | 'Egress', peer: RefPeerSubject, destination: RefPod | undefined, protocol: string, port: number,
): boolean {
  const selecting = (cluster.cilium ?? []).filter((p) => (p.namespace === undefined || p.namespace === pod.namespace) && refSelects(p.endpointSelector, identityOf(cluster, pod)));
  const allowKey = direction === 'Ingress' ? 'ingress' : 'egress';
  const denyKey = direction === 'Ingress' ? 'ingressDeny' : 'egressDeny';
  const matches = (p: RefCiliumPolicy, r: RefCiliumRule) => refCiliumPeerMatches(r, p, peer, cluster) && refCiliumPortMatches(r, destination, protocol, port);
  if (selecting.some((p) => (p[denyKey] ?? []).some((r) => matches(p, r)))) return false;
  const knps = cluster.policies.filter((p) => p.namespace === pod.namespace && refSelects(p.spec.podSelector, pod.labels) && types(p).includes(direction));
  const isolated = knps.length > 0 || selecting.some((p) => {
    const hasRules = (p[allowKey] ?? []).length > 0 || (p[denyKey] ?? []).length > 0;
    const explicit = p.enableDefaultDeny?.[allowKey];
    return hasRules && (explicit ?? true);
  });
  if (!isolated) return true;
  if (selecting.some((p) => (p[allowKey] ?? []).some((r) => matches(p, r)))) return true;
  return knps.some((p) => (direction === 'Ingress' ? p.spec.ingress ?? [] : p.spec.egress ?? [])
    .some((r) => peerMatches(direction === 'Ingress' ? r.from : r.to, p.namespace, peer, cluster) && portMatches(r.ports, destination, protocol, port)));
}
