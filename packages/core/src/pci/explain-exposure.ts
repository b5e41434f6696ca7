import { peerContains, selectorsDisjoint } from '../exposure/containment.js';
import { ENTIRE_CLUSTER, representativePeerOf, type RepresentativePeer } from '../exposure/peer.js';
import { exposurePortsOf, formatExposurePorts } from '../exposure/ports.js';
import { ALL_PORTS, formatPorts, intersectPorts, isEmptyPorts, NO_PORTS, samePorts, unionPorts, type PortSet } from '../model/ports.js';
import type { Cluster, PolicyRule, Workload } from '../model/types.js';
import { indexPolicies, isolatingPolicies, type Direction } from '../policy/evaluate.js';
import { workloadSubject } from '../policy/subjects.js';
import { describePeer } from './exposed-peers.js';
import { matchesSelector } from '../model/selectors.js';
import type { DirectionExplanation, PairExplanation, PortVerdict } from './explain.js';
import { parseSelectorText } from './selector-text.js';

/** A representative peer named on the command line, or why the text is not one. */
export type ParsedPeerText =
  | { readonly ok: true; readonly peer: RepresentativePeer }
  | { readonly ok: false; readonly reason: string };

const PEER_TEXT = /^(?:any pod|pods (.+?)) in (?:(the cluster)|(any namespace)|namespace ([^\s]+)|namespaces (.+))$/;

/**
 * Reads the words `describePeer` writes (so a line of `audit` can be pasted): `any pod in the
 * cluster`, `any pod in namespace NAME`, `pods SELECTOR in namespace NAME`, `pods SELECTOR in any
 * namespace`, `any pod in namespaces SELECTOR`, selectors in kubectl syntax. Undefined: the text
 * does not start like a peer, so it names a workload or an address.
 */
export function parsePeerText(text: string): ParsedPeerText | undefined {
  const trimmed = text.trim();
  if (!/^(any pod|pods) /.test(trimmed)) return undefined;
  const m = PEER_TEXT.exec(trimmed);
  if (!m) return { ok: false, reason: `"${text}" is not a set of pods: write "any pod in the cluster", "pods app=x in namespace shop", "any pod in namespaces team=ops" or "pods app=x in any namespace"` };
  const pods = m[1] === undefined ? { ok: true as const, selector: { requirements: [] } } : parseSelectorText(m[1]);
  if (!pods.ok) return { ok: false, reason: `pod selector "${m[1]}": ${pods.reason}` };
  if (m[2] !== undefined) {
    return pods.selector.requirements.length === 0 ? { ok: true, peer: ENTIRE_CLUSTER } : { ok: true, peer: { namespaceSelector: { requirements: [] }, podSelector: pods.selector } };
  }
  if (m[3] !== undefined) return { ok: true, peer: { namespaceSelector: { requirements: [] }, podSelector: pods.selector } };
  if (m[4] !== undefined) return { ok: true, peer: { namespace: m[4], podSelector: pods.selector } };
  const namespaces = parseSelectorText(m[5]!);
  if (!namespaces.ok) return { ok: false, reason: `namespace selector "${m[5]}": ${namespaces.reason}` };
  return { ok: true, peer: { namespaceSelector: namespaces.selector, podSelector: pods.selector } };
}

/**
 * What a workload's own policies say about a set of pods that need not be in the input: the rules
 * that admit every pod of the set (they decide the verdict), and those that admit only some of them.
 * Only the workload's side is judged; the pods' own policies are not known.
 */
