import type { WorkloadNode } from '@netdiagram/core';
import { truncateText } from '../measure.js';
import { compareStrings, type GraphData } from './graph-data.js';
import { portSetKey } from './ports.js';
import { configBadges, controllerCode, listenerLabels, portBadges, serviceAnnotation, serviceCode } from './shapes-of.js';
import type { AttachedService, DiagramContainer, DiagramNode, PortBadge, WorkloadShape } from './types.js';

/** How one namespace is drawn. */
export type NamespaceLevel = 'full' | 'workload' | 'summary';

/** Where every in-cluster graph node ends up in the drawing. */
export interface Projection {
  /** Graph node id → drawn node id; absent: not drawn on its own (a Service folded into its backends). */
  readonly nodeOf: ReadonlyMap<string, string>;
  /** Drawn in-cluster nodes, by id. */
  readonly nodes: ReadonlyMap<string, DiagramNode>;
  /** Graph workload ids behind each drawn node. */
  readonly members: ReadonlyMap<string, readonly string[]>;
  /** Services drawn inside their only backend's shape: Service id → the port-key prefix there. */
  readonly attached: ReadonlyMap<string, { readonly node: string; readonly prefix: string; readonly ports: readonly PortBadge[] }>;
  readonly containers: readonly DiagramContainer[];
}

export const CLUSTER_ID = '@cluster';
export const namespaceId = (namespace: string): string => `@ns:${namespace}`;
/** Workloads with identical connectivity are drawn as one node from this many on. */
export const MIN_SIGNATURE_GROUP = 3;

/**
 * Projects the graph's workloads, Services and Ingresses onto drawn nodes: one node each at full
 * detail; at workload detail Services fold into their backends and workloads with identical
 * connectivity merge into one `×N` node; a summary namespace becomes one box (`folded` namespaces
 * share one box).
 */
