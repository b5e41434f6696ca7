import { asRecord } from '../policy/compile.js';
import { isProtocol } from './ports.js';
import { ACCOUNT_DATA_ANNOTATION, DATA_FLOWS_ANNOTATION, sameAccountDataValue } from './account-data.js';
import type { ConfigReference, ContainerPort } from './types.js';
import type { Labels } from './selectors.js';
import { sortedKeys, sortSmall } from '../small-sort.js';

/** Kinds that run pods, and where each keeps its pod template. */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set([
  'Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController',
]);

/** What netdiagram reads from a pod spec: labels, ports, containers, config references, addresses. */
export interface PodTemplate {
  /** As stringEntries gives them: text values, in the manifest's order (a Workload's are sorted). */
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly ports: readonly ContainerPort[];
  readonly containers: readonly string[];
  readonly hostNetwork: boolean;
  /** `serviceAccountName` (or the deprecated `serviceAccount`); undefined: `default`. */
  readonly serviceAccount: string | undefined;
  readonly uses: readonly ConfigReference[];
  /** Account-data annotations the controller and its pod template state differently: unreadable, never one of the two picked. */
  readonly conflictingAnnotations?: readonly string[];
}

/**
 * The pod template of a workload object: the pod itself, `spec.template`, or a CronJob's job
 * template (read once per object, as the model adds it: NamedWorkload keeps it).
 */
export function podTemplateOf(kind: string, value: Readonly<Record<string, unknown>>): PodTemplate {
  const spec = asRecord(value.spec) ?? {};
  let template: Record<string, unknown> | undefined;
  if (kind === 'Pod') template = value as Record<string, unknown>;
  else if (kind === 'CronJob') template = asRecord(asRecord(asRecord(spec.jobTemplate)?.spec)?.template);
  else template = asRecord(spec.template);
  const metadata = asRecord(template?.metadata) ?? {};
  const podSpec = asRecord(template?.spec) ?? {};
  // labels and annotations in the manifest's order: most templates fold into another's, and only the
  // workloads made of them sort theirs (foldPods), not each of 10,000 pods
  const annotations = stringEntries(metadata.annotations);
  const conflicting = kind === 'Pod' ? NO_KEYS : conflictingAccountData(annotations, value);
  const containers = containersOf(podSpec);
  const claims = claimTemplatesOf(kind, spec);
  const references = configReferencesOf(podSpec, containers);
  return {
    labels: kind === 'Job' ? withJobLabels(stringEntries(metadata.labels), value, spec) : stringEntries(metadata.labels),
    annotations: withControllerAccountData(annotations, kind, value),
    ports: containerPortsOf(containers),
    containers: containerNames(containers),
    hostNetwork: podSpec.hostNetwork === true,
    serviceAccount: serviceAccountOf(podSpec),
    // a StatefulSet's volumeClaimTemplates become one claim per pod (`<template>-<name>-<ordinal>`); the template names them all
    uses: claims.length === 0 ? references : sortSmall([...references, ...claims], byKindAndName),
    ...(conflicting.length > 0 ? { conflictingAnnotations: conflicting } : {}),
  };
}

/**
 * The account-data annotations on which the controller object and its pod template disagree (as
 * parsed: `stores,processes` and `processes, stores` agree). strict.ts reports each as an error
 * that keeps the workload; account-data.ts then treats the statement as unreadable.
 */
function conflictingAccountData(templateAnnotations: Labels, value: Readonly<Record<string, unknown>>): readonly string[] {
  if (templateAnnotations[ACCOUNT_DATA_ANNOTATION] === undefined && templateAnnotations[DATA_FLOWS_ANNOTATION] === undefined) return NO_KEYS;
  const own = stringMap(asRecord(value.metadata)?.annotations);
  return [ACCOUNT_DATA_ANNOTATION, DATA_FLOWS_ANNOTATION].filter((key) =>
    own[key] !== undefined && templateAnnotations[key] !== undefined && !sameAccountDataValue(key, own[key]!, templateAnnotations[key]!));
}
const NO_KEYS: readonly string[] = [];

/**
 * The pod template's annotations, plus the account-data annotations of the controller object where
 * the template has none of its own: a team may state them on the Deployment (what it reviews) as
 * well as on the pods. Where both state one differently, the template's stays (it is what the pods
 * carry) and `conflictingAnnotations` marks it unreadable.
 */
function withControllerAccountData(annotations: Labels, kind: string, value: Readonly<Record<string, unknown>>): Labels {
  if (kind === 'Pod') return annotations;
  const raw = asRecord(asRecord(value.metadata)?.annotations);
  // (nearly every controller states neither: then nothing is merged, and nothing is copied)
  if (raw === undefined || (raw[ACCOUNT_DATA_ANNOTATION] === undefined && raw[DATA_FLOWS_ANNOTATION] === undefined)) return annotations;
  const own = stringMap(raw);
  const added: Record<string, string> = {};
  for (const key of [ACCOUNT_DATA_ANNOTATION, DATA_FLOWS_ANNOTATION]) {
    if (annotations[key] === undefined && own[key] !== undefined) added[key] = own[key]!;
  }
  if (Object.keys(added).length === 0) return annotations;
  const merged: Record<string, string> = { ...annotations, ...added };
  return Object.fromEntries(sortedKeys(merged).map((k) => [k, merged[k]!]));
}

