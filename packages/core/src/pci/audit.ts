import type { Severity, SourceLocation } from '../diagnostics.js';
import { tieredDefaultDeny } from './calico-audit.js';
import { workloadSubject } from '../policy/subjects.js';
import type { TrafficGraph, WorkloadNode } from '../graph/types.js';
import { ALL_ADDRESSES, coversRanges, parseCidr, subtractRanges, type AddressRange } from '../model/ipblock.js';
import { formatPorts, isAllPorts } from '../model/ports.js';
import { formatSelector, matchesSelector } from '../model/selectors.js';
import type { Cluster, NetworkPolicy, Peer, PolicyRule, Workload } from '../model/types.js';
import { indexPolicies, isolatingPolicies, matchPeer, matchRule, type PodSubject } from '../policy/evaluate.js';
import { FINDING_RULES, sortFindings, type Finding, type FindingCode } from './findings.js';
import { boundaryNumbers, type BoundaryFlow, type CdeScope, type RepresentativeEnd } from './scope.js';
import { opennessOf } from '../graph/open-rules.js';
import type { UnevaluatedKind } from '../parse-manifests.js';
import { notEvaluatedMessage } from './not-evaluated.js';
import { stagedPolicyName, type StagedChange } from './staged-changes.js';
import { listNotEvaluatedPeers } from './not-evaluated-peers.js';
import { auditClusterPolicies } from './cluster-policy-audit.js';
import { selectingPolicies } from '../policy/tiers.js';

/** What the audit needs beyond the cluster, graph and scope. */
export interface AuditOptions {
  /** Policy objects of kinds netdiagram does not evaluate (`Parsed.unevaluated`): each kind is an error finding. */
  readonly unevaluated?: readonly UnevaluatedKind[];
  /** What the staged Calico policies would change, were they enforced (`previewStagedPolicies`): one warning per staged policy that changes a flow. */
  readonly stagedChanges?: readonly StagedChange[];
}

/**
 * Audits a cluster against PCI DSS v4.0 requirement 1 (network security controls): default-deny
 * per namespace, isolation of every workload, the CDE boundary, exposure to outside networks, and
 * stale policies and Services. Findings come back sorted by location.
 * https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies
 */
