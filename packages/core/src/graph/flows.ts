import { ALL_PORTS, isEmptyPorts } from '../model/ports.js';
import { matchesSelector, selectorKey, type Labels, type Selector } from '../model/selectors.js';
import type { ClusterPolicy, ContainerPort, NetworkPolicy, PolicyRule } from '../model/types.js';
import {
  defaultAllow, directionVerdict, hasClusterPolicies, isolatingPolicies, matchPeer, pairVerdict, tierSelectionOf,
  type Contribution, type Direction, type EvaluationOptions, type TierSelection, type PodSubject, type PolicyIndex, type Subject,
} from '../policy/evaluate.js';
import { matchClusterPeer } from '../policy/tiers.js';
import { isolationKeys } from './isolation-key.js';
import { labelValues } from './label-values.js';
import { peerMatches } from './peer-matches.js';
import { ruleContributions } from './rule-contributions.js';
import { sharedVerdicts, type FlowVerdict, type ListNode } from './shared-verdicts.js';
import { computeTieredClassFlows } from './calico-flows.js';

export type { FlowVerdict } from './shared-verdicts.js';

/** Both sides not isolated: everything is allowed, by the implicit default-allow of each side. */
export const OPEN_FLOW: FlowVerdict = { ports: ALL_PORTS, via: ['default-allow:egress', 'default-allow:ingress'], partial: false };
/** From outside addresses to a workload not isolated for ingress: allowed by its default-allow. */
export const OPEN_INGRESS_FLOW: FlowVerdict = { ports: ALL_PORTS, via: ['default-allow:ingress'], partial: false };
/** From a workload not isolated for egress to outside addresses: allowed by its default-allow. */
export const OPEN_EGRESS_FLOW: FlowVerdict = { ports: ALL_PORTS, via: ['default-allow:egress'], partial: false };

export interface ClassFlows {
  /** Allowed pairs of classes (indexes into the subjects) with their verdicts. */
  readonly pairs: readonly { readonly source: number; readonly target: number; readonly verdict: FlowVerdict }[];
  /** Whether a policy of any kind restricts the class in a direction (false: default-allow for every peer). */
  readonly ingressIsolated: readonly boolean[];
  readonly egressIsolated: readonly boolean[];
  /**
   * Classes a cluster-wide policy decides for in a direction: their verdicts depend on tiers, so
   * every pair (and every outside address) they take part in is judged by `pairVerdict` itself.
   */
  readonly clusterIngress: readonly boolean[];
  readonly clusterEgress: readonly boolean[];
  /** For isolated classes: whether any of their rules can admit an outside address (else no atom needs evaluating). */
  readonly ingressFromOutside: readonly boolean[];
  readonly egressToOutside: readonly boolean[];
  /** The policies isolating each class, per direction (as isolatingPolicies finds them). */
  readonly isolation: readonly Isolation[];
  /** Each class's container ports, classes whose ports are equal sharing one list (isolation keys tell lists apart by identity). */
  readonly ports: readonly (readonly ContainerPort[])[];
}

export interface Isolation {
  readonly ingress: readonly NetworkPolicy[];
  readonly egress: readonly NetworkPolicy[];
}

/** A class a rule matches as a peer, and whether only partially (through an ipBlock covering part of its addresses). */
interface RuleMatch {
  readonly index: number;
  readonly partial: boolean;
}

/**
 * Every allowed pair among pod classes. Only the pairs some rule could admit are evaluated: for an
 * ingress-isolated destination, the sources its rules match; for an egress-isolated source, the
 * destinations its rules match. Pairs where neither side is isolated are allowed outright and, with
 * `includeOpenPairs: false`, left out (a cluster without policies would otherwise have n² flows).
 *
 * Overlapping policies are indexed, not re-evaluated per pair: each rule's peer classes are found
 * once, and each class's rules are turned once into the contributions they make to each peer they
 * match, so a pair costs the rules that admit it, not every rule isolating its two sides. The
 * verdicts are those of `pairVerdict` (test/core/indexed-flows.property.test.ts checks it).
 */
