import { normalizeRanges, type AddressRange } from '../model/ipblock.js';
import { isEmptyPorts, portsKey } from '../model/ports.js';
import type { NetworkPolicy, PolicyRule } from '../model/types.js';
import { combineContributions, type Contribution, type PodSubject } from '../policy/evaluate.js';
import { resolvePortRules } from '../policy/ports.js';
import { itemsCoveringAtoms, splitAddressSpace } from './external.js';
import type { FlowEdge } from './types.js';

/** A flow between a pod class and a set of outside addresses: `source` when the addresses send. */
export interface ExternalFlow {
  readonly source: boolean;
  readonly classIndex: number;
  readonly flow: FlowEdge;
}

/** Outside addresses that every class treats alike in one direction, with the flows they have. */
export interface AtomGroup {
  readonly ranges: AddressRange[];
  readonly flows: readonly ExternalFlow[];
  readonly inbound: boolean;
}

export interface ExternalFlowInput {
  readonly subjects: readonly PodSubject[];
  /** The policies isolating each class (indexes as `subjects`), per direction. */
  readonly isolation: readonly { readonly ingress: readonly NetworkPolicy[]; readonly egress: readonly NetworkPolicy[] }[];
  /** Whether a class's isolating rules can admit an outside address at all; others get no flow to or from outside. */
  readonly ingressFromOutside: readonly boolean[];
  readonly egressToOutside: readonly boolean[];
  readonly universe: readonly AddressRange[];
  /** Where the address space is cut for each direction (every ipBlock of that direction, and exposure ranges inbound). */
  readonly inboundBoundaries: readonly AddressRange[];
  readonly outboundBoundaries: readonly AddressRange[];
  /** Flows of classes not isolated in a direction: the same for every address, added to every group. */
  readonly openFlows: readonly ExternalFlow[];
  /**
   * Classes a cluster-wide policy decides for, per direction, and their flow with one atom (judged
   * by `pairVerdict`): tiers make the verdict depend on the address in ways the index does not follow.
   */
  readonly tiered?: {
    readonly inbound: readonly boolean[];
    readonly outbound: readonly boolean[];
    readonly flow: (classIndex: number, inbound: boolean, atom: AddressRange) => FlowEdge | undefined;
  };
}

/**
 * Cuts the outside address space into atoms per direction and groups the atoms that every class
 * treats alike (same ports, same rules). The verdict of an atom and a class is the one
 * `pairVerdict` gives, found by index: a rule without peers contributes to every atom, an ipBlock
 * rule only to the atoms its ranges cover (found by binary search), so an atom costs the rules that
 * match it, not every rule of every class. Classes whose rules have no ipBlock treat every atom
 * alike; they do not split groups and join every group.
 */
export function groupExternalFlows(input: ExternalFlowInput): AtomGroup[] {
  const atomGroups: AtomGroup[] = [];
  for (const inbound of [true, false]) {
    const direction = inbound ? 'ingress' : 'egress';
    const atoms = splitAddressSpace(input.universe, inbound ? input.inboundBoundaries : input.outboundBoundaries);
    // ingress ports resolve against the class's pods; egress ports towards an address, against none
    const portsOf = (rule: PolicyRule, c: number) => resolvePortRules(rule.ports, inbound ? input.subjects[c]!.ports : undefined);
    const flowOf = (c: number, contributions: readonly Contribution[]): ExternalFlow | undefined => {
      const v = combineContributions(inbound ? undefined : contributions, inbound ? contributions : undefined);
      return isEmptyPorts(v.ports) ? undefined : { source: inbound, classIndex: c, flow: { type: 'flow', ports: v.ports, via: v.via, partial: v.partial } };
    };

    // per class: the contributions of its rules without peers (they match every address), and the
    // classes each ipBlock rule speaks for
    const everywhere = new Map<number, Contribution[]>();
    const classesOfRule = new Map<PolicyRule, number[]>();
    const varying = new Set<number>();
    input.subjects.forEach((_s, c) => {
      if (!(inbound ? input.ingressFromOutside[c] : input.egressToOutside[c])) return;
      for (const policy of input.isolation[c]![direction]) {
        for (const rule of inbound ? policy.ingress : policy.egress) {
          if (rule.peers === undefined) {
            const ports = portsOf(rule, c);
            if (isEmptyPorts(ports)) continue;
            const list = everywhere.get(c);
            if (list) list.push({ ref: rule.ref, ports, partial: false });
            else everywhere.set(c, [{ ref: rule.ref, ports, partial: false }]);
          } else if (rule.peers.some((p) => p.kind === 'ipblock')) {
            varying.add(c);
            const classes = classesOfRule.get(rule);
            if (classes) classes.push(c);
            else classesOfRule.set(rule, [c]);
          }
        }
      }
    });
    const entries = [...classesOfRule.keys()].flatMap((rule) => (rule.peers ?? [])
      .flatMap((peer) => (peer.kind === 'ipblock' ? normalizeRanges(peer.ranges) : []).map((range) => ({ range, item: rule }))));
    const covering = itemsCoveringAtoms(atoms, entries);

    // classes that treat every atom alike: their flow (if any) joins every group without splitting it
    const steady: ExternalFlow[] = [];
    // classes whose rules both match every address and vary by atom: their flow where no ipBlock matches
    const baseline = new Map<number, ExternalFlow | undefined>();
    for (const [c, contributions] of everywhere) {
      if (varying.has(c)) baseline.set(c, flowOf(c, contributions));
      else {
        const f = flowOf(c, contributions);
        if (f) steady.push(f);
      }
    }
    const baselineClasses = [...baseline.keys()];
    const tiered = (inbound ? input.tiered?.inbound : input.tiered?.outbound) ?? [];
    const tieredClasses = tiered.flatMap((t, c) => (t ? [c] : []));
    const groups = new Map<string, AtomGroup>();
    atoms.forEach((atom, a) => {
      const matched = new Map<number, Contribution[]>();
      for (const rule of new Set(covering[a])) {
        for (const c of classesOfRule.get(rule)!) {
          const ports = portsOf(rule, c);
          if (isEmptyPorts(ports)) continue;
          const list = matched.get(c) ?? [...(everywhere.get(c) ?? [])];
          list.push({ ref: rule.ref, ports, partial: false });
          matched.set(c, list);
        }
      }
      const classes = [...new Set([...matched.keys(), ...baselineClasses, ...tieredClasses])].sort((x, y) => x - y);
      const found: ExternalFlow[] = [];
      for (const c of classes) {
        if (tiered[c]) {
          const flow = input.tiered!.flow(c, inbound, atom);
          if (flow) found.push({ source: inbound, classIndex: c, flow });
          continue;
        }
        const contributions = matched.get(c);
        const f = contributions ? flowOf(c, contributions) : baseline.get(c);
        if (f) found.push(f);
      }
      const key = found.map((f) => `${f.classIndex}:${portsKey(f.flow.ports)}:${f.flow.via.join(',')}`).join(';');
      const group = groups.get(key) ?? { ranges: [], flows: [...found, ...steady, ...input.openFlows.filter((f) => f.source === inbound)], inbound };
      group.ranges.push(atom);
      groups.set(key, group);
    });
    atomGroups.push(...groups.values());
  }
  return atomGroups;
}
