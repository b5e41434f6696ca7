import { coversRanges, type AddressRange } from '../model/ipblock.js';
import { matchIpBlockOnPod } from './ip-match.js';
import { ALL_PORTS, intersectPorts, isEmptyPorts, samePorts, unionAllPorts, unionPorts, type PortSet } from '../model/ports.js';
import { matchesSelector, type Labels } from '../model/selectors.js';
import type { ClusterPolicy, ClusterTier, ContainerPort, NetworkPolicy, Peer, PolicyRule } from '../model/types.js';
import { selectingPolicies, walkTier, within } from './tiers.js';
import { resolvePortRules } from './ports.js';
import type { TieredObjects } from '../model/calico-types.js';
import { buildTieredModel, tieredDirectionVerdict, type TieredModel } from './calico-tiers.js';
import { byCodeUnits, sortSmall } from '../small-sort.js';

/** A pod (or every pod of a workload: they share labels and ports) as seen by NetworkPolicy. */
export interface PodSubject {
  readonly kind: 'pod';
  readonly namespace: string;
  readonly labels: Labels;
  readonly namespaceLabels: Labels;
  readonly ports: readonly ContainerPort[];
  /** Known pod IPs; only consulted when pod CIDRs are given. */
  readonly podIPs: readonly string[];
  /** Host-network pods are outside every cluster-wide policy's subjects and pod peers. Absent: false. */
  readonly hostNetwork?: boolean;
  /** The pods' service account (Calico selects by it); absent: `default`. */
  readonly serviceAccount?: string;
}

/** A set of addresses outside the cluster that every policy treats alike. */
export interface AddressSubject {
  readonly kind: 'address';
  readonly ranges: readonly AddressRange[];
}

export type Subject = PodSubject | AddressSubject;

export interface EvaluationOptions {
  /**
   * Precomputed isolating policies per pod subject (object identity), so batch callers select each
   * pod's policies once instead of once per pair.
   */
  readonly isolation?: ReadonlyMap<PodSubject, { readonly ingress: readonly NetworkPolicy[]; readonly egress: readonly NetworkPolicy[] }>;
  /**
   * The NetworkPolicy tier's contributions for a pod and peer, found by an index (as
   * `networkPolicyVerdict` lists them); undefined where the index does not know the pair.
   */
  readonly networkPolicyContributions?: (pod: PodSubject, direction: Direction, peer: Subject) => readonly Contribution[] | undefined;
  /** Precomputed cluster-wide policies selecting each pod subject (object identity), per tier and direction. */
  readonly tierSelection?: ReadonlyMap<PodSubject, TierSelection>;
  /**
   * The cluster's pod CIDRs. When given, ipBlocks also match in-cluster pods (by known pod IP, or by
   * covering the pod CIDR); when absent, ipBlocks match only addresses outside the cluster.
   */
  readonly podCidrs?: readonly AddressRange[];
}

/** One policy rule's share of a verdict: the ports it admits for this pair. */
export interface Contribution {
  readonly ref: string;
  readonly ports: PortSet;
  /** The rule matched only through an ipBlock that covers part of the pod's possible addresses. */
  readonly partial: boolean;
  /** The cluster-wide tier of the rule; absent for NetworkPolicy rules and the default. */
  readonly tier?: ClusterTier;
  /** The rule also matches on HTTP fields (Calico `http`), which are not evaluated: it admits only some requests. */
  readonly l7?: boolean;
}

/** What one direction (the source's egress, or the destination's ingress) allows for a pair. */
export interface DirectionVerdict {
  readonly direction: 'ingress' | 'egress';
  /** Ids of the policies that isolate the pod in this direction; empty means default-allow. */
  readonly isolatedBy: readonly string[];
  readonly contributions: readonly Contribution[];
  readonly ports: PortSet;
  /** Ids of the cluster-wide policies selecting the pod in this direction, in evaluation order. Absent: none. */
  readonly clusterPolicies?: readonly string[];
  /** Ports a cluster-wide Deny rule decided, with the rule. Absent: none. */
  readonly denied?: readonly Contribution[];
  /** Ports a Pass rule handed to the next tier, with the rule. Absent: none. */
  readonly passed?: readonly Contribution[];
  /** With cluster-wide policies: the ports the Admin tier left to the NetworkPolicy tier (or, for a pod none isolates, the Baseline tier). */
  readonly afterAdmin?: PortSet;
}

