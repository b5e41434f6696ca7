import { ALL_PORTS, isEmptyPorts, type PortSet } from '../model/ports.js';
import type { NetworkPolicy, PolicyRule } from '../model/types.js';
import {
  isolatingPolicies, matchRule, pairVerdict, type EvaluationOptions, type PodSubject, type PolicyIndex, type Subject,
} from '../policy/evaluate.js';

/** The verdict of one allowed pair, as the graph stores it. */
export interface FlowVerdict {
  readonly ports: PortSet;
  readonly via: readonly string[];
  readonly partial: boolean;
}

/** Both sides not isolated: everything is allowed, by the implicit default-allow of each side. */
export const OPEN_FLOW: FlowVerdict = { ports: ALL_PORTS, via: ['default-allow:egress', 'default-allow:ingress'], partial: false };

export interface ClassFlows {
  /** Allowed pairs of classes (indexes into the subjects) with their verdicts. */
  readonly pairs: readonly { readonly source: number; readonly target: number; readonly verdict: FlowVerdict }[];
  readonly ingressIsolated: readonly boolean[];
  readonly egressIsolated: readonly boolean[];
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

  // the classes each rule matches as a peer, computed once per rule
  const matched = new Map<PolicyRule, readonly number[]>();
  const all = subjects.map((_s, i) => i);
  const matchesOf = (rule: PolicyRule, policy: NetworkPolicy): readonly number[] => {
    let list = matched.get(rule);
    if (!list) {
      list = rule.peers === undefined ? all : all.filter((i) => matchRule(rule, policy.namespace, subjects[i]!, withIsolation) !== 'none');
      matched.set(rule, list);
    }
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
  return { pairs, ingressIsolated, egressIsolated, evaluation: withIsolation };
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
