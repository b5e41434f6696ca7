import { ZONE_ANNOTATION } from '../model/zone.js';
import type { TrafficGraph } from '../graph/types.js';
import type { PortSet } from '../model/ports.js';
import { formatSelector, matchesSelector, type Labels, type Selector } from '../model/selectors.js';
import type { Cluster, Namespace, Workload } from '../model/types.js';
import { parseSelectorText } from './selector-text.js';
import type { Exposure } from '../exposure/compute.js';
import type { RepresentativePeerJson } from '../exposure/peer.js';
import { formatPorts } from '../model/ports.js';
import type { SourceLocation } from '../diagnostics.js';
import { withRepresentativePeers } from './representative-flows.js';

/**
 * Where a node of the traffic graph stands in PCI DSS scope: in the cardholder data environment,
 * connected to it (an allowed flow to or from a CDE workload), out of scope, or outside the cluster.
 */
export type Zone = 'cde' | 'connected' | 'out-of-scope' | 'external';

export { ZONE_ANNOTATION } from '../model/zone.js';

/** What marks the CDE, and what is declared out of scope. */
export interface ScopeOptions {
  /**
   * Label selectors in kubectl syntax (`pci=true`, `app in (pay,vault)`) that mark the CDE. A
   * workload is in the CDE when a selector matches its pod labels or its namespace's labels.
   */
  readonly cde?: readonly string[];
  /** Selectors for workloads that are meant to stay out of scope; a CDE flow to one is an audit error. */
  readonly outOfScope?: readonly string[];
  /**
   * The exposure analysis of the cluster (`computeExposure`). When given, the pods a CDE workload's
   * policies admit beyond the input are parties of the boundary: each representative peer that is
   * not wholly inside the CDE is a boundary flow, and the flows of the input's pods it covers are
   * numbered with it, so the boundary no longer depends on which other pods are in the input.
   */
  readonly exposure?: Exposure;
}

/** A boundary flow whose outside end is a representative peer: pods the policies admit, listed or not. */
export interface RepresentativeEnd {
  readonly peer: RepresentativePeerJson;
  /** `any pod in namespaces team=x` */
  readonly text: string;
  /** `unlisted`: namespaces nobody named; `namespace`: one named namespace. */
  readonly reach: 'unlisted' | 'namespace';
  /** The ports in words, with named ports of egress rules kept as names (`TCP 8080,TCP http`). */
  readonly portsText: string;
  /** Workloads of the input (outside the CDE) that the peer holds. */
  readonly holds: readonly string[];
  /** The input's flows this one stands for: their CDE end and peer are covered, ports included. */
  readonly instances: readonly { readonly from: string; readonly to: string }[];
  /** Where the admitting rules are written. */
  readonly locations: readonly SourceLocation[];
}

/** Why a workload is in the CDE, or declared out of scope. */
export interface ScopeMember {
  readonly id: string;
  /** e.g. `--cde app=pci (workload labels)`, `annotation netdiagram.io/zone=cde (namespace payments)` */
  readonly reasons: readonly string[];
}

/** A flow that crosses the CDE boundary: exactly one end is a CDE workload. */
export interface BoundaryFlow {
  /** `F1`, `F2`, …: inbound flows first, then outbound, each sorted by (from, to). */
  readonly id: string;
  readonly from: string;
  readonly to: string;
  /** `inbound`: into the CDE; `outbound`: out of it. */
  readonly direction: 'inbound' | 'outbound';
  readonly ports: PortSet;
  /** Rule refs (`netpol:ns/name#ingress[0]`) or `default-allow:ingress|egress` that admit the flow. */
  readonly via: readonly string[];
  /** The NetworkPolicies (`ns/name`) named by `via`. */
  readonly policies: readonly string[];
  readonly partial: boolean;
  /** The zone of the end outside the CDE (`connected` for a representative peer). */
  readonly peerZone: Zone;
  /** Set when the outside end is a representative peer; `from` or `to` is then its text. */
  readonly representative?: RepresentativeEnd;
}

/** How a namespace relates to the CDE, for drawing: wholly CDE, wholly outside it, or mixed. */
export interface NamespaceScope {
  readonly name: string;
  readonly zone: 'cde' | 'connected' | 'out-of-scope' | 'mixed';
}