export type Direction = 'ingress' | 'egress';

/** The cluster-wide policies of each tier that select a pod, per direction (as `selectingPolicies` finds them). */
export interface TierSelection {
  readonly ingress: { readonly admin: readonly ClusterPolicy[]; readonly baseline: readonly ClusterPolicy[] };
  readonly egress: { readonly admin: readonly ClusterPolicy[]; readonly baseline: readonly ClusterPolicy[] };
}

/** What `directionVerdict` would find for a pod, once, for callers that judge it against many peers. */
export function tierSelectionOf(index: PolicyIndex, pod: PodSubject): TierSelection {
  const of = (direction: Direction) => ({ admin: selectingPolicies(index.admin, pod, direction), baseline: selectingPolicies(index.baseline, pod, direction) });
  return { ingress: of('ingress'), egress: of('egress') };
}

/** NetworkPolicies grouped by namespace, for fast lookup of the ones that may select a pod. */
export interface PolicyIndex {
  readonly byNamespace: ReadonlyMap<string, readonly NetworkPolicy[]>;
  /** Cluster-wide policies of each tier, in evaluation order. */
  readonly admin: readonly ClusterPolicy[];
  readonly baseline: readonly ClusterPolicy[];
  /** Under the calico profile: Calico's tiers, NetworkPolicies and cluster-wide policies included, which then decide alone. */
  readonly calico?: TieredModel;
}

/** Whether any cluster-wide policy is in the index: without one, evaluation is NetworkPolicy's alone. */
export function hasClusterPolicies(index: PolicyIndex): boolean {
  return index.admin.length > 0 || index.baseline.length > 0;
}

export function indexPolicies(policies: readonly NetworkPolicy[], clusterPolicies: readonly ClusterPolicy[] = [], calico?: TieredObjects): PolicyIndex {
  const byNamespace = new Map<string, NetworkPolicy[]>();
  for (const p of policies) {
    const list = byNamespace.get(p.namespace) ?? [];
    list.push(p);
    byNamespace.set(p.namespace, list);
  }
  return {
    byNamespace, admin: clusterPolicies.filter((p) => p.tier === 'admin'), baseline: clusterPolicies.filter((p) => p.tier === 'baseline'),
    ...(calico ? { calico: buildTieredModel(calico, policies, clusterPolicies) } : {}),
  };
}

/**
 * The policies that isolate a pod in a direction: those in its namespace whose podSelector selects
 * it and whose policyTypes include that direction.
 */
export function isolatingPolicies(index: PolicyIndex, pod: PodSubject, direction: Direction): NetworkPolicy[] {
  const candidates = index.byNamespace.get(pod.namespace) ?? [];
  return candidates.filter((p) =>
    (direction === 'ingress' ? p.ingressIsolation : p.egressIsolation) && matchesSelector(p.podSelector, pod.labels));
}

/** How a peer matches a subject: fully, only for some of its addresses (`partial`), or not at all. */
export type PeerMatch = 'full' | 'partial' | 'none';

/**
 * Whether a peer of a policy in `policyNamespace` matches a subject. podSelector alone means pods in
 * the policy's namespace; namespaceSelector alone means every pod in matching namespaces; both in one
 * peer must both match. ipBlocks match addresses in cidr minus except, and pods only given pod CIDRs.
 */
export function matchPeer(peer: Peer, policyNamespace: string, subject: Subject, options: EvaluationOptions): PeerMatch {
  if (peer.kind === 'pods') {
    if (subject.kind !== 'pod') return 'none';
    const inNamespace = peer.namespaces === undefined
      ? subject.namespace === policyNamespace
      : matchesSelector(peer.namespaces, subject.namespaceLabels);
    return inNamespace && matchesSelector(peer.pods, subject.labels) ? 'full' : 'none';
  }
  if (subject.kind === 'address') return coversRanges(peer.ranges, subject.ranges) ? 'full' : 'none';
  return matchIpBlockOnPod(peer.ranges, subject, options.podCidrs ?? []);
}

