import { CLUSTER_SCOPED_KINDS } from './manifests/kind-groups.js';
import type { Diagnostic } from './diagnostics.js';
import { parseSource, type LocatedDocument } from './manifests/parse.js';
import type { Source } from './manifests/source.js';

// An error in the input always keeps something out of the model: a file that was not read, a YAML
// document that did not parse, or an object that was skipped. What follows names each of them, so an
// output built from such input can say what it is missing instead of looking complete.

/** One part of the input that errors kept out of the model, with the errors that did it. */
export interface LeftOut {
  /** `object`: a Kubernetes object skipped; `document`: a YAML document not parsed or not an object; `file`: a file not read. */
  readonly kind: 'object' | 'document' | 'file';
  /** How a reader names it: `NetworkPolicy shop/allow-web`, `document 2 of a.yaml`, `file b.yaml`. */
  readonly what: string;
  readonly file: string;
  /** 0-based document index in the file (0 for a file not read). */
  readonly document: number;
  /** The object's kind, namespace and name, when it has them. */
  readonly object?: { readonly kind: string; readonly namespace?: string; readonly name?: string };
  /** The error diagnostics that left it out, in file order. */
  readonly errors: readonly Diagnostic[];
  /** The object is in the model but these parts of it were not read (`its account-data role`). Absent: it is left out whole. */
  readonly unread?: readonly string[];
}

export interface LeftOutOptions {
  /** Namespace of objects without `metadata.namespace`, as given to parseManifests (default `default`). */
  readonly namespace?: string;
}


/**
 * Every file, document and object the error diagnostics of a run left out, in (file, document,
 * line) order. netdiagram reads a manifest as the API server would accept it or not at all: an
 * object with an error is skipped whole (a NetworkPolicy with one bad CIDR isolates nothing in the
 * output), so each error names one thing that is missing. Errors without a location are listed
 * under the file `""`.
 */
export function findLeftOut(sources: readonly Source[], diagnostics: readonly Diagnostic[], options: LeftOutOptions = {}): LeftOut[] {
  const byName = new Map(sources.map((s) => [s.name, s]));
  const parsed = new Map<string, readonly LocatedDocument[] | undefined>();
  const documentsOf = (file: string) => {
    if (!parsed.has(file)) {
      const source = byName.get(file);
      parsed.set(file, source ? parseSource(source).documents : undefined);
    }
    return parsed.get(file);
  };
  const groups = new Map<string, { entry: Omit<LeftOut, 'errors' | 'unread'>; errors: Diagnostic[] }>();
  for (const d of diagnostics) {
    if (d.severity !== 'error') continue;
    const entry = identify(d, documentsOf, options.namespace ?? 'default');
    const key = `${entry.file}\u0000${entry.document}\u0000${entry.what}`;
    const group = groups.get(key) ?? { entry, errors: [] };
    group.errors.push(d);
    groups.set(key, group);
  }
  const line = (l: LeftOut) => l.errors[0]?.location?.line ?? 0;
  return [...groups.values()]
    .map(({ entry, errors }) => {
      // an object kept in the model is missing only the parts its errors did not read
      const kept = errors.every((e) => e.unread !== undefined);
      return { ...entry, errors, ...(kept ? { unread: [...new Set(errors.map((e) => e.unread!))].sort() } : {}) };
    })
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.document - b.document || line(a) - line(b) || (a.what < b.what ? -1 : a.what > b.what ? 1 : 0)));
}

function identify(d: Diagnostic, documentsOf: (file: string) => readonly LocatedDocument[] | undefined, defaultNamespace: string): Omit<LeftOut, 'errors'> {
  const file = d.location?.file ?? '';
  const index = d.location?.document ?? 0;
  const fileEntry = { kind: 'file', what: `file ${file}`, file, document: 0 } as const;
  if (!d.location || d.code.startsWith('input/')) return fileEntry;
  const documents = documentsOf(file);
  if (documents === undefined) return fileEntry;
  const documentEntry = { kind: 'document', what: `document ${index + 1} of ${file}`, file, document: index } as const;
  const doc = documents.find((x) => x.index === index);
  if (!doc) return documentEntry; // a document with a syntax error is not among the parsed ones
  const located = objectAt(doc, d.location.line);
  if (!located) return documentEntry;
  const { value, inherited } = located;
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const kind = typeof value.kind === 'string' && value.kind !== '' ? value.kind : inherited;
  if (kind === undefined) return documentEntry;
  const name = typeof metadata.name === 'string' && metadata.name !== '' ? metadata.name : undefined;
  const namespace = CLUSTER_SCOPED_KINDS.has(kind) ? undefined
    : typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : defaultNamespace;
  const what = name !== undefined
    ? `${kind} ${namespace !== undefined ? `${namespace}/` : ''}${name}`
    : `${kind} without a name in ${documentEntry.what}`;
  return { kind: 'object', what, file, document: index, object: { kind, ...(namespace !== undefined ? { namespace } : {}), ...(name !== undefined ? { name } : {}) } };
}

/** The object of a document that holds `line`: the document itself, or the item of a `*List` that starts last before it. */
function objectAt(doc: LocatedDocument, line: number): { value: Record<string, unknown>; inherited?: string } | undefined {
  let value: unknown = doc.value;
  let path: (string | number)[] = [];
  let inherited: string | undefined;
  // lists nest (a List of PodLists), as decode.ts flattens them
  for (let depth = 0; depth < 8 && isRecord(value) && typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items); depth++) {
    const items: unknown[] = value.items;
    if (value.kind !== 'List') inherited = value.kind.slice(0, -'List'.length);
    let chosen = -1;
    items.forEach((_item, i) => {
      if (doc.locate([...path, 'items', i]).line <= line) chosen = i;
    });
    if (chosen < 0) return undefined;
    path = [...path, 'items', chosen];
    value = items[chosen];
  }
  return isRecord(value) ? { value, ...(inherited !== undefined ? { inherited } : {}) } : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface IncompleteOptions {
  /** How many left-out parts the line names before it only counts the rest (default 3). */
  readonly listed?: number;
}

/**
 * The one line an output built from input with errors starts with, or undefined when there were
 * none: `INCOMPLETE: 2 input errors; 1 left out: NetworkPolicy shop/x (netpol/invalid-cidr)`.
 */
export function formatIncomplete(diagnostics: readonly Diagnostic[], leftOut: readonly LeftOut[], options: IncompleteOptions = {}): string | undefined {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (errors === 0) return undefined;
  const listed = options.listed ?? 3;
  const codes = (l: LeftOut) => [...new Set(l.errors.map((e) => e.code))].join(', ');
  const whole = leftOut.filter((l) => l.unread === undefined);
  const partly = leftOut.filter((l) => l.unread !== undefined);
  const names = whole.slice(0, listed).map((l) => `${printable(l.what)} (${codes(l)})`);
  if (whole.length > listed) names.push(`and ${whole.length - listed} more`);
  const parts = partly.slice(0, listed).map((l) => `${printable(l.what)}: ${l.unread!.join(' and ')} (${codes(l)})`);
  if (partly.length > listed) parts.push(`and ${partly.length - listed} more`);
  return `INCOMPLETE: ${errors} input error${errors === 1 ? '' : 's'}; ${whole.length} left out${names.length > 0 ? `: ${names.join(', ')}` : ''}` +
    (parts.length > 0 ? `; not read: ${parts.join(', ')}` : '');
}

/** Names come from the input: control characters and bidi overrides are escaped, so the line stays one line and reads as it is. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
