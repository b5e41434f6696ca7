import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../packages/core/src/parse-manifests.js';
import { parseSource } from '../../packages/core/src/manifests/parse.js';
import { decodeDocuments } from '../../packages/core/src/manifests/decode.js';
import { checkObjects } from '../../packages/core/src/manifests/strict.js';
import { buildCluster } from '../../packages/core/src/model/cluster.js';
import { sortDiagnostics, type Diagnostic } from '../../packages/core/src/diagnostics.js';
import type { Source } from '../../packages/core/src/manifests/source.js';

// parseManifests parses, decodes, checks and models one source after the other; these say that it
// gives what the steps give when each runs over every source at once, diagnostics and their order
// included, and that sources sharing a name are still read as one file.

/** The steps over all sources at once, as parseManifests ran them before it went source by source. */
function allAtOnce(sources: readonly Source[]): { diagnostics: readonly Diagnostic[]; workloads: string[] } {
  const parsed = sources.map((s) => parseSource(s));
  const decoded = decodeDocuments(parsed.flatMap((p) => p.documents));
  const texts = new Map(sources.map((s) => [s.name, s.text]));
  const checked = checkObjects(decoded.objects, { lenient: false, textOf: (file) => texts.get(file) });
  const built = buildCluster(checked.objects);
  return {
    diagnostics: sortDiagnostics([...parsed.flatMap((p) => p.diagnostics), ...decoded.diagnostics, ...checked.diagnostics, ...built.diagnostics]),
    workloads: built.cluster.workloads.map((w) => w.id),
  };
}

const describeAll = (diagnostics: readonly Diagnostic[]) =>
  diagnostics.map((d) => `${d.location?.file}:${d.location?.line}:${d.location?.column} ${d.severity} ${d.code} ${d.message}`);

describe('parseManifests, one source after the other', () => {
  it('reports what the steps over every source at once report, in their order, where several steps speak of one place', () => {
    const sources: Source[] = [
      // a syntax error, an unknown field, a duplicate object and a label the model refuses, over three files
      { name: 'a.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\nspec: {portz: []}\n---\na: b: c\n' },
      { name: 'b.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\n---\nkind: Pod\n---\napiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: x}\n' },
      { name: 'c.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: "", namespace: shop}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: db, namespace: shop, labels: {app: db}}\n' },
    ];
    const parsed = parseManifests(sources);
    const reference = allAtOnce(sources);
    expect(describeAll(parsed.diagnostics)).toEqual(describeAll(reference.diagnostics));
    expect(parsed.cluster.workloads.map((w) => w.id)).toEqual(reference.workloads);
    // (the input holds every kind of problem above: the comparison is not of two empty lists)
    expect(new Set(parsed.diagnostics.map((d) => d.code))).toEqual(new Set(['k8s/unknown-field', 'yaml/syntax', 'k8s/duplicate-object', 'k8s/missing-api-version', 'k8s/unknown-kind', 'k8s/missing-name']));
  });

  it('reads sources that share a name as one file: a stray map beside an object there is a broken object, not a stray file', () => {
    const sources: Source[] = [
      { name: 'same.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n' },
      { name: 'same.yaml', text: 'replicas: 3\n' },
    ];
    const codes = parseManifests(sources).diagnostics.map((d) => d.code);
    expect(codes).toContain('k8s/missing-kind');
    expect(codes).not.toContain('k8s/not-a-manifest');
    expect(describeAll(parseManifests(sources).diagnostics)).toEqual(describeAll(allAtOnce(sources).diagnostics));
  });
});
