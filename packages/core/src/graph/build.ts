import { MultiDirectedGraph } from 'graphology';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { parseCidr, normalizeRanges, subtractRanges, type AddressRange } from '../model/ipblock.js';
import { intersectPorts, isEmptyPorts, NO_PORTS, portRange, unionPorts, ALL_PORTS, type PortSet } from '../model/ports.js';
import type { Cluster, IngressObject, Peer, Service, ServicePort, Workload } from '../model/types.js';
import { directionVerdict, indexPolicies, pairVerdict, tierSelectionOf, type PodSubject, type PolicyIndex } from '../policy/evaluate.js';
import { domainFlows } from '../policy/tiers.js';
import { tieredAddressBlocks, namedAddressSets } from '../policy/calico-tiers.js';
import { admitsEveryAddress, admitsEveryPod } from './open-rules.js';
import { isolationKeys } from './isolation-key.js';
import { labelValues } from './label-values.js';
import { computeClassFlows, OPEN_EGRESS_FLOW, OPEN_INGRESS_FLOW, type FlowVerdict } from './flows.js';
import { groupExternalFlows, type ExternalFlow } from './external-flows.js';
import { isServiceBackend, workloadSubject } from '../policy/subjects.js';
import { addressDescriber, externalUniverse } from './external.js';
import { entrySender, type IngressController } from './entry-senders.js';
import type { EdgeAttributes, ExternalNode, FlowEdge, RouteEdge, GraphAttributes, NodeAttributes, TrafficGraph } from './types.js';

export type { IngressController };

export interface GraphOptions {
  /** Pod CIDRs; when given, ipBlocks also match in-cluster pods (see docs/semantics.md). */
  readonly podCidrs?: readonly string[];
  /**
   * The ingress controller's pod. Default: a label-less pod in a label-less namespace, so a policy
   * that admits only a named controller blocks Ingress traffic (with a warning).
   */
  readonly ingressController?: IngressController;
  /**
   * The data-plane pod of every Gateway whose own Deployment (labelled
   * `gateway.networking.k8s.io/gateway-name`) is not in the input. Default: a label-less pod in a
   * label-less namespace, as for Ingresses.
   */
  readonly gatewayController?: IngressController;
  /**
   * `edges` (default): every allowed pair is an edge, including pairs where neither side is isolated.
   * `omit`: those default-allow-on-both-sides pairs are left out (the workloads' `ingressIsolated` and
   * `egressIsolated` attributes say where they are), so an unrestricted cluster of n workloads does not
   * build n² edges just to draw one diagram.
   */
  readonly openFlows?: 'edges' | 'omit';
}

