import { CLUSTER_SCOPED_KINDS } from '../manifests/kind-groups.js';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { refOf, type KubeObject, type ObjectRef } from '../manifests/decode.js';
import { asRecord, compileNetworkPolicy } from '../policy/compile.js';
import { compileClusterPolicy } from '../policy/cluster-network-policy.js';
import { compileCalicoObjects } from '../policy/calico.js';
import { compileCiliumObjects } from '../policy/cilium.js';
import type { TieredObjects } from './calico-types.js';
import { CLUSTER_POLICY_KINDS } from '../manifests/kind-groups.js';
import { findInvalidLabel, NAMESPACE_NAME_LABEL } from './labels.js';
import { buildGateways, ROUTE_KINDS, type GatewayNotEvaluated } from './gateway-api.js';
import { buildConfig, buildIngress, buildService } from './standalone-objects.js';
import { collectLabelReaders, foldPods, namedWorkload, type LabelReaders, type Named, type NamedWorkload } from './fold-pods.js';
import type { Selector } from './selectors.js';
import { podTemplateOf, stringEntries, stringMap, WORKLOAD_KINDS } from './workloads.js';
import type { Cluster, ClusterPolicy, ConfigObject, IngressObject, Namespace, NetworkPolicy, Service } from './types.js';
import { sortedKeys } from '../small-sort.js';

export interface ClusterOptions {
  /** Namespace for objects without `metadata.namespace` (default `default`). */
  readonly namespace?: string;
  /**
   * Label selectors from outside the manifests (`--cde`, `--out-of-scope`, an expectations file),
   * each with who gives it: the label keys they read tell pods apart just as a policy's would.
   */
  readonly selectors?: readonly { readonly selector: Selector; readonly by: string }[];
  /** Calico's objects, under the calico CNI profile (absent: another profile, and `Cluster.calico` stays absent). */
  readonly calico?: readonly KubeObject[];
  /** Cilium's policies, under the cilium CNI profile (absent: another profile). */
  readonly cilium?: readonly KubeObject[];
}

/**
 * Builds the cluster model from decoded objects: namespaces, workloads (pods folded into their
 * controllers), Services, Ingresses and Routes, Gateways with their routes, compiled NetworkPolicies, and config objects.
 * `gatewayNotEvaluated`: the parts of Gateway API objects the input cannot decide (they join the kinds not evaluated).
 */
export function buildCluster(objects: readonly KubeObject[], options: ClusterOptions = {}): BuiltCluster {
  const builder = clusterBuilder(options);
  for (const object of objects) builder.add(object);
  return builder.build();
}

export interface BuiltCluster {
  readonly cluster: Cluster;
  readonly diagnostics: Diagnostic[];
  readonly gatewayNotEvaluated: GatewayNotEvaluated[];
}

export interface ClusterBuilder {
  add(object: KubeObject): void;
  /** Called once, after the last `add`. */
  build(more?: Pick<ClusterOptions, 'calico' | 'cilium'>): BuiltCluster;
}

/**
 * What the model made of one object as it was added, with the diagnostics making it gave (reported
 * only if the object is still the one its name stands for once every object is known).
 */
interface Made<T> {
  readonly object: ObjectRef;
  readonly made: T;
  readonly diagnostics: readonly Diagnostic[];
}

function made<T>(object: KubeObject, make: (diagnostics: Diagnostic[]) => T): Made<T> {
  const diagnostics: Diagnostic[] = [];
  const result = make(diagnostics);
  return { object: refOf(object), made: result, diagnostics };
}

const CONFIG_KINDS: ReadonlySet<string> = new Set(['ConfigMap', 'Secret', 'PersistentVolumeClaim', 'PersistentVolume']);
const CLUSTER_POLICY_KIND_SET: ReadonlySet<string> = new Set(CLUSTER_POLICY_KINDS);

/**
 * buildCluster one object at a time: `add` reads each object as soon as it is decoded, while its
 * fields are still in the processor's caches, and `build` makes the model once every object is
 * known. What can be made of an object alone (a Service, a compiled policy, what foldPods reads of a
 * workload) is made in `add`, and the object's tree is not kept: kept to the end, the trees of
 * 10,000 objects made the collector copy and mark them again and again. `build`'s options join the
 * builder's (the CNI's objects are known only after every source is read).
 */
