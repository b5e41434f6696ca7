import { diagnostic, type Diagnostic } from '../diagnostics.js';
import type { KubeObject } from '../manifests/decode.js';
import { asRecord, compileNetworkPolicy } from '../policy/compile.js';
import { findInvalidLabel } from './labels.js';
import { isProtocol } from './ports.js';
import { numberOf, podIPsOf, podTemplateOf, replicasOf, stringMap, WORKLOAD_KINDS, type PodTemplate } from './workloads.js';
import type {
  Cluster, ConfigObject, IngressBackend, IngressObject, Namespace, NetworkPolicy, Service, ServicePort, ServiceType, Workload,
} from './types.js';

export interface ClusterOptions {
  /** Namespace for objects without `metadata.namespace` (default `default`). */
  readonly namespace?: string;
}

interface Named {
  readonly object: KubeObject;
  readonly namespace: string;
  readonly name: string;
}

const CLUSTER_SCOPED = new Set(['Namespace', 'PersistentVolume']);
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * Builds the cluster model from decoded objects: namespaces, workloads (pods folded into their
 * controllers), Services, Ingresses and Routes, compiled NetworkPolicies, and config objects.
 */
export function buildCluster(objects: readonly KubeObject[], options: ClusterOptions = {}): { cluster: Cluster; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const defaultNamespace = options.namespace ?? 'default';
  const byKey = new Map<string, Named>();

  for (const object of objects) {
    const metadata = asRecord(object.value.metadata) ?? {};
    const name = metadata.name;
    if (typeof name !== 'string' || name === '') {
      diagnostics.push(diagnostic('error', 'k8s/missing-name', `${object.kind} has no metadata.name; skipped`, object.locate(['metadata'])));
      continue;
    }
    const namespace = CLUSTER_SCOPED.has(object.kind)
      ? ''
      : typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : defaultNamespace;
    const invalid = findInvalidLabel(stringMap(metadata.labels));
    if (invalid) {
      diagnostics.push(diagnostic('error', 'k8s/invalid-label', `${invalid.problem}; ${object.kind} ${name} skipped`, object.locate(['metadata', 'labels', invalid.key])));
      continue;
    }
    if (WORKLOAD_KINDS.has(object.kind) && object.kind !== 'Pod') {
      const templateInvalid = findInvalidLabel(podTemplateOf(object.kind, object.value).labels);
      if (templateInvalid) {
        const path = object.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels', templateInvalid.key] : ['spec', 'template', 'metadata', 'labels', templateInvalid.key];
        diagnostics.push(diagnostic('error', 'k8s/invalid-label', `${templateInvalid.problem}; ${object.kind} ${name} skipped`, object.locate(path)));
        continue;
      }
    }
    const key = `${object.kind}/${namespace}/${name}`;
    const previous = byKey.get(key);
    if (previous) {
      diagnostics.push(diagnostic('warning', 'k8s/duplicate-object',
        `${object.kind} ${namespace ? `${namespace}/` : ''}${name} is defined again (first at ${previous.object.file}:${previous.object.locate([]).line}); the later one is used`,
        object.locate(['metadata', 'name'])));
    }
    byKey.set(key, { object, namespace, name });
  }
  const all = [...byKey.values()];
  const ofKind = (...kinds: string[]) => all.filter((n) => kinds.includes(n.object.kind));

  const workloads = buildWorkloads(all.filter((n) => WORKLOAD_KINDS.has(n.object.kind)), byKey, diagnostics);
  const services = ofKind('Service').map((n) => buildService(n, diagnostics));
  const ingresses = ofKind('Ingress', 'Route').map((n) => buildIngress(n));
  const policies: NetworkPolicy[] = [];
  for (const n of ofKind('NetworkPolicy')) {
    const compiled = compileNetworkPolicy(n.object, n.namespace, n.name);
    diagnostics.push(...compiled.diagnostics);
    if (compiled.policy) policies.push(compiled.policy);
  }
  const configs: ConfigObject[] = ofKind('ConfigMap', 'Secret', 'PersistentVolumeClaim', 'PersistentVolume').map((n) => {
    const spec = asRecord(n.object.value.spec) ?? {};
    const volumeName = n.object.kind === 'PersistentVolumeClaim' ? spec.volumeName : undefined;
    const claimRef = n.object.kind === 'PersistentVolume' ? asRecord(spec.claimRef) : undefined;
    const claim = claimRef && typeof claimRef.name === 'string' ? `${typeof claimRef.namespace === 'string' ? claimRef.namespace : defaultNamespace}/${claimRef.name}` : undefined;
    const provider = n.object.kind === 'PersistentVolume' ? volumeProvider(spec)
      : n.object.kind === 'PersistentVolumeClaim' && typeof spec.storageClassName === 'string' ? spec.storageClassName : undefined;
    // only names are kept: a Secret's data never enters the model
    return {
      id: n.namespace ? `${n.namespace}/${n.name}[${n.object.kind}]` : `${n.name}[${n.object.kind}]`,
      kind: n.object.kind as ConfigObject['kind'],
      ...(n.namespace ? { namespace: n.namespace } : {}),
      name: n.name,
      ...(typeof volumeName === 'string' ? { volumeName } : {}),
      ...(claim ? { claim } : {}),
      ...(provider ? { provider } : {}),
      location: n.object.locate([]),
    };
  });

  const namespaces = buildNamespaces(ofKind('Namespace'), [
    ...workloads.map((w) => w.namespace), ...services.map((s) => s.namespace),
    ...ingresses.map((i) => i.namespace), ...policies.map((p) => p.namespace),
  ]);

  const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    cluster: {
      namespaces,
      workloads: workloads.sort(byId),
      services: services.sort(byId),
      ingresses: ingresses.sort(byId),
      policies: policies.sort(byId),
      configs: configs.sort(byId),
    },
    diagnostics,
  };
}

