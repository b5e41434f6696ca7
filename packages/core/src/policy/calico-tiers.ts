import type {
  TieredEntity, TieredObjects, TieredPolicy, TieredPolicyKind, TieredRule, PolicyTier, NamespaceScope,
} from '../model/calico-types.js';
import { matchesCalicoSelector } from '../model/calico-selector.js';
import { ALL_PORTS, intersectPorts, isEmptyPorts, NO_PORTS, subtractPorts, unionAllPorts, unionPorts, type PortSet } from '../model/ports.js';
import { containsRange, normalizeRanges, rangesToCidrs, rangeToCidrs, type AddressRange } from '../model/ipblock.js';
import type { Labels } from '../model/selectors.js';
import type { ClusterPeer, ClusterPolicy, ContainerPort, NetworkPolicy, Peer, PolicyRule } from '../model/types.js';
import { both, endpointLabels, inScope, matchEntity, matchesEndpointSelector, matchIpVersion, type TieredMatchContext } from './calico-match.js';
import type { Contribution, Direction, DirectionVerdict, EvaluationOptions, PeerMatch, PodSubject, Subject } from './evaluate.js';
import { resolvePortRules } from './ports.js';
import { ciliumLabels } from './cilium.js';
import { within } from './tiers.js';

/**
 * Calico's tiered evaluation (docs calico/reference/resources/tier: "each tier that contains a
 * policy that applies to the endpoint processes the packet … If the Tier applies to the endpoint,
 * but takes no action on the packet the packet is dropped" unless its defaultAction is Pass;
 * _rule.mdx: "After a Log action, processing continues with the next rule; Allow and Deny are
 * immediate and final"). Per direction: tiers by order then name, policies by order (unset last)
 * then name (felix/calc/policy_sorter.go TierLess, PolKVLess), the first matching rule decides per
 * port; a Pass hands the ports to the next tier that applies; after the last, the namespace's
 * profile allows (conversion.go NamespaceToProfile).
 */

/** A tier with the policies in it, in evaluation order. */
export interface TierPolicies {
  readonly tier: PolicyTier;
  readonly policies: readonly TieredPolicy[];
}

/** Everything the Calico walk needs: the tiers in order, and what selectors can match. */
export interface TieredModel {
  readonly tiers: readonly TierPolicies[];
  readonly networkSets: TieredObjects['networkSets'];
  readonly namespaceLabels: ReadonlyMap<string, Labels>;
  readonly cidrsMatchPods?: false;
}

