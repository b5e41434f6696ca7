import { ALL_ADDRESSES, coversRanges } from '../model/ipblock.js';
import { ALL_PORTS, intersectPorts, isEmptyPorts, subtractPorts, unionPorts, NO_PORTS, type PortSet } from '../model/ports.js';
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

/** A flow a cluster-wide Accept rule opens to destinations named by DNS, which no address stands for. */
export interface DomainFlow {
  readonly names: readonly string[];
  readonly ports: PortSet;
  readonly ref: string;
  /** An earlier rule with a `networks` peer decides some of these ports for some addresses, which the names may resolve to. */
  readonly partial: boolean;
}

/**
 * What a pod's egress tiers accept towards `domainNames` peers. The addresses behind a name are not
 * known, so a rule matches them only when it names the names, or when its `networks` cover every
 * address; a `networks` peer covering some addresses may or may not hold them (the flow is then
 * partial). The Admin tier speaks first; for a pod a NetworkPolicy isolates, what is left is the
 * NetworkPolicies' (their ipBlocks are drawn as addresses); else the Baseline tier's.
 */
export function domainFlows(admin: readonly ClusterPolicy[], baseline: readonly ClusterPolicy[], networkPolicyIsolated: boolean): DomainFlow[] {
  const out: DomainFlow[] = [];
  let open: PortSet = ALL_PORTS;
  let uncertain: PortSet = NO_PORTS;
  const walk = (policies: readonly ClusterPolicy[]) => {
    let passed: PortSet = NO_PORTS;
    for (const policy of policies) {
      for (const rule of policy.egress) {
        const ports = intersectPorts(resolvePortRules(rule.ports, undefined), open);
        if (isEmptyPorts(ports)) continue;
        const domains = rule.peers.filter((p): p is Extract<ClusterPeer, { kind: 'domains' }> => p.kind === 'domains');
        if (rule.action === 'allow') {
          for (const d of domains) out.push({ names: d.names, ports, ref: rule.ref, partial: !isEmptyPorts(intersectPorts(ports, uncertain)) });
        }
        const networks = rule.peers.filter((p): p is Extract<ClusterPeer, { kind: 'networks' }> => p.kind === 'networks');
        const everywhere = networks.some((n) => coversRanges(n.ranges, ALL_ADDRESSES));
        // an Accept to names decides only for those names: what it leaves open stays open for other names
        if (everywhere) {
          if (rule.action === 'pass') passed = unionPorts(passed, ports);
          open = subtractPorts(open, ports);
        } else if (networks.length > 0) uncertain = unionPorts(uncertain, ports);
      }
    }
    open = unionPorts(open, passed);
  };
  walk(admin);
  if (!networkPolicyIsolated) walk(baseline);
  return out;
}
