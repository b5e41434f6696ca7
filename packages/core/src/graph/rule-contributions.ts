import { isEmptyPorts, type PortSet } from '../model/ports.js';
import type { ContainerPort, NetworkPolicy, PolicyRule } from '../model/types.js';
import type { Contribution } from '../policy/evaluate.js';
import { resolvePortRules } from '../policy/ports.js';
import type { SharedVerdicts } from './shared-verdicts.js';

/** A class a rule's peers match, and the rule's contribution to a pair with it. */
export interface PeerContribution {
  readonly index: number;
  readonly contribution: Contribution;
}

/**
 * What each rule contributes to every peer class it matches, computed once per rule rather than once
 * per class the rule's policy isolates: the classes come from `matchesOf` (once per rule), and the
 * ports the rule admits resolve against the destination's container ports, which for egress are the
 * peer's (once per distinct port list of a peer class) and for ingress the isolated class's own (once
 * per distinct port list among them, `ownPorts`). Peers the rule admits no port of are left out.
 */
export function ruleContributions(
  matchesOf: (rule: PolicyRule, policy: NetworkPolicy) => readonly { readonly index: number; readonly partial: boolean }[],
  portsOf: readonly (readonly ContainerPort[])[],
  shared: SharedVerdicts,
): (rule: PolicyRule, policy: NetworkPolicy, ownPorts?: readonly ContainerPort[]) => readonly PeerContribution[] {
  const egress = new Map<PolicyRule, readonly PeerContribution[]>();
  const ingress = new Map<PolicyRule, Map<readonly ContainerPort[], readonly PeerContribution[]>>();
  const compute = (rule: PolicyRule, policy: NetworkPolicy, own: PortSet | undefined): readonly PeerContribution[] => {
    if (own && isEmptyPorts(own)) return [];
    // one contribution object per distinct port set and match kind, shared by the peers it applies to
    const byPorts = new Map<PortSet, { full?: Contribution; partial?: Contribution }>();
    const out: PeerContribution[] = [];
    for (const m of matchesOf(rule, policy)) {
      const ports = own ?? resolvePortRules(rule.ports, portsOf[m.index]);
      if (isEmptyPorts(ports)) continue;
      let pair = byPorts.get(ports);
      if (!pair) byPorts.set(ports, (pair = {}));
      const contribution = m.partial
        ? (pair.partial ??= shared.contribution({ ref: rule.ref, ports, partial: true }))
        : (pair.full ??= shared.contribution({ ref: rule.ref, ports, partial: false }));
      out.push({ index: m.index, contribution });
    }
    return out;
  };
  return (rule, policy, ownPorts) => {
    if (ownPorts === undefined) {
      let found = egress.get(rule);
      if (!found) egress.set(rule, (found = compute(rule, policy, undefined)));
      return found;
    }
    let byOwn = ingress.get(rule);
    if (!byOwn) ingress.set(rule, (byOwn = new Map()));
    let found = byOwn.get(ownPorts);
    if (!found) byOwn.set(ownPorts, (found = compute(rule, policy, resolvePortRules(rule.ports, ownPorts))));
    return found;
  };
}