export function auditCluster(cluster: Cluster, graph: TrafficGraph, scope: CdeScope, options: AuditOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const add = (code: FindingCode, severity: Severity, object: string, message: string, location: SourceLocation | undefined) => {
    findings.push({ code, severity, message, object, requirements: FINDING_RULES[code].requirements, ...(location ? { location } : {}) });
  };
  const inScope = (id: string) => !scope.defined || scope.zones[id] === 'cde' || scope.zones[id] === 'connected';
  const scoped = (id: string): Severity => (inScope(id) ? 'error' : 'warning');
  const workloadsById = new Map(cluster.workloads.map((w) => [w.id, w]));
  const ruleLocations = new Map([
    ...cluster.policies.flatMap((p) => [...p.ingress, ...p.egress]).map((r) => [r.ref, r.location] as const),
    // Calico rules are named in via as well
    ...((cluster.calico ?? cluster.cilium)?.policies ?? []).flatMap((p) => [...(p.ingress ?? []), ...(p.egress ?? [])]).map((r) => [r.ref, r.location] as const),
  ]);
  // a flow finding points at the first policy rule that admits the flow, else at the workload
  const flowLocation = (via: readonly string[], fallback: string) =>
    via.map((ref) => ruleLocations.get(ref)).find((l) => l !== undefined) ?? workloadsById.get(fallback)?.location;

  const cdeIds = new Set(scope.cde.map((m) => m.id));
  const unevaluatedKinds = [...new Set((options.unevaluated ?? []).filter((u) => u.part === undefined).map((u) => u.kind))];
  const unevaluatedHint = unevaluatedKinds.length > 0 ? ` (policies netdiagram does not evaluate, ${unevaluatedKinds.join(', ')}, may still select it)` : '';
  const policyIndex = indexPolicies(cluster.policies, cluster.clusterPolicies);
  const namespaceLabelsOf = new Map(cluster.namespaces.map((n) => [n.name, n.labels]));
  const isolatingOf = (w: Workload, direction: 'ingress' | 'egress') => isolatingPolicies(policyIndex, workloadSubject(w, namespaceLabelsOf.get(w.namespace)), direction);
  // the outside addresses a workload may reach on every port, from the graph's flow edges
  const internetOnAllPorts = (id: string): { via: readonly string[] } | undefined => {
    const ranges: AddressRange[] = [];
    const via: string[] = [];
    graph.forEachOutEdge(id, (_e, a, _s, target) => {
      const t = graph.getNodeAttributes(target);
      if (a.type !== 'flow' || t.type !== 'external' || !isAllPorts(a.ports)) return;
      for (const c of t.ips) {
        const p = parseCidr(c);
        if (p.ok) ranges.push(p.range);
      }
      via.push(...a.via);
    });
    return coversRanges(ranges, PUBLIC_IPV4) || coversRanges(ranges, PUBLIC_IPV6) ? { via } : undefined;
  };

  if (!scope.defined) {
    add('scope/no-cde', 'warning', 'cluster', 'no CDE is marked (--cde SELECTOR or the annotation netdiagram.io/zone: cde); every workload is treated as in scope', undefined);
  }

  // default-deny per namespace that runs workloads
  const namespacesInUse = [...new Set(cluster.workloads.map((w) => w.namespace))].sort();
  for (const ns of namespacesInUse) {
    const members = cluster.workloads.filter((w) => w.namespace === ns);
    const declared = cluster.namespaces.find((n) => n.name === ns);
    const location = declared?.location ?? members[0]?.location;
    const severity: Severity = members.some((w) => inScope(w.id)) ? 'error' : 'warning';
    const policies = cluster.policies.filter((p) => p.namespace === ns);
    // a cluster-wide policy may close what the namespace leaves open: the finding says which to read
    const tiersOf = (direction: 'ingress' | 'egress') => {
      const ids = [...new Set(members.flatMap((w) => selectingPolicies(cluster.clusterPolicies ?? [], workloadSubject(w, namespaceLabelsOf.get(w.namespace)), direction).map((p) => p.id)))].sort();
      return ids.length > 0 ? `; cluster-wide policies also decide its ${direction} (${ids.join(', ')})` : '';
    };
    // under the calico profile, Calico's own default-deny pattern counts too (pci/calico-audit.ts)
    const tiered = cluster.calico ?? cluster.cilium;
    const calicoDenies = (direction: 'ingress' | 'egress') => tiered !== undefined
      && tieredDefaultDeny(tiered, ns, declared?.labels ?? { 'kubernetes.io/metadata.name': ns }, direction) !== undefined;
    if (!policies.some((p) => isDefaultDeny(p, 'ingress')) && !calicoDenies('ingress')) {
      add('namespace/no-default-deny-ingress', severity, `${ns}[Namespace]`,
        `namespace ${ns} has no default-deny ingress policy (podSelector: {}, policyTypes: [Ingress], no ingress rules)${tiersOf('ingress')}`, location);
    }
    if (!policies.some((p) => isDefaultDeny(p, 'egress')) && !calicoDenies('egress')) {
      add('namespace/no-default-deny-egress', severity, `${ns}[Namespace]`,
        `namespace ${ns} has no default-deny egress policy (podSelector: {}, policyTypes: [Egress], no egress rules)${tiersOf('egress')}`, location);
    }
  }

  // workloads: isolation and host network
  for (const w of cluster.workloads) {
    if (w.hostNetwork) {
      add('workload/host-network', scoped(w.id), w.id, `${w.id} uses hostNetwork: true; NetworkPolicies do not protect it`, w.location);
      continue;
    }
    const node = graph.hasNode(w.id) ? (graph.getNodeAttributes(w.id) as WorkloadNode) : undefined;
    if (!node) continue;
    if (!node.ingressIsolated && !node.egressIsolated) {
      add('workload/not-isolated', scoped(w.id), w.id, `${w.id} is isolated in neither direction: no NetworkPolicy selects it${unevaluatedHint}`, w.location);
      continue;
    }
    for (const direction of ['ingress', 'egress'] as const) {
      if (!(direction === 'ingress' ? node.ingressInNameOnly : node.egressInNameOnly)) continue;
      const isolating = isolatingOf(w, direction);
      add('workload/isolated-in-name-only', scoped(w.id), w.id,
        `${w.id} is isolated for ${direction} in name only: together its policies (${isolating.map((p) => p.id).join(', ')}) admit every ${direction === 'ingress' ? 'source' : 'destination'} on every port: every pod of every namespace and every outside address, the Internet included`,
        widestRule(isolating, direction) ?? w.location);
    }
    // CDE workloads have cde/egress-to-internet; open-in-name-only egress already says it reaches everything
    if (cdeIds.has(w.id) || node.egressInNameOnly) continue;
    const open = internetOnAllPorts(w.id);
    if (open) {
      add('workload/egress-to-internet', scoped(w.id), w.id,
        `${w.id} may send to any Internet address on every port${node.egressIsolated ? '' : ' (no policy isolates its egress)'}`,
        flowLocation(open.via, w.id));
    }
  }

  // policy rules that admit every peer on every port
  for (const p of cluster.policies) {
    const selected = cluster.workloads.filter((w) => w.namespace === p.namespace && matchesSelector(p.podSelector, w.labels));
    for (const [direction, rules] of [['ingress', p.ingress], ['egress', p.egress]] as const) {
      rules.forEach((rule, index) => {
        const open = opennessOf([{ rule, namespace: p.namespace }], ALL_ADDRESSES);
        const where = `NetworkPolicy ${p.id} ${direction}[${index}]`;
        const object = `${p.namespace}/${p.name}[NetworkPolicy]`;
        const severity: Severity = selected.some((w) => inScope(w.id)) ? 'error' : 'warning';
        const whom = direction === 'ingress' ? 'source' : 'destination';
        if (open.everyPod && open.everyAddress) {
          add('policy/rule-admits-any-peer', severity, object,
            `${where} admits every ${whom} on every port: every pod of every namespace and every outside address, the Internet included`, rule.location);
        } else if (open.everyPod) {
          add('policy/rule-admits-all-pods', 'warning', object,
            `${where} admits every pod of every namespace as ${whom} on every port (namespaceSelector: {})`, rule.location);
        }
      });
    }
  }

  auditClusterPolicies(cluster, add, inScope);

  // kinds of policy the graph does not include
  for (const u of options.unevaluated ?? []) {
    add('policy/not-evaluated', 'error', `${u.kind} (${u.apiVersion})`, notEvaluatedMessage(u), u.objects[0]?.location);
  }

  // peers matched to nothing because they cannot be resolved: what their rules decide is missing
  for (const p of listNotEvaluatedPeers(cluster)) {
    add('policy/peer-not-evaluated', 'error', p.rule,
      `${p.rule} ${p.action === 'deny' ? 'denies' : p.action === 'pass' ? 'passes to the next tier' : 'allows'} ${p.direction} ${p.direction === 'egress' ? 'to' : 'from'} ${p.peer} on ${p.ports === 'all' ? 'every port' : p.ports}, which is not evaluated (matched to nothing), for ${p.workloads.length === 0 ? 'no workload of the input' : p.workloads.join(', ')}`,
      ruleLocations.get(p.rule));
  }

  // staged policies: never enforced, but a change waiting to happen
  for (const staged of cluster.calico?.staged ?? []) {
    const name = stagedPolicyName(staged);
    const mine = (options.stagedChanges ?? []).filter((c) => c.policies.includes(name));
    if (mine.length === 0) continue;
    const count = (kind: StagedChange['change']) => mine.filter((c) => c.change === kind).length;
    const cde = mine.filter((c) => scope.defined && (scope.zones[c.from] === 'cde' || scope.zones[c.to] === 'cde')).length;
    const listed = mine.slice(0, 3).map((c) => `${c.change === 'added' ? '+' : c.change === 'removed' ? '-' : '~'} ${c.from} → ${c.to}: ${formatPorts(c.change === 'removed' ? c.before : c.after)}`);
    add('policy/staged-would-change', 'warning', name,
      `${name} is staged, not enforced; enforced, it would add ${count('added')}, remove ${count('removed')} and change ${count('changed')} flow${mine.length === 1 ? '' : 's'}${cde > 0 ? ` (${cde} with a CDE end)` : ''}: ${listed.join('; ')}${mine.length > 3 ? `; and ${mine.length - 3} more` : ''}`,
      staged.location);
  }

  // the CDE boundary
  function addRepresentativeFinding(f: BoundaryFlow, end: RepresentativeEnd): void {
    const cdeEnd = f.direction === 'inbound' ? f.to : f.from;
    const arrow = f.direction === 'inbound' ? `${end.text} → ${cdeEnd}` : `${cdeEnd} → ${end.text}`;
    const listed = end.holds.length === 0 ? 'none in the input' : `in the input: ${end.holds.join(', ')}`;
    const text = `${f.id}: ${arrow} on ${end.portsText} (${listed})`;
    const location = end.locations[0] ?? workloadsById.get(cdeEnd)?.location;
    if (end.reach === 'namespace') {
      add('cde/admits-namespace-pods', 'warning', cdeEnd, `${text}; every such pod is connected-to the CDE and in scope`, location);
    } else if (f.direction === 'inbound') {
      add('cde/admits-unlisted-pods', 'error', cdeEnd, `${text}; pods nobody listed can reach CDE workload ${cdeEnd}`, location);
    } else {
      add('cde/sends-to-unlisted-pods', 'error', cdeEnd, `${text}; CDE workload ${cdeEnd} may send to pods nobody listed`, location);
    }
  }
  const numbers = boundaryNumbers(scope);
  const declaredOut = new Set(scope.declaredOutOfScope.map((m) => m.id));
  for (const member of scope.cde) {
    const id = member.id;
    if (!graph.hasNode(id)) continue;
    const outsideTargets: { label: string; ranges: AddressRange[]; ports: string }[] = [];
    graph.forEachOutEdge(id, (_e, a, _s, target) => {
      if (a.type !== 'flow') return;
      const t = graph.getNodeAttributes(target);
      if (t.type === 'external') {
        outsideTargets.push({ label: t.label, ranges: t.ips.flatMap((c) => { const p = parseCidr(c); return p.ok ? [p.range] : []; }), ports: formatPorts(a.ports) });
      }
    });
    const reached = outsideTargets.flatMap((t) => t.ranges);
    if (coversRanges(reached, PUBLIC_IPV4) || coversRanges(reached, PUBLIC_IPV6)) {
      add('cde/egress-to-internet', 'error', id,
        `CDE workload ${id} may send to any Internet address: ${outsideTargets.map((t) => `${t.label} (${t.ports})`).join('; ')}`,
        workloadsById.get(id)?.location);
    }
    graph.forEachInEdge(id, (_e, a, source) => {
      if (a.type !== 'flow' || graph.getNodeAttribute(source, 'type') !== 'external') return;
      const label = (graph.getNodeAttributes(source) as { label: string }).label;
      const number = numbers.get(`${source}\u0000${id}`)?.id;
      add('cde/reachable-from-outside', isAllPorts(a.ports) ? 'error' : 'warning', id,
        `CDE workload ${id} is reachable from outside the cluster: from ${label} on ${formatPorts(a.ports)}${number ? ` (${number})` : ''}`,
        flowLocation(a.via, id));
    });
  }
  for (const f of scope.boundary) {
    if (f.representative) {
      addRepresentativeFinding(f, f.representative);
      continue;
    }
    const peer = f.direction === 'inbound' ? f.from : f.to;
    if (!workloadsById.has(peer)) continue;
    const text = `${f.id}: ${f.from} → ${f.to} on ${formatPorts(f.ports)}`;
    if (declaredOut.has(peer)) {
      add('cde/flow-to-out-of-scope', 'error', peer, `${text}; ${peer} is declared out of scope but is connected to the CDE`, flowLocation(f.via, peer));
    } else {
      add('cde/connected-flow', isAllPorts(f.ports) ? 'error' : 'warning', peer,
        `${text}; ${peer} is connected-to the CDE and so in scope${isAllPorts(f.ports) ? ' (every port is open)' : ''}`, flowLocation(f.via, peer));
    }
  }

  // a flow declared out of scope stays an error even where a representative peer numbers it
  for (const f of scope.boundary) {
    for (const i of f.representative?.instances ?? []) {
      const peer = f.direction === 'inbound' ? i.from : i.to;
      if (!declaredOut.has(peer)) continue;
      add('cde/flow-to-out-of-scope', 'error', peer,
        `${f.id}: ${i.from} → ${i.to} (as ${f.representative!.text}); ${peer} is declared out of scope but is connected to the CDE`, flowLocation(f.via, peer));
    }
  }

  // exposure through Services and Ingresses
  const backendsOf = (serviceId: string) => graph.hasNode(serviceId)
    ? graph.outEdges(serviceId).filter((e) => graph.getEdgeAttribute(e, 'type') === 'route').map((e) => graph.target(e))
    : [];
  for (const s of cluster.services) {
    const cdeBackends = backendsOf(s.id).filter((b) => cdeIds.has(b));
    if (s.selector && !cluster.workloads.some((w) => w.namespace === s.namespace && selectsAll(s.selector!, w))) {
      add('service/selects-no-pods', 'warning', s.id, `Service ${s.namespace}/${s.name} selects no pods (selector ${formatLabels(s.selector)})`, s.location);
    }
    if ((s.type !== 'LoadBalancer' && s.type !== 'NodePort') || cdeBackends.length === 0) continue;
    const ports = s.ports.map((p) => `${p.protocol} ${p.port}`).join(',') || 'no ports';
    const sources = s.type === 'LoadBalancer' && s.loadBalancerSourceRanges.length > 0 ? `source ranges ${s.loadBalancerSourceRanges.join(',')}` : 'any source address';
    add('cde/exposed-by-service', 'warning', s.id,
      `${s.type} Service ${s.namespace}/${s.name} exposes CDE workload ${cdeBackends.join(', ')} outside the cluster on ${ports} (${sources})`, s.location);
  }
  for (const ing of cluster.ingresses) {
    if (!graph.hasNode(ing.id)) continue;
    const reached = graph.outEdges(ing.id).filter((e) => graph.getEdgeAttribute(e, 'type') === 'route').map((e) => graph.target(e))
      .flatMap((service) => backendsOf(service).filter((b) => cdeIds.has(b)).map((b) => `${b} (through ${service})`));
    if (reached.length === 0) continue;
    add('cde/exposed-by-ingress', 'warning', ing.id,
      `${ing.kind} ${ing.namespace}/${ing.name}${ing.hosts.length > 0 ? ` (${ing.hosts.join(', ')})` : ''} routes outside traffic to CDE workload ${[...new Set(reached)].sort().join(', ')}`, ing.location);
  }

  // stale policy parts
  const namespaceLabels = new Map(cluster.namespaces.map((n) => [n.name, n.labels]));
  const subjects = cluster.workloads.map((w): [Workload, PodSubject] => [w, workloadSubject(w, namespaceLabels.get(w.namespace))]);
  for (const p of cluster.policies) {
    const object = `${p.namespace}/${p.name}[NetworkPolicy]`;
    const selected = subjects.filter(([w]) => w.namespace === p.namespace && matchesSelector(p.podSelector, w.labels));
    if (selected.length === 0) {
      add('policy/selects-no-pods', 'warning', object,
        `NetworkPolicy ${p.id} selects no pods (podSelector ${formatSelector(p.podSelector)} in namespace ${p.namespace})`, p.location);
    }
    for (const [direction, rules] of [['ingress', p.ingress], ['egress', p.egress]] as const) {
      rules.forEach((rule, index) => {
        (rule.peers ?? []).forEach((peer, peerIndex) => {
          if (peer.kind !== 'pods') return;
          if (subjects.some(([, s]) => matchPeer(peer, p.namespace, s, {}) !== 'none')) return;
          add('policy/peer-matches-nothing', 'warning', object,
            `NetworkPolicy ${p.id} ${direction}[${index}] peer ${peerIndex} (${describePeer(peer, p.namespace)}) matches no pod`, rule.location);
        });
        if (direction === 'ingress' && selected.length === 0) return;
        const destinations = direction === 'ingress'
          ? selected.map(([w]) => w)
          : subjects.filter(([, s]) => matchRule(rule, p.namespace, s, {}) !== 'none').map(([w]) => w);
        for (const name of unresolvedNamedPorts(rule, destinations)) {
          add('policy/named-port-unresolved', 'warning', object,
            `NetworkPolicy ${p.id} ${direction}[${index}] names port "${name}", which no destination pod declares`, rule.location);
        }
      });
    }
  }
  return sortFindings(findings);
}

