import { normalizeRanges, type AddressRange } from '../model/ipblock.js';
import { isAllPorts, unionAllPorts, type PortSet } from '../model/ports.js';
import type { ContainerPort, Peer, PolicyRule } from '../model/types.js';
import { resolvePortRules } from '../policy/ports.js';
import { itemsCoveringAtoms, splitAddressSpace } from './external.js';

/** A rule with the namespace of its policy (a peer without namespaceSelector means that namespace). */
export interface ScopedRule {
  readonly rule: PolicyRule;
  readonly namespace: string;
}

/** What a set of rules (one rule, or every rule isolating a pod in a direction) admits on every port. */
export interface Openness {
  /** Every pod of every namespace, present or future (`namespaceSelector: {}` with `podSelector: {}`, or no `from`/`to`). */
  readonly everyPod: boolean;
  /** Every outside address of IPv4, or of IPv6 (`ipBlock: 0.0.0.0/0`, or no `from`/`to`). */
  readonly everyAddress: boolean;
}

/**
 * What the union of `rules` admits on every port: every pod of the cluster, every outside address,
 * both (the rules restrict nothing), or neither. Judged as the evaluator matches rules, on each
 * piece of the address space cut at the rules' ipBlock boundaries (a piece lies inside an ipBlock's
 * ranges or outside them; each ipBlock finds its pieces by binary search), so two rules that together
 * open everything (TCP from one, UDP and SCTP from another) count as open. Named ports resolve
 * against `destinationPorts` (an ingress rule's own pod); without them they open nothing.
 * Pods are judged by selectors, not by the pods of the input: only a selector that cannot fail
 * (an empty namespaceSelector and podSelector) admits "every pod".
 */
export function opennessOf(rules: readonly ScopedRule[], universe: readonly AddressRange[], destinationPorts?: readonly ContainerPort[]): Openness {
  return { everyPod: admitsEveryPod(rules, destinationPorts), everyAddress: admitsEveryAddress(rules, universe, destinationPorts) };
}

/** Whether the rules together admit every pod of every namespace on every port (see `opennessOf`). */
export function admitsEveryPod(rules: readonly ScopedRule[], destinationPorts?: readonly ContainerPort[]): boolean {
  const ports = rules.filter(({ rule }) => rule.peers === undefined || rule.peers.some(isEveryPod))
    .map(({ rule }) => resolvePortRules(rule.ports, destinationPorts));
  return isAllPorts(unionAllPorts(ports));
}

/** Whether the rules together admit every outside address of IPv4, or of IPv6, on every port (see `opennessOf`). */
export function admitsEveryAddress(rules: readonly ScopedRule[], universe: readonly AddressRange[], destinationPorts?: readonly ContainerPort[]): boolean {
  const portsOf = (r: PolicyRule): PortSet => resolvePortRules(r.ports, destinationPorts);
  // only rules that can match an outside address at all; an ipBlock's boundaries cut the space
  const candidates = rules.filter(({ rule }) => rule.peers === undefined || rule.peers.some((p) => p.kind === 'ipblock'));
  if (candidates.length === 0) return false;
  // a rule without peers matches every atom; an ipBlock rule the atoms inside its ranges (as matchRule judges them)
  const everywhere = candidates.filter(({ rule }) => rule.peers === undefined).map(({ rule }) => portsOf(rule));
  const blockRules = candidates.filter(({ rule }) => rule.peers !== undefined).map(({ rule }) => rule);
  const boundaries = blockRules.flatMap((rule) => (rule.peers ?? []).flatMap((p) => (p.kind === 'ipblock' ? p.ranges : [])));
  const entries = blockRules.flatMap((rule) => (rule.peers ?? [])
    .flatMap((p) => (p.kind === 'ipblock' ? normalizeRanges(p.ranges) : []).map((range) => ({ range, item: rule }))));
  return ([4, 6] as const).some((family) => {
    const space = universe.filter((r) => r.family === family);
    if (space.length === 0) return false;
    const atoms = splitAddressSpace(space, boundaries);
    const covering = itemsCoveringAtoms(atoms, entries);
    return atoms.every((_atom, a) => isAllPorts(unionAllPorts([...everywhere, ...[...new Set(covering[a]!)].map(portsOf)])));
  });
}

/** A peer that matches every pod of every namespace: both selectors present-or-implied and empty. */
function isEveryPod(peer: Peer): boolean {
  return peer.kind === 'pods' && peer.namespaces !== undefined && peer.namespaces.requirements.length === 0 && peer.pods.requirements.length === 0;
}