/** The PCI DSS scope of a cluster: a zone for every node of the traffic graph and the numbered boundary flows. */
export interface CdeScope {
  /** Whether anything marks a CDE: a `cde` selector, or a zone annotation. */
  readonly defined: boolean;
  /** The CDE selectors, normalized (`app=pci`). */
  readonly selectors: readonly string[];
  /** Every graph node id → its zone, keys sorted. */
  readonly zones: Readonly<Record<string, Zone>>;
  /** CDE workloads, sorted by id, with the reasons they are in the CDE. */
  readonly cde: readonly ScopeMember[];
  /** Non-CDE workloads and Ingresses with an allowed flow to or from the CDE, sorted. */
  readonly connected: readonly string[];
  /** Workloads declared out of scope (by selector or annotation), sorted, with reasons. */
  readonly declaredOutOfScope: readonly ScopeMember[];
  readonly namespaces: readonly NamespaceScope[];
  readonly boundary: readonly BoundaryFlow[];
}

/**
 * Computes the CDE and its boundary: CDE workloads from the selectors and the
 * `netdiagram.io/zone: cde` annotation, connected-to nodes from the allowed flows, and the flows
 * that cross the boundary, numbered F1, F2, … in a fixed order.
 * Scoping follows the PCI DSS v4.0 scoping guidance: systems with connectivity to the CDE are in scope.
 * Throws a TypeError for a selector that does not parse (callers validate with `parseSelectorText`).
 */
export function computeScope(cluster: Cluster, graph: TrafficGraph, options: ScopeOptions = {}): CdeScope {
  const cdeSelectors = (options.cde ?? []).map((text) => compile(text, 'cde'));
  const outSelectors = (options.outOfScope ?? []).map((text) => compile(text, 'out-of-scope'));
  const namespaces = new Map(cluster.namespaces.map((n) => [n.name, n]));

  const cde = new Map<string, string[]>();
  const declaredOut = new Map<string, string[]>();
  let annotated = false;
  for (const w of cluster.workloads) {
    const ns = namespaces.get(w.namespace);
    const cdeReasons = reasonsFor(w, ns, cdeSelectors, 'cde');
    if (cdeReasons.annotated) annotated = true;
    if (cdeReasons.reasons.length > 0) {
      cde.set(w.id, cdeReasons.reasons);
      continue;
    }
    const outReasons = reasonsFor(w, ns, outSelectors, 'out-of-scope');
    if (outReasons.reasons.length > 0) declaredOut.set(w.id, outReasons.reasons);
  }

  // connected-to: any node other than an outside address with an allowed flow to or from the CDE
  const connected = new Set<string>();
  const crossing: Omit<BoundaryFlow, 'id' | 'peerZone'>[] = [];
  graph.forEachEdge((_key, a, source, target) => {
    if (a.type !== 'flow') return;
    const fromCde = cde.has(source);
    const toCde = cde.has(target);
    if (fromCde === toCde) return;
    const peer = fromCde ? target : source;
    if (graph.getNodeAttribute(peer, 'type') !== 'external') connected.add(peer);
    crossing.push({
      from: source, to: target, direction: toCde ? 'inbound' : 'outbound',
      ports: a.ports, via: a.via, policies: policiesOf(a.via), partial: a.partial,
    });
  });

  const zones: Record<string, Zone> = {};
  const zoneOf = (id: string): Zone => {
    const type = graph.getNodeAttribute(id, 'type');
    if (type === 'external') return 'external';
    if (cde.has(id)) return 'cde';
    return connected.has(id) ? 'connected' : 'out-of-scope';
  };
  graph.forEachNode((id, a) => {
    if (a.type !== 'service') zones[id] = zoneOf(id);
  });
  // a Service stands where its most sensitive backend stands
  graph.forEachNode((id, a) => {
    if (a.type !== 'service') return;
    const backends = graph.outEdges(id).filter((e) => graph.getEdgeAttribute(e, 'type') === 'route').map((e) => graph.target(e));
    zones[id] = backends.some((b) => zones[b] === 'cde') ? 'cde' : backends.some((b) => zones[b] === 'connected') ? 'connected' : 'out-of-scope';
  });

  const order = (x: { direction: string; from: string; to: string }, y: typeof x) =>
    (x.direction === y.direction ? 0 : x.direction === 'inbound' ? -1 : 1) || compare(x.from, y.from) || compare(x.to, y.to);
  const unnumbered: Omit<BoundaryFlow, 'id'>[] = crossing.map((f) => ({ ...f, peerZone: zoneOf(f.direction === 'inbound' ? f.from : f.to) }));
  const flows = options.exposure ? withRepresentativePeers(unnumbered, options.exposure, cluster, cde, cdeSelectors) : unnumbered;
  const boundary = flows.sort(order).map((f, i): BoundaryFlow => ({ id: `F${i + 1}`, ...f }));

  const namespaceScopes = cluster.namespaces.flatMap((n): NamespaceScope[] => {
    const members = cluster.workloads.filter((w) => w.namespace === n.name).map((w) => zones[w.id] ?? 'out-of-scope');
    if (members.length === 0) return [];
    const first = members[0]!;
    const zone = members.every((z) => z === first) ? (first as NamespaceScope['zone']) : 'mixed';
    return [{ name: n.name, zone }];
  });

  const sortedKeys = Object.keys(zones).sort(compare);
  const members = (m: Map<string, string[]>) => [...m].sort(([a], [b]) => compare(a, b)).map(([id, reasons]) => ({ id, reasons }));
  return {
    defined: cdeSelectors.length > 0 || annotated,
    selectors: cdeSelectors.map((s) => formatSelector(s)),
    zones: Object.fromEntries(sortedKeys.map((k) => [k, zones[k]!])),
    cde: members(cde),
    connected: [...connected].sort(compare),
    declaredOutOfScope: members(declaredOut),
    namespaces: namespaceScopes,
    boundary,
  };
}

