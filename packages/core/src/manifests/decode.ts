import { diagnostic, type Diagnostic, type SourceLocation } from '../diagnostics.js';
import { editDistance } from './did-you-mean.js';
import type { FieldPath, LocatedDocument } from './parse.js';
import { CLUSTER_POLICY_KINDS, GATEWAY_VERSIONS, groupOf, homeOf, KIND_GROUPS, READ_GROUPS, readsKind } from './kind-groups.js';
import { unevaluatedPolicyFamily } from './unevaluated-kinds.js';

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

/** An object without its value: where it is and what it is, for what keeps only what it read of the value. */
export type ObjectRef = Omit<KubeObject, 'value'>;

/** The object without its value (whose tree can then go, once what was read of it is kept). */
export function refOf(object: KubeObject): ObjectRef {
  // (field by field: a rest spread takes V8's slow copying path, for each of 17,000 objects on the dense benchmark size)
  return { apiVersion: object.apiVersion, kind: object.kind, file: object.file, document: object.document, locate: object.locate };
}
// an ObjectRef field added to KubeObject but not copied above would be dropped: then this does not compile
const refCopiesEveryField: Exclude<keyof KubeObject, 'value' | 'apiVersion' | 'kind' | 'file' | 'document' | 'locate'> extends never ? true : never = true;
void refCopiesEveryField;

export interface Decoded {
  readonly objects: readonly KubeObject[];
  readonly diagnostics: readonly Diagnostic[];
  /** Kinds that were skipped because netdiagram does not model them, with counts. */
  readonly skippedKinds: ReadonlyMap<string, number>;
  /** Policy objects of the network plugins' own APIs (Calico, Cilium, …), in input order: the CNI profile decides which are evaluated. */
  readonly unevaluated: readonly UnevaluatedObject[];
}

/** A policy object of a network plugin's own API (evaluated only under that plugin's CNI profile). */
export interface UnevaluatedObject {
  readonly apiVersion: string;
  readonly kind: string;
  /** `Calico`, `Cilium`, … */
  readonly family: string;
  /** `namespace/name`, or `name` for a cluster-wide object. */
  readonly name: string;
  readonly location: SourceLocation;
  /** The object itself, for a profile that evaluates it. */
  readonly object: KubeObject;
}

/** Kinds netdiagram reads, each in its own API groups (kind-groups.ts); everything else is skipped and counted. */
export const KNOWN_KINDS: ReadonlySet<string> = new Set(KIND_GROUPS.keys());

/** apiVersions we model for kinds whose semantics changed across versions. */
const SUPPORTED_API_VERSIONS: ReadonlyMap<string, readonly string[]> = new Map([
  ['NetworkPolicy', ['networking.k8s.io/v1']],
  ['Ingress', ['networking.k8s.io/v1']],
  // alpha APIs: each kind exists in one version only (ANP and BANP were replaced by ClusterNetworkPolicy in v0.2.0)
  ...CLUSTER_POLICY_KINDS.map((kind): [string, readonly string[]] => [kind, [homeOf(kind)]]),
  ...GATEWAY_VERSIONS,
]);

/** Versions the API server no longer serves, and the release that removed them. */
const REMOVED_API_VERSIONS: ReadonlyMap<string, string> = new Map([
  ['Ingress extensions/v1beta1', '1.22'],
  ['Ingress networking.k8s.io/v1beta1', '1.22'],
  ['NetworkPolicy extensions/v1beta1', '1.16'],
]);

/** API groups built into Kubernetes: a kind there that is a near miss of one we model is a typo, not a CRD. */
const BUILT_IN_GROUPS: ReadonlySet<string> = new Set(['', 'apps', 'batch', 'networking.k8s.io', 'extensions']);

/** How deep `kind: List` may nest inside another List. */
const MAX_LIST_DEPTH = 4;

/**
 * Turns parsed documents into Kubernetes objects: flattens `kind: List` and `*List` objects, reports
 * documents that are not objects or lack `kind`/`apiVersion`, and counts kinds it does not model.
 */