/**
 * Builds the allowed-traffic graph: a node per workload, Service, Ingress/Route and set of outside
 * addresses; `flow` edges where NetworkPolicies allow traffic (egress of the source AND ingress of
 * the destination), `route` edges for Ingress → Service → workload structure.
 * https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export function buildTrafficGraph(cluster: Cluster, options: GraphOptions = {}): TrafficGraph {
  const diagnostics: Diagnostic[] = [];
  const podCidrs = (options.podCidrs ?? []).map((text) => {
    const parsed = parseCidr(text);
    if (!parsed.ok) throw new TypeError(`invalid pod CIDR "${text}": ${parsed.reason}`);
    return parsed.range;
  });
  const evaluation = { podCidrs };
  const index = indexPolicies(cluster.policies, cluster.clusterPolicies, cluster.calico ?? cluster.cilium);
  const namespaceLabels = new Map(cluster.namespaces.map((n) => [n.name, n.labels]));
  // one subject per workload, made once: the classes below and the Ingress backends read it again
  const subjects = new Map<Workload, PodSubject>();
  const subjectOf = (w: Workload): PodSubject => {
    let subject = subjects.get(w);
    if (subject === undefined) subjects.set(w, (subject = workloadSubject(w, namespaceLabels.get(w.namespace), { withPodIPs: podCidrs.length > 0 })));
    return subject;
  };

  // workloads with the same namespace, labels and ports (and IPs, when they matter) behave alike: the
  // key is the subject's content, its namespace labels standing for themselves by the namespace's name
  // (the fields' values in a list: a copy of the subject without its namespace labels, for 10,000 workloads, cost more than its text)
  const classes = groupBy(cluster.workloads, (w) => {
    const subject = subjectOf(w);
    return JSON.stringify(CLASS_KEY_FIELDS.map((field) => subject[field] ?? null));
  });

  const nodes: [string, NodeAttributes][] = [];
  const edges = new Map<string, { source: string; target: string; attributes: EdgeAttributes }>();
  const addFlow = (source: string, target: string, flow: FlowEdge) => {
    if (source !== target) edges.set(`flow:${source}->${target}`, { source, target, attributes: flow });
  };

  const classSubjects = classes.map((members) => subjectOf(members[0]!));
  const flows = computeClassFlows(classSubjects, index, evaluation, { includeOpenPairs: options.openFlows !== 'omit' });
  const universe = externalUniverse(podCidrs);
  // isolated, yet the isolating rules admit every pod and every outside address on every port
  // (the answer depends only on the isolating policies and, for ingress, the pods' ports: one per such key)
  const keyOf = isolationKeys();
  const inNameOnlyByKey = new Map<string, boolean>();
  const inNameOnly = (c: number, direction: 'ingress' | 'egress'): boolean => {
    if ((direction === 'ingress' ? flows.clusterIngress : flows.clusterEgress)[c]) return false;
    const key = keyOf(direction, flows.isolation[c]![direction], flows.ports[c]!);
    let known = inNameOnlyByKey.get(key);
    if (known === undefined) inNameOnlyByKey.set(key, (known = isInNameOnly(c, direction)));
    return known;
  };
  const isInNameOnly = (c: number, direction: 'ingress' | 'egress'): boolean => {
    const pod = classSubjects[c]!;
    const rules = flows.isolation[c]![direction].flatMap((p) => (direction === 'ingress' ? p.ingress : p.egress).map((rule) => ({ rule, namespace: p.namespace })));
    if (rules.length === 0) return false;
    const ports = direction === 'ingress' ? pod.ports : undefined;
    return admitsEveryPod(rules, ports) && admitsEveryAddress(rules, universe, ports);
  };
  classes.forEach((members, c) => {
    const ingressInNameOnly = flows.ingressIsolated[c]! && inNameOnly(c, 'ingress');
    const egressInNameOnly = flows.egressIsolated[c]! && inNameOnly(c, 'egress');
    for (const w of members) {
      nodes.push([w.id, {
        type: 'workload', kind: w.kind, namespace: w.namespace, name: w.name, labels: w.labels, ports: w.ports,
        containers: w.containers, ...(w.replicas !== undefined ? { replicas: w.replicas } : {}), hostNetwork: w.hostNetwork,
        ingressIsolated: flows.ingressIsolated[c]!, egressIsolated: flows.egressIsolated[c]!,
        ...(ingressInNameOnly ? { ingressInNameOnly } : {}), ...(egressInNameOnly ? { egressInNameOnly } : {}),
        ...(flows.clusterIngress[c] ? { ingressTiers: true as const } : {}), ...(flows.clusterEgress[c] ? { egressTiers: true as const } : {}),
        uses: w.uses, annotations: w.annotations,
      }]);
    }
  });

  // workload → workload
  // equal verdicts are one object (shared-verdicts.ts), and so one edge attribute object each
  const flowEdges = new Map<FlowVerdict, FlowEdge>();
  for (let p = 0; p < flows.pairs.length; p++) {
    const { source, target, verdict } = flows.pairs[p]!;
    let flow = flowEdges.get(verdict);
    if (!flow) flowEdges.set(verdict, (flow = { type: 'flow', ...verdict }));
    const sources = classes[source]!;
    const targets = classes[target]!;
    for (let i = 0; i < sources.length; i++) for (let j = 0; j < targets.length; j++) addFlow(sources[i]!.id, targets[j]!.id, flow);
  }

  // outside addresses ↔ workloads, one node per set of addresses that all policies treat alike
  const exposureRanges = new Map<string, AddressRange[]>();
  for (const s of cluster.services) {
    if (s.type !== 'LoadBalancer' && s.type !== 'NodePort') continue;
    const ranges = s.type === 'LoadBalancer' && s.loadBalancerSourceRanges.length > 0
      ? s.loadBalancerSourceRanges.map((r) => parseCidr(r)).flatMap((r) => (r.ok ? [r.range] : []))
      : [];
    exposureRanges.set(s.id, ranges);
  }
  // sources and destinations are grouped apart, so an egress ipBlock does not split an ingress source
  const ingressBlocks = cluster.policies.flatMap((p) => p.ingress).flatMap((r) => r.peers ?? []).filter(isIpBlock);
  const egressBlocks = cluster.policies.flatMap((p) => p.egress).flatMap((r) => r.peers ?? []).filter(isIpBlock);
  // cluster-wide `networks` peers cut the outside addresses too, and are named like ipBlocks
  const networkPeers = (cluster.clusterPolicies ?? []).flatMap((p) => p.egress).flatMap((r) => r.peers)
    .flatMap((peer): Extract<Peer, { kind: 'ipblock' }>[] => (peer.kind === 'networks'
      ? peer.cidrs.map((cidr, i) => ({ kind: 'ipblock', cidr, except: [], ranges: [peer.ranges[i]!] })) : []));
  // under the calico profile, nets, notNets and NetworkSets cut the outside addresses in both directions
  const calicoBlocks = index.calico ? tieredAddressBlocks(index.calico).flatMap(asIpBlock) : [];
  const blocks = [...ingressBlocks, ...egressBlocks, ...networkPeers, ...calicoBlocks];
  if (podCidrs.length === 0) {
    // the API applies `networks` to pod traffic too ("Deny 0.0.0.0/0 … denies all IPv4 pod-to-pod
    // traffic as well"); without the pod CIDRs no pod address is known, so only outside ones match
    for (const p of cluster.clusterPolicies ?? []) {
      const rules = p.egress.filter((r) => r.peers.some((peer) => peer.kind === 'networks'));
      if (rules.length > 0) {
        const verbs = [...new Set(rules.map((r) => (r.action === 'allow' ? 'accept' : r.action)))].join(' or ');
        diagnostics.push(diagnostic('warning', 'cnp/networks-outside-only',
          `${p.kind} ${p.name} has networks peers, which match pod addresses too; without --pod-cidr they were applied to addresses outside the cluster only, so pod-to-pod traffic they ${verbs} may be drawn wrong`,
          rules[0]!.location ?? p.location));
      }
    }
  }
  // a class isolated in neither direction treats every address alike: it cannot tell atoms apart
  const openFlows: ExternalFlow[] = [];
  classSubjects.forEach((_pod, classIndex) => {
    if (!flows.ingressIsolated[classIndex]) openFlows.push({ source: true, classIndex, flow: { type: 'flow', ...OPEN_INGRESS_FLOW } });
    if (!flows.egressIsolated[classIndex]) openFlows.push({ source: false, classIndex, flow: { type: 'flow', ...OPEN_EGRESS_FLOW } });
  });
  const includeOpen = options.openFlows !== 'omit';
  const atomGroups = groupExternalFlows({
    subjects: classSubjects,
    isolation: flows.isolation,
    ingressFromOutside: classSubjects.map((_s, c) => flows.ingressIsolated[c]! && flows.ingressFromOutside[c]!),
    egressToOutside: classSubjects.map((_s, c) => flows.egressIsolated[c]! && flows.egressToOutside[c]!),
    universe,
    inboundBoundaries: [...ingressBlocks.flatMap((b) => b.ranges), ...[...exposureRanges.values()].flat(), ...calicoBlocks.flatMap((b) => b.ranges)],
    outboundBoundaries: [...egressBlocks, ...networkPeers, ...calicoBlocks].flatMap((b) => b.ranges),
    // left out, the open flows join no group; openExternals below still knows where they go
    openFlows: includeOpen ? openFlows : [],
    tiered: {
      inbound: flows.clusterIngress,
      outbound: flows.clusterEgress,
      flow: (c, inbound, atom) => {
        const address = { kind: 'address', ranges: [atom] } as const;
        const v = inbound ? pairVerdict(index, address, classSubjects[c]!, flows.evaluation) : pairVerdict(index, classSubjects[c]!, address, flows.evaluation);
        return isEmptyPorts(v.ports) ? undefined : { type: 'flow', ports: v.ports, via: v.via, partial: v.partial, ...(v.l7 ? { l7: true } : {}) };
      },
    },
  });
  const externalIds = new Set<string>();
  const describe = addressDescriber(universe, blocks);
  // NetworkSets and Cilium entities name the address sets that are exactly theirs (the diagram draws the names)
  const namesOf = index.calico ? namedAddressSets(index.calico) : () => undefined;
  const externalNode = (ranges: readonly AddressRange[]): { id: string; node: ExternalNode } => {
    const described = describe(normalizeRanges(ranges));
    const names = namesOf(ranges);
    return { id: described.id, node: { type: 'external', ips: described.ips, label: described.label, ...(names ? { names } : {}) } };
  };
  const addExternal = (ranges: readonly AddressRange[]): string => {
    const { id, node } = externalNode(ranges);
    if (!externalIds.has(id)) {
      externalIds.add(id);
      nodes.push([id, node]);
    }
    return id;
  };
  // left out, the open flows still need the address sets they reach: a set only they reach is no node
  const openExternals = includeOpen ? undefined : {
    inbound: openFlows.some((f) => f.source) ? atomGroups.filter((g) => g.inbound).map((g) => externalNode(g.ranges)) : [],
    outbound: openFlows.some((f) => !f.source) ? atomGroups.filter((g) => !g.inbound).map((g) => externalNode(g.ranges)) : [],
  };
  for (const group of atomGroups) {
    if (group.flows.length === 0) continue;
    const id = addExternal(group.ranges);
    for (const f of group.flows) {
      for (const w of classes[f.classIndex]!) {
        if (f.source) addFlow(id, w.id, f.flow);
        else addFlow(w.id, id, f.flow);
      }
    }
  }

  // names a cluster-wide Accept opens egress to: one node per set of names, never resolved to addresses
  if (index.admin.length > 0 || index.baseline.length > 0) {
    classSubjects.forEach((subject, c) => {
      if (!flows.clusterEgress[c]) return;
      const selection = tierSelectionOf(index, subject).egress;
      for (const f of domainFlows(selection.admin, selection.baseline, flows.isolation[c]!.egress.length > 0)) {
        const id = `dns:${f.names.join(',')}`;
        if (!externalIds.has(id)) {
          externalIds.add(id);
          nodes.push([id, { type: 'external', ips: [], label: `DNS names ${f.names.join(', ')}`, domains: f.names }]);
        }
        for (const w of classes[c]!) {
          const key = `flow:${w.id}->${id}`;
          const previous = edges.get(key)?.attributes;
          const flow: FlowEdge = previous?.type === 'flow'
            ? { type: 'flow', ports: unionPorts(previous.ports, f.ports), via: [...new Set([...previous.via, f.ref])].sort(), partial: previous.partial || f.partial }
            : { type: 'flow', ports: f.ports, via: [f.ref], partial: f.partial };
          addFlow(w.id, id, flow);
        }
      }
    });
  }

  // Services: route edges to their backends; exposure from outside for LoadBalancer and NodePort
  const backendsOf = new Map<string, Workload[]>();
  const workloadsByNamespace = groupByKey(cluster.workloads, (w) => w.namespace);
  // a Service's candidates are the workloads of its namespace with its selector's first label (the
  // others are checked one by one), rather than every Service looking at every workload of its namespace
  const byLabelIn = new Map([...workloadsByNamespace].map(([ns, members]) => [ns, labelValues(members, (w) => w.labels)]));
  const backendCandidates = (s: Service): readonly Workload[] => {
    const first = s.selector === undefined ? undefined : Object.keys(s.selector)[0];
    if (first === undefined) return s.selector === undefined ? [] : workloadsByNamespace.get(s.namespace) ?? [];
    return byLabelIn.get(s.namespace)?.(first, s.selector![first]!) ?? [];
  };
  for (const s of cluster.services) {
    nodes.push([s.id, { type: 'service', namespace: s.namespace, name: s.name, serviceType: s.type, ports: s.ports, labels: s.labels }]);
    const backends = backendCandidates(s).filter((w) => isServiceBackend(s, w));
    backendsOf.set(s.id, backends);
    for (const w of backends) {
      const ports = s.ports.reduce((acc, p) => unionPorts(acc, targetPorts(p, w)), NO_PORTS);
      for (const p of s.ports) {
        if (typeof p.targetPort === 'string' && isEmptyPorts(targetPorts(p, w))) {
          diagnostics.push(diagnostic('warning', 'service/unresolved-target-port',
            `Service ${s.namespace}/${s.name} targetPort "${p.targetPort}" names no ${p.protocol} container port of ${w.id}`, p.location ?? s.location));
        }
      }
      // a Service without ports forwards nothing in particular: its route stands for every port; one
      // whose ports all name container ports the backend lacks forwards nothing, and says so
      const attributes: RouteEdge = s.ports.length === 0 ? { type: 'route', ports: ALL_PORTS }
        : isEmptyPorts(ports) ? { type: 'route', ports: NO_PORTS, unresolved: true } : { type: 'route', ports };
      edges.set(`route:${s.id}->${w.id}`, { source: s.id, target: w.id, attributes });
    }
    const exposure = exposureRanges.get(s.id);
    if (exposure) {
      const from = addExternal(exposure.length > 0 ? exposure : universe);
      const ports = s.ports.reduce((acc, p) => unionPorts(acc, portRange(p.protocol, p.port)), NO_PORTS);
      edges.set(`route:${from}->${s.id}`, { source: from, target: s.id, attributes: { type: 'route', ports: isEmptyPorts(ports) ? ALL_PORTS : ports } });
    }
  }

  // Ingress, Route and Gateway: the controller's (or data plane's) traffic to the backend workloads, judged by their policies
  const servicesById = new Map(cluster.services.map((s) => [s.id, s]));
  for (const ing of cluster.ingresses) {
    nodes.push([ing.id, {
      type: 'ingress', kind: ing.kind, namespace: ing.namespace, name: ing.name, hosts: ing.hosts,
      ...(ing.listeners ? { listeners: ing.listeners } : {}), ...(ing.routes ? { routes: ing.routes } : {}),
    }]);
    const sender = entrySender(ing, cluster.workloads, namespaceLabels, { ...options, withPodIPs: podCidrs.length > 0 });
    const controller = sender.subject;
    const reach = new Map<string, { ports: PortSet; via: Set<string> }>();
    for (const backend of ing.backends) {
      const serviceId = `${backend.namespace ?? ing.namespace}/${backend.service}[Service]`;
      const service = servicesById.get(serviceId);
      const who = backend.route ? `${describeRoute(backend.route)} (attached to Gateway ${ing.namespace}/${ing.name})` : `${ing.kind} ${ing.namespace}/${ing.name}`;
      if (!service) {
        diagnostics.push(diagnostic('warning', 'ingress/unknown-service',
          `${who} routes to Service "${backend.namespace ? `${backend.namespace}/` : ''}${backend.service}", which is not in the input`, backend.location));
        continue;
      }
      const servicePorts = service.ports.filter((p) => backendUsesPort(ing, backend.port, p) && (backend.protocol === undefined || p.protocol === backend.protocol));
      const routePorts = servicePorts.reduce((acc, p) => unionPorts(acc, portRange(p.protocol, p.port)), NO_PORTS);
      const previous = edges.get(`route:${ing.id}->${service.id}`);
      if (servicePorts.length === 0 && backend.port !== undefined) {
        // the controller finds no such port on the Service and forwards nothing (ingress-nginx answers 503)
        diagnostics.push(diagnostic('warning', 'ingress/unknown-service-port',
          `${who} routes to ${backend.protocol ? `${backend.protocol} ` : ''}port ${JSON.stringify(backend.port)} of Service ${service.namespace}/${service.name}, which has ${service.ports.length === 0 ? 'no ports' : `only ${service.ports.map((p) => `${backend.protocol ? `${p.protocol} ` : ''}${p.port}${p.name ? ` (${p.name})` : ''}`).join(', ')}`}: no traffic reaches its backends`,
          backend.location));
        if (!previous) edges.set(`route:${ing.id}->${service.id}`, { source: ing.id, target: service.id, attributes: { type: 'route', ports: NO_PORTS, unresolved: true } });
        continue;
      }
      edges.set(`route:${ing.id}->${service.id}`, {
        source: ing.id, target: service.id,
        attributes: { type: 'route', ports: unionPorts(previous?.attributes.type === 'route' && previous.attributes.unresolved ? NO_PORTS : routePortsOf(previous), isEmptyPorts(routePorts) ? ALL_PORTS : routePorts) },
      });
      for (const w of backendsOf.get(service.id) ?? []) {
        const wanted = servicePorts.reduce((acc, p) => unionPorts(acc, targetPorts(p, w)), NO_PORTS);
        if (isEmptyPorts(wanted)) continue;
        const verdict = pairVerdict(index, controller, subjectOf(w), evaluation);
        const ports = intersectPorts(wanted, verdict.ports);
        if (isEmptyPorts(ports)) {
          const ingress = directionVerdict(index, subjectOf(w), 'ingress', controller, evaluation);
          if (isEmptyPorts(intersectPorts(wanted, ingress.ports))) {
            const what = ing.kind === 'Gateway' ? 'the Gateway\'s data plane' : 'the ingress controller';
            const assumed = ing.kind === 'Gateway'
              ? ' (assumed to be a label-less pod in a label-less namespace; name yours with --gateway-controller, or include the Deployment labelled gateway.networking.k8s.io/gateway-name)'
              : ' (assumed to be a label-less pod in a label-less namespace; name yours with --ingress-controller)';
            diagnostics.push(diagnostic('warning', 'ingress/controller-blocked',
              `${who} routes to ${w.id}, but its ingress policies (${ingress.isolatedBy.join(', ')}) do not admit ${what}${sender.source === 'assumed' ? assumed : ''}`,
              backend.location));
          }
          continue;
        }
        const entry = reach.get(w.id) ?? { ports: NO_PORTS, via: new Set<string>() };
        entry.ports = unionPorts(entry.ports, ports);
        for (const v of verdict.via) entry.via.add(v);
        reach.set(w.id, entry);
      }
    }
    for (const [target, r] of reach) addFlow(ing.id, target, { type: 'flow', ports: r.ports, via: [...r.via].sort(), partial: false });
  }

  // what `openFlows: 'omit'` left out, so a diagram can still count every allowed flow
  const size = (c: number) => classes[c]!.length;
  const openIngress = classes.map((_m, c) => (flows.ingressIsolated[c] ? 0 : size(c))).reduce((a, b) => a + b, 0);
  const openEgress = classes.map((_m, c) => (flows.egressIsolated[c] ? 0 : size(c))).reduce((a, b) => a + b, 0);
  const openBoth = classes.map((_m, c) => (flows.ingressIsolated[c] || flows.egressIsolated[c] ? 0 : size(c))).reduce((a, b) => a + b, 0);
  const omittedOpenFlows = includeOpen ? 0
    : openEgress * openIngress - openBoth + atomGroups.reduce((n, g) => n + (g.inbound ? openIngress : openEgress), 0);

  return freezeGraph(nodes, edges, {
    omittedOpenFlows,
    ...(openExternals ? { openExternals } : {}),
    persistentVolumes: persistentVolumesOf(cluster),
    namespaces: cluster.namespaces.map((n) => ({ name: n.name, labels: n.labels })),
    diagnostics,
  });
}

/** What tells pod classes apart: every field of their subjects but the kind (always a pod) and the namespace's labels (its name stands for them). */
const CLASS_KEY_FIELDS = ['namespace', 'labels', 'ports', 'podIPs', 'hostNetwork', 'serviceAccount'] as const;
// a field added to PodSubject but not to the class key would merge workloads that it tells apart: then this does not compile
const classKeyReadsEveryField: Exclude<keyof PodSubject, 'kind' | 'namespaceLabels' | (typeof CLASS_KEY_FIELDS)[number]> extends never ? true : never = true;
void classKeyReadsEveryField;

