import { matchesCalicoSelector, type CalicoSelector } from '../model/calico-selector.js';
import type { TieredEntity, EndpointMatch, EndpointSelector, NamespaceScope, NetworkSet } from '../model/calico-types.js';
import { coversRanges, overlapsRange, type AddressRange } from '../model/ipblock.js';
import { matchesSelector, type Labels } from '../model/selectors.js';
import { NAMESPACED_MARK } from './calico.js';
import { ciliumLabels } from './cilium.js';
import type { EvaluationOptions, PeerMatch, PodSubject, Subject } from './evaluate.js';
import { matchIpBlockOnPod } from './ip-match.js';

/**
 * How Calico's rule fields match one side of a connection: a pod (a workload endpoint) or a set of
 * outside addresses. Selectors match endpoints by labels, and addresses through the NetworkSets
 * and GlobalNetworkSets they select ("selectors only match (known) resources, but rules match
 * packets": docs calico/reference/resources/networkpolicy, _entityrule.mdx).
 */

/** What matching needs beyond the rule: the labelled address sets, and the namespaces' labels. */
export interface TieredMatchContext {
  readonly networkSets: readonly NetworkSet[];
  readonly namespaceLabels: ReadonlyMap<string, Labels>;
  readonly options: EvaluationOptions;
}

export const both = (a: PeerMatch, b: PeerMatch): PeerMatch => (a === 'none' || b === 'none' ? 'none' : a === 'partial' || b === 'partial' ? 'partial' : 'full');
const either = (a: PeerMatch, b: PeerMatch): PeerMatch => (a === 'full' || b === 'full' ? 'full' : a === 'partial' || b === 'partial' ? 'partial' : 'none');
const negate = (m: PeerMatch): PeerMatch => (m === 'full' ? 'none' : m === 'none' ? 'full' : 'partial');

/**
 * The labels Calico gives a pod's workload endpoint (workload_endpoint_default.go): the pod's own,
 * plus `projectcalico.org/namespace`, `projectcalico.org/orchestrator` and `projectcalico.org/serviceaccount`.
 */
export function endpointLabels(pod: PodSubject): Labels {
  const cached = endpointCache.get(pod);
  if (cached) return cached;
  const labels = {
    ...pod.labels, 'projectcalico.org/namespace': pod.namespace, 'projectcalico.org/orchestrator': 'k8s',
    'projectcalico.org/serviceaccount': pod.serviceAccount ?? 'default',
  };
  endpointCache.set(pod, labels);
  return labels;
}

// a pod's endpoint labels are asked once per policy and pair: built once per subject (subjects are
// immutable, so this memo cannot go stale; it is weak, so it holds nothing)
const endpointCache = new WeakMap<PodSubject, Labels>();

/** A namespace's labels as selectors see them: its own, `projectcalico.org/name`, and the mark of a namespaced endpoint. */
function namespaceView(name: string, labels: Labels): Labels {
  let byName = viewCache.get(labels);
  if (!byName) viewCache.set(labels, byName = new Map());
  let view = byName.get(name);
  if (!view) byName.set(name, view = { ...labels, 'projectcalico.org/name': name, [NAMESPACED_MARK]: '' });
  return view;
}

// a namespace's view is asked once per rule and pair: built once per labels object (labels are immutable; the memo is weak)
const viewCache = new WeakMap<Labels, Map<string, Labels>>();

export function matchesEndpointSelector(selector: EndpointSelector, calicoLabels: Labels, plainLabels: Labels, identityLabels?: () => Labels): boolean {
  switch (selector.kind) {
    case 'calico': return matchesCalicoSelector(selector.selector, calicoLabels);
    // a converted Kubernetes selector reads the object's own labels
    case 'labels': return matchesSelector(selector.selector, plainLabels);
    // a Cilium selector reads identity labels, which only pods have
    case 'cilium': return identityLabels !== undefined && matchesSelector(selector.selector, identityLabels());
  }
}

/** Whether an endpoint in namespace `namespace` (undefined: a non-namespaced one) is inside a scope. */
export function inScope(scope: NamespaceScope, namespace: string | undefined, labels: Labels | undefined): boolean {
  switch (scope.kind) {
    case 'any': return true;
    case 'name': return namespace === scope.name;
    case 'selector': {
      const view = namespace === undefined ? {} : namespaceView(namespace, labels ?? {});
      if (scope.selector.kind !== 'calico') return namespace !== undefined && matchesSelector(scope.selector.selector, labels ?? {});
      return matchesCalicoSelector(scope.selector.selector, view);
    }
  }
}

function serviceAccountMatches(match: EndpointMatch['serviceAccounts'], account: string | undefined): boolean {
  if (!match) return true;
  if (account === undefined) return false; // a NetworkSet runs as no service account
  if (match.names && !match.names.includes(account)) return false;
  return match.selector === undefined || matchesCalicoSelector(match.selector, { 'projectcalico.org/name': account });
}

