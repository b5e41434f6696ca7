import type { SourceLocation } from '../diagnostics.js';
import type { CalicoSelector } from '../model/calico-selector.js';
import type { TieredEntity, EndpointSelector, NamespaceScope } from '../model/calico-types.js';
import { ALL_PORTS, intersectPorts, isEmptyPorts, subtractPorts, unionPorts, type PortSet } from '../model/ports.js';
import { resolvePortRules } from '../policy/ports.js';
import type { Labels, Requirement, Selector } from '../model/selectors.js';
import { SELECT_ALL } from '../model/selectors.js';
import { tieredDirectionVerdict, tieredPolicyApplies, type TieredModel } from '../policy/calico-tiers.js';
import { NAMESPACED_MARK } from '../policy/calico.js';
import { NAMESPACE_KEY, NAMESPACE_LABELS_PREFIX, SERVICE_ACCOUNT_KEY } from '../policy/cilium.js';
import type { Direction, PodSubject } from '../policy/evaluate.js';
import { ENTIRE_CLUSTER, isEntireCluster, peerKey, type RepresentativePeer } from './peer.js';
import type { ExposurePorts } from './ports.js';

/**
 * Exposure under the calico profile: what a workload's Calico tiers admit from (or to) pods the
 * input may not hold. Each representative peer is judged by the tier walk for one member of it: a
 * pod that carries exactly the labels its selectors require, in a namespace of its own (so the
 * "entire cluster" member matches no selector at all). An Allow rule whose peer selector has no
 * such member form (an `||`, a NetworkSet, a service account) is reported for the entire cluster,
 * on its ports: more exposure than the cluster may have, never less.
 */
export interface CalicoExposureRow {
  readonly peer: RepresentativePeer;
  readonly ports: ExposurePorts;
  readonly via: readonly string[];
  readonly locations: readonly SourceLocation[];
}

/** A namespace no input holds, for members of a peer that names no namespace. */
const ELSEWHERE = '\u0000elsewhere';

/** The exposure rows of one workload and direction under Calico's tiers; undefined when no tier applies (the direction is unprotected). */
export function calicoExposure(model: TieredModel, pod: PodSubject, direction: Direction): CalicoExposureRow[] | undefined {
  const applying = model.tiers.flatMap((t) => t.policies).filter((p) => tieredPolicyApplies(p, pod, direction));
  if (applying.length === 0) return undefined;
  const peers = new Map<string, RepresentativePeer>([[peerKey(ENTIRE_CLUSTER), ENTIRE_CLUSTER]]);
  const widened: { ports: PortSet; ref: string; location?: SourceLocation }[] = [];
  for (const policy of applying) {
    for (const rule of policy[direction] ?? []) {
      if (rule.action !== 'allow') continue;
      const entity = rule.peerSide || direction === 'ingress' ? rule.source : rule.destination;
      const peer = representativeOf(entity);
      if (peer === null) {
        // no member form: say what the rule may admit, for every pod
        const d = rule.destination;
        let ports = intersectPorts(rule.protocols, d.ports ? resolvePortRules(d.ports, direction === 'ingress' ? pod.ports : undefined) : ALL_PORTS);
        if (d.notPorts) ports = subtractPorts(ports, resolvePortRules(d.notPorts, direction === 'ingress' ? pod.ports : undefined));
        widened.push({ ports, ref: rule.ref, ...(rule.location ? { location: rule.location } : {}) });
        continue;
      }
      if (peer) peers.set(peerKey(peer), peer);
    }
  }
  const rows: CalicoExposureRow[] = [];
  let entire: CalicoExposureRow | undefined;
  for (const peer of peers.values()) {
    const v = tieredDirectionVerdict(model, pod, direction, memberOf(peer), {});
    const refs = v.contributions.map((c) => c.ref);
    const row: CalicoExposureRow = { peer, ports: { numbers: v.ports, names: [] }, via: [...new Set(refs)].sort(), locations: [] };
    if (isEntireCluster(peer)) entire = row;
    else if (!isEmptyPorts(v.ports)) rows.push(row);
  }
  if (entire && widened.length > 0) {
    entire = {
      ...entire, ports: { numbers: widened.reduce((acc, w) => unionPorts(acc, w.ports), entire.ports.numbers), names: [] },
      via: [...new Set([...entire.via, ...widened.map((w) => w.ref)])].sort(), locations: widened.flatMap((w) => (w.location ? [w.location] : [])),
    };
  }
  // a peer admitted no more than the entire cluster says nothing more
  const kept = rows.filter((r) => !entire || !samePortSet(r.ports, entire.ports));
  // and an entire cluster admitted nothing is no row, as for NetworkPolicies: the isolation says it
  return entire && !isEmptyPorts(entire.ports.numbers) ? [entire, ...kept] : kept;
}