/** The first rule of the policies whose peers are open to every pod or every address: where to narrow. */
function widestRule(policies: readonly NetworkPolicy[], direction: 'ingress' | 'egress'): SourceLocation | undefined {
  for (const p of policies) {
    for (const rule of direction === 'ingress' ? p.ingress : p.egress) {
      const open = opennessOf([{ rule, namespace: p.namespace }], ALL_ADDRESSES);
      if ((open.everyPod || open.everyAddress) && rule.location) return rule.location;
    }
  }
  return policies[0]?.location;
}

/** A default-deny policy: selects every pod of its namespace, isolates the direction, allows nothing in it. */
export function isDefaultDeny(p: NetworkPolicy, direction: 'ingress' | 'egress'): boolean {
  if (p.podSelector.requirements.length > 0) return false;
  return direction === 'ingress' ? p.ingressIsolation && p.ingress.length === 0 : p.egressIsolation && p.egress.length === 0;
}

function unresolvedNamedPorts(rule: PolicyRule, destinations: readonly Workload[]): string[] {
  const out: string[] = [];
  for (const port of rule.ports ?? []) {
    if (typeof port.port !== 'string') continue;
    const name = port.port;
    if (!destinations.some((w) => w.ports.some((cp) => cp.name === name && cp.protocol === port.protocol))) out.push(`${name}/${port.protocol}`);
  }
  return [...new Set(out)];
}

function describePeer(peer: Extract<Peer, { kind: 'pods' }>, namespace: string): string {
  const ns = peer.namespaces === undefined ? `namespace ${namespace}` : `namespaceSelector ${formatSelector(peer.namespaces)}`;
  return `${ns}, podSelector ${formatSelector(peer.pods)}`;
}

function selectsAll(selector: Readonly<Record<string, string>>, w: Workload): boolean {
  return Object.keys(selector).every((k) => w.labels[k] === selector[k]);
}

function formatLabels(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',');
}

function cidrs(...texts: string[]): AddressRange[] {
  return texts.map((t) => {
    const p = parseCidr(t);
    if (!p.ok) throw new Error(`bad built-in CIDR ${t}`);
    return p.range;
  });
}

/**
 * Public IPv4: everything but private (RFC 1918), shared (RFC 6598), loopback, link-local, "this
 * network", multicast and reserved ranges. A CDE that reaches all of it reaches the Internet.
 */
const PUBLIC_IPV4 = subtractRanges(cidrs('0.0.0.0/0'), cidrs(
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '224.0.0.0/3',
));
/** Global unicast IPv6. */
const PUBLIC_IPV6 = cidrs('2000::/3');
