import { diagnostic, sortDiagnostics, type Diagnostic, type SourceLocation } from './diagnostics.js';
import { decodeDocuments, type Decoded, type UnevaluatedObject } from './manifests/decode.js';
import { describeUnevaluated, UNEVALUATED_POLICY_FAMILIES } from './manifests/unevaluated-kinds.js';
import { CALICO_KINDS } from './policy/calico.js';
import { CILIUM_KINDS } from './policy/cilium.js';
import { calicoSchemaOf } from './manifests/calico-schema.js';
import { ciliumSchemaOf } from './manifests/cilium-schema.js';
import { chooseCniProfile, describeCniProfile, type CniName, type CniProfile } from './policy/cni-profile.js';
import { parseSource } from './manifests/parse.js';
import { checkObjects, type StrictOptions } from './manifests/strict.js';
import type { Source } from './manifests/source.js';
import { clusterBuilder, type ClusterBuilder, type ClusterOptions } from './model/cluster.js';
import type { Cluster } from './model/types.js';
import type { GatewayNotEvaluated } from './model/gateway-api.js';

export interface Parsed {
  readonly cluster: Cluster;
  /** Sorted by file, line and column. */
  readonly diagnostics: readonly Diagnostic[];
  /** Kinds skipped because netdiagram does not model them, with counts, sorted by kind. */
  readonly skippedKinds: readonly { readonly kind: string; readonly count: number }[];
  /**
   * Policy objects of APIs netdiagram does not evaluate (Calico, Cilium, AdminNetworkPolicy, …),
   * grouped by apiVersion and kind, sorted; each object also gave a `policy/not-evaluated` warning.
   */
  readonly unevaluated: readonly UnevaluatedKind[];
  /** The network plugin the input was judged for (`--cni`, or inferred from its objects). */
  readonly cni: CniProfile;
}

/** The objects of one policy kind netdiagram does not evaluate. */
export interface UnevaluatedKind {
  readonly apiVersion: string;
  readonly kind: string;
  /** `Calico`, `Cilium`, … */
  readonly family: string;
  readonly count: number;
  /** `namespace/name` (or `name`) with where each object is, in input order. */
  readonly objects: readonly { readonly name: string; readonly location: SourceLocation }[];
  /**
   * Why the kind could not be read at all (`403 Forbidden` from a live cluster's API server): its
   * objects, however many, are missing from the input, and `count` is 0.
   */
  readonly unread?: string;
  /**
   * What of these objects is not evaluated when they are otherwise read (`its attachment to a Gateway
   * (namespace labels not in the input)`): Gateway API objects, family `Gateway API`. Absent: the
   * objects as a whole (policies) are left out.
   */
  readonly part?: string;
}

export interface ParseOptions extends ClusterOptions {
  /**
   * Unknown fields are warnings rather than errors, and the objects that hold them are kept: for
   * manifests of a newer API version than netdiagram knows. Wrong types and invalid values stay errors.
   */
  readonly lenient?: boolean;
  /** The network plugin to judge the input for; absent: inferred from the plugin objects in the input, else generic. */
  readonly cni?: CniName;
}

/**
 * Parses manifests (multi-document YAML or JSON, `kind: List` flattened) into the cluster model.
 * Never throws on bad input: problems come back as diagnostics and the good documents are kept.
 */