export function clusterBuilder(options: ClusterOptions = {}): ClusterBuilder {
  const diagnostics: Diagnostic[] = [];
  const defaultNamespace = options.namespace ?? 'default';
  // the object each key last stood for, to report a duplicate; then what was made of each, by kind,
  // in the order of their keys' first objects (a Map keeps a replaced key in its place)
  const seen = new Map<string, ObjectRef>();
  const workloadsByKey = new Map<string, NamedWorkload>();
  const servicesByKey = new Map<string, Made<Service>>();
  const ingressesByKey = new Map<string, Made<IngressObject>>();
  const policiesByKey = new Map<string, Made<NetworkPolicy | undefined>>();
  const clusterPoliciesByKey = new Map<string, Made<ClusterPolicy | undefined>>();
  const configsByKey = new Map<string, Made<ConfigObject>>();
  // Namespaces and Gateway API objects, whose trees build reads (they are few)
  const byKey = new Map<string, Named>();

  const add = (object: KubeObject): void => {
    const metadata = asRecord(object.value.metadata) ?? {};
    const name = metadata.name;
    if (typeof name !== 'string' || name === '') {
      diagnostics.push(diagnostic('error', 'k8s/missing-name', `${object.kind} has no metadata.name; skipped`, object.locate(['metadata'])));
      return;
    }
    const namespace = CLUSTER_SCOPED_KINDS.has(object.kind)
      ? ''
      : typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : defaultNamespace;
    // (findInvalidLabel sorts the keys itself, and only when one is invalid)
    const invalid = findInvalidLabel(stringEntries(metadata.labels));
    if (invalid) {
      diagnostics.push(diagnostic('error', 'k8s/invalid-label', `${invalid.problem}; ${object.kind} ${name} skipped`, object.locate(['metadata', 'labels', invalid.key])));
      return;
    }
    const template = WORKLOAD_KINDS.has(object.kind) ? podTemplateOf(object.kind, object.value) : undefined;
    if (template && object.kind !== 'Pod') {
      const templateInvalid = findInvalidLabel(template.labels);
      if (templateInvalid) {
        const path = object.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels', templateInvalid.key] : ['spec', 'template', 'metadata', 'labels', templateInvalid.key];
        diagnostics.push(diagnostic('error', 'k8s/invalid-label', `${templateInvalid.problem}; ${object.kind} ${name} skipped`, object.locate(path)));
        return;
      }
    }
    const key = `${object.kind}/${namespace}/${name}`;
    const previous = seen.get(key);
    if (previous) {
      diagnostics.push(diagnostic('warning', 'k8s/duplicate-object',
        `${object.kind} ${namespace ? `${namespace}/` : ''}${name} is defined again (first at ${previous.file}:${previous.locate([]).line}); the later one is used`,
        object.locate(['metadata', 'name'])));
    }
    const named: Named = { object, namespace, name };
    let ref: ObjectRef;
    if (template) ref = set(workloadsByKey, key, namedWorkload(named, template));
    else if (object.kind === 'Service') ref = set(servicesByKey, key, made(object, (found) => buildService(named, found)));
    else if (object.kind === 'Ingress' || object.kind === 'Route') ref = set(ingressesByKey, key, made(object, () => buildIngress(named)));
    else if (object.kind === 'NetworkPolicy') ref = set(policiesByKey, key, made(object, (found) => compiled(compileNetworkPolicy(object, namespace, name), found)));
    else if (CLUSTER_POLICY_KIND_SET.has(object.kind)) ref = set(clusterPoliciesByKey, key, made(object, (found) => compiled(compileClusterPolicy(object, name), found)));
    else if (CONFIG_KINDS.has(object.kind)) ref = set(configsByKey, key, made(object, () => buildConfig(named, defaultNamespace)));
    else ref = set(byKey, key, named);
    seen.set(key, ref);
  };

  const build = (more: Pick<ClusterOptions, 'calico' | 'cilium'> = {}): BuiltCluster => {
    // (once: the model is made of what was added, and so are its diagnostics)
    const calicoObjects = more.calico ?? options.calico;
    const ciliumObjects = more.cilium ?? options.cilium;
    const all = [...byKey.values()];
    // the objects of each kind, in input order (each kind asked for once went over every object)
    const byKind = new Map<string, Named[]>();
    for (const n of all) {
      const list = byKind.get(n.object.kind);
      if (list) list.push(n);
      else byKind.set(n.object.kind, [n]);
    }
    const ofKind = (...kinds: string[]): Named[] => (kinds.length === 1 ? [...(byKind.get(kinds[0]!) ?? [])] : all.filter((n) => kinds.includes(n.object.kind)));
    // what was made of each object, its diagnostics reported in the order the kinds are made in
    const madeOf = <T>(byKey: ReadonlyMap<string, Made<T>>): T[] => {
      const out: T[] = [];
      for (const m of byKey.values()) {
        for (const d of m.diagnostics) diagnostics.push(d); // a spread of a huge list overflows the stack
        out.push(m.made);
      }
      return out;
    };

    const services = madeOf(servicesByKey);
    const ingresses = madeOf(ingressesByKey);
    const policies = madeOf(policiesByKey).filter((p): p is NetworkPolicy => p !== undefined);
    const clusterPolicies = madeOf(clusterPoliciesByKey).filter((p): p is ClusterPolicy => p !== undefined);
    // pods are folded into their controllers only as far as these selectors cannot tell them apart
    const readers = labelReaders(policies, clusterPolicies, services, options.selectors ?? []);
    const workloads = foldPods([...workloadsByKey.values()], workloadsByKey, readers, diagnostics);
    const configs = madeOf(configsByKey);

    const gatewayObjects = ofKind('Gateway');
    const namespaces = buildNamespaces(ofKind('Namespace'), [
      ...workloads.map((w) => w.namespace), ...services.map((s) => s.namespace),
      ...ingresses.map((i) => i.namespace), ...gatewayObjects.map((g) => g.namespace), ...policies.map((p) => p.namespace),
    ]);
    // routes attach to Gateways by their namespace's labels (allowedRoutes `from: Selector`), so after the namespaces
    // only declared namespaces' labels are known: another's are Kubernetes' name label and nothing the input says
    const { gateways, notEvaluated: gatewayNotEvaluated } = buildGateways(gatewayObjects, ofKind(...ROUTE_KINDS), ofKind('ReferenceGrant'),
      new Map(namespaces.filter((n) => n.declared).map((n) => [n.name, n.labels])), diagnostics);

    const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    let calico: TieredObjects | undefined;
    if (calicoObjects) {
      const compiled = compileCalicoObjects(calicoObjects, { defaultNamespace, services, namespaceLabels: new Map(namespaces.map((n) => [n.name, n.labels])) });
      for (const d of compiled.diagnostics) diagnostics.push(d);
      calico = compiled.objects;
    }
    let cilium: TieredObjects | undefined;
    if (ciliumObjects) {
      const compiled = compileCiliumObjects(ciliumObjects, { defaultNamespace, services, namespaceLabels: new Map(namespaces.map((n) => [n.name, n.labels])) });
      for (const d of compiled.diagnostics) diagnostics.push(d);
      cilium = compiled.objects;
    }
    return {
      cluster: {
        namespaces,
        workloads: workloads.sort(byId),
        services: services.sort(byId),
        ingresses: [...ingresses, ...gateways].sort(byId),
        policies: policies.sort(byId),
        clusterPolicies: clusterPolicies.sort(byEvaluationOrder),
        configs: configs.sort(byId),
        ...(calico ? { calico } : {}),
        ...(cilium ? { cilium } : {}),
      },
      diagnostics,
      gatewayNotEvaluated,
    };
  };
  return { add, build };
}

