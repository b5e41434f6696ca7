import { tieredApplies, type TieredModel } from '../policy/calico-tiers.js';
import { pairVerdict, type EvaluationOptions, type PodSubject, type PolicyIndex } from '../policy/evaluate.js';
import { ALL_PORTS, isEmptyPorts } from '../model/ports.js';
import type { ClassFlows, FlowVerdict } from './flows.js';

/** Both sides under no tier: allowed by each namespace's profile, as flows.ts OPEN_FLOW says. */
const OPEN_FLOW: FlowVerdict = { ports: ALL_PORTS, via: ['default-allow:egress', 'default-allow:ingress'], partial: false };

/**
 * Every allowed pair among pod classes under the calico profile. Calico's tiers make each verdict
 * depend on both ends in ways the NetworkPolicy index of flows.ts does not follow, so every pair
 * where a tier applies to one side is judged by `pairVerdict` itself; pairs where no tier applies
 * to either side are allowed by the namespaces' profiles. Every class a tier applies to is marked
 * tiered, so outside addresses are judged address set by address set too.
 */
export function computeTieredClassFlows(
  subjects: readonly PodSubject[],
  index: PolicyIndex & { readonly calico: TieredModel },
  evaluation: EvaluationOptions,
  options: { readonly includeOpenPairs: boolean },
): ClassFlows & { readonly evaluation: EvaluationOptions } {
  const ingress = subjects.map((s) => tieredApplies(index.calico, s, 'ingress'));
  const egress = subjects.map((s) => tieredApplies(index.calico, s, 'egress'));
  const pairs: { source: number; target: number; verdict: FlowVerdict }[] = [];
  for (let s = 0; s < subjects.length; s++) {
    for (let d = 0; d < subjects.length; d++) {
      if (!egress[s] && !ingress[d]) {
        if (options.includeOpenPairs) pairs.push({ source: s, target: d, verdict: OPEN_FLOW });
        continue;
      }
      const v = pairVerdict(index, subjects[s]!, subjects[d]!, evaluation);
      if (!isEmptyPorts(v.ports)) pairs.push({ source: s, target: d, verdict: { ports: v.ports, via: v.via, partial: v.partial, ...(v.l7 ? { l7: true } : {}) } });
    }
  }
  const none = subjects.map(() => false);
  return {
    pairs, ingressIsolated: ingress, egressIsolated: egress, clusterIngress: ingress, clusterEgress: egress,
    ingressFromOutside: none, egressToOutside: none, isolation: subjects.map(() => ({ ingress: [], egress: [] })), ports: subjects.map((s) => s.ports), evaluation,
  };
}