/** How a rule matches a peer subject: `from`/`to` absent or empty matches every peer. */
export function matchRule(rule: PolicyRule, policyNamespace: string, subject: Subject, options: EvaluationOptions): PeerMatch {
  if (rule.peers === undefined) return 'full';
  let best: PeerMatch = 'none';
  for (const peer of rule.peers) {
    const m = matchPeer(peer, policyNamespace, subject, options);
    if (m === 'full') return 'full';
    if (m === 'partial') best = 'partial';
  }
  return best;
}

/**
 * What `pod`'s policies allow in `direction` for traffic with `peer` (the source for ingress, the
 * destination for egress), tier by tier: the Admin tier's cluster-wide policies first; then, for
 * the ports they leave or pass on, the NetworkPolicies (isolated ⇒ the union of the matching rules
 * of every isolating policy, and final); for a pod no NetworkPolicy isolates, the Baseline tier;
 * what is still undecided is allowed by the implicit default. Named ports resolve against the
 * destination pod.
 */
export function directionVerdict(
  index: PolicyIndex,
  pod: PodSubject,
  direction: Direction,
  peer: Subject,
  options: EvaluationOptions = {},
): DirectionVerdict {
  // the calico profile: Calico's tier walk decides everything (policy/calico-tiers.ts)
  if (index.calico) return tieredDirectionVerdict(index.calico, pod, direction, peer, options);
  const isolating = options.isolation?.get(pod)?.[direction] ?? isolatingPolicies(index, pod, direction);
  const selected = options.tierSelection?.get(pod)?.[direction];
  const admin = index.admin.length === 0 ? [] : selected ? selected.admin : selectingPolicies(index.admin, pod, direction);
  const baseline = isolating.length > 0 || index.baseline.length === 0 ? [] : selected ? selected.baseline : selectingPolicies(index.baseline, pod, direction);
  if (admin.length === 0 && baseline.length === 0) return networkPolicyVerdict(isolating, pod, direction, peer, options);

  const destinationPorts = direction === 'ingress' ? pod.ports : peer.kind === 'pod' ? peer.ports : undefined;
  const first = walkTier(admin, direction, peer, ALL_PORTS, destinationPorts, options);
  const contributions: Contribution[] = [...first.allowed];
  const denied = [...first.denied];
  const passed = [...first.passed];
  let uncertain = first.uncertain;
  if (isolating.length > 0) {
    // v1.NetworkPolicy "always makes a final decision for selected pods"
    const np = options.networkPolicyContributions?.(pod, direction, peer) ?? networkPolicyVerdict(isolating, pod, direction, peer, options).contributions;
    for (const c of np) contributions.push(...within(c, first.remaining, uncertain));
  } else {
    const last = walkTier(baseline, direction, peer, first.remaining, destinationPorts, options);
    for (const c of last.allowed) contributions.push(...within(c, ALL_PORTS, uncertain));
    denied.push(...last.denied);
    passed.push(...last.passed);
    uncertain = unionPorts(uncertain, last.uncertain);
    contributions.push(...within(defaultAllow(direction), last.remaining, uncertain));
  }
  return {
    direction, isolatedBy: isolating.map((p) => p.id), contributions,
    ports: unionAllPorts(contributions.map((c) => c.ports)),
    clusterPolicies: [...admin, ...baseline].map((p) => p.id), afterAdmin: first.remaining,
    ...(denied.length > 0 ? { denied } : {}), ...(passed.length > 0 ? { passed } : {}),
  };
}

