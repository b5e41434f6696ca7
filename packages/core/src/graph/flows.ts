import { ALL_PORTS, isEmptyPorts, type PortSet } from '../model/ports.js';
import { matchesSelector } from '../model/selectors.js';
import type { NetworkPolicy, PolicyRule } from '../model/types.js';
import {
  isolatingPolicies, matchPeer, pairVerdict, type EvaluationOptions, type PodSubject, type PolicyIndex, type Subject,
} from '../policy/evaluate.js';

/** The verdict of one allowed pair, as the graph stores it. */
export interface FlowVerdict {
  readonly ports: PortSet;
  readonly via: readonly string[];
  readonly partial: boolean;
}

/** Both sides not isolated: everything is allowed, by the implicit default-allow of each side. */
export const OPEN_FLOW: FlowVerdict = { ports: ALL_PORTS, via: ['default-allow:egress', 'default-allow:ingress'], partial: false };
/** From outside addresses to a workload not isolated for ingress: allowed by its default-allow. */
export const OPEN_INGRESS_FLOW: FlowVerdict = { ports: ALL_PORTS, via: ['default-allow:ingress'], partial: false };
/** From a workload not isolated for egress to outside addresses: allowed by its default-allow. */
export const OPEN_EGRESS_FLOW: FlowVerdict = { ports: ALL_PORTS, via: ['default-allow:egress'], partial: false };

export interface ClassFlows {
  /** Allowed pairs of classes (indexes into the subjects) with their verdicts. */
  readonly pairs: readonly { readonly source: number; readonly target: number; readonly verdict: FlowVerdict }[];
  readonly ingressIsolated: readonly boolean[];
  readonly egressIsolated: readonly boolean[];
  /** For isolated classes: whether any of their rules can admit an outside address (else no atom needs evaluating). */
  readonly ingressFromOutside: readonly boolean[];
  readonly egressToOutside: readonly boolean[];
}

interface Isolation {
  readonly ingress: readonly NetworkPolicy[];
  readonly egress: readonly NetworkPolicy[];
}

/**
 * Every allowed pair among pod classes. Only the pairs some rule could admit are evaluated: for an
 * ingress-isolated destination, the sources its rules match; for an egress-isolated source, the
 * destinations its rules match. Pairs where neither side is isolated are allowed outright and, with
 * `includeOpenPairs: false`, left out (a cluster without policies would otherwise have n² flows).
 */
export function computeClassFlows(
  subjects: readonly PodSubject[],
  index: PolicyIndex,
  evaluation: EvaluationOptions,
  options: { readonly includeOpenPairs: boolean },
): ClassFlows & { readonly evaluation: EvaluationOptions } {
  const isolation = new Map<PodSubject, Isolation>();
  for (const s of subjects) {
    isolation.set(s, { ingress: isolatingPolicies(index, s, 'ingress'), egress: isolatingPolicies(index, s, 'egress') });
  }
  const withIsolation: EvaluationOptions = { ...evaluation, isolation };
  const ingressIsolated = subjects.map((s) => isolation.get(s)!.ingress.length > 0);
  const egressIsolated = subjects.map((s) => isolation.get(s)!.egress.length > 0);

  // the classes each rule matches as a peer, computed once per rule; a peer's namespace part narrows
  // the candidates first, so a rule costs the size of the namespaces it names, not of the cluster
  const all = subjects.map((_s, i) => i);
  const byNamespace = new Map<string, number[]>();
  all.forEach((i) => {
    const list = byNamespace.get(subjects[i]!.namespace);
    if (list) list.push(i);
    else byNamespace.set(subjects[i]!.namespace, [i]);
  });
  const namespaceLabels = new Map(subjects.map((s) => [s.namespace, s.namespaceLabels]));
  const matched = new Map<PolicyRule, readonly number[]>();
  const matchesOf = (rule: PolicyRule, policy: NetworkPolicy): readonly number[] => {
    let list = matched.get(rule);
    if (list) return list;
    if (rule.peers === undefined) list = all;
    else {
      const found = new Set<number>();
      for (const peer of rule.peers) {
        let candidates: readonly number[];
        if (peer.kind === 'ipblock') candidates = (evaluation.podCidrs ?? []).length > 0 ? all : [];
        else if (peer.namespaces === undefined) candidates = byNamespace.get(policy.namespace) ?? [];
        else {
          const selector = peer.namespaces;
          candidates = [...byNamespace.keys()].filter((ns) => matchesSelector(selector, namespaceLabels.get(ns)!)).flatMap((ns) => byNamespace.get(ns)!);
        }
        for (const i of candidates) if (!found.has(i) && matchPeer(peer, policy.namespace, subjects[i]!, withIsolation) !== 'none') found.add(i);
      }
      list = [...found].sort((a, b) => a - b);
    }
    matched.set(rule, list);
    return list;
  };
  const peersOf = (policies: readonly NetworkPolicy[], direction: 'ingress' | 'egress'): Set<number> => {
    const set = new Set<number>();
    for (const p of policies) for (const r of direction === 'ingress' ? p.ingress : p.egress) for (const i of matchesOf(r, p)) set.add(i);
    return set;
  };

  const pairs: { source: number; target: number; verdict: FlowVerdict }[] = [];
  const evaluate = (source: number, target: number) => {
    const v = pairVerdict(index, subjects[source]!, subjects[target]!, withIsolation);
    if (!isEmptyPorts(v.ports)) pairs.push({ source, target, verdict: { ports: v.ports, via: v.via, partial: v.partial } });
  };
  for (let d = 0; d < subjects.length; d++) {
    if (!ingressIsolated[d]) continue;
    for (const s of [...peersOf(isolation.get(subjects[d]!)!.ingress, 'ingress')].sort((a, b) => a - b)) evaluate(s, d);
  }
  for (let s = 0; s < subjects.length; s++) {
    if (egressIsolated[s]) {
      for (const d of [...peersOf(isolation.get(subjects[s]!)!.egress, 'egress')].sort((a, b) => a - b)) {
        if (!ingressIsolated[d]) evaluate(s, d);
      }
    } else if (options.includeOpenPairs) {
      for (let d = 0; d < subjects.length; d++) if (!ingressIsolated[d]) pairs.push({ source: s, target: d, verdict: OPEN_FLOW });
    }
  }
  // whether a class's isolating rules could admit any outside address at all (a rule without peers, or an ipBlock)
  const admitsOutside = (policies: readonly NetworkPolicy[], direction: 'ingress' | 'egress') =>
    policies.some((p) => (direction === 'ingress' ? p.ingress : p.egress).some((r) => r.peers === undefined || r.peers.some((peer) => peer.kind === 'ipblock')));
  const ingressFromOutside = subjects.map((s) => admitsOutside(isolation.get(s)!.ingress, 'ingress'));
  const egressToOutside = subjects.map((s) => admitsOutside(isolation.get(s)!.egress, 'egress'));
  return { pairs, ingressIsolated, egressIsolated, ingressFromOutside, egressToOutside, evaluation: withIsolation };
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