/** Adds to a map and gives what the model keeps of the object (for the next of its name to be told it came first). */
function set<T extends { readonly object: ObjectRef }>(map: Map<string, T>, key: string, entry: T): ObjectRef {
  map.set(key, entry);
  return entry.object;
}

/** A compiled policy, its diagnostics added to `found`. */
function compiled<P>(result: { readonly policy?: P; readonly diagnostics: readonly Diagnostic[] }, found: Diagnostic[]): P | undefined {
  for (const d of result.diagnostics) found.push(d);
  return result.policy;
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

/** Every requirement of a pod selector in the input or given with it, with the first thing that reads it. */
function labelReaders(policies: readonly NetworkPolicy[], clusterPolicies: readonly ClusterPolicy[], services: readonly Service[], extra: NonNullable<ClusterOptions['selectors']>): LabelReaders {
  const selectors: { selector: Selector; by: string }[] = [];
  for (const p of policies) {
    const by = `NetworkPolicy ${p.id}`;
    selectors.push({ selector: p.podSelector, by });
    for (const rules of [p.ingress, p.egress]) {
      for (const rule of rules) for (const peer of rule.peers ?? []) if (peer.kind === 'pods') selectors.push({ selector: peer.pods, by });
    }
  }
  for (const p of clusterPolicies) {
    const by = `${p.kind} ${p.name}`;
    selectors.push({ selector: p.subject.pods, by });
    for (const rule of [...p.ingress, ...p.egress]) {
      for (const peer of rule.peers) if (peer.kind === 'pods') selectors.push({ selector: peer.pods, by });
    }
  }
  for (const s of services) {
    if (s.selector) selectors.push({ selector: { requirements: Object.entries(s.selector).map(([key, value]) => ({ key, operator: 'In', values: [value] })) }, by: `Service ${s.namespace}/${s.name}` });
  }
  for (const e of extra) selectors.push(e);
  return collectLabelReaders(selectors);
}

/**
 * Admin tier first, then Baseline; lower priority first. The API leaves the order of equal
 * priorities to the implementation (audit reports overlapping ones); name order keeps output stable.
 */
function byEvaluationOrder(a: ClusterPolicy, b: ClusterPolicy): number {
  if (a.tier !== b.tier) return a.tier === 'admin' ? -1 : 1;
  if (a.priority !== b.priority) return a.priority - b.priority;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function sortKeys(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(sortedKeys(labels).map((k) => [k, labels[k]!]));
}