export function projectCluster(
  data: GraphData,
  levelOf: (namespace: string) => NamespaceLevel,
  folded: ReadonlySet<string> = new Set(),
  zoneOf: (id: string) => string | undefined = () => undefined,
): Projection {
  const nodeOf = new Map<string, string>();
  const attached = new Map<string, { node: string; prefix: string; ports: readonly PortBadge[] }>();
  const nodes = new Map<string, DiagramNode>();
  const members = new Map<string, string[]>();
  const namespaceBoxes = new Set<string>();
  const summaryNamespaces = new Map<string, string[]>();

  const backendsOf = new Map<string, string[]>();
  const servicesOf = new Map<string, string[]>();
  const brokenRoutes = new Set<string>();
  for (const r of data.routes) {
    if (data.services.has(r.source) && data.workloads.has(r.target)) {
      push(backendsOf, r.source, r.target);
      push(servicesOf, r.target, r.source);
      if (r.route.unresolved) brokenRoutes.add(r.source);
    }
  }

  const workloadsByNamespace = new Map<string, string[]>();
  for (const [id, w] of data.workloads) push(workloadsByNamespace, w.namespace, id);
  const signatures = signaturesOf(data, servicesOf, zoneOf);

  for (const namespace of data.namespaces) {
    const level = levelOf(namespace);
    if (level === 'summary') {
      const summaryId = folded.has(namespace) ? '@summary:*' : `@summary:${namespace}`;
      push(summaryNamespaces, summaryId, namespace);
      for (const [id, w] of data.workloads) if (w.namespace === namespace) { nodeOf.set(id, summaryId); push(members, summaryId, id); }
      for (const [id, s] of data.services) if (s.namespace === namespace) nodeOf.set(id, summaryId);
      for (const [id, i] of data.ingresses) if (i.namespace === namespace) nodeOf.set(id, summaryId);
      continue;
    }
    const parent = namespaceId(namespace);
    const ids = workloadsByNamespace.get(namespace) ?? [];
    // workloads with the same connectivity signature become one node (workload level only)
    const groups = new Map<string, string[]>();
    for (const id of ids) push(groups, level === 'workload' ? signatures.get(id)! : id, id);
    for (const group of groups.values()) {
      const first = data.workloads.get(group[0]!)!;
      const grouped = group.length >= MIN_SIGNATURE_GROUP;
      const list = grouped ? group : [group[0]!];
      const rest = grouped ? [] : group.slice(1);
      for (const single of [list, ...rest.map((id) => [id])]) {
        const id = single.length > 1 ? `${single[0]}+${single.length - 1}` : single[0]!;
        const w = single.length > 1 ? first : data.workloads.get(single[0]!)!;
        const services = level === 'workload'
          ? [...new Set(single.flatMap((m) => servicesOf.get(m) ?? []))].sort(compareStrings).map((s) => serviceAnnotation(data.services.get(s)!))
          : [];
        // at full detail a Service whose only backend is this workload is drawn as part of it, unless its
        // route is broken: that must stay visible as a broken route of its own
        const own = level === 'full'
          ? (servicesOf.get(single[0]!) ?? []).filter((s) => backendsOf.get(s)!.length === 1 && !brokenRoutes.has(s)).sort(compareStrings)
          : [];
        const attachedServices: AttachedService[] = own.map((sid) => {
          const svc = data.services.get(sid)!;
          return { name: svc.name, serviceType: svc.serviceType, code: serviceCode(svc.serviceType), ports: portBadges(svc.ports), title: `Service ${svc.namespace}/${svc.name} (${svc.serviceType})` };
        });
        own.forEach((sid, i) => {
          attached.set(sid, { node: id, prefix: `svc:${attachedServices[i]!.name}:`, ports: attachedServices[i]!.ports });
          nodeOf.set(sid, id);
        });
        nodes.set(id, workloadShape(id, parent, w, single, single.map((m) => data.workloads.get(m)!), level, services, attachedServices));
        members.set(id, single);
        for (const m of single) nodeOf.set(m, id);
        namespaceBoxes.add(namespace);
      }
    }
    for (const [id, s] of data.services) {
      if (s.namespace !== namespace || level !== 'full' || attached.has(id)) continue;
      nodes.set(id, {
        kind: 'service', id, parent, name: s.name, namespace, serviceType: s.serviceType, code: serviceCode(s.serviceType),
        ports: portBadges(s.ports), title: `Service ${namespace}/${s.name} (${s.serviceType})`,
      });
      nodeOf.set(id, id);
      namespaceBoxes.add(namespace);
    }
    for (const [id, i] of data.ingresses) {
      if (i.namespace !== namespace) continue;
      nodes.set(id, {
        kind: 'ingress', id, parent, name: i.name, namespace, ingressKind: i.kind, hosts: i.hosts, listeners: listenerLabels(i.listeners ?? []),
        title: `${i.kind} ${namespace}/${i.name}${i.hosts.length > 0 ? `\nhosts: ${i.hosts.join(', ')}` : ''}` +
          (i.listeners && i.listeners.length > 0 ? `\nlisteners: ${i.listeners.map((l) => `${l.name} ${l.protocol} ${l.port}${l.hostname ? ` ${l.hostname}` : ''}`).join(', ')}` : '') +
          (i.routes ? `\nroutes: ${i.routes.length > 0 ? i.routes.join(', ') : 'none attached'}` : ''),
      });
      nodeOf.set(id, id);
      namespaceBoxes.add(namespace);
    }
  }

  for (const [summaryId, namespaces] of summaryNamespaces) {
    const ws = namespaces.flatMap((n) => workloadsByNamespace.get(n) ?? []).map((id) => data.workloads.get(id)!);
    const services = [...data.services.values()].filter((s) => namespaces.includes(s.namespace)).length;
    const ingresses = [...data.ingresses.values()].filter((i) => namespaces.includes(i.namespace)).length;
    nodes.set(summaryId, {
      kind: 'namespace-summary', id: summaryId, parent: CLUSTER_ID, namespaces, workloads: ws.length,
      ingressIsolated: ws.filter((w) => w.ingressIsolated).length, egressIsolated: ws.filter((w) => w.egressIsolated).length,
      services, ingresses, internalFlows: 0,
      title: namespaces.length === 1 ? `namespace ${namespaces[0]}` : `${namespaces.length} namespaces: ${namespaces.join(', ')}`,
    });
  }

  const containers: DiagramContainer[] = [];
  if (nodes.size > 0) containers.push({ kind: 'cluster', id: CLUSTER_ID, parent: undefined, label: 'Kubernetes cluster', title: 'Kubernetes cluster' });
  for (const namespace of data.namespaces) {
    if (!namespaceBoxes.has(namespace)) continue;
    containers.push({ kind: 'namespace', id: namespaceId(namespace), parent: CLUSTER_ID, label: truncateText(namespace), title: `namespace ${namespace}` });
  }
  return { nodeOf, nodes, members, containers, attached };
}