export function computeClassFlows(
  subjects: readonly PodSubject[],
  index: PolicyIndex,
  evaluation: EvaluationOptions,
  options: { readonly includeOpenPairs: boolean },
): ClassFlows & { readonly evaluation: EvaluationOptions } {
  // the calico profile: Calico's tier walk judges the pairs (graph/calico-flows.ts)
  if (index.calico) return computeTieredClassFlows(subjects, { ...index, calico: index.calico }, evaluation, options);
  const isolation = new Map<PodSubject, Isolation>();
  for (const s of subjects) {
    isolation.set(s, { ingress: isolatingPolicies(index, s, 'ingress'), egress: isolatingPolicies(index, s, 'egress') });
  }
  const tierSelection = new Map<PodSubject, TierSelection>();
  if (hasClusterPolicies(index)) for (const s of subjects) tierSelection.set(s, tierSelectionOf(index, s));
  const withIsolation: EvaluationOptions = { ...evaluation, isolation, ...(tierSelection.size > 0 ? { tierSelection } : {}) };
  // NetworkPolicy isolation, what the indexed evaluation below works from
  const npIngress = subjects.map((s) => isolation.get(s)!.ingress.length > 0);
  const npEgress = subjects.map((s) => isolation.get(s)!.egress.length > 0);
  const decidedByTiers = (s: PodSubject, direction: Direction, npIsolated: boolean) => {
    const selected = tierSelection.get(s)?.[direction];
    return selected !== undefined && (selected.admin.length > 0 || (!npIsolated && selected.baseline.length > 0));
  };
  const clusterIngress = subjects.map((s, i) => decidedByTiers(s, 'ingress', npIngress[i]!));
  const clusterEgress = subjects.map((s, i) => decidedByTiers(s, 'egress', npEgress[i]!));
  const ingressIsolated = subjects.map((_s, i) => npIngress[i]! || clusterIngress[i]!);
  const egressIsolated = subjects.map((_s, i) => npEgress[i]! || clusterEgress[i]!);

  // the classes each rule matches as a peer, computed once per rule; a peer's namespace part narrows
  // the candidates first, so a rule costs the size of the namespaces it names, not of the cluster
  const all = subjects.map((_s, i) => i);
  const allFull: readonly RuleMatch[] = all.map((i) => ({ index: i, partial: false }));
  const byNamespace = new Map<string, number[]>();
  all.forEach((i) => {
    const list = byNamespace.get(subjects[i]!.namespace);
    if (list) list.push(i);
    else byNamespace.set(subjects[i]!.namespace, [i]);
  });
  const namespaceLabels = new Map(subjects.map((s) => [s.namespace, s.namespaceLabels]));
  // many policies name the same namespaces: each distinct namespaceSelector is matched once, and
  // only against the namespaces that carry one of the values its `In` requirement asks for
  const namespacesFor = labelIndex([...byNamespace.keys()], (ns) => namespaceLabels.get(ns)!);
  const byNamespaceSelector = new Map<string, readonly string[]>();
  const namespacesMatching = (selector: Selector): readonly string[] => {
    const key = selectorKey(selector);
    let list = byNamespaceSelector.get(key);
    if (!list) {
      list = namespacesFor(selector).filter((ns) => matchesSelector(selector, namespaceLabels.get(ns)!));
      byNamespaceSelector.set(key, list);
    }
    return list;
  };
  // a podSelector looks only at the classes of a namespace with one of its values
  const classesFor = new Map([...byNamespace].map(([ns, classes]) => [ns, labelIndex(classes, (i) => subjects[i]!.labels)]));
  // and with a namespaceSelector, at those of each namespace it matches: a peer naming many namespaces
  // and one app in them looked at every class of those namespaces
  const classesInNamespaces = (namespaces: Selector, pods: Selector): readonly number[] => {
    const found: number[] = [];
    for (const ns of namespacesMatching(namespaces)) for (const i of classesFor.get(ns)!(pods)) found.push(i);
    return found;
  };
  // the classes each peer matches, once per distinct peer: the same selectors recur in many
  // policies (`namespaceSelector: {}` with one podSelector in every namespace), and a peer with a
  // namespaceSelector matches the same classes whichever namespace its policy is in
  const peerMatch = peerMatches((peer, policyNamespace) => {
    let candidates: readonly number[];
    if (peer.kind === 'ipblock') candidates = (evaluation.podCidrs ?? []).length > 0 ? all : [];
    else if (peer.namespaces === undefined) candidates = classesFor.get(policyNamespace)?.(peer.pods) ?? [];
    else candidates = classesInNamespaces(peer.namespaces, peer.pods);
    const found: RuleMatch[] = [];
    for (const i of candidates) {
      const m = matchPeer(peer, policyNamespace, subjects[i]!, withIsolation);
      if (m !== 'none') found.push({ index: i, partial: m === 'partial' });
    }
    return found;
  });
  const matched = new Map<PolicyRule, readonly RuleMatch[]>();
  const matchesOf = (rule: PolicyRule, policy: NetworkPolicy): readonly RuleMatch[] => {
    let list = matched.get(rule);
    if (list) return list;
    if (rule.peers === undefined) list = allFull;
    else if (rule.peers.length === 1) list = [...peerMatch(rule.peers[0]!, policy.namespace)].sort((a, b) => a.index - b.index);
    else {
      // a class matched by several peers matches the rule fully if one of them matches it fully (as matchRule)
      const found = new Map<number, boolean>();
      for (const peer of rule.peers) {
        for (const m of peerMatch(peer, policy.namespace)) if (found.get(m.index) !== false) found.set(m.index, m.partial);
      }
      list = [...found].map(([i, partial]) => ({ index: i, partial })).sort((a, b) => a.index - b.index);
    }
    matched.set(rule, list);
    return list;
  };

  // classes that differ in labels often declare the same container ports: one list per distinct
  // content, so a named port resolves once per rule and content, not once per rule and class
  const portLists = new Map<string, readonly ContainerPort[]>();
  const portsOf = subjects.map((s) => {
    const key = JSON.stringify(s.ports.map((p) => [p.name, p.protocol, p.port]));
    const list = portLists.get(key);
    if (list) return list;
    portLists.set(key, s.ports);
    return s.ports;
  });

  // the contributions one class's rules make in a direction, by the peer class they match (in rule
  // order, as directionVerdict lists them); rules admitting no port for a peer contribute nothing
  const shared = sharedVerdicts();
  const ruleContribution = ruleContributions(matchesOf, portsOf, shared);
  // classes isolated by the same policies (and, for ingress, whose pods have the same ports) receive
  // the same contributions from the same peers: they are gathered once per such key, not per class
  const keyOf = isolationKeys();
  // (the peers' lists as the shared steps that end in them: a second map of the lists themselves, for
  // each of 10,000 classes and both directions, was a noticeable part of the collector's work)
  const gathered = new Map<string, Map<number, ListNode>>();
  const contributionsByPeer = (c: number, direction: 'ingress' | 'egress'): Map<number, ListNode> => {
    const key = keyOf(direction, isolation.get(subjects[c]!)![direction], portsOf[c]!);
    let found = gathered.get(key);
    if (!found) gathered.set(key, (found = gatherContributions(c, direction)));
    return found;
  };
  const gatherContributions = (c: number, direction: 'ingress' | 'egress'): Map<number, ListNode> => {
    // each peer's list grows one shared step at a time: one array per content, so that pairs with the
    // same two sides are combined once (shared-verdicts.ts)
    const byPeer = new Map<number, ListNode>();
    const subject = subjects[c]!;
    for (const policy of isolation.get(subject)![direction]) {
      for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
        // ingress ports resolve against this class's pods, egress ports against each destination's
        for (const { index, contribution } of ruleContribution(rule, policy, direction === 'ingress' ? portsOf[c] : undefined)) {
          byPeer.set(index, shared.extend(byPeer.get(index) ?? shared.empty, contribution));
        }
      }
    }
    return byPeer;
  };
  // an egress-isolated source's contributions are needed for every destination that admits it: each
  // class keeps its own map at hand (the maps themselves are shared, as above)
  const egressOf = new Map<number, Map<number, ListNode>>();
  const egressContributions = (s: number): Map<number, ListNode> => {
    let found = egressOf.get(s);
    if (!found) egressOf.set(s, (found = contributionsByPeer(s, 'egress')));
    return found;
  };
  const openEgress = shared.list([defaultAllow('egress')]);
  const openIngress = shared.list([defaultAllow('ingress')]);

  const pairs: { source: number; target: number; verdict: FlowVerdict }[] = [];
  const add = (source: number, target: number, egress: readonly Contribution[], ingress: readonly Contribution[]) => {
    // a side with no contribution allows nothing (the usual case of a pair only one side admits)
    if (egress.length === 0 || ingress.length === 0) return;
    const verdict = shared.combine(egress, ingress);
    if (verdict) pairs.push({ source, target, verdict });
  };
  // pairs a cluster-wide policy takes part in: the tiered side judged pair by pair (its NetworkPolicy
  // tier from the index), the other side from the index as below
  const classOf = new Map(subjects.map((s, i) => [s, i]));
  let ingressOfClass: { d: number; byPeer: Map<number, ListNode> } | undefined;
  const ingressContributions = (d: number) => {
    if (ingressOfClass?.d !== d) ingressOfClass = { d, byPeer: contributionsByPeer(d, 'ingress') };
    return ingressOfClass.byPeer;
  };
  const tiered: EvaluationOptions = {
    ...withIsolation,
    networkPolicyContributions: (pod, direction, peer) => {
      const c = classOf.get(pod);
      const p = peer.kind === 'pod' ? classOf.get(peer) : undefined;
      if (c === undefined || p === undefined) return undefined;
      return (direction === 'egress' ? egressContributions(c).get(p) : ingressContributions(c).get(p))?.list ?? [];
    },
  };
  // the classes each cluster-wide policy's rules can match as peers, per direction: a peer no rule of
  // a class's tiers matches gets the NetworkPolicy tier's verdict, or the default's, as without tiers
  const peersOfPolicy = new Map<ClusterPolicy, { ingress: boolean[]; egress: boolean[] }>();
  const matchedBy = (policy: ClusterPolicy, direction: Direction): boolean[] => {
    let entry = peersOfPolicy.get(policy);
    if (!entry) {
      const of = (dir: Direction) => {
        const peers = policy[dir].flatMap((r) => r.peers);
        // a networks peer may match any pod once pod CIDRs are known (partly, even): judge every pair
        if ((evaluation.podCidrs ?? []).length > 0 && peers.some((p) => p.kind === 'networks')) return subjects.map(() => true);
        return subjects.map((subject) => peers.some((p) => p.kind === 'pods' && matchClusterPeer(p, subject, evaluation) !== 'none'));
      };
      entry = { ingress: of('ingress'), egress: of('egress') };
      peersOfPolicy.set(policy, entry);
    }
    return entry[direction];
  };
  const tierMatches = (c: number, direction: Direction, peer: number): boolean => {
    const selected = tierSelection.get(subjects[c]!)![direction];
    const npIsolated = direction === 'ingress' ? npIngress[c]! : npEgress[c]!;
    return selected.admin.some((p) => matchedBy(p, direction)[peer]) || (!npIsolated && selected.baseline.some((p) => matchedBy(p, direction)[peer]));
  };
  // (only the classes a cluster-wide policy decides for: without one, no n² walk over every pair)
  const tieredSources = all.filter((i) => clusterEgress[i]);
  for (let d = 0; d < subjects.length; d++) {
    for (const s of clusterIngress[d] ? all : tieredSources) {
      const egress = clusterEgress[s] && tierMatches(s, 'egress', d) ? directionVerdict(index, subjects[s]!, 'egress', subjects[d]!, tiered).contributions
        : npEgress[s] ? egressContributions(s).get(d)?.list ?? [] : openEgress;
      if (egress.length === 0) continue;
      const ingress = clusterIngress[d] && tierMatches(d, 'ingress', s) ? directionVerdict(index, subjects[d]!, 'ingress', subjects[s]!, tiered).contributions
        : npIngress[d] ? ingressContributions(d).get(s)?.list ?? [] : openIngress;
      add(s, d, egress, ingress);
    }
  }
  // every other pair, by index: NetworkPolicy's verdict is the whole verdict there (in the order the
  // rules found the peers: the graph sorts its edges, so the order of the pairs is not seen). forEach,
  // not for…of: this code runs once, mostly before it is optimised, and there each step of an
  // entries iterator was two objects, 20 MB on the XL size
  for (let d = 0; d < subjects.length; d++) {
    if (!npIngress[d] || clusterIngress[d]) continue;
    contributionsByPeer(d, 'ingress').forEach((ingress, s) => {
      if (!clusterEgress[s]) add(s, d, npEgress[s] ? egressContributions(s).get(d)?.list ?? [] : openEgress, ingress.list);
    });
  }
  for (let s = 0; s < subjects.length; s++) {
    if (clusterEgress[s]) continue;
    if (npEgress[s]) {
      egressContributions(s).forEach((egress, d) => {
        if (!ingressIsolated[d]) add(s, d, egress.list, openIngress);
      });
    } else if (options.includeOpenPairs) {
      for (let d = 0; d < subjects.length; d++) if (!ingressIsolated[d]) pairs.push({ source: s, target: d, verdict: OPEN_FLOW });
    }
  }
  // whether a class's isolating rules could admit any outside address at all (a rule without peers, or an ipBlock)
  const admitsOutside = (policies: readonly NetworkPolicy[], direction: 'ingress' | 'egress') =>
    policies.some((p) => (direction === 'ingress' ? p.ingress : p.egress).some((r) => r.peers === undefined || r.peers.some((peer) => peer.kind === 'ipblock')));
  // (classes a cluster-wide policy decides for are judged address by address instead)
  const ingressFromOutside = subjects.map((s, i) => !clusterIngress[i] && admitsOutside(isolation.get(s)!.ingress, 'ingress'));
  const egressToOutside = subjects.map((s, i) => !clusterEgress[i] && admitsOutside(isolation.get(s)!.egress, 'egress'));
  return {
    pairs, ingressIsolated, egressIsolated, clusterIngress, clusterEgress, ingressFromOutside, egressToOutside,
    isolation: subjects.map((s) => isolation.get(s)!), ports: portsOf, evaluation: withIsolation,
  };
}

/** The verdict between a pod class and a set of outside addresses, skipping evaluation where the pod is not isolated. */
export function externalVerdict(
  index: PolicyIndex,
  source: Subject,
  destination: Subject,
  evaluation: EvaluationOptions,
): FlowVerdict | undefined {
  const v = pairVerdict(index, source, destination, evaluation);
  return isEmptyPorts(v.ports) ? undefined : { ports: v.ports, via: v.via, partial: v.partial };
}

/**
 * Items indexed by their labels: for a selector, the items that can match it, which are those
 * carrying one of the values of its most selective `In` requirement (`matchLabels` entries are
 * `In` requirements), or every item when it has none. A superset of the matches: callers still
 * match each candidate.
 */
function labelIndex<T>(items: readonly T[], labelsOf: (item: T) => Labels): (selector: Selector) => readonly T[] {
  const find = labelValues(items, labelsOf);
  return (selector) => {
    let best: readonly T[] = items;
    for (const r of selector.requirements) {
      if (r.operator !== 'In') continue;
      // an item has one value per key, so the lists of different values never share an item
      const found = r.values.flatMap((v) => find(r.key, v));
      if (found.length < best.length) best = found;
    }
    return best;
  };
}