export function decodeDocuments(documents: readonly LocatedDocument[]): Decoded {
  const objects: KubeObject[] = [];
  const diagnostics: Diagnostic[] = [];
  const skippedKinds = new Map<string, number>();
  const unevaluated: UnevaluatedObject[] = [];

  // items of a typed list (`PodList`) may omit kind and apiVersion: they inherit them from the list
  const visit = (doc: LocatedDocument, value: unknown, prefix: FieldPath, depth: number, inherited?: { kind: string; apiVersion: string }): void => {
    const locate = prefix.length === 0 ? doc.locate : locatedUnder(doc.locate, prefix);
    if (value === null || value === undefined) return; // empty document: `---` with nothing after it
    if (typeof value !== 'object' || Array.isArray(value)) {
      const what = Array.isArray(value) ? 'a list' : `a ${typeof value}`;
      diagnostics.push(diagnostic('error', 'k8s/not-an-object', `${prefix.length > 0 ? 'list item' : 'document'} is ${what}, not a Kubernetes object`, locate([])));
      return;
    }
    const record = value as Record<string, unknown>;
    const kind = record.kind ?? inherited?.kind;
    const apiVersion = record.apiVersion ?? inherited?.apiVersion;
    if (kind === undefined && apiVersion === undefined) {
      // in a file that holds manifests, a map without kind and apiVersion is a broken object, not a stray file
      diagnostics.push(diagnostic('error', 'k8s/missing-kind', 'object has neither kind nor apiVersion; skipped', locate([])));
      return;
    }
    if (typeof kind !== 'string' || kind === '') {
      diagnostics.push(diagnostic('error', 'k8s/missing-kind',
        kind === undefined ? 'object has no kind; skipped' : `kind must be a non-empty string, not ${describe(kind)}; object skipped`, locate(['kind'])));
      return;
    }
    if (typeof apiVersion !== 'string' || apiVersion === '') {
      diagnostics.push(diagnostic('error', 'k8s/missing-api-version',
        apiVersion === undefined ? `${kind} has no apiVersion; skipped` : `apiVersion must be a non-empty string, not ${describe(apiVersion)}; ${kind} skipped`,
        locate(['apiVersion'])));
      return;
    }
    if (kind.endsWith('List') && Array.isArray(record.items) && depth < MAX_LIST_DEPTH) {
      const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
      record.items.forEach((item, i) => visit(doc, item, [...prefix, 'items', i], depth + 1, itemKind ? { kind: itemKind, apiVersion } : undefined));
      return;
    }
    // before the kind check: a Calico NetworkPolicy shares its kind with the Kubernetes one, not its meaning
    const family = unevaluatedPolicyFamily(apiVersion, kind);
    if (family) {
      const name = objectName(record);
      const location = locate(['kind']);
      // whether it is evaluated depends on the CNI profile, which parseManifests chooses once every object is known
      unevaluated.push({ apiVersion, kind, family: family.name, name, location, object: { apiVersion, kind, value: record, file: doc.file, document: doc.index, locate } });
      return;
    }
    if (!KNOWN_KINDS.has(kind)) {
      const meant = likelyMeant(kind, apiVersion);
      if (meant) {
        diagnostics.push(diagnostic('error', 'k8s/unknown-kind',
          `${apiVersion} has no kind "${kind}" (did you mean ${meant}?); object skipped`, locate(['kind'])));
        return;
      }
      skippedKinds.set(kind, (skippedKinds.get(kind) ?? 0) + 1);
      return;
    }
    if (!readsKind(apiVersion, kind)) {
      // `apps/v1` Service: a group netdiagram reads has no such kind, so the API server refuses it
      if (READ_GROUPS.has(groupOf(apiVersion))) {
        diagnostics.push(diagnostic('error', 'k8s/unknown-kind',
          `${apiVersion} has no kind "${kind}" (${kind} is ${homeOf(kind)}); object skipped`, locate(['kind'])));
        return;
      }
      // a Knative Service, a Volcano Job: another API's kind of the same name, skipped like any CRD
      const key = `${kind} (${apiVersion})`;
      skippedKinds.set(key, (skippedKinds.get(key) ?? 0) + 1);
      return;
    }
    const supported = SUPPORTED_API_VERSIONS.get(kind);
    if (supported && !supported.includes(apiVersion)) {
      const removedIn = REMOVED_API_VERSIONS.get(`${kind} ${apiVersion}`);
      const why = removedIn ? `was removed in Kubernetes ${removedIn}` : 'is not supported';
      diagnostics.push(diagnostic('error', 'k8s/unsupported-api-version',
        `${kind} ${apiVersion} ${why}; rewrite it as ${supported.join(' or ')}${kind === 'Ingress' ? ' (backend.service.name and backend.service.port)' : ''}; object skipped`,
        locate(['apiVersion'])));
      return;
    }
    const value_ = record.kind === undefined || record.apiVersion === undefined ? { ...record, kind, apiVersion } : record;
    objects.push({ apiVersion, kind, value: value_, file: doc.file, document: doc.index, locate });
  };

  // a file none of whose documents looks like a Kubernetes object (test output, Helm values, a
  // package.json found while walking a directory) is skipped with one warning, not an error per
  // document; a file the user named explicitly must hold manifests, so there it is an error
  const manifestFiles = new Set(documents.filter((d) => looksLikeObject(d.value)).map((d) => d.file));
  const reported = new Set<string>();
  for (const doc of documents) {
    if (manifestFiles.has(doc.file)) visit(doc, doc.value, [], 0);
    else if (doc.value !== null && doc.value !== undefined && !reported.has(doc.file)) {
      reported.add(doc.file);
      diagnostics.push(diagnostic(doc.explicit ? 'error' : 'warning', 'k8s/not-a-manifest',
        `no Kubernetes objects in this file (no kind or apiVersion)${doc.explicit ? '' : '; skipped'}`, doc.locate([])));
    }
  }
  return { objects, diagnostics, skippedKinds, unevaluated };
}