function buildNamespaces(declared: readonly Named[], used: readonly string[]): Namespace[] {
  const out = new Map<string, Namespace>();
  for (const n of declared) {
    const labels = { ...stringMap(asRecord(n.object.value.metadata)?.labels), [NAMESPACE_NAME_LABEL]: n.name };
    const annotations = stringMap(asRecord(n.object.value.metadata)?.annotations);
    out.set(n.name, { name: n.name, labels: sortKeys(labels), annotations, declared: true, location: n.object.locate([]) });
  }
  for (const name of used) {
    if (!out.has(name)) out.set(name, { name, labels: { [NAMESPACE_NAME_LABEL]: name }, annotations: {}, declared: false });
  }
  return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Folds pods and ReplicaSets into their controllers by controller ownerReferences: a pod of a
 * ReplicaSet of a Deployment belongs to the Deployment. An owner missing from the input gives its
 * name to the workload when everything it owns looks alike; when its pods (or ReplicaSets) carry
 * different labels or ports, each keeps a workload of its own, since policies select them apart.
 */
function buildWorkloads(objects: readonly Named[], byKey: ReadonlyMap<string, Named>, diagnostics: Diagnostic[]): Workload[] {
  const ownerOf = (n: Named): { kind: string; name: string } | undefined => {
    const refs = asRecord(n.object.value.metadata)?.ownerReferences;
    if (!Array.isArray(refs)) return undefined;
    // only the controller reference makes a workload; other owners matter only to garbage collection
    const ref = refs.map(asRecord).find((r) => r?.controller === true);
    if (!ref || typeof ref.name !== 'string' || ref.name === '') return undefined;
    // static (mirror) pods are "owned" by their Node: each is still a workload of its own
    if (ref.kind === 'Node') return undefined;
    // an ownerReference without kind is malformed; name the owner with the owned object's kind (as netpol-analyzer does)
    return { kind: typeof ref.kind === 'string' && ref.kind !== '' ? ref.kind : n.object.kind, name: ref.name };
  };
  // the last object of the owner chain that the input holds, and the owner it names but lacks
  const rootOf = (n: Named): { member: Named; owner?: { kind: string; name: string } } => {
    let current: Named = n;
    for (let hops = 0; hops < 8; hops++) {
      const owner = ownerOf(current);
      if (!owner) return { member: current };
      const found = WORKLOAD_KINDS.has(owner.kind) ? byKey.get(`${owner.kind}/${current.namespace}/${owner.name}`) : undefined;
      if (!found) return { member: current, owner };
      current = found;
    }
    return { member: current };
  };
  const idOf = (namespace: string, kind: string, name: string) => `${namespace}/${name}[${kind}]`;
  const memberId = (m: Named) => idOf(m.namespace, m.object.kind, m.name);
  const shapeOf = (m: Named) => {
    const t = podTemplateOf(m.object.kind, m.object.value);
    return JSON.stringify([withoutPerPodLabels(t.labels), t.ports]);
  };

  const roots = new Map(objects.map((n) => [n, rootOf(n)]));
  // everything each missing owner owns, and whether it all looks alike
  const owned = new Map<string, Map<string, Named>>();
  for (const [n, r] of roots) {
    if (!r.owner) continue;
    const ownerId = idOf(n.namespace, r.owner.kind, r.owner.name);
    owned.set(ownerId, (owned.get(ownerId) ?? new Map()).set(memberId(r.member), r.member));
  }
  const uniform = new Map<string, boolean>();
  for (const [ownerId, members] of owned) {
    const list = [...members.values()].sort((a, b) => compareIds(memberId(a), memberId(b)));
    const alike = new Set(list.map(shapeOf)).size === 1;
    uniform.set(ownerId, alike);
    if (!alike) {
      diagnostics.push(diagnostic('warning', 'k8s/owner-label-gap',
        `the ${list[0]!.object.kind === 'Pod' ? 'pods' : 'objects'} owned by ${ownerId}, which is not in the input, carry different labels or ports; ` +
        `each is analysed as a workload of its own (${list.map(memberId).join(', ')})`, list[0]!.object.locate(['metadata', 'ownerReferences'])));
    }
  }

  interface Draft {
    id: string; kind: string; namespace: string; name: string; declared: boolean;
    template: PodTemplate; replicas?: number; podIPs: Set<string>; hostNetwork: boolean; location?: Workload['location'];
  }
  const drafts = new Map<string, Draft>();
  const ordered = [...roots].sort(([a], [b]) => compareIds(memberId(a), memberId(b)));
  for (const [n, r] of ordered) {
    const ownerId = r.owner ? idOf(n.namespace, r.owner.kind, r.owner.name) : undefined;
    const byOwner = ownerId !== undefined && uniform.get(ownerId) === true;
    const id = byOwner ? ownerId! : memberId(r.member);
    let draft = drafts.get(id);
    if (!draft) {
      // a missing owner takes the template of the first thing it owns (they are all alike)
      const source = byOwner ? [...owned.get(ownerId!)!.values()].sort((a, b) => compareIds(memberId(a), memberId(b)))[0]! : r.member;
      const replicas = byOwner ? undefined : replicasOf(source.object.kind, source.object.value);
      draft = {
        id, kind: byOwner ? r.owner!.kind : source.object.kind, namespace: n.namespace, name: byOwner ? r.owner!.name : source.name,
        declared: !byOwner,
        template: byOwner ? perPodLabelsDropped(podTemplateOf(source.object.kind, source.object.value)) : podTemplateOf(source.object.kind, source.object.value),
        podIPs: new Set(), hostNetwork: false, location: source.object.locate([]),
        ...(replicas !== undefined ? { replicas } : {}),
      };
      drafts.set(id, draft);
    }
    if (n.object.kind === 'Pod') for (const ip of podIPsOf(n.object.value)) draft.podIPs.add(ip);
    if (podTemplateOf(n.object.kind, n.object.value).hostNetwork) draft.hostNetwork = true;
  }
  return [...drafts.values()].map((d): Workload => ({
    id: d.id, kind: d.kind, namespace: d.namespace, name: d.name,
    labels: d.template.labels, annotations: d.template.annotations, ports: d.template.ports, containers: d.template.containers,
    ...(d.replicas !== undefined ? { replicas: d.replicas } : {}),
    podIPs: [...d.podIPs].sort(), hostNetwork: d.hostNetwork || d.template.hostNetwork, uses: d.template.uses,
    declared: d.declared, ...(d.location ? { location: d.location } : {}),
  }));
}

/**
 * Labels Kubernetes gives each pod of a StatefulSet on its own (`web-0`, `web-1`): they do not make
 * the pods different workloads, and the workload that stands for all of them cannot carry them.
 */
const PER_POD_LABELS = ['statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index'];

function withoutPerPodLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([k]) => !PER_POD_LABELS.includes(k)));
}