function workloadShape(
  id: string, parent: string, w: WorkloadNode, memberIds: readonly string[], group: readonly WorkloadNode[], level: NamespaceLevel, services: readonly string[],
  attached: readonly AttachedService[],
): WorkloadShape {
  const count = group.length;
  const name = count > 1 ? groupName(group.map((m) => m.name)) : w.name;
  const title = count > 1
    ? `${count} ${w.kind}s in ${w.namespace} with identical connectivity:\n${group.map((m) => m.name).join('\n')}`
    : `${w.kind} ${w.namespace}/${w.name}${w.replicas !== undefined ? `, ${w.replicas} replica${w.replicas === 1 ? '' : 's'}` : ''}` +
      `\ningress: ${isolationText(w.ingressIsolated, w.ingressInNameOnly === true, 'source', w.ingressTiers === true)}` +
      `\negress: ${isolationText(w.egressIsolated, w.egressInNameOnly === true, 'destination', w.egressTiers === true)}`;
  return {
    kind: 'workload', id, parent, name, namespace: w.namespace, workloadKind: w.kind, controller: controllerCode(w.kind),
    ...(count === 1 && w.replicas !== undefined ? { replicas: w.replicas } : {}),
    count, members: [...memberIds], ports: portBadges(w.ports),
    // a lone container named like its workload says nothing the pod's name does not
    containers: level === 'full' && !(w.containers.length === 1 && w.containers[0] === w.name) ? [...w.containers] : [],
    configs: level === 'full' ? configBadges(w) : [],
    services, attached, ingressIsolated: w.ingressIsolated, egressIsolated: w.egressIsolated,
    ingressInNameOnly: w.ingressInNameOnly === true, egressInNameOnly: w.egressInNameOnly === true, title,
    ...(w.ingressTiers || w.egressTiers ? { tiers: true as const } : {}),
  };
}

function isolationText(isolated: boolean, inNameOnly: boolean, peer: 'source' | 'destination', tiers: boolean): string {
  if (tiers) return 'restricted by cluster-wide policies (Admin or Baseline tier), and by NetworkPolicy where one isolates it';
  if (!isolated) return 'not isolated (default-allow)';
  return inNameOnly ? `isolated in name only: its policies admit every ${peer} on every port` : 'isolated by NetworkPolicy';
}

/** `worker-*` for a group whose names share a prefix of 3 or more characters, else `first …`. */
function groupName(names: readonly string[]): string {
  let prefix = names[0]!;
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.length >= 3 ? `${prefix}*` : `${names[0]} …`;
}

/** Per workload: everything that decides how it is drawn and connected, as one comparable string. */
function signaturesOf(data: GraphData, servicesOf: ReadonlyMap<string, readonly string[]>, zoneOf: (id: string) => string | undefined): Map<string, string> {
  const inbound = new Map<string, string[]>();
  const outbound = new Map<string, string[]>();
  for (const f of data.flows) {
    push(inbound, f.target, `${f.source}:${portSetKey(f.flow.ports)}`);
    push(outbound, f.source, `${f.target}:${portSetKey(f.flow.ports)}`);
  }
  const signatures = new Map<string, string>();
  for (const [id, w] of data.workloads) {
    signatures.set(id, JSON.stringify([
      w.namespace, w.kind, w.ports.map((p) => `${p.protocol}/${p.port}`).sort(), w.ingressIsolated, w.egressIsolated,
      w.ingressInNameOnly === true, w.egressInNameOnly === true,
      (inbound.get(id) ?? []).sort(), (outbound.get(id) ?? []).sort(), [...(servicesOf.get(id) ?? [])].sort(),
      // workloads in different PCI DSS zones are never merged
      zoneOf(id) ?? '',
    ]));
  }
  return signatures;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