/** The NetworkPolicy tier alone: not isolated ⇒ everything; isolated ⇒ the union of the matching rules. */
function networkPolicyVerdict(
  isolating: readonly NetworkPolicy[],
  pod: PodSubject,
  direction: Direction,
  peer: Subject,
  options: EvaluationOptions,
): DirectionVerdict {
  if (isolating.length === 0) {
    return { direction, isolatedBy: [], contributions: [defaultAllow(direction)], ports: ALL_PORTS };
  }
  const destinationPorts = direction === 'ingress' ? pod.ports : peer.kind === 'pod' ? peer.ports : undefined;
  const contributions: Contribution[] = [];
  for (const policy of isolating) {
    for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
      const match = matchRule(rule, policy.namespace, peer, options);
      if (match === 'none') continue;
      const rulePorts = resolvePortRules(rule.ports, destinationPorts);
      if (isEmptyPorts(rulePorts)) continue;
      contributions.push({ ref: rule.ref, ports: rulePorts, partial: match === 'partial' });
    }
  }
  return { direction, isolatedBy: isolating.map((p) => p.id), contributions, ports: unionAllPorts(contributions.map((c) => c.ports)) };
}

/** The contribution of a direction where the pod is not isolated: everything, by the implicit default-allow. */
export function defaultAllow(direction: Direction): Contribution {
  return { ref: `default-allow:${direction}`, ports: ALL_PORTS, partial: false };
}

/** The verdict for traffic from one subject to another: egress of the source AND ingress of the destination. */
export interface PairVerdict {
  readonly ports: PortSet;
  readonly egress?: DirectionVerdict;
  readonly ingress?: DirectionVerdict;
  /** Rule refs (or `default-allow:…`) that admit some of the allowed ports. */
  readonly via: readonly string[];
  readonly partial: boolean;
  /** Some rule admitting the ports matches on HTTP fields too (Calico `http`). Absent: false. */
  readonly l7?: boolean;
}

/**
 * A connection from `source` to `destination` on a port is allowed iff the source's egress allows it
 * and the destination's ingress allows it. External addresses have no policies of their own.
 */
export function pairVerdict(index: PolicyIndex, source: Subject, destination: Subject, options: EvaluationOptions = {}): PairVerdict {
  const egress = source.kind === 'pod' ? directionVerdict(index, source, 'egress', destination, options) : undefined;
  const ingress = destination.kind === 'pod' ? directionVerdict(index, destination, 'ingress', source, options) : undefined;
  const combined = combineContributions(egress?.contributions, ingress?.contributions);
  return { ports: combined.ports, ...(egress ? { egress } : {}), ...(ingress ? { ingress } : {}), via: combined.via, partial: combined.partial, ...(combined.l7 ? { l7: true } : {}) };
}

/** The allowed ports of a pair, the rules that admit some of them, and whether they are admitted only partially. */
export interface CombinedVerdict {
  readonly ports: PortSet;
  readonly via: readonly string[];
  readonly partial: boolean;
  /** A rule admitting some of the ports also matches HTTP fields (Calico `http`). Absent: false. */
  readonly l7?: boolean;
}

/**
 * Combines the contributions of the source's egress and the destination's ingress (undefined: that
 * side has no policies at all, as an outside address) into what the pair allows: egress AND
 * ingress. The order of the contributions does not matter, so callers that find them by an index
 * get the verdict `pairVerdict` gives.
 */
export function combineContributions(egress: readonly Contribution[] | undefined, ingress: readonly Contribution[] | undefined): CombinedVerdict {
  const egressPorts = egress ? unionAllPorts(egress.map((c) => c.ports)) : ALL_PORTS;
  const ingressPorts = ingress ? unionAllPorts(ingress.map((c) => c.ports)) : ALL_PORTS;
  const ports = intersectPorts(egressPorts, ingressPorts);
  if (isEmptyPorts(ports)) return { ports, via: [], partial: false };
  const used = [...(egress ?? []), ...(ingress ?? [])].filter((c) => !isEmptyPorts(intersectPorts(c.ports, ports)));
  const via = sortSmall([...new Set(used.map((c) => c.ref))], byCodeUnits);
  // partial: in some direction, the ports allowed are admitted only through partially matching ipBlocks
  const coveredFully = (contributions: readonly Contribution[] | undefined) => {
    if (!contributions) return true;
    if (!contributions.some((c) => c.partial)) return true;
    const full = unionAllPorts(contributions.filter((c) => !c.partial).map((c) => c.ports));
    return samePorts(intersectPorts(full, ports), ports);
  };
  const partial = !coveredFully(egress) || !coveredFully(ingress);
  return { ports, via, partial, ...(used.some((c) => c.l7) ? { l7: true } : {}) };
}