export function parseManifests(sources: readonly Source[], options: ParseOptions = {}): Parsed {
  // one list per stage, joined with flat(): push(...list) passes every item as an argument, and a file
  // of 150,000 broken documents has more diagnostics than the stack has room for
  const found: (readonly Diagnostic[])[] = [];
  const texts = new Map(sources.map((s) => [s.name, s.text]));
  const { lenient, cni: requested, ...clusterOptions } = options;
  const checkOptions = { lenient: lenient === true, textOf: (file: string) => texts.get(file) };
  // objects the API server would refuse (unknown fields, wrong types, invalid values) are left out here
  const builder = clusterBuilder(clusterOptions);
  const { decoded, checkDiagnostics, parseDiagnostics } = readSources(sources, checkOptions, builder);
  found.push(parseDiagnostics, decoded.diagnostics);
  const cni = chooseCniProfile(requested, decoded.unevaluated.map((o) => o.family));
  if (cni.chosen === 'inferred' || cni.reason) {
    found.push([diagnostic('warning', 'cni/inferred', `judged for the CNI profile ${describeCniProfile(cni)}; choose another with --cni calico|cilium|generic`)]);
  }
  const pluginObjects = splitPluginObjects(decoded.unevaluated, cni);
  found.push(pluginObjects.diagnostics);
  found.push(checkDiagnostics);
  // Calico's and Cilium's objects are checked against their own types, as every other kind against its own
  const pluginSchemaOf = cni.name === 'calico' ? calicoSchemaOf : cni.name === 'cilium' ? ciliumSchemaOf : undefined;
  const pluginChecked = pluginSchemaOf
    ? checkObjects(pluginObjects.evaluated.map((o) => o.object), { lenient: lenient === true, textOf: (file) => texts.get(file), schemaOf: (o) => pluginSchemaOf(o.kind) })
    : undefined;
  if (pluginChecked) found.push(pluginChecked.diagnostics);
  const built = builder.build({
    ...(pluginChecked && cni.name === 'calico' ? { calico: pluginChecked.objects } : {}),
    ...(pluginChecked && cni.name === 'cilium' ? { cilium: pluginChecked.objects } : {}),
  });
  found.push(built.diagnostics);
  const skippedKinds = [...decoded.skippedKinds].map(([kind, count]) => ({ kind, count })).sort((a, b) => (a.kind < b.kind ? -1 : 1));
  const unevaluated = [...groupUnevaluated(pluginObjects.unevaluated), ...groupGatewayParts(built.gatewayNotEvaluated)];
  return { cluster: built.cluster, diagnostics: sortDiagnostics(found.flat()), skippedKinds, unevaluated, cni };
}

/** What reading the sources gives besides the objects handed to the model: each step's diagnostics,
 * the kinds skipped, the plugins' objects. */
interface SourcesRead {
  readonly parseDiagnostics: readonly Diagnostic[];
  readonly decoded: Omit<Decoded, 'objects'>;
  readonly checkDiagnostics: readonly Diagnostic[];
}

/**
 * Every source parsed, decoded, checked and added to the model, one source after the other: a
 * file's documents are decoded, checked and read while they are still in the processor's caches
 * (reading every file first and then walking all of their documents twice more was about a tenth
 * slower in process on the dense benchmark size). The diagnostics come in the order the three steps
 * over all sources at once would give (the sort of diagnostics keeps that order among equal
 * positions). Sources that share a name are decoded together, as one file, so they are read all at once.
 */
function readSources(sources: readonly Source[], checkOptions: StrictOptions, builder: ClusterBuilder): SourcesRead {
  const parseDiagnostics: Diagnostic[] = [];
  const addAll = <T>(to: T[], items: readonly T[]) => {
    for (const item of items) to.push(item); // not push(...items): a file may hold more than the stack has room for
  };
  if (new Set(sources.map((s) => s.name)).size < sources.length) {
    const documents = sources.flatMap((source) => {
      const parsed = parseSource(source);
      addAll(parseDiagnostics, parsed.diagnostics);
      return parsed.documents;
    });
    const decoded = decodeDocuments(documents);
    const checked = checkObjects(decoded.objects, checkOptions);
    for (const object of checked.objects) builder.add(object);
    return { parseDiagnostics, decoded, checkDiagnostics: checked.diagnostics };
  }
  const decodeDiagnostics: Diagnostic[] = [];
  const skippedKinds = new Map<string, number>();
  const unevaluated: UnevaluatedObject[] = [];
  const checkDiagnostics: Diagnostic[] = [];
  for (const source of sources) {
    const parsed = parseSource(source);
    addAll(parseDiagnostics, parsed.diagnostics);
    const decoded = decodeDocuments(parsed.documents);
    addAll(decodeDiagnostics, decoded.diagnostics);
    for (const [kind, count] of decoded.skippedKinds) skippedKinds.set(kind, (skippedKinds.get(kind) ?? 0) + count);
    addAll(unevaluated, decoded.unevaluated);
    const checked = checkObjects(decoded.objects, checkOptions);
    addAll(checkDiagnostics, checked.diagnostics);
    for (const object of checked.objects) builder.add(object);
  }
  return { parseDiagnostics, decoded: { diagnostics: decodeDiagnostics, skippedKinds, unevaluated }, checkDiagnostics };
}