function samePortSet(a: ExposurePorts, b: ExposurePorts): boolean {
  return JSON.stringify(a.numbers) === JSON.stringify(b.numbers);
}

/** A pod carrying what a representative peer's selectors require. */
function memberOf(peer: RepresentativePeer): PodSubject {
  const labels = labelsFor(peer.podSelector);
  if ('namespace' in peer) return { kind: 'pod', namespace: peer.namespace, labels, namespaceLabels: { 'kubernetes.io/metadata.name': peer.namespace }, ports: [], podIPs: [] };
  return { kind: 'pod', namespace: ELSEWHERE, labels, namespaceLabels: labelsFor(peer.namespaceSelector), ports: [], podIPs: [] };
}

function labelsFor(selector: Selector): Labels {
  const out: Record<string, string> = {};
  for (const r of selector.requirements) {
    if (r.operator === 'In') out[r.key] = r.values[0]!;
    else if (r.operator === 'Exists') out[r.key] = '';
  }
  return out;
}

/**
 * The representative peer of a rule's peer entity: undefined when it names only addresses (the
 * connection list shows those), null when its selectors have no member form.
 */
function representativeOf(entity: TieredEntity): RepresentativePeer | undefined | null {
  if (entity.nothing) return undefined;
  if (!entity.endpoints && !entity.notSelector && !entity.services) return entity.nets ? undefined : ENTIRE_CLUSTER;
  if (entity.notSelector || entity.services || entity.endpoints?.serviceAccounts) return null;
  const e = entity.endpoints!;
  if (e.selector?.kind === 'cilium') return ciliumPeerOf(e.selector.selector);
  const pods = e.selector ? selectorOf(e.selector) : SELECT_ALL;
  if (pods === null) return null;
  const scope = scopeOf(e.namespace);
  if (scope === null) return null;
  return 'namespace' in scope ? { namespace: scope.namespace, podSelector: pods } : { namespaceSelector: scope.selector, podSelector: pods };
}

function scopeOf(scope: NamespaceScope): { namespace: string } | { selector: Selector } | null {
  switch (scope.kind) {
    case 'any': return { selector: SELECT_ALL };
    case 'name': return { namespace: scope.name };
    case 'selector': {
      const s = selectorOf(scope.selector);
      return s === null ? null : { selector: s };
    }
  }
}

/**
 * A Cilium peer selector as a representative peer: its `io.kubernetes.pod.namespace` requirement
 * names the namespace (or, Exists, any), its namespace-label keys select namespaces, the rest pods.
 */
function ciliumPeerOf(selector: Selector): RepresentativePeer | null {
  const pods: Requirement[] = [];
  const namespaces: Requirement[] = [];
  let named: string | undefined;
  for (const r of selector.requirements) {
    if (r.key === NAMESPACE_KEY) {
      if (r.operator === 'In' && r.values.length === 1) named = r.values[0];
      else if (r.operator !== 'Exists') return null;
    } else if (r.key.startsWith(NAMESPACE_LABELS_PREFIX)) namespaces.push({ ...r, key: r.key.slice(NAMESPACE_LABELS_PREFIX.length) });
    else if (r.key === SERVICE_ACCOUNT_KEY) return null;
    else pods.push(r);
  }
  if (named !== undefined && namespaces.length === 0) return { namespace: named, podSelector: { requirements: pods } };
  if (named !== undefined) return null;
  return { namespaceSelector: { requirements: namespaces }, podSelector: { requirements: pods } };
}

/** A Calico selector as label requirements, when it is a conjunction of label tests. */
function selectorOf(selector: EndpointSelector): Selector | null {
  if (selector.kind !== 'calico') return selector.selector;
  const requirements: Requirement[] = [];
  const add = (s: CalicoSelector): boolean => {
    switch (s.kind) {
      case 'all': return true;
      case 'has': return s.label === NAMESPACED_MARK || (requirements.push({ key: s.label, operator: 'Exists', values: [] }), true);
      case 'compare':
        if (s.op === '==') return requirements.push({ key: s.label, operator: 'In', values: [s.value] }) > 0;
        if (s.op === '!=') return requirements.push({ key: s.label, operator: 'NotIn', values: [s.value] }) > 0;
        return false;
      case 'in': return requirements.push({ key: s.label, operator: s.negated ? 'NotIn' : 'In', values: [...s.values] }) > 0;
      case 'not': return s.operand.kind === 'has' && s.operand.label !== NAMESPACED_MARK && requirements.push({ key: s.operand.label, operator: 'DoesNotExist', values: [] }) > 0;
      case 'and': return s.operands.every(add);
      default: return false;
    }
  };
  // Calico's own labels on a pod: the namespace label picks a namespace, which this form cannot say
  if (!add(selector.selector) || requirements.some((r) => r.key.startsWith('projectcalico.org/') || (r.operator === 'In' && r.values.length === 0))) return null;
  return { requirements };
}
