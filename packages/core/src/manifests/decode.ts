import { diagnostic, type Diagnostic, type SourceLocation } from '../diagnostics.js';
import type { FieldPath, LocatedDocument } from './parse.js';

/** A Kubernetes object found in the input, with a way back to its source position. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly value: Readonly<Record<string, unknown>>;
  readonly file: string;
  readonly document: number;
  /** Location of a field path relative to this object (list items are located inside their list). */
  locate(path: FieldPath): SourceLocation;
}

export interface Decoded {
  readonly objects: readonly KubeObject[];
  readonly diagnostics: readonly Diagnostic[];
  /** Kinds that were skipped because netdiagram does not model them, with counts. */
  readonly skippedKinds: ReadonlyMap<string, number>;
}

/** Kinds netdiagram reads; everything else is skipped and counted. */
export const KNOWN_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob',
  'ReplicationController', 'Service', 'Ingress', 'NetworkPolicy', 'Route',
  'ConfigMap', 'Secret', 'PersistentVolumeClaim', 'PersistentVolume',
]);

/** apiVersions we model for kinds whose semantics changed across versions. */
const SUPPORTED_API_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  NetworkPolicy: ['networking.k8s.io/v1'],
  Ingress: ['networking.k8s.io/v1'],
};

/**
 * Turns parsed documents into Kubernetes objects: flattens `kind: List` and `*List` objects, reports
 * documents that are not objects or lack `kind`/`apiVersion`, and counts kinds it does not model.
 */
export function decodeDocuments(documents: readonly LocatedDocument[]): Decoded {
  const objects: KubeObject[] = [];
  const diagnostics: Diagnostic[] = [];
  const skippedKinds = new Map<string, number>();
  const nonManifestFiles = new Set<string>();

  // items of a typed list (`PodList`) may omit kind and apiVersion: they inherit them from the list
  const visit = (doc: LocatedDocument, value: unknown, prefix: FieldPath, depth: number, inherited?: { kind: string; apiVersion: string }): void => {
    const locate = (path: FieldPath) => doc.locate([...prefix, ...path]);
    if (value === null || value === undefined) return; // empty document: `---` with nothing after it
    if (typeof value !== 'object' || Array.isArray(value)) {
      const what = Array.isArray(value) ? 'a list' : `a ${typeof value}`;
      diagnostics.push(diagnostic('error', 'k8s/not-an-object', `document is ${what}, not a Kubernetes object`, locate([])));
      return;
    }
    const record = value as Record<string, unknown>;
    const kind = record.kind ?? inherited?.kind;
    const apiVersion = record.apiVersion ?? inherited?.apiVersion;
    if (kind === undefined && apiVersion === undefined) {
      // a JSON/YAML file that is not a manifest at all (package.json, test output, Helm values)
      if (!nonManifestFiles.has(doc.file)) {
        nonManifestFiles.add(doc.file);
        diagnostics.push(diagnostic('warning', 'k8s/not-a-manifest', 'not a Kubernetes object (no kind or apiVersion); skipped', locate([])));
      }
      return;
    }
    if (typeof kind !== 'string' || kind === '') {
      diagnostics.push(diagnostic('error', 'k8s/missing-kind', 'object has no kind', locate(['kind'])));
      return;
    }
    if (typeof apiVersion !== 'string' || apiVersion === '') {
      diagnostics.push(diagnostic('error', 'k8s/missing-api-version', `${kind} has no apiVersion`, locate(['apiVersion'])));
      return;
    }
    if (kind.endsWith('List') && Array.isArray(record.items) && depth < 4) {
      const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
      record.items.forEach((item, i) => visit(doc, item, [...prefix, 'items', i], depth + 1, itemKind ? { kind: itemKind, apiVersion } : undefined));
      return;
    }
    if (!KNOWN_KINDS.has(kind)) {
      skippedKinds.set(kind, (skippedKinds.get(kind) ?? 0) + 1);
      return;
    }
    const supported = SUPPORTED_API_VERSIONS[kind];
    if (supported && !supported.includes(apiVersion)) {
      diagnostics.push(diagnostic('error', 'k8s/unsupported-api-version',
        `${kind} ${apiVersion} is not supported (use ${supported.join(' or ')}); object skipped`, locate(['apiVersion'])));
      return;
    }
    const value_ = record.kind === undefined ? { ...record, kind, apiVersion } : record;
    objects.push({ apiVersion, kind, value: value_, file: doc.file, document: doc.index, locate });
  };

  // a file none of whose documents looks like a Kubernetes object (test output, Helm values, a
  // package.json found while walking a directory) is skipped with one warning, not an error per document
  const manifestFiles = new Set(documents.filter((d) => looksLikeObject(d.value)).map((d) => d.file));
  for (const doc of documents) {
    if (manifestFiles.has(doc.file)) visit(doc, doc.value, [], 0);
    else if (doc.value !== null && doc.value !== undefined && !nonManifestFiles.has(doc.file)) {
      nonManifestFiles.add(doc.file);
      diagnostics.push(diagnostic('warning', 'k8s/not-a-manifest', 'no Kubernetes objects in this file (no kind or apiVersion); skipped', doc.locate([])));
    }
  }
  return { objects, diagnostics, skippedKinds };
}

function looksLikeObject(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return record.kind !== undefined || record.apiVersion !== undefined;
}