/** Felix's TierLess: order ascending (unset last), ties by name. */
function tierLess(a: PolicyTier, b: PolicyTier): number {
  if (a.order !== b.order) {
    if (a.order === undefined) return 1;
    if (b.order === undefined) return -1;
    return a.order - b.order;
  }
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Felix's PolKVLess: order ascending (unset = +Inf), ties by "name/namespace/kind". */
function policyLess(a: TieredPolicy, b: TieredPolicy): number {
  const ao = a.order ?? Number.POSITIVE_INFINITY;
  const bo = b.order ?? Number.POSITIVE_INFINITY;
  if (ao !== bo) return ao - bo;
  const key = (p: TieredPolicy) => `${p.name}/${p.namespace ?? ''}/${TIE_KIND[p.kind]}`;
  const ak = key(a);
  const bk = key(b);
  return ak < bk ? -1 : ak > bk ? 1 : 0;
}

/** The kind names felix's policy keys carry (model.KindKubernetesNetworkPolicy and friends). */
const TIE_KIND: Readonly<Record<TieredPolicyKind, string>> = {
  NetworkPolicy: 'NetworkPolicy', GlobalNetworkPolicy: 'GlobalNetworkPolicy', KubernetesNetworkPolicy: 'KubernetesNetworkPolicy',
  ClusterNetworkPolicy: 'ClusterNetworkPolicy', AdminNetworkPolicy: 'ClusterNetworkPolicy', BaselineAdminNetworkPolicy: 'ClusterNetworkPolicy',
};

/** Calico's order for every Kubernetes NetworkPolicy (conversion.go: "We insert all the NetworkPolicy Policies at order 1000.0"). */
export const KUBERNETES_POLICY_ORDER = 1000;

/**
 * The walk's model: Calico's own policies, every Kubernetes NetworkPolicy converted into tier
 * `default` at order 1000 (conversion.go K8sNetworkPolicyToCalico: one Allow rule per peer, the
 * pod selector confined to the policy's namespace), and the network-policy-api's cluster-wide
 * policies in tiers `kube-admin` and `kube-baseline` at order = priority (Calico v3.32,
 * conversion/clusternetworkpolicy.go).
 */
export function buildTieredModel(objects: TieredObjects, policies: readonly NetworkPolicy[], clusterPolicies: readonly ClusterPolicy[]): TieredModel {
  const all: TieredPolicy[] = [...objects.policies, ...policies.map(fromNetworkPolicy), ...clusterPolicies.map(fromClusterPolicy)];
  const tiers = [...objects.tiers].sort(tierLess).map((tier) => ({ tier, policies: all.filter((p) => p.tier === tier.name).sort(policyLess) }))
    .filter((t) => t.policies.length > 0);
  return { tiers, networkSets: objects.networkSets, namespaceLabels: objects.namespaceLabels, ...(objects.cidrsMatchPods === false ? { cidrsMatchPods: false as const } : {}) };
}

function fromNetworkPolicy(p: NetworkPolicy): TieredPolicy {
  const rules = (list: readonly PolicyRule[]) => list.flatMap((r) => fromPolicyRule(r, p.namespace));
  return {
    id: `netpol:${p.id}`, kind: 'KubernetesNetworkPolicy', name: p.name, namespace: p.namespace, tier: 'default', order: KUBERNETES_POLICY_ORDER,
    selector: { kind: 'labels', selector: p.podSelector }, scope: { kind: 'name', name: p.namespace },
    ...(p.ingressIsolation ? { ingress: rules(p.ingress) } : {}), ...(p.egressIsolation ? { egress: rules(p.egress) } : {}),
    ...(p.location ? { location: p.location } : {}),
  };
}

/** One Allow rule per peer (as k8sRuleToCalico splits them), all with the Kubernetes rule's ref; ports are the destination's. */
function fromPolicyRule(rule: PolicyRule, namespace: string): TieredRule[] {
  const destination: TieredEntity = rule.ports ? { ports: rule.ports } : {};
  const peers = rule.peers === undefined ? [{}] : rule.peers.map((p) => fromPeer(p, namespace));
  return peers.map((peer) => ({
    ref: rule.ref, action: 'allow', protocols: ALL_PORTS, source: peer, destination, peerSide: true, ...(rule.location ? { location: rule.location } : {}),
  }));
}

function fromPeer(peer: Peer, namespace: string): TieredEntity {
  if (peer.kind === 'ipblock') return { nets: peer.ranges };
  const scope: NamespaceScope = peer.namespaces === undefined ? { kind: 'name', name: namespace } : { kind: 'selector', selector: { kind: 'labels', selector: peer.namespaces } };
  return { endpoints: { namespace: scope, selector: { kind: 'labels', selector: peer.pods } } };
}

function fromClusterPolicy(p: ClusterPolicy): TieredPolicy {
  const rules = (direction: Direction) => p[direction].flatMap((r): TieredRule[] => {
    const peers = r.peers.map(fromClusterPeer);
    const ports: Pick<TieredEntity, 'ports'> = r.ports ? { ports: r.ports } : {};
    return peers.map((peer): TieredRule => ({
      ref: r.ref, action: r.action, protocols: ALL_PORTS, source: peer, destination: ports, peerSide: true,
      ...(r.location ? { location: r.location } : {}),
    }));
  });
  // "CNPs with no ingress rules do not affect ingress traffic"
  return {
    id: p.id, kind: p.kind, name: p.name, tier: p.tier === 'admin' ? 'kube-admin' : 'kube-baseline', order: p.priority,
    selector: { kind: 'labels', selector: p.subject.pods }, scope: { kind: 'selector', selector: { kind: 'labels', selector: p.subject.namespaces } },
    ...(p.ingress.length > 0 ? { ingress: rules('ingress') } : {}), ...(p.egress.length > 0 ? { egress: rules('egress') } : {}),
    ...(p.location ? { location: p.location } : {}),
  };
}

function fromClusterPeer(peer: ClusterPeer): TieredEntity {
  switch (peer.kind) {
    case 'pods': return { endpoints: { namespace: { kind: 'selector', selector: { kind: 'labels', selector: peer.namespaces } }, selector: { kind: 'labels', selector: peer.pods } } };
    case 'networks': return { nets: peer.ranges };
    default: return { nothing: true };
  }
}

/**
 * A converted rule keeps its peer in `source` whatever the direction (`peerSide`): the
 * Kubernetes and cluster-wide rules name the other side of the connection, and ports of the
 * destination. Calico's own rules say which side each entity is.
 */
function sidesOf(rule: TieredRule, direction: Direction): { peer: TieredEntity; own: TieredEntity; ports: TieredEntity } {
  if (rule.peerSide) return { peer: rule.source, own: {}, ports: rule.destination };
  return direction === 'ingress'
    ? { peer: rule.source, own: rule.destination, ports: rule.destination }
    : { peer: rule.destination, own: rule.source, ports: rule.destination };
}

/** Whether a policy applies to a pod in a direction: its types, namespace scope, selector and serviceAccountSelector. */
export function tieredPolicyApplies(policy: TieredPolicy, pod: PodSubject, direction: Direction): boolean {
  // host-network pods have no workload endpoint: only host endpoint policy could reach them
  if (pod.hostNetwork || policy[direction] === undefined) return false;
  return inScope(policy.scope, pod.namespace, pod.namespaceLabels)
    && matchesEndpointSelector(policy.selector, endpointLabels(pod), pod.labels, () => ciliumLabels(pod))
    && (policy.serviceAccountSelector === undefined || matchesCalicoSelector(policy.serviceAccountSelector, { 'projectcalico.org/name': pod.serviceAccount ?? 'default' }));
}

/** One tier as the walk met it, for `explain`. */
export interface TierStep {
  readonly tier: string;
  /** Ids of the tier's policies that apply to the pod, in order. */
  readonly policies: readonly string[];
  /** The ports the tier was given. */
  readonly given: PortSet;
  /** Ports none of its rules matched, which its default action decided (or passed on). */
  readonly defaulted: PortSet;
  readonly defaultAction: 'deny' | 'pass';
}

export interface TieredDirectionVerdict extends DirectionVerdict {
  /** The tiers that applied, in the order they were walked. */
  readonly tierWalk: readonly TierStep[];
}

/** The ports a rule's own side and protocols admit towards a destination. */
function rulePorts(rule: TieredRule, ports: TieredEntity, destinationPorts: readonly ContainerPort[] | undefined, destination: Subject | undefined): PortSet {
  let set = intersectPorts(rule.protocols, ports.ports ? resolvePortRules(ports.ports, destinationPorts) : ALL_PORTS);
  if (ports.notPorts) set = subtractPorts(set, resolvePortRules(ports.notPorts, destinationPorts));
  // a Service rule matches "only to/from each endpoint's port"
  if (ports.services && destination?.kind === 'pod') {
    set = intersectPorts(set, resolvePortRules(ports.services.ports.map((p) => ({ protocol: p.protocol, port: p.targetPort })), destination.ports));
  }
  return set;
}

function matchRule(rule: TieredRule, direction: Direction, pod: PodSubject, peer: Subject, context: TieredMatchContext): { match: PeerMatch; ports: PortSet } {
  const sides = sidesOf(rule, direction);
  let match = both(matchEntity(sides.peer, peer, context), matchEntity(sides.own, pod, context));
  if (match !== 'none') match = both(match, both(matchIpVersion(rule.ipVersion, peer), matchIpVersion(rule.ipVersion, pod)));
  // source ports are the client's choice, unknown here: the rule holds for some connections only
  if (match !== 'none' && (rule.source.ports || rule.source.notPorts) && !rule.peerSide) match = both(match, 'partial');
  if (match === 'none') return { match, ports: NO_PORTS };
  const destination = direction === 'ingress' ? pod : peer;
  const destinationPorts = destination.kind === 'pod' ? destination.ports : undefined;
  return { match, ports: rulePorts(rule, sides.ports, destinationPorts, destination) };
}

/**
 * What Calico's tiers allow for `pod` in `direction` with `peer`. Per port, the first matching rule
 * of the first tier that applies decides; a rule matching only some of the peer's addresses
 * decides for those alone (its Deny or Pass leaves the ports uncertain for the rest, as the
 * cluster-wide tiers do in tiers.ts).
 */
export function tieredDirectionVerdict(model: TieredModel, pod: PodSubject, direction: Direction, peer: Subject, options: EvaluationOptions): TieredDirectionVerdict {
  // under the cilium profile CIDRs never match pods (policy-cidr-match-mode unset)
  const judged = model.cidrsMatchPods === false ? { ...options, podCidrs: [] } : options;
  const context: TieredMatchContext = { networkSets: model.networkSets, namespaceLabels: model.namespaceLabels, options: judged };
  const allowed: Contribution[] = [];
  const denied: Contribution[] = [];
  const passed: Contribution[] = [];
  const applied: string[] = [];
  const tierWalk: TierStep[] = [];
  let open: PortSet = ALL_PORTS;
  let uncertain: PortSet = NO_PORTS;
  let anyTier = false;
  const applyingPerTier = applyingPolicies(model, pod, direction);
  for (const [t, { tier }] of model.tiers.entries()) {
    if (isEmptyPorts(open)) break;
    const applying = applyingPerTier[t]!;
    if (applying.length === 0) continue;
    anyTier = true;
    applied.push(...applying.map((p) => p.id));
    let tierOpen = open;
    let passedPorts = NO_PORTS;
    for (const policy of applying) {
      for (const rule of policy[direction]!) {
        if (isEmptyPorts(tierOpen)) break;
        if (rule.action === 'log') continue; // Log matches and moves on to the next rule
        const { match, ports: all } = matchRule(rule, direction, pod, peer, context);
        if (match === 'none') continue;
        const ports = intersectPorts(all, tierOpen);
        if (isEmptyPorts(ports)) continue;
        const partial = match === 'partial';
        const contribution: Contribution = { ref: rule.ref, ports, partial, ...(rule.l7 ? { l7: true } : {}) };
        if (rule.action === 'allow') allowed.push(contribution);
        else if (rule.action === 'deny') denied.push(contribution);
        else {
          passed.push(contribution);
          passedPorts = unionPorts(passedPorts, ports);
        }
        if (partial) {
          if (rule.action !== 'allow') uncertain = unionPorts(uncertain, ports);
        } else tierOpen = subtractPorts(tierOpen, ports);
      }
    }
    tierWalk.push({ tier: tier.name, policies: applying.map((p) => p.id), given: open, defaulted: tierOpen, defaultAction: tier.defaultAction });
    if (tier.defaultAction === 'deny') {
      if (!isEmptyPorts(tierOpen)) denied.push({ ref: `calico:${tier.name}#default-deny`, ports: tierOpen, partial: false });
      open = passedPorts;
    } else {
      if (!isEmptyPorts(tierOpen)) passed.push({ ref: `calico:${tier.name}#default-pass`, ports: tierOpen, partial: false });
      open = unionPorts(tierOpen, passedPorts);
    }
  }
  const contributions: Contribution[] = [];
  for (const c of allowed) contributions.push(...within(c, ALL_PORTS, uncertain));
  // no tier applied, or the last one passed: the namespace's profile allows everything
  if (!isEmptyPorts(open)) {
    const profile: Contribution = anyTier
      ? { ref: `calico:profile/kns.${pod.namespace}#${direction}`, ports: ALL_PORTS, partial: false }
      : { ref: `default-allow:${direction}`, ports: ALL_PORTS, partial: false };
    contributions.push(...within(profile, open, uncertain));
  }
  return {
    direction, isolatedBy: applied, contributions, ports: unionAllPorts(contributions.map((c) => c.ports)),
    clusterPolicies: applied, tierWalk,
    ...(denied.length > 0 ? { denied } : {}), ...(passed.length > 0 ? { passed } : {}),
  };
}

// which policies apply to a pod does not depend on the peer: once per model, pod and direction, not
// once per pair (models and subjects are immutable, so this memo cannot go stale; it is weak)
const applyingCache = new WeakMap<TieredModel, WeakMap<PodSubject, { ingress?: readonly (readonly TieredPolicy[])[]; egress?: readonly (readonly TieredPolicy[])[] }>>();

/** Per tier of the model, in order, the policies that apply to the pod in the direction. */
function applyingPolicies(model: TieredModel, pod: PodSubject, direction: Direction): readonly (readonly TieredPolicy[])[] {
  let byPod = applyingCache.get(model);
  if (!byPod) applyingCache.set(model, byPod = new WeakMap());
  let entry = byPod.get(pod);
  if (!entry) byPod.set(pod, entry = {});
  const cached = entry[direction];
  if (cached) return cached;
  const computed = model.tiers.map(({ policies }) => policies.filter((p) => tieredPolicyApplies(p, pod, direction)));
  entry[direction] = computed;
  return computed;
}

/** Whether any tier has a policy that applies to the pod in the direction (else: the profile's default-allow). */
export function tieredApplies(model: TieredModel, pod: PodSubject, direction: Direction): boolean {
  return model.tiers.some((t) => t.policies.some((p) => tieredPolicyApplies(p, pod, direction)));
}

/**
 * The address sets that have a name of their own: each NetworkSet and GlobalNetworkSet
 * (`netset: ns/name`, `globalnetset: name`) and each Cilium entity a rule names by its addresses
 * (`entity: world`). Returns a function giving, for a set of addresses, the names of the sets that
 * make it up exactly (every named set inside it, together covering all of it), sorted; undefined
 * when they do not.
 */
export function namedAddressSets(model: TieredModel): (ranges: readonly AddressRange[]) => readonly string[] | undefined {
  const sets: { name: string; ranges: readonly AddressRange[] }[] = [];
  for (const s of model.networkSets) sets.push({ name: s.namespace !== undefined ? `netset: ${s.namespace}/${s.name}` : `globalnetset: ${s.name}`, ranges: normalizeRanges(s.ranges) });
  const seen = new Set<string>();
  for (const t of model.tiers) {
    for (const p of t.policies) {
      for (const rule of [...(p.ingress ?? []), ...(p.egress ?? [])]) {
        for (const e of [rule.source, rule.destination]) {
          if (e.entity === undefined || !e.nets || seen.has(e.entity)) continue;
          seen.add(e.entity);
          sets.push({ name: `entity: ${e.entity}`, ranges: normalizeRanges(e.nets) });
        }
      }
    }
  }
  if (sets.length === 0) return () => undefined;
  return (ranges) => {
    const node = normalizeRanges(ranges);
    const inside = sets.filter((s) => s.ranges.length > 0 && s.ranges.every((r) => node.some((n) => containsRange(n, r))));
    if (inside.length === 0) return undefined;
    const covered = rangesToCidrs(normalizeRanges(inside.flatMap((s) => s.ranges))).join(',');
    return covered === rangesToCidrs(node).join(',') ? [...new Set(inside.map((s) => s.name))].sort() : undefined;
  };
}

/**
 * The address blocks the model's rules and NetworkSets name, as ipBlocks would be (`nets` each
 * with the `notNets` inside it as exceptions): where outside addresses must be told apart, and
 * how they are named.
 */
export function tieredAddressBlocks(model: TieredModel): { readonly cidr: string; readonly except: readonly string[] }[] {
  const out: { cidr: string; except: string[] }[] = [];
  const cidrsOf = (ranges: readonly AddressRange[]) => ranges.flatMap(rangeToCidrs);
  for (const t of model.tiers) {
    for (const p of t.policies) {
      for (const rule of [...(p.ingress ?? []), ...(p.egress ?? [])]) {
        for (const e of [rule.source, rule.destination]) {
          const except = e.notNets ?? [];
          if (e.blocks) out.push(...e.blocks.map((b) => ({ cidr: b.cidr, except: [...b.except] })));
          else if (e.nets) {
            for (const range of e.nets) {
              out.push(...rangeToCidrs(range).map((cidr) => ({ cidr, except: cidrsOf(except.filter((x) => containsRange(range, x))) })));
            }
          } else out.push(...cidrsOf(except).map((cidr) => ({ cidr, except: [] })));
        }
      }
    }
  }
  for (const s of model.networkSets) out.push(...s.cidrs.map((cidr) => ({ cidr, except: [] })));
  return out;
}