/** Boundary numbers by `from\u0000to` of the graph's flows, a representative flow's instances included. */
export function boundaryNumbers(scope: CdeScope): Map<string, BoundaryFlow> {
  const numbers = new Map<string, BoundaryFlow>();
  for (const f of scope.boundary) {
    numbers.set(`${f.from}\u0000${f.to}`, f);
    for (const i of f.representative?.instances ?? []) numbers.set(`${i.from}\u0000${i.to}`, f);
  }
  return numbers;
}

/** A boundary flow's ports in words, named ports of a representative peer kept. */
export function boundaryPortsText(f: BoundaryFlow): string {
  return f.representative?.portsText ?? formatPorts(f.ports);
}

function compile(text: string, option: string): Selector {
  const parsed = parseSelectorText(text);
  if (!parsed.ok) throw new TypeError(`invalid ${option} selector "${text}": ${parsed.reason}`);
  return parsed.selector;
}

function reasonsFor(
  w: Workload,
  ns: Namespace | undefined,
  selectors: readonly Selector[],
  zone: 'cde' | 'out-of-scope',
): { reasons: string[]; annotated: boolean } {
  const flag = zone === 'cde' ? '--cde' : '--out-of-scope';
  const reasons: string[] = [];
  let annotated = false;
  for (const s of selectors) {
    if (matchesSelector(s, w.labels)) reasons.push(`${flag} ${formatSelector(s)} (workload labels)`);
    else if (ns && matchesSelector(s, ns.labels)) reasons.push(`${flag} ${formatSelector(s)} (namespace ${ns.name} labels)`);
  }
  if (w.annotations[ZONE_ANNOTATION] === 'cde') annotated = true;
  if (w.annotations[ZONE_ANNOTATION] === zone) reasons.push(`annotation ${ZONE_ANNOTATION}=${zone} (pod template)`);
  const nsAnnotations = namespaceAnnotations(ns);
  if (nsAnnotations[ZONE_ANNOTATION] === 'cde') annotated = true;
  if (nsAnnotations[ZONE_ANNOTATION] === zone) reasons.push(`annotation ${ZONE_ANNOTATION}=${zone} (namespace ${ns!.name})`);
  return { reasons, annotated };
}

function namespaceAnnotations(ns: Namespace | undefined): Labels {
  return ns?.annotations ?? {};
}

/**
 * `netpol:ns/name#ingress[0]` → `ns/name`; a cluster-wide policy's rule `cnp:name#egress[1]` →
 * `cnp:name` (`anp:`, `banp:` alike: the kind stays in the id), `calico:tier/ns/name#…` → `calico:tier/ns/name`;
 * `default-allow:…` names no policy.
 */
export function policiesOf(via: readonly string[]): string[] {
  const ids = new Set<string>();
  for (const ref of via) {
    const m = /^netpol:([^#]+)#/.exec(ref);
    if (m) ids.add(m[1]!);
    const cluster = /^((?:cnp|anp|banp):[^#]+)#/.exec(ref);
    if (cluster) ids.add(cluster[1]!);
    // a Calico rule `calico:tier/ns/name#ingress[0]` → `calico:tier/ns/name` (a tier's default action and a profile too),
    // a Cilium rule `cilium:ns/name#ingressDeny[0]` → `cilium:ns/name`
    const calico = /^((?:calico|cilium):[^#]+)#/.exec(ref);
    if (calico) ids.add(calico[1]!);
  }
  return [...ids].sort(compare);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
