import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { editDistance } from '../manifests/did-you-mean.js';
import { formatSelector, matchesSelector, type Labels, type Requirement, type Selector } from '../model/selectors.js';
import type { Cluster } from '../model/types.js';
import { ZONE_ANNOTATION, type ScopeOptions } from './scope.js';
import { parseSelectorText } from './selector-text.js';

/** A scope selector that marks no workload, with the labels of the input nearest to it. */
export interface UnmatchedSelector {
  readonly option: '--cde' | '--out-of-scope';
  /** The selector as the user wrote it. */
  readonly text: string;
  /** A selector one small edit away that does match, when there is one (`app=paymentservice`). */
  readonly suggestion?: string;
  /** The `key=value` labels of the input nearest to the selector, at most three. */
  readonly nearest: readonly string[];
  /** Label keys the selector requires that no workload or namespace of the input has. */
  readonly missingKeys: readonly string[];
}

/**
 * The `--cde` and `--out-of-scope` selectors that match no workload (by its labels or its
 * namespace's labels) in any of the clusters. A typo'd CDE selector would otherwise give an empty
 * CDE and a passing audit: scope that marks nothing is refused, never read as "no CDE".
 * Selectors that do not parse are left to `parseSelectorText`'s callers.
 */
export function findUnmatchedSelectors(clusters: readonly Cluster[], options: ScopeOptions): UnmatchedSelector[] {
  const universe = labelUniverse(clusters);
  const out: UnmatchedSelector[] = [];
  for (const [option, list] of [['--cde', options.cde], ['--out-of-scope', options.outOfScope]] as const) {
    for (const text of list ?? []) {
      const parsed = parseSelectorText(text);
      if (!parsed.ok || universe.some((subject) => matchesSubject(parsed.selector, subject))) continue;
      const suggestion = suggest(parsed.selector, universe);
      const keys = new Set(universe.flatMap((s) => [...Object.keys(s.labels), ...Object.keys(s.namespaceLabels)]));
      const missingKeys = [...new Set(parsed.selector.requirements.filter((r) => (r.operator === 'In' || r.operator === 'Exists') && !keys.has(r.key)).map((r) => r.key))];
      out.push({ option, text, ...(suggestion !== undefined ? { suggestion } : {}), nearest: nearestLabels(text, universe), missingKeys });
    }
  }
  return out;
}

/** `--cde "app=paymentservce" matches no workload (did you mean app=paymentservice?)` */
export function describeUnmatchedSelector(u: UnmatchedSelector): string {
  const missing = u.missingKeys.length > 0 ? `no workload or namespace has a label ${u.missingKeys.join(' or ')}; ` : '';
  const hint = u.suggestion !== undefined ? `did you mean ${u.suggestion}?`
    : u.nearest.length > 0 ? `${missing}labels nearest to it in the input: ${u.nearest.join(', ')}` : 'the input has no workloads';
  return `${u.option} "${u.text}" matches no workload (${hint})`;
}

/**
 * Errors for zone annotations that mark nothing: a namespace annotated `netdiagram.io/zone` in
 * which the input has no workload. The scope it declares is empty (a misplaced file, a typo in a
 * namespace name), and an empty CDE would pass every check, so it fails closed like a `--cde` that
 * matches nothing.
 */
export function zoneAnnotationDiagnostics(cluster: Cluster, others: readonly Cluster[] = []): Diagnostic[] {
  // diff: a zone whose workloads one side removes still marks them on the other side
  const used = new Set([cluster, ...others].flatMap((c) => c.workloads.map((w) => w.namespace)));
  return cluster.namespaces
    .filter((n) => n.annotations[ZONE_ANNOTATION] !== undefined && !used.has(n.name))
    .map((n) => diagnostic('error', 'scope/empty-zone',
      `namespace ${n.name} is annotated ${ZONE_ANNOTATION}: ${n.annotations[ZONE_ANNOTATION]}, but the input has no workload in it; that zone marks nothing`,
      n.location));
}

