import { sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { decodeDocuments } from './manifests/decode.js';
import { parseSource } from './manifests/parse.js';
import { checkObjects } from './manifests/strict.js';
import type { Source } from './manifests/source.js';
import { buildCluster, type ClusterOptions } from './model/cluster.js';
import type { Cluster } from './model/types.js';

export interface Parsed {
  readonly cluster: Cluster;
  /** Sorted by file, line and column. */
  readonly diagnostics: readonly Diagnostic[];
  /** Kinds skipped because netdiagram does not model them, with counts, sorted by kind. */
  readonly skippedKinds: readonly { readonly kind: string; readonly count: number }[];
}

export interface ParseOptions extends ClusterOptions {
  /**
   * Unknown fields are warnings rather than errors, and the objects that hold them are kept: for
   * manifests of a newer API version than netdiagram knows. Wrong types and invalid values stay errors.
   */
  readonly lenient?: boolean;
}

/**
 * Parses manifests (multi-document YAML or JSON, `kind: List` flattened) into the cluster model.
 * Never throws on bad input: problems come back as diagnostics and the good documents are kept.
 */
export function parseManifests(sources: readonly Source[], options: ParseOptions = {}): Parsed {
  const diagnostics: Diagnostic[] = [];
  const documents = sources.flatMap((source) => {
    const parsed = parseSource(source);
    diagnostics.push(...parsed.diagnostics);
    return parsed.documents;
  });
  const decoded = decodeDocuments(documents);
  diagnostics.push(...decoded.diagnostics);
  // objects the API server would refuse (unknown fields, wrong types, invalid values) are left out here
  const texts = new Map(sources.map((s) => [s.name, s.text]));
  const { lenient, ...clusterOptions } = options;
  const checked = checkObjects(decoded.objects, { lenient: lenient === true, textOf: (file) => texts.get(file) });
  diagnostics.push(...checked.diagnostics);
  const built = buildCluster(checked.objects, clusterOptions);
  diagnostics.push(...built.diagnostics);
  const skippedKinds = [...decoded.skippedKinds].map(([kind, count]) => ({ kind, count })).sort((a, b) => (a.kind < b.kind ? -1 : 1));
  return { cluster: built.cluster, diagnostics: sortDiagnostics(diagnostics), skippedKinds };
}