function perPodLabelsDropped(template: PodTemplate): PodTemplate {
  return { ...template, labels: withoutPerPodLabels(template.labels) };
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function buildService(n: Named, diagnostics: Diagnostic[]): Service {
  const spec = asRecord(n.object.value.spec) ?? {};
  const rawType = spec.type;
  let type: ServiceType = rawType === 'NodePort' || rawType === 'LoadBalancer' || rawType === 'ExternalName' ? rawType : 'ClusterIP';
  if (type === 'ClusterIP' && spec.clusterIP === 'None') type = 'Headless';
  const selectorMap = stringMap(spec.selector);
  const hasSelector = Object.keys(selectorMap).length > 0;
  if (!hasSelector && type !== 'ExternalName') {
    diagnostics.push(diagnostic('warning', 'service/no-selector',
      `Service ${n.namespace}/${n.name} has no selector; its backends are unknown`, n.object.locate(['spec'])));
  }
  const ports: ServicePort[] = [];
  if (Array.isArray(spec.ports)) {
    for (const [i, raw] of spec.ports.entries()) {
      const p = asRecord(raw);
      if (!p) continue;
      const port = numberOf(p.port);
      if (!Number.isInteger(port) || port < 1 || port > 65535) continue;
      const protocol = isProtocol(p.protocol) ? p.protocol : 'TCP';
      const target = p.targetPort;
      const targetPort = typeof target === 'number' ? target : typeof target === 'string' && target !== '' ? (/^\d+$/.test(target) ? Number(target) : target) : port;
      ports.push({
        ...(typeof p.name === 'string' && p.name !== '' ? { name: p.name } : {}),
        port, protocol, targetPort,
        ...(typeof p.nodePort === 'number' ? { nodePort: p.nodePort } : {}),
        location: n.object.locate(['spec', 'ports', i, p.targetPort !== undefined ? 'targetPort' : 'port']),
      });
    }
  }
  const ranges = Array.isArray(spec.loadBalancerSourceRanges) ? spec.loadBalancerSourceRanges.filter((r): r is string => typeof r === 'string') : [];
  return {
    id: `${n.namespace}/${n.name}[Service]`, namespace: n.namespace, name: n.name, type,
    ...(hasSelector ? { selector: selectorMap } : {}),
    ports, loadBalancerSourceRanges: ranges,
    labels: stringMap(asRecord(n.object.value.metadata)?.labels),
    location: n.object.locate([]),
  };
}

function buildIngress(n: Named): IngressObject {
  const spec = asRecord(n.object.value.spec) ?? {};
  const backends: IngressBackend[] = [];
  const hosts = new Set<string>();
  if (n.object.kind === 'Route') {
    // OpenShift Route: spec.to and spec.alternateBackends name Services; spec.port.targetPort picks a port
    const target = asRecord(spec.port)?.targetPort;
    const port = typeof target === 'number' || (typeof target === 'string' && target !== '') ? target : undefined;
    const add = (raw: unknown, path: (string | number)[]) => {
      const to = asRecord(raw);
      if (to && (to.kind === undefined || to.kind === 'Service') && typeof to.name === 'string') {
        backends.push({ service: to.name, ...(port !== undefined ? { port } : {}), location: n.object.locate(path) });
      }
    };
    add(spec.to, ['spec', 'to']);
    if (Array.isArray(spec.alternateBackends)) spec.alternateBackends.forEach((b, i) => add(b, ['spec', 'alternateBackends', i]));
    if (typeof spec.host === 'string') hosts.add(spec.host);
  } else {
    const add = (raw: unknown, path: (string | number)[]) => {
      const service = asRecord(asRecord(raw)?.service);
      if (!service || typeof service.name !== 'string') return;
      const portSpec = asRecord(service.port) ?? {};
      const port = typeof portSpec.number === 'number' ? portSpec.number : typeof portSpec.name === 'string' ? portSpec.name : undefined;
      backends.push({ service: service.name, ...(port !== undefined ? { port } : {}), location: n.object.locate(path) });
    };
    add(spec.defaultBackend, ['spec', 'defaultBackend']);
    if (Array.isArray(spec.rules)) {
      spec.rules.forEach((rawRule, i) => {
        const rule = asRecord(rawRule) ?? {};
        if (typeof rule.host === 'string') hosts.add(rule.host);
        const paths = asRecord(rule.http)?.paths;
        if (Array.isArray(paths)) paths.forEach((p, j) => add(asRecord(p)?.backend, ['spec', 'rules', i, 'http', 'paths', j, 'backend']));
      });
    }
  }
  return {
    id: `${n.namespace}/${n.name}[${n.object.kind}]`,
    kind: n.object.kind === 'Route' ? 'Route' : 'Ingress',
    namespace: n.namespace, name: n.name,
    hosts: [...hosts].sort(), backends, location: n.object.locate([]),
  };
}

function sortKeys(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(labels).sort().map((k) => [k, labels[k]!]));
}

/** What backs a PersistentVolume: its volume source's kind, with the CSI driver where there is one. */
function volumeProvider(spec: Record<string, unknown>): string | undefined {
  const csiDriver = asRecord(spec.csi)?.driver;
  if (typeof csiDriver === 'string') return `csi: ${csiDriver}`;
  const ignored = new Set(['accessModes', 'capacity', 'claimRef', 'mountOptions', 'nodeAffinity', 'persistentVolumeReclaimPolicy', 'storageClassName', 'volumeMode', 'csi']);
  return Object.keys(spec).filter((k) => !ignored.has(k) && asRecord(spec[k]) !== undefined).sort()[0];
}