/**
 * The labels the Job controller adds to every pod of a Job (unless `manualSelector` is set), so that
 * a policy selecting `job-name: migrate` selects its pods. Those of a CronJob's Jobs carry the
 * generated Job name, which the manifest cannot know.
 * https://kubernetes.io/docs/concepts/workloads/controllers/job/#job-labels
 */
function withJobLabels(labels: Labels, value: Readonly<Record<string, unknown>>, spec: Record<string, unknown>): Labels {
  if (spec.manualSelector === true) return labels;
  const metadata = asRecord(value.metadata) ?? {};
  const added: Record<string, string> = {};
  if (typeof metadata.name === 'string' && metadata.name !== '') {
    added['job-name'] = metadata.name;
    added['batch.kubernetes.io/job-name'] = metadata.name;
  }
  if (typeof metadata.uid === 'string' && metadata.uid !== '') {
    added['controller-uid'] = metadata.uid;
    added['batch.kubernetes.io/controller-uid'] = metadata.uid;
  }
  const merged: Record<string, string> = { ...labels, ...added };
  return Object.fromEntries(sortedKeys(merged).map((k) => [k, merged[k]!]));
}

/** Replica count where the kind has one (default 1), undefined for DaemonSets and bare pods. */
export function replicasOf(kind: string, value: Readonly<Record<string, unknown>>): number | undefined {
  const spec = asRecord(value.spec) ?? {};
  if (kind === 'Deployment' || kind === 'ReplicaSet' || kind === 'StatefulSet' || kind === 'ReplicationController') {
    return typeof spec.replicas === 'number' ? spec.replicas : 1;
  }
  if (kind === 'Job') return typeof spec.parallelism === 'number' ? spec.parallelism : 1;
  return undefined;
}

/** A pod's IPs from `status.podIPs` or `status.podIP`, each once, in the order found. */
export function podIPsOf(value: Readonly<Record<string, unknown>>): string[] {
  const status = asRecord(value.status);
  if (status === undefined) return [];
  // (a pod has one or two: a list searched, not a set per pod)
  const ips: string[] = [];
  if (typeof status.podIP === 'string' && status.podIP !== '') ips.push(status.podIP);
  if (Array.isArray(status.podIPs)) {
    for (const entry of status.podIPs) {
      const ip = asRecord(entry)?.ip;
      if (typeof ip === 'string' && ip !== '' && !ips.includes(ip)) ips.push(ip);
    }
  }
  return ips;
}

/** The containers that run while the pod serves (read once per pod spec: ports, names and references come from them). */
function containersOf(podSpec: Record<string, unknown>): Record<string, unknown>[] {
  const list: Record<string, unknown>[] = [];
  if (Array.isArray(podSpec.containers)) {
    for (const c of podSpec.containers) {
      const container = asRecord(c);
      if (container) list.push(container);
    }
  }
  // restartable init containers (sidecars, `restartPolicy: Always`) keep running and may serve ports;
  // ordinary init containers have exited before the pod serves anything
  if (Array.isArray(podSpec.initContainers)) {
    for (const c of podSpec.initContainers) {
      const container = asRecord(c);
      if (container?.restartPolicy === 'Always') list.push(container);
    }
  }
  return list;
}

function containerNames(containers: readonly Record<string, unknown>[]): string[] {
  const names: string[] = [];
  for (const c of containers) if (typeof c.name === 'string' && c.name !== '') names.push(c.name);
  return names;
}

function containerPortsOf(containers: readonly Record<string, unknown>[]): ContainerPort[] {
  const ports: ContainerPort[] = [];
  for (const container of containers) {
    if (!Array.isArray(container.ports)) continue;
    for (const raw of container.ports) {
      const p = asRecord(raw);
      if (!p) continue;
      const port = numberOf(p.containerPort);
      if (!Number.isInteger(port) || port < 1 || port > 65535) continue;
      const protocol = p.protocol ?? 'TCP';
      if (!isProtocol(protocol)) continue;
      const name = typeof p.name === 'string' && p.name !== '' ? p.name : undefined;
      // a port declared twice alike is one port (a pod has a few: a search is cheaper than a map)
      if (hasPort(ports, protocol, port, name)) continue;
      ports.push(name ? { name, port, protocol } : { port, protocol });
    }
  }
  return sortSmall(ports, byProtocolPortName);
}