/** What a scope selector is matched against: a workload's labels and its namespace's labels. */
interface LabelSubject {
  readonly labels: Labels;
  readonly namespaceLabels: Labels;
}

function labelUniverse(clusters: readonly Cluster[]): LabelSubject[] {
  return clusters.flatMap((c) => {
    const namespaces = new Map(c.namespaces.map((n) => [n.name, n.labels]));
    return c.workloads.map((w) => ({ labels: w.labels, namespaceLabels: namespaces.get(w.namespace) ?? { 'kubernetes.io/metadata.name': w.namespace } }));
  });
}

function matchesSubject(selector: Selector, s: LabelSubject): boolean {
  return matchesSelector(selector, s.labels) || matchesSelector(selector, s.namespaceLabels);
}

/**
 * The selector with each requirement that matches nothing replaced by the nearest label of the
 * input (`app=paymentservce` → `app=paymentservice`, `tire=web` → `tier=web`), if the result
 * matches a workload and every replacement is a small edit.
 */
function suggest(selector: Selector, universe: readonly LabelSubject[]): string | undefined {
  const pairs = new Map<string, Set<string>>();
  for (const s of universe) {
    for (const labels of [s.labels, s.namespaceLabels]) {
      for (const [k, v] of Object.entries(labels)) pairs.set(k, (pairs.get(k) ?? new Set()).add(v));
    }
  }
  const requirements: Requirement[] = [];
  for (const r of selector.requirements) {
    const alone: Selector = { requirements: [r] };
    if (universe.some((s) => matchesSubject(alone, s))) {
      requirements.push(r);
      continue;
    }
    const fixed = fixRequirement(r, pairs);
    if (!fixed) return undefined;
    requirements.push(fixed);
  }
  const candidate: Selector = { requirements };
  return universe.some((s) => matchesSubject(candidate, s)) ? formatSelector(candidate) : undefined;
}

function fixRequirement(r: Requirement, pairs: ReadonlyMap<string, ReadonlySet<string>>): Requirement | undefined {
  if (r.operator === 'Exists') {
    const key = closest(r.key, [...pairs.keys()]);
    return key !== undefined ? { ...r, key } : undefined;
  }
  if (r.operator !== 'In') return undefined; // a NotIn or DoesNotExist that matches nothing has no near miss to name
  if (r.values.length === 1) {
    const written = `${r.key}=${r.values[0]}`;
    const all = [...pairs].flatMap(([k, vs]) => [...vs].map((v) => `${k}=${v}`));
    const found = closest(written, all);
    if (found === undefined) return undefined;
    const eq = found.indexOf('=');
    return { ...r, key: found.slice(0, eq), values: [found.slice(eq + 1)] };
  }
  const key = pairs.has(r.key) ? r.key : closest(r.key, [...pairs.keys()]);
  if (key === undefined) return undefined;
  const known = [...pairs.get(key)!];
  const values = r.values.map((v) => (known.includes(v) ? v : closest(v, known) ?? v));
  return { ...r, key, values: [...new Set(values)].sort() };
}

/** The candidate nearest to `text`, if it is a small edit away (at most a third of the text, and at least 2). */
function closest(text: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(text.length / 3)) + 1;
  for (const c of [...candidates].sort()) {
    const d = editDistance(text, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** The workload labels (`key=value`) nearest to the selector text, for when no small edit fixes it. */
function nearestLabels(text: string, universe: readonly LabelSubject[]): string[] {
  const all = [...new Set(universe.flatMap((s) => Object.entries(s.labels).map(([k, v]) => `${k}=${v}`)))].sort();
  return all.map((l) => ({ l, d: editDistance(text, l) })).sort((a, b) => a.d - b.d || (a.l < b.l ? -1 : 1)).slice(0, 3).map((x) => x.l);
}