export function explainPeerPair(
  cluster: Cluster, workload: Workload, peer: RepresentativePeer, direction: Direction,
  requested: PortSet | undefined, entries: readonly { text: string; ports: PortSet }[],
): PairExplanation {
  const namespaceLabels = new Map(cluster.namespaces.map((n) => [n.name, n.labels]));
  const subject = workloadSubject(workload, namespaceLabels.get(workload.namespace));
  const isolating = isolatingPolicies(indexPolicies(cluster.policies, cluster.clusterPolicies), subject, direction);
  const peerText = describePeer(peer);
  const head = `${direction} of ${workload.id}`;
  const rules: { ref: string; ports: PortSet }[] = [];
  const some: string[] = [];
  let ports: PortSet = isolating.length === 0 ? ALL_PORTS : NO_PORTS;
  const names: string[] = [];
  for (const policy of isolating) {
    for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
      const admitted = exposurePortsOf(rule.ports, direction === 'ingress' ? workload.ports : undefined);
      const reach = ruleReach(rule, policy.namespace, peer, namespaceLabels);
      if (reach === 'none' || (isEmptyPorts(admitted.numbers) && admitted.names.length === 0)) continue;
      if (reach === 'some') {
        some.push(`${rule.ref} admits only some of them on ${formatExposurePorts(admitted)}`);
        continue;
      }
      rules.push({ ref: rule.ref, ports: admitted.numbers });
      ports = unionPorts(ports, admitted.numbers);
      if (admitted.names.length > 0) names.push(`${rule.ref} on ${formatExposurePorts(admitted)} (named ports: they resolve on each destination pod)`);
    }
  }
  let summary: string;
  if (isolating.length === 0) summary = `${head} is not isolated: default-allow`;
  else if (rules.length === 0) summary = `${head} is isolated by ${isolating.map((p) => p.id).join(', ')}; no rule admits every one of ${peerText}`;
  else summary = `${head} is isolated by ${isolating.map((p) => p.id).join(', ')}; ${rules.map((r) => `${r.ref} admits ${peerText} on ${formatPorts(r.ports)}`).join('; ')}`;
  if (names.length > 0) summary += `; ${names.join('; ')}`;
  if (some.length > 0) summary += `; ${some.join('; ')}`;
  const explanation: DirectionExplanation = { direction, pod: workload.id, isolatedBy: isolating.map((p) => p.id), rules, ports, summary };
  const allowed = requested ? intersectPorts(ports, requested) : ports;
  const portVerdicts = entries.map((e): PortVerdict => {
    const ok = samePorts(intersectPorts(ports, e.ports), e.ports);
    return { port: e.text, allowed: ok, deniedBy: ok ? [] : [direction] };
  });
  const other = direction === 'ingress' ? 'their egress' : 'their ingress';
  return {
    from: direction === 'ingress' ? peerText : workload.id,
    to: direction === 'ingress' ? workload.id : peerText,
    ...(requested ? { requested } : {}),
    allowed, ports: portVerdicts, directions: [explanation],
    note: `only ${workload.id}'s side is judged: ${other} is decided by the policies that select those pods, which need not be in the input`,
  };
}

function ruleReach(rule: PolicyRule, policyNamespace: string, peer: RepresentativePeer, namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>): 'all' | 'some' | 'none' {
  if (rule.peers === undefined) return 'all';
  let reach: 'some' | 'none' = 'none';
  for (const p of rule.peers) {
    if (p.kind !== 'pods') continue;
    const admitted = representativePeerOf(p, policyNamespace);
    if (peerContains(admitted, peer, namespaceLabels)) return 'all';
    if (!peersDisjoint(admitted, peer, namespaceLabels)) reach = 'some';
  }
  return reach;
}

/**
 * Whether two peers certainly share no pod: different named namespaces, contradicting selectors, or
 * a named namespace of the input whose labels the other's namespace selector does not match.
 */
function peersDisjoint(a: RepresentativePeer, b: RepresentativePeer, namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>): boolean {
  if (selectorsDisjoint(a.podSelector, b.podSelector)) return true;
  if ('namespace' in a && 'namespace' in b) return a.namespace !== b.namespace;
  if ('namespaceSelector' in a && 'namespaceSelector' in b) return selectorsDisjoint(a.namespaceSelector, b.namespaceSelector);
  const [named, chosen] = 'namespace' in a ? [a, b as Extract<RepresentativePeer, { namespaceSelector: unknown }>] : [b as Extract<RepresentativePeer, { namespace: string }>, a];
  const labels = namespaceLabels.get(named.namespace);
  return labels !== undefined && !matchesSelector(chosen.namespaceSelector, labels);
}