function hasPort(ports: readonly ContainerPort[], protocol: string, port: number, name: string | undefined): boolean {
  for (const q of ports) if (q.protocol === protocol && q.port === port && q.name === name) return true;
  return false;
}

function byProtocolPortName(a: ContainerPort, b: ContainerPort): number {
  return a.protocol.localeCompare(b.protocol) || a.port - b.port || (a.name ?? '').localeCompare(b.name ?? '');
}

function configReferencesOf(podSpec: Record<string, unknown>, containers: readonly Record<string, unknown>[]): readonly ConfigReference[] {
  // most pods name none: the list is made at the first, and a pod names a few (searched, not mapped)
  let refs: ConfigReference[] | undefined;
  const add = (kind: ConfigReference['kind'], name: unknown) => {
    if (typeof name !== 'string' || name === '') return;
    if (refs === undefined) refs = [];
    else if (refs.some((r) => r.kind === kind && r.name === name)) return;
    refs.push({ kind, name });
  };
  if (Array.isArray(podSpec.volumes)) {
    for (const raw of podSpec.volumes) {
      const v = asRecord(raw) ?? {};
      add('ConfigMap', asRecord(v.configMap)?.name);
      add('Secret', asRecord(v.secret)?.secretName);
      add('PersistentVolumeClaim', asRecord(v.persistentVolumeClaim)?.claimName);
      const sources = asRecord(v.projected)?.sources;
      if (Array.isArray(sources)) {
        for (const s of sources) {
          add('ConfigMap', asRecord(asRecord(s)?.configMap)?.name);
          add('Secret', asRecord(asRecord(s)?.secret)?.name);
        }
      }
    }
  }
  for (const c of containers) {
    if (Array.isArray(c.envFrom)) {
      for (const e of c.envFrom) {
        add('ConfigMap', asRecord(asRecord(e)?.configMapRef)?.name);
        add('Secret', asRecord(asRecord(e)?.secretRef)?.name);
      }
    }
    if (Array.isArray(c.env)) {
      for (const e of c.env) {
        const from = asRecord(asRecord(e)?.valueFrom);
        add('ConfigMap', asRecord(from?.configMapKeyRef)?.name);
        add('Secret', asRecord(from?.secretKeyRef)?.name);
      }
    }
  }
  return refs === undefined ? NO_REFERENCES : sortSmall(refs, byKindAndName);
}
const NO_REFERENCES: readonly ConfigReference[] = [];

function byKindAndName(a: ConfigReference, b: ConfigReference): number {
  return a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name);
}

/** A label or annotation map with string values (numbers and booleans are read as text). */
export function stringMap(raw: unknown): Labels {
  const record = asRecord(raw);
  if (!record) return {};
  // a map already in key order with text values only (nearly every one) is its own answer: nothing
  // changes a decoded value, so it is not copied
  if (isSortedStringMap(record)) return record as Labels;
  const out: Record<string, string> = {};
  for (const key of sortedKeys(record)) {
    const v = record[key];
    if (typeof v === 'string') out[key] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[key] = String(v);
  }
  return out;
}

/**
 * A map's entries as stringMap gives them, in any order: for what does not depend on the order
 * (checking every label), without the sorted copy stringMap makes of a map out of key order.
 */
export function stringEntries(raw: unknown): Labels {
  const record = asRecord(raw);
  if (!record) return {};
  for (const key in record) if (typeof record[key] !== 'string') return stringMap(record);
  return record as Labels;
}

function isSortedStringMap(record: Record<string, unknown>): boolean {
  let previous: string | undefined;
  for (const key in record) {
    if (typeof record[key] !== 'string' || (previous !== undefined && !(previous < key))) return false;
    previous = key;
  }
  return true;
}

/** A number from a YAML value that may be anything (a map with a `valueOf` key must not throw). */
export function numberOf(value: unknown): number {
  return typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
}

const NO_CLAIMS: readonly ConfigReference[] = [];

function claimTemplatesOf(kind: string, spec: Record<string, unknown>): readonly ConfigReference[] {
  if (kind !== 'StatefulSet' || !Array.isArray(spec.volumeClaimTemplates)) return NO_CLAIMS;
  return spec.volumeClaimTemplates
    .map((t) => asRecord(asRecord(t)?.metadata)?.name)
    .filter((name): name is string => typeof name === 'string' && name !== '')
    .map((name) => ({ kind: 'PersistentVolumeClaim' as const, name }));
}

/** The pod's service account, when it is not `default` (what an unset serviceAccountName means). */
function serviceAccountOf(podSpec: Record<string, unknown>): string | undefined {
  const name = typeof podSpec.serviceAccountName === 'string' && podSpec.serviceAccountName !== '' ? podSpec.serviceAccountName
    : typeof podSpec.serviceAccount === 'string' && podSpec.serviceAccount !== '' ? podSpec.serviceAccount : undefined;
  return name !== undefined && name !== 'default' ? name : undefined;
}