/** Whether an endpoint match selects a pod (host-network pods have no workload endpoint: never). */
export function selectsPod(match: EndpointMatch, pod: PodSubject): boolean {
  if (pod.hostNetwork) return false;
  return inScope(match.namespace, pod.namespace, pod.namespaceLabels)
    && (match.selector === undefined || matchesEndpointSelector(match.selector, endpointLabels(pod), pod.labels, () => ciliumLabels(pod)))
    && serviceAccountMatches(match.serviceAccounts, pod.serviceAccount ?? 'default');
}

function selectsSet(match: EndpointMatch, set: NetworkSet, context: TieredMatchContext): boolean {
  const labels = set.namespace ? { ...set.labels, 'projectcalico.org/namespace': set.namespace } : set.labels;
  return inScope(match.namespace, set.namespace, set.namespace ? context.namespaceLabels.get(set.namespace) : undefined)
    && (match.selector === undefined || matchesEndpointSelector(match.selector, labels, set.labels))
    && serviceAccountMatches(match.serviceAccounts, undefined);
}

/** How a subject's addresses lie in some ranges: all of them, some, or none (pods only by known IP or pod CIDR). */
export function matchRanges(ranges: readonly AddressRange[], subject: Subject, options: EvaluationOptions): PeerMatch {
  if (ranges.length === 0) return 'none';
  if (subject.kind === 'address') {
    if (coversRanges(ranges, subject.ranges)) return 'full';
    return subject.ranges.some((r) => ranges.some((n) => overlapsRange(n, r))) ? 'partial' : 'none';
  }
  // a host-network pod has its node's address, which no input names
  if (subject.hostNetwork) return 'none';
  return matchIpBlockOnPod(ranges, subject, options.podCidrs ?? []);
}

/**
 * How an endpoint match selects a subject: a pod by its labels; any subject through the addresses
 * of the NetworkSets it selects (Calico matches a selector by the IP sets of what it selects).
 */
export function matchEndpoints(match: EndpointMatch, subject: Subject, context: TieredMatchContext): PeerMatch {
  const byLabels: PeerMatch = subject.kind === 'pod' && selectsPod(match, subject) ? 'full' : 'none';
  if (byLabels === 'full' || context.networkSets.length === 0) return byLabels;
  const ranges = context.networkSets.filter((s) => selectsSet(match, s, context)).flatMap((s) => s.ranges);
  return either(byLabels, matchRanges(ranges, subject, context.options));
}

const ANY_ENDPOINT_SCOPE: NamespaceScope = { kind: 'any' };

/**
 * How an entity (a rule's `source` or `destination`) matches one side of a connection, leaving
 * ports aside: every field set must match. `notSelector` and `notNets` match everything outside
 * what they name, outside addresses included.
 */
export function matchEntity(entity: TieredEntity, subject: Subject, context: TieredMatchContext): PeerMatch {
  if (entity.nothing) return 'none';
  let m: PeerMatch = 'full';
  if (entity.nets) m = both(m, matchRanges(entity.nets, subject, context.options));
  if (m !== 'none' && entity.notNets) m = both(m, negate(matchRanges(entity.notNets, subject, context.options)));
  if (m !== 'none' && entity.endpoints) m = both(m, matchEndpoints(entity.endpoints, subject, context));
  if (m !== 'none' && entity.notSelector) m = both(m, negate(matchEndpoints(notSelectorMatch(entity.notSelector), subject, context)));
  if (m !== 'none' && entity.services) {
    const s = entity.services;
    const backend = subject.kind === 'pod' && !subject.hostNetwork && s.selector !== undefined && subject.namespace === s.namespace
      && Object.entries(s.selector).every(([k, v]) => subject.labels[k] === v);
    m = both(m, backend ? 'full' : 'none');
  }
  return m;
}

function notSelectorMatch(selector: CalicoSelector): EndpointMatch {
  // rules.go keeps notSelector as written: it is not confined to a namespace
  return { namespace: ANY_ENDPOINT_SCOPE, selector: { kind: 'calico', selector } };
}

/** How `ipVersion` matches a subject: outside addresses by family; a pod by its known IPs, else only maybe. */
export function matchIpVersion(version: 4 | 6 | undefined, subject: Subject): PeerMatch {
  if (version === undefined) return 'full';
  if (subject.kind === 'address') return subject.ranges.every((r) => r.family === version) ? 'full' : subject.ranges.some((r) => r.family === version) ? 'partial' : 'none';
  if (subject.podIPs.length === 0) return 'partial';
  const families = subject.podIPs.map((ip) => (ip.includes(':') ? 6 : 4));
  return families.every((f) => f === version) ? 'full' : families.some((f) => f === version) ? 'partial' : 'none';
}