/** Why a plugin object is not evaluated: the profile in use, or netdiagram not evaluating the kind at all. */
function notEvaluatedBecause(o: UnevaluatedObject, cni: CniProfile): string {
  const profile = [...EVALUATED_KINDS].find(([, e]) => e.family === o.family && e.kinds.has(o.kind))?.[0];
  return profile && profile !== cni.name ? ` under the ${cni.name} CNI profile (--cni ${profile} evaluates it)` : ' yet';
}

/** Kinds each profile evaluates, by family; every other plugin object is reported as not evaluated. */
const EVALUATED_KINDS: ReadonlyMap<CniProfile['name'], { readonly family: string; readonly kinds: ReadonlySet<string> }> = new Map([
  ['calico', { family: 'Calico', kinds: CALICO_KINDS }],
  ['cilium', { family: 'Cilium', kinds: CILIUM_KINDS }],
]);

/**
 * The plugin objects the profile evaluates, and the others, each of which gets a loud
 * `policy/not-evaluated` warning: the traffic shown may differ from what the cluster enforces.
 */
function splitPluginObjects(objects: readonly UnevaluatedObject[], cni: CniProfile): { evaluated: UnevaluatedObject[]; unevaluated: UnevaluatedObject[]; diagnostics: Diagnostic[] } {
  const evaluated: UnevaluatedObject[] = [];
  const unevaluated: UnevaluatedObject[] = [];
  const diagnostics: Diagnostic[] = [];
  const evaluates = EVALUATED_KINDS.get(cni.name);
  for (const o of objects) {
    if (evaluates && evaluates.family === o.family && evaluates.kinds.has(o.kind)) {
      evaluated.push(o);
      continue;
    }
    unevaluated.push(o);
    const family = UNEVALUATED_POLICY_FAMILIES.find((f) => f.name === o.family) ?? { name: o.family, groups: [], kinds: [] };
    diagnostics.push(diagnostic('warning', 'policy/not-evaluated',
      `${o.apiVersion} ${o.kind} ${o.name} is ${describeUnevaluated(family, o.kind)}, which netdiagram does not evaluate${notEvaluatedBecause(o, cni)}: the allowed traffic shown may differ from what the cluster enforces`,
      o.location));
  }
  return { evaluated, unevaluated, diagnostics };
}

function groupUnevaluated(objects: Decoded['unevaluated']): UnevaluatedKind[] {
  const groups = new Map<string, { apiVersion: string; kind: string; family: string; objects: { name: string; location: SourceLocation }[] }>();
  for (const o of objects) {
    const key = `${o.apiVersion}\u0000${o.kind}`;
    const group = groups.get(key) ?? { apiVersion: o.apiVersion, kind: o.kind, family: o.family, objects: [] };
    group.objects.push({ name: o.name, location: o.location });
    groups.set(key, group);
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => ({ ...g, count: g.objects.length }));
}

/** The Gateway API parts not evaluated, one entry per kind and part, sorted, objects in input order. */
function groupGatewayParts(parts: readonly GatewayNotEvaluated[]): UnevaluatedKind[] {
  const groups = new Map<string, { apiVersion: string; kind: string; family: string; part: string; objects: { name: string; location: SourceLocation }[] }>();
  for (const p of parts) {
    const key = `${p.kind}\u0000${p.part}\u0000${p.apiVersion}`;
    const group = groups.get(key) ?? { apiVersion: p.apiVersion, kind: p.kind, family: 'Gateway API', part: p.part, objects: [] };
    if (!group.objects.some((o) => o.name === p.name)) group.objects.push({ name: p.name, location: p.location });
    groups.set(key, group);
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => ({ ...g, count: g.objects.length }));
}
