import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { refOf, type KubeObject, type ObjectRef } from '../manifests/decode.js';
import { asRecord } from '../policy/compile.js';
import { matchesSelector, type Labels, type Requirement, type Selector } from './selectors.js';
import { podIPsOf, replicasOf, stringMap, WORKLOAD_KINDS, type PodTemplate } from './workloads.js';
import type { Workload } from './types.js';
import { ZONE_ANNOTATION } from './zone.js';
import { byCodeUnits, sortedKeys, sortSmall } from '../small-sort.js';

/** A named object of the input, after its namespace is known. */
export interface Named {
  readonly object: KubeObject;
  readonly namespace: string;
  readonly name: string;
}

/**
 * A pod-running object as the model keeps it: what foldPods reads of it, read as it is added, and
 * not its tree. The tree of a workload (containers, env, probes, resources…) is most of a manifest,
 * and kept to the end it made the collector copy and mark it again and again.
 */
export interface NamedWorkload {
  readonly object: ObjectRef;
  readonly namespace: string;
  readonly name: string;
  readonly template: PodTemplate;
  /** As replicasOf gives it. */
  readonly replicas: number | undefined;
  /** A pod's addresses from its status (none for other kinds). */
  readonly podIPs: readonly string[];
  /** The owner its controller reference names, if that makes it part of a workload (controllerOf). */
  readonly controller: { readonly kind: string; readonly name: string } | undefined;
  /** A pod's `pod-template-hash` label, which names its ReplicaSet's Deployment. */
  readonly podTemplateHash: string | undefined;
}

/** What foldPods reads of a pod-running object, with its template already read (see NamedWorkload). */
export function namedWorkload(named: Named, template: PodTemplate): NamedWorkload {
  const { object, namespace, name } = named;
  const value = object.value;
  const hash = object.kind === 'Pod' ? asRecord(asRecord(value.metadata)?.labels)?.['pod-template-hash'] : undefined;
  return {
    object: refOf(object), namespace, name, template,
    replicas: replicasOf(object.kind, value),
    podIPs: object.kind === 'Pod' ? podIPsOf(value) : [],
    controller: controllerOf(object.kind, value),
    podTemplateHash: typeof hash === 'string' && hash !== '' ? hash : undefined,
  };
}

/**
 * Every distinct selector requirement that reads pod labels, by label key, each with the first
 * thing that reads it (`NetworkPolicy shop/quarantine`, `Service shop/web`, `--cde`). Two pods on
 * which every requirement holds alike cannot be told apart by anything the input (or the command
 * line) says, so they may be drawn as one workload.
 */
export type LabelReaders = ReadonlyMap<string, readonly { readonly requirement: Requirement; readonly by: string }[]>;

