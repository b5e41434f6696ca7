import { coversRanges } from '../model/ipblock.js';
import { intersectPorts, isEmptyPorts, subtractPorts, unionPorts, NO_PORTS, type PortSet } from '../model/ports.js';
import { matchesSelector } from '../model/selectors.js';
import type { ClusterPeer, ClusterPolicy, ClusterRule, ContainerPort } from '../model/types.js';
import type { Contribution, Direction, EvaluationOptions, PeerMatch, PodSubject, Subject } from './evaluate.js';
import { matchIpBlockOnPod } from './ip-match.js';
import { resolvePortRules } from './ports.js';

/**
 * The cluster-wide tiers of the network-policy-api, evaluated as the API defines them
 * (sigs.k8s.io/network-policy-api apis/v1alpha2 `spec.tier`, `priority` and rule `action`):
 * per direction, policies in priority order and their rules in written order; for each port the
 * first rule that matches decides. Accept and Deny are final, Pass hands the port to the next tier.
 */

/** What one tier decided for the ports it was given. */
export interface TierOutcome {
  readonly allowed: readonly Contribution[];
  readonly denied: readonly Contribution[];
  readonly passed: readonly Contribution[];
  /** Ports no rule of the tier matched, plus the ports passed on: what the next tier decides. */
  readonly remaining: PortSet;
  /**
   * Ports a rule decided for only some of the peer's addresses (a `networks` CIDR covering part of
   * the pod CIDR): whatever later tiers allow on them holds only for the other addresses.
   */
  readonly uncertain: PortSet;
}

/**
 * The policies of a tier whose subject selects the pod and that have rules in the direction
 * ("CNPs with no ingress rules do not affect ingress traffic"). Host-network pods are never
 * selected ("host-networked pods are not included in subject selection").
 */
export function selectingPolicies(policies: readonly ClusterPolicy[], pod: PodSubject, direction: Direction): ClusterPolicy[] {
  if (pod.hostNetwork) return [];
  return policies.filter((p) => (direction === 'ingress' ? p.ingress : p.egress).length > 0
    && matchesSelector(p.subject.namespaces, pod.namespaceLabels) && matchesSelector(p.subject.pods, pod.labels));
}

/**
 * Whether a cluster rule's peer matches a subject. `namespaces`/`pods` peers match pods only, never
 * host-network ones; `networks` matches outside addresses, and pods as ipBlocks do (only given pod
 * CIDRs: the API says cluster traffic is checked against it too); `nodes` and `domainNames` match
 * nothing netdiagram can place, as the input has no nodes and names are not resolved.
 */
export function matchClusterPeer(peer: ClusterPeer, subject: Subject, options: EvaluationOptions): PeerMatch {
  switch (peer.kind) {
    case 'pods':
      if (subject.kind !== 'pod' || subject.hostNetwork) return 'none';
      return matchesSelector(peer.namespaces, subject.namespaceLabels) && matchesSelector(peer.pods, subject.labels) ? 'full' : 'none';
    case 'networks':
      if (subject.kind === 'address') return coversRanges(peer.ranges, subject.ranges) ? 'full' : 'none';
      // a host-network pod has its node's address, never one of the pod CIDRs
      if (subject.hostNetwork) return 'none';
      return matchIpBlockOnPod(peer.ranges, subject, options.podCidrs ?? []);
    default:
      return 'none';
  }
}

function matchClusterRule(rule: ClusterRule, subject: Subject, options: EvaluationOptions): PeerMatch {
  let best: PeerMatch = 'none';
  for (const peer of rule.peers) {
    const m = matchClusterPeer(peer, subject, options);
    if (m === 'full') return 'full';
    if (m === 'partial') best = 'partial';
  }
  return best;
}

/**
 * Walks one tier for the ports still undecided. A rule that matches only some of the peer's
 * addresses decides for those addresses alone: an Accept is a partial contribution, a Deny or Pass
 * leaves its ports undecided for the other addresses and marks them uncertain (a Pass also hands
 * them to the next tier, for the addresses it matched).
 */
export function walkTier(
  policies: readonly ClusterPolicy[],
  direction: Direction,
  peer: Subject,
  undecided: PortSet,
  destinationPorts: readonly ContainerPort[] | undefined,
  options: EvaluationOptions,
): TierOutcome {
  const allowed: Contribution[] = [];
  const denied: Contribution[] = [];
  const passed: Contribution[] = [];
  let open = undecided;
  let passedPorts = NO_PORTS;
  let uncertain = NO_PORTS;
  for (const policy of policies) {
    for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
      if (isEmptyPorts(open)) break;
      const match = matchClusterRule(rule, peer, options);
      if (match === 'none') continue;
      const ports = intersectPorts(resolvePortRules(rule.ports, destinationPorts), open);
      if (isEmptyPorts(ports)) continue;
      const partial = match === 'partial';
      const contribution: Contribution = { ref: rule.ref, ports, partial, tier: policy.tier };
      if (rule.action === 'allow') allowed.push(contribution);
      else if (rule.action === 'deny') denied.push(contribution);
      else {
        passed.push(contribution);
        passedPorts = unionPorts(passedPorts, ports);
      }
      if (partial) {
        if (rule.action !== 'allow') uncertain = unionPorts(uncertain, ports);
      } else open = subtractPorts(open, ports);
    }
  }
  return { allowed, denied, passed, remaining: unionPorts(open, passedPorts), uncertain };
}

/** A contribution restricted to some ports, split where those ports are uncertain (then partial), or none. */
export function within(c: Contribution, ports: PortSet, uncertain: PortSet): Contribution[] {
  const kept = intersectPorts(c.ports, ports);
  if (isEmptyPorts(kept)) return [];
  if (c.partial || isEmptyPorts(uncertain)) return [{ ...c, ports: kept }];
  const doubtful = intersectPorts(kept, uncertain);
  if (isEmptyPorts(doubtful)) return [{ ...c, ports: kept }];
  const sure = subtractPorts(kept, uncertain);
  return [...(isEmptyPorts(sure) ? [] : [{ ...c, ports: sure }]), { ...c, ports: doubtful, partial: true }];
}