/**
 * Locations of a list item's fields, from its document's. Made outside `visit`, whose scope holds the
 * document: a location kept by the model would keep the document's whole tree alive through it.
 */
function locatedUnder(locate: (path: FieldPath) => SourceLocation, prefix: FieldPath): (path: FieldPath) => SourceLocation {
  return (path) => locate([...prefix, ...path]);
}

/** `namespace/name` from metadata, as far as it is readable (strict validation of names is not this module's job). */
function objectName(record: Readonly<Record<string, unknown>>): string {
  const metadata = record.metadata;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) return '(unnamed)';
  const { name, namespace } = metadata as Record<string, unknown>;
  const n = typeof name === 'string' && name !== '' ? name : '(unnamed)';
  return typeof namespace === 'string' && namespace !== '' ? `${namespace}/${n}` : n;
}

function looksLikeObject(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return record.kind !== undefined || record.apiVersion !== undefined;
}

/**
 * The modelled kind a kind of a built-in API group was probably meant to be: same letters in another
 * case (`Networkpolicy`), or one edit off (`Deploymet`, `Deploymnet`). CRDs live in
 * their own groups and are never flagged.
 */
function likelyMeant(kind: string, apiVersion: string): string | undefined {
  if (!BUILT_IN_GROUPS.has(groupOf(apiVersion))) return undefined;
  // a kind of this group first (`apps/v1` Deploymet); else one of another group, named with its home
  const near = (known: string) => known.toLowerCase() === kind.toLowerCase() || (known.length >= 6 && editDistance(known, kind) === 1);
  const known = [...KNOWN_KINDS];
  const inGroup = known.find((k) => readsKind(apiVersion, k) && near(k));
  if (inGroup) return inGroup;
  const elsewhere = known.find(near);
  return elsewhere && `${homeOf(elsewhere)} ${elsewhere}`;
}

/** A short, safe description of a value of the wrong type, for messages. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return typeof value === 'string' ? `the string ${JSON.stringify(value)}` : `${typeof value} ${String(value)}`;
}