function freezeGraph(
  nodes: [string, NodeAttributes][],
  edges: ReadonlyMap<string, { source: string; target: string; attributes: EdgeAttributes }>,
  attributes: GraphAttributes,
): TrafficGraph {
  const graph: TrafficGraph = new MultiDirectedGraph<NodeAttributes, EdgeAttributes, GraphAttributes>({ allowSelfLoops: false });
  graph.replaceAttributes(attributes);
  // insert in sorted order so iteration order, and so every output, is deterministic
  const sortedNodes = [...nodes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // edges by (source, target, type): each end's place among the sorted ids stands for its id, so
  // 50,000 edges sort by numbers rather than by string comparisons
  const rank = new Map<string, number>();
  sortedNodes.forEach(([id, attrs], i) => {
    rank.set(id, i);
    graph.addNode(id, attrs);
  });
  // each source's edges in a bucket of their own, sorted there: 50,000 edges in one sort were 800,000 comparisons
  const bySource: { key: string; e: { source: string; target: string; attributes: EdgeAttributes }; target: number }[][] = [];
  // (forEach: an entries iterator makes two objects a step until the code is optimised)
  edges.forEach((e, key) => {
    const source = rank.get(e.source) ?? -1;
    const target = rank.get(e.target) ?? -1;
    // (an edge to or from a node that is not in the graph makes graphology throw, as it always did)
    if (source < 0 || target < 0) graph.addDirectedEdgeWithKey(key, e.source, e.target, e.attributes);
    else (bySource[source] ??= []).push({ key, e, target });
  });
  for (const bucket of bySource) {
    if (bucket === undefined) continue;
    if (bucket.length > 1) bucket.sort((a, b) => a.target - b.target || (a.e.attributes.type < b.e.attributes.type ? -1 : 1));
    // (the key each edge was gathered under is `${type}:${source}->${target}`, the graph's key for it)
    for (const { key, e } of bucket) graph.addDirectedEdgeWithKey(key, e.source, e.target, e.attributes);
  }
  return graph;
}

function routePortsOf(edge: { attributes: EdgeAttributes } | undefined): PortSet {
  return edge ? edge.attributes.ports : NO_PORTS;
}

/** Whether an Ingress/Route backend port selects this Service port (no port: every port). */
function backendUsesPort(ing: IngressObject, wanted: number | string | undefined, p: ServicePort): boolean {
  if (wanted === undefined) return true;
  if (ing.kind === 'Gateway') return p.port === wanted; // a backendRef's port is the Service's port number
  if (ing.kind === 'Route') {
    // a Route's targetPort names a Service port by name, or the pods' port by number
    return typeof wanted === 'string' ? p.name === wanted || p.targetPort === wanted : p.targetPort === wanted || p.port === wanted;
  }
  return typeof wanted === 'number' ? p.port === wanted : p.name === wanted;
}

/** The backend pod's port a Service port forwards to; a named targetPort resolves per pod. */
export function targetPorts(p: ServicePort, w: Workload): PortSet {
  if (typeof p.targetPort === 'number') return portRange(p.protocol, p.targetPort);
  const found = w.ports.filter((cp) => cp.name === p.targetPort && cp.protocol === p.protocol);
  return found.reduce((acc, cp) => unionPorts(acc, portRange(cp.protocol, cp.port)), NO_PORTS);
}

/** `HTTPRoute shop/web` for the route id `shop/web[HTTPRoute]`. */
function describeRoute(id: string): string {
  const open = id.lastIndexOf('[');
  return `${id.slice(open + 1, -1)} ${id.slice(0, open)}`;
}

/** A CIDR with exceptions, as the ipBlock peer it stands for. */
function asIpBlock(block: { readonly cidr: string; readonly except: readonly string[] }): Extract<Peer, { kind: 'ipblock' }>[] {
  const parse = (cidr: string) => {
    const parsed = parseCidr(cidr);
    return parsed.ok ? [parsed.range] : [];
  };
  const range = parse(block.cidr);
  return range.length === 0 ? [] : [{ kind: 'ipblock', cidr: block.cidr, except: block.except, ranges: subtractRanges(range, block.except.flatMap(parse)) }];
}

function isIpBlock(peer: Peer): peer is Extract<Peer, { kind: 'ipblock' }> {
  return peer.kind === 'ipblock';
}

function groupByKey<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
  return [...groupByKey(items, keyOf).values()];
}

export type { Service, PolicyIndex };

/** Each PersistentVolume with the claims bound to it, by the PV's claimRef or the PVC's volumeName. */
function persistentVolumesOf(cluster: Cluster): GraphAttributes['persistentVolumes'] {
  const claimsOf = new Map<string, Set<string>>();
  const bind = (volume: string, claim: string) => claimsOf.set(volume, (claimsOf.get(volume) ?? new Set()).add(claim));
  for (const c of cluster.configs) {
    if (c.kind === 'PersistentVolume' && c.claim) bind(c.name, c.claim);
    if (c.kind === 'PersistentVolumeClaim' && c.volumeName) bind(c.volumeName, `${c.namespace}/${c.name}`);
  }
  return cluster.configs
    .filter((c) => c.kind === 'PersistentVolume')
    .map((c) => ({ name: c.name, ...(c.provider ? { provider: c.provider } : {}), claims: [...(claimsOf.get(c.name) ?? [])].sort() }));
}
