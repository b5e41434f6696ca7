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

/** What one side's policies allow: `pod`'s ingress from `peer`, or its egress to `peer`. */
export function directionAllows(
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