/** Collects the requirements of pod selectors into LabelReaders, one entry per distinct requirement. */
export function collectLabelReaders(selectors: Iterable<{ readonly selector: Selector; readonly by: string }>): LabelReaders {
  const byKey = new Map<string, { requirement: Requirement; by: string }[]>();
  const seen = new Set<string>();
  for (const { selector, by } of selectors) {
    for (const requirement of selector.requirements) {
      // (an operator is a word and a label key holds no space: the values' JSON starts after the second)
      const key = `${requirement.operator} ${requirement.key} ${JSON.stringify(requirement.values)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const list = byKey.get(requirement.key) ?? [];
      list.push({ requirement, by });
      byKey.set(requirement.key, list);
    }
  }
  return byKey;
}


/**
 * Labels Kubernetes gives each pod of a StatefulSet on its own (`web-0`, `web-1`). A selector that
 * reads one tells the pods apart, so a StatefulSet whose pods are not in the input is then drawn as
 * its pods, one per ordinal.
 */
const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
const PER_POD_LABELS: readonly string[] = [POD_NAME_LABEL, POD_INDEX_LABEL];

/** Kinds netdiagram models as something other than a workload: they never own a workload's pods. */
const NOT_OWNERS: ReadonlySet<string> = new Set([
  'Namespace', 'Service', 'Ingress', 'Route', 'NetworkPolicy', 'ConfigMap', 'Secret', 'PersistentVolumeClaim', 'PersistentVolume',
]);

/** Owner chains are at most Pod → ReplicaSet → Deployment; anything much longer is a cycle. */
const MAX_OWNER_CHAIN = 16;

/** At most this many pods are drawn one by one for StatefulSets in one input (a hostile `replicas: 1000000`). */
export const MAX_STATEFULSET_PODS = 256;

/**
 * Decides which pod-running objects are drawn as one workload. A pod (or ReplicaSet) folds into its
 * controller only when no selector in the input can tell it apart from the controller's pod
 * template: the same values for every label key a selector reads, the same zone annotation, and the
 * same named container ports. Otherwise it is a workload of its own (`shop/web-1[Pod]`), judged by its
 * own labels, with a warning naming the label. Pods of a controller missing from the input fold
 * under the controller's name when they cannot be told apart from each other.
 */
export function foldPods(
  objects: readonly NamedWorkload[], byKey: ReadonlyMap<string, NamedWorkload>, readers: LabelReaders, diagnostics: Diagnostic[],
): Workload[] {
  // the objects stay in input order, and are not sorted: nothing below depends on their order but
  // what is sorted where it is used (the StatefulSets' budget, a missing owner's members, a cut
  // cycle); build sorts the workloads by id, and parseManifests the diagnostics. An id is made only
  // for what needs one (an anchor, a StatefulSet, a warning): sorting 14,000 objects by id cost more
  // than the rest of the fold (dense benchmark size)
  const ids = new Map<NamedWorkload, string>();
  const memberId = (m: NamedWorkload): string => {
    let id = ids.get(m);
    if (id === undefined) ids.set(m, (id = idOf(m.namespace, m.object.kind, m.name)));
    return id;
  };
  const templateOf = (n: NamedWorkload) => n.template;
  // each object's parent found once (anchorOf asks for it, and hasChildren)
  const parents = new Map<NamedWorkload, NamedWorkload | undefined>();
  for (const n of objects) {
    const ref = n.controller;
    parents.set(n, !ref || !WORKLOAD_KINDS.has(ref.kind) ? undefined
      : byKey.get(`${ref.kind}/${n.namespace}/${ref.name}`) ?? deploymentOfMissingReplicaSet(n, ref, byKey));
  }
  const parentOf = (n: NamedWorkload): NamedWorkload | undefined => parents.get(n);
  const hasChildren = new Set<NamedWorkload>();
  parents.forEach((parent) => { if (parent !== undefined) hasChildren.add(parent); });
  // StatefulSets drawn pod by pod (a selector reads a per-pod label), within one budget for the whole input
  const expanded = expandedStatefulSets(objects, memberId, readers, diagnostics);

  // each object folds up its owner chain as far as nothing tells it apart from the next owner; the
  // last object reached is its anchor, which stands for itself or for an owner the input lacks
  type Anchor = { readonly top: NamedWorkload; readonly missingOwner?: { readonly id: string; readonly kind: string; readonly name: string } };
  const anchorsInOrder = (visitOrder: readonly NamedWorkload[]) => {
    const anchors = new Map<NamedWorkload, Anchor>();
    const missingOwners = new Map<string, { kind: string; name: string; members: NamedWorkload[] }>();
    const warnings: Diagnostic[] = [];
    let cutOff = false;
    // an owner chain longer than any Kubernetes builds (Pod → ReplicaSet → Deployment) is a cycle
    const anchorOf = (n: NamedWorkload, depth: number): Anchor => {
      const known = anchors.get(n);
      if (known) return known;
      const ref = n.controller;
      const parent = parentOf(n);
      let anchor: Anchor;
      if (parent && expanded.has(parent)) {
        anchor = { top: n }; // a pod of a StatefulSet drawn pod by pod is one of those pods, by its own labels
      } else if (parent && parent !== n && depth < MAX_OWNER_CHAIN) {
        // an old ReplicaSet scaled to 0 runs no pod, unless the input still holds one of its pods
        const inert = n.replicas === 0 && !hasChildren.has(n);
        const keys = inert ? [] : differingKeys(templateOf(n), templateOf(parent), readers);
        const ports = inert || sameNamedPorts(templateOf(n), templateOf(parent));
        if (keys.length === 0 && ports) anchor = anchorOf(parent, depth + 1);
        else {
          anchor = { top: n };
          warnings.push(diagnostic('warning', 'k8s/owner-label-gap',
            `${n.object.kind} ${n.namespace}/${n.name} ${keys.length > 0
              ? `differs from the pod template of its owner ${memberId(parent)} in ${describeKeys(keys, readers)}`
              : `names other container ports than the pod template of its owner ${memberId(parent)}`}; ` +
            `it is analysed as a workload of its own (${memberId(n)}), by its own labels`, n.object.locate(['metadata', 'labels'])));
        }
      } else if (ref && !parent) {
        const id = idOf(n.namespace, ref.kind, ref.name);
        const group = missingOwners.get(id) ?? { kind: ref.kind, name: ref.name, members: [] };
        group.members.push(n);
        missingOwners.set(id, group);
        anchor = { top: n, missingOwner: { id, kind: ref.kind, name: ref.name } };
      } else {
        if (parent && parent !== n) cutOff = true;
        anchor = { top: n };
      }
      anchors.set(n, anchor);
      return anchor;
    };
    for (const n of visitOrder) anchorOf(n, 0);
    return { anchors, missingOwners, warnings, cutOff };
  };
  // Where every chain ends within MAX_OWNER_CHAIN, each anchor is the same whatever the order of
  // the visits. A cycle is cut where the visit that entered it reaches the limit, which depends on
  // where it entered: then the visits go in id order (as they always did before), so that the cut,
  // too, does not depend on the order of the files.
  let visited = anchorsInOrder(objects);
  if (visited.cutOff) visited = anchorsInOrder(inIdOrder(objects, memberId));
  const { anchors, missingOwners } = visited;
  for (const d of visited.warnings) diagnostics.push(d);
  for (const group of missingOwners.values()) if (group.members.length > 1) group.members = inIdOrder(group.members, memberId);

  // a missing owner stands for what it owns when nothing tells its members apart; else each is its own
  const standsForMembers = new Map<string, PodTemplate>();
  for (const [ownerId, group] of missingOwners) {
    const members = group.members;
    const keys = [...new Set(members.flatMap((m) => differingKeys(templateOf(m), templateOf(members[0]!), readers)))].sort();
    const ports = members.every((m) => sameNamedPorts(templateOf(m), templateOf(members[0]!)));
    // a per-pod label that a selector reads belongs to one pod: the owner cannot carry it for all
    const perPod = PER_POD_LABELS.filter((k) => readers.has(k) && members.some((m) => k in templateOf(m).labels));
    if (keys.length === 0 && ports && perPod.length === 0) {
      standsForMembers.set(ownerId, commonTemplate(members.map(templateOf), readers));
      continue;
    }
    const why = keys.length > 0 ? `differ in ${describeKeys(keys, readers)}` : ports ? `carry ${describeKeys(perPod, readers)}, one value per pod` : 'name different container ports';
    diagnostics.push(diagnostic('warning', 'k8s/owner-label-gap',
      `the ${members[0]!.object.kind === 'Pod' ? 'pods' : 'objects'} owned by ${ownerId}, which is not in the input, ${why}; ` +
      `each is analysed as a workload of its own (${members.map(memberId).join(', ')})`, members[0]!.object.locate(['metadata', 'ownerReferences'])));
  }

  interface Draft {
    readonly id: string; readonly kind: string; readonly namespace: string; readonly name: string; readonly declared: boolean;
    readonly template: PodTemplate; readonly replicas?: number; readonly podIPs: Set<string>; hostNetwork: boolean; readonly location?: Workload['location'];
    /** The object the workload is, if the input holds it (not a missing owner). */
    readonly own?: NamedWorkload;
  }
  const drafts = new Map<string, Draft>();
  for (const n of objects) {
    const { top, missingOwner } = anchors.get(n)!;
    const standsFor = missingOwner && standsForMembers.has(missingOwner.id) ? missingOwner : undefined;
    const id = standsFor ? standsFor.id : memberId(top);
    let draft = drafts.get(id);
    if (!draft) {
      if (!standsFor) {
        const replicas = top.replicas;
        draft = {
          id, kind: top.object.kind, namespace: top.namespace, name: top.name, declared: true, template: templateOf(top),
          podIPs: new Set(), hostNetwork: false, location: top.object.locate([]), ...(replicas !== undefined ? { replicas } : {}), own: top,
        };
      } else {
        const group = missingOwners.get(id)!;
        draft = {
          id, kind: group.kind, namespace: n.namespace, name: group.name, declared: false, template: standsForMembers.get(id)!,
          podIPs: new Set(), hostNetwork: false, location: group.members[0]!.object.locate([]),
        };
      }
      drafts.set(id, draft);
    }
    for (const ip of n.podIPs) draft.podIPs.add(ip);
    if (templateOf(n).hostNetwork) draft.hostNetwork = true;
  }

  // (the names of the input's pods matter only where a StatefulSet is drawn pod by pod)
  const podNames = expanded.size === 0 ? new Set<string>()
    : new Set(objects.filter((m) => m.object.kind === 'Pod').map((m) => `${m.namespace}/${m.name}`));
  return [...drafts.values()].flatMap((d): Workload[] => {
    const workload: Workload = {
      id: d.id, kind: d.kind, namespace: d.namespace, name: d.name,
      labels: stringMap(d.template.labels), annotations: stringMap(d.template.annotations), ports: d.template.ports, containers: d.template.containers,
      ...(d.replicas !== undefined ? { replicas: d.replicas } : {}),
      podIPs: sortSmall([...d.podIPs], byCodeUnits), hostNetwork: d.hostNetwork || d.template.hostNetwork, uses: d.template.uses,
      ...(d.template.serviceAccount ? { serviceAccount: d.template.serviceAccount } : {}),
      ...(d.template.conflictingAnnotations ? { conflictingAnnotations: d.template.conflictingAnnotations } : {}),
      declared: d.declared, ...(d.location ? { location: d.location } : {}),
    };
    return d.own && expanded.has(d.own) ? statefulSetPods(workload, podNames) : [workload];
  });
}

/** The objects sorted by id (each id made once, beside its object). */
function inIdOrder(objects: readonly NamedWorkload[], memberId: (n: NamedWorkload) => string): NamedWorkload[] {
  return objects.map((n) => ({ id: memberId(n), n })).sort((a, b) => byCodeUnits(a.id, b.id)).map((d) => d.n);
}

/**
 * The StatefulSets drawn as their pods: those whose per-pod labels some selector reads, while the
 * pods they add stay within MAX_STATEFULSET_PODS for the whole input (a hostile `replicas: 1000000`
 * must not cost minutes); the others stand for all their pods, with a warning.
 */
function expandedStatefulSets(
  objects: readonly NamedWorkload[], memberId: (n: NamedWorkload) => string, readers: LabelReaders, diagnostics: Diagnostic[],
): Set<NamedWorkload> {
  const read = PER_POD_LABELS.filter((k) => readers.has(k));
  const expanded = new Set<NamedWorkload>();
  if (read.length === 0) return expanded;
  let budget = MAX_STATEFULSET_PODS;
  // in id order, so that which ones the budget covers does not depend on the order of the files
  const ordered = inIdOrder(objects.filter((n) => n.object.kind === 'StatefulSet'), memberId);
  for (const n of ordered) {
    const replicas = n.replicas ?? 1;
    if (replicas > budget) {
      diagnostics.push(diagnostic('warning', 'k8s/owner-label-gap',
        `StatefulSet ${n.namespace}/${n.name} has ${replicas} replicas, more than the ${budget} pods netdiagram still draws one by one ` +
        `(${MAX_STATEFULSET_PODS} for the whole input); its pods are not told apart by ${describeKeys(read, readers)}`, n.object.locate(['spec', 'replicas'])));
      continue;
    }
    budget -= replicas;
    expanded.add(n);
  }
  return expanded;
}

/**
 * A StatefulSet drawn as its pods `name-0 … name-(n-1)`, each with the labels the StatefulSet
 * controller gives it; ordinals whose pod the input holds are that pod, judged by its own labels.
 */
function statefulSetPods(set: Workload, podNames: ReadonlySet<string>): Workload[] {
  const pods: Workload[] = [];
  for (let ordinal = 0; ordinal < (set.replicas ?? 1); ordinal++) {
    const name = `${set.name}-${ordinal}`;
    if (podNames.has(`${set.namespace}/${name}`)) continue;
    const { replicas: _replicas, ...rest } = set;
    pods.push({
      ...rest, id: idOf(set.namespace, 'Pod', name), kind: 'Pod', name, declared: false, podIPs: [],
      labels: sortLabels({ ...set.labels, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal) }),
    });
  }
  return pods;
}

/**
 * The Deployment that owns a pod's missing ReplicaSet, as `kubectl get deploy,pod -o yaml` leaves
 * it: the Deployment controller names each ReplicaSet `<deployment>-<pod-template-hash>` and gives
 * its pods that `pod-template-hash` label, so the name and the label together identify the owner.
 */
function deploymentOfMissingReplicaSet(n: NamedWorkload, ref: { kind: string; name: string }, byKey: ReadonlyMap<string, NamedWorkload>): NamedWorkload | undefined {
  if (ref.kind !== 'ReplicaSet' || n.object.kind !== 'Pod') return undefined;
  const hash = n.podTemplateHash;
  if (hash === undefined || !ref.name.endsWith(`-${hash}`)) return undefined;
  return byKey.get(`Deployment/${n.namespace}/${ref.name.slice(0, -hash.length - 1)}`);
}

/** The controller ownerReference of an object: the owner that makes it part of a workload. */
function controllerOf(kind: string, value: KubeObject['value']): { kind: string; name: string } | undefined {
  const refs = asRecord(value.metadata)?.ownerReferences;
  if (!Array.isArray(refs)) return undefined;
  // only the controller reference makes a workload; other owners matter only to garbage collection
  let ref: Record<string, unknown> | undefined;
  for (const r of refs) {
    const record = asRecord(r);
    if (record?.controller === true) {
      ref = record;
      break;
    }
  }
  if (!ref || typeof ref.name !== 'string' || ref.name === '') return undefined;
  // static (mirror) pods are "owned" by their Node: each is still a workload of its own; nor does a
  // kind netdiagram draws as something else (a Service, an Ingress) make a workload, and its id is taken
  if (ref.kind === 'Node' || NOT_OWNERS.has(String(ref.kind))) return undefined;
  // an ownerReference without kind is malformed; name the owner with the owned object's kind (as netpol-analyzer does)
  return { kind: typeof ref.kind === 'string' && ref.kind !== '' ? ref.kind : kind, name: ref.name };
}

function idOf(namespace: string, kind: string, name: string): string {
  return `${namespace}/${name}[${kind}]`;
}

/**
 * Whether two templates name the same container ports: only a port's name changes a verdict (a
 * policy's or a Service's named port resolves per pod). The ports come sorted and without
 * duplicates from podTemplateOf, so equal sets are equal lists once the unnamed are left out;
 * compared in place (a pod is compared with its owner's template, and nearly always agrees).
 */
function sameNamedPorts(a: PodTemplate, b: PodTemplate): boolean {
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.ports.length && a.ports[i]!.name === undefined) i++;
    while (j < b.ports.length && b.ports[j]!.name === undefined) j++;
    if (i === a.ports.length || j === b.ports.length) return i === a.ports.length && j === b.ports.length;
    const p = a.ports[i++]!;
    const q = b.ports[j++]!;
    if (p.name !== q.name || p.protocol !== q.protocol || p.port !== q.port) return false;
  }
}

/**
 * The label keys on which some requirement judges two templates differently (and the zone
 * annotation, when it differs), sorted. A requirement on a key neither template has judges both
 * alike, so only their keys are looked at, and only keys whose values differ; nothing is allocated
 * for two templates alike.
 */
function differingKeys(a: PodTemplate, b: PodTemplate, readers: LabelReaders): readonly string[] {
  let out: string[] | undefined;
  // every key of either template once (b's keys that a also has were judged with a's), without
  // building their union
  for (const key in a.labels) {
    if (a.labels[key] !== b.labels[key] && judgesApart(key, a.labels, b.labels, readers)) (out ??= []).push(key);
  }
  for (const key in b.labels) {
    if (!Object.prototype.hasOwnProperty.call(a.labels, key) && judgesApart(key, a.labels, b.labels, readers)) (out ??= []).push(key);
  }
  if ((a.annotations[ZONE_ANNOTATION] ?? null) !== (b.annotations[ZONE_ANNOTATION] ?? null)) {
    out = out ? out.sort() : [];
    out.push(`annotation ${ZONE_ANNOTATION}`);
    return out;
  }
  return out ? out.sort() : NO_KEYS;
}
const NO_KEYS: readonly string[] = [];

/** Whether some requirement on the key holds on one label set and not on the other. */
function judgesApart(key: string, a: Labels, b: Labels, readers: LabelReaders): boolean {
  const requirements = readers.get(key);
  if (requirements === undefined) return false;
  return requirements.some(({ requirement }) => matchesSelector({ requirements: [requirement] }, a) !== matchesSelector({ requirements: [requirement] }, b));
}

/**
 * The template a missing owner is drawn with. Its members agree on every requirement, so the first
 * member's labels judge like any member's; labels that differ between members and that nothing
 * reads (and per-pod labels nothing reads) are left out, as the owner's template would lack them.
 */
function commonTemplate(templates: readonly PodTemplate[], readers: LabelReaders): PodTemplate {
  const first = templates[0]!;
  const keep = (pick: (t: PodTemplate) => Labels, isLabel: boolean): Labels => Object.fromEntries(
    Object.entries(pick(first)).filter(([k, v]) => (isLabel && readers.has(k)) || (!PER_POD_LABELS.includes(k) && templates.every((t) => pick(t)[k] === v))));
  return { ...first, labels: keep((t) => t.labels, true), annotations: keep((t) => t.annotations, false) };
}

/** `label quarantine (read by NetworkPolicy shop/quarantine)`, for up to three keys. */
function describeKeys(keys: readonly string[], readers: LabelReaders): string {
  const shown = keys.slice(0, 3).map((k) => {
    if (k.startsWith('annotation ')) return k;
    const reader = readers.get(k)?.[0]?.by;
    return `label ${k}${reader ? ` (read by ${reader})` : ''}`;
  });
  return `${shown.join(', ')}${keys.length > 3 ? ` and ${keys.length - 3} more` : ''}`;
}

function sortLabels(labels: Record<string, string>): Labels {
  return Object.fromEntries(sortedKeys(labels).map((k) => [k, labels[k]!]));
}

