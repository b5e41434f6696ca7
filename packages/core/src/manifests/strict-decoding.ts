import { didYouMean } from './did-you-mean.js';
import { asRecord } from '../policy/compile.js';
import type { SourceLocation } from '../diagnostics.js';
import type { KubeObject } from './decode.js';
import type { FieldPath } from './parse.js';
import type { Schema } from './schema.js';
import type { StrictOptions } from './strict.js';
import type { Problems } from './strict-problems.js';

// The strict check's first step, decoding as the API server does under `--validate=strict`: every
// key known to the Go type, every value of its JSON type. `conforms` answers whether an object
// decodes cleanly; the walk that names each problem runs only for an object that does not.

/** What the decoding walk carries down: one path for the whole walk, grown and shrunk as it descends. */
export interface Walk {
  readonly problems: Problems;
  readonly options: StrictOptions;
  readonly lineStarts: Map<string, number[]>;
  readonly path: (string | number)[];
}

/**
 * Names every decoding problem of a value under its schema (run only when `conforms` says there is
 * one). The path is shared and grown and shrunk as the walk descends (an array per field was a
 * tenth of the run's garbage); whatever keeps a path (a diagnostic's location) gets a copy.
 */
export function walkDecoding(w: Walk, value: unknown, node: Schema): void {
  const { problems, options, lineStarts, path } = w;
  const object = problems.object;
  const here = (): FieldPath => path.slice();
  // null decodes to the zero value in Go (`podSelector: null` is the empty selector), never an error
  if (value === null || value === undefined || node.type === 'any') return;
  switch (node.type) {
    case 'object': {
      if (!isRecord(value)) {
        problems.error('k8s/wrong-type', `${formatPath(path)} must be a map (${node.name}), not ${describe(value)}${hintFor(node.name, value)}`, here());
        return;
      }
      // (for…in: Object.keys made an array for each of the hundreds of thousands of maps walked)
      for (const key in value) {
        const field = node.fields.get(key);
        if (field) {
          path.push(key);
          walkDecoding(w, value[key], field);
          path.pop();
        } else {
          const meant = didYouMean(key, [...node.fields.keys()]);
          problems.add({
            severity: options.lenient ? 'warning' : 'error', code: 'k8s/unknown-field',
            message: `unknown field "${formatPath([...path, key])}"${meant ? ` (did you mean ${meant}?)` : ''}` +
              (options.lenient ? `; ignored (--lenient)${node.name === 'LabelSelector' ? selectorConsequence(object, here(), value) : ''}` : ''),
            location: keyLocation(object, [...path, key], key, options, lineStarts),
          });
        }
      }
      return;
    }
    case 'list':
      if (!Array.isArray(value)) {
        problems.error('k8s/wrong-type', `${formatPath(path)} must be a list, not ${describe(value)}`, here());
        return;
      }
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        walkDecoding(w, value[i], node.items);
        path.pop();
      }
      return;
    case 'string-map': {
      if (!isRecord(value)) {
        problems.error('k8s/wrong-type', `${formatPath(path)} must be a map of strings, not ${describe(value)}`, here());
        return;
      }
      // almost every map is all strings: look for a wrong value before sorting the keys to report them in order
      let wrong = false;
      for (const key in value) {
        const v = value[key];
        if (v !== null && !isStringLike(v)) wrong = true;
      }
      if (!wrong) return;
      for (const key of Object.keys(value).sort()) {
        const v = value[key];
        if (v !== null && !isStringLike(v)) {
          const at = [...path, key];
          const quote = typeof v === 'number' || typeof v === 'boolean' ? ` (${quoteHint(object, at, options, lineStarts)})` : '';
          problems.error('k8s/wrong-type', `${formatPath(at)} must be a string, not ${describe(v)}${quote}`, at);
        }
      }
      return;
    }
    case 'string':
      if (!isStringLike(value)) problems.error('k8s/wrong-type', `${formatPath(path)} must be a string, not ${describe(value)}`, here());
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) problems.error('k8s/wrong-type', `${formatPath(path)} must be an integer, not ${describe(value)}`, here());
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problems.error('k8s/wrong-type', `${formatPath(path)} must be true or false, not ${describe(value)}`, here());
      return;
    case 'int-or-string':
      if (typeof value !== 'string' && !(typeof value === 'number' && Number.isSafeInteger(value))) {
        problems.error('k8s/wrong-type', `${formatPath(path)} must be a number or a name, not ${describe(value)}`, here());
      }
      return;
  }
}

/**
 * Whether a value decodes under its schema with no diagnostic from checkObject's walk: every key
 * known, every value of its type (null and absent are the zero value). The walk's cases without
 * their messages; test/core/strict-conforms.property.test.ts holds the two to the same answer.
 */
export function conforms(value: unknown, node: Schema): boolean {
  if (value === null || value === undefined) return true;
  switch (node.type) {
    case 'any':
      return true;
    case 'object':
      if (!isRecord(value)) return false;
      for (const key in value) {
        const field = node.fields.get(key);
        if (field === undefined || !conforms(value[key], field)) return false;
      }
      return true;
    case 'list':
      if (!Array.isArray(value)) return false;
      for (let i = 0; i < value.length; i++) if (!conforms(value[i], node.items)) return false;
      return true;
    case 'string-map':
      if (!isRecord(value)) return false;
      for (const key in value) {
        const v = value[key];
        if (v !== null && !isStringLike(v)) return false;
      }
      return true;
    case 'string':
      return isStringLike(value);
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'int-or-string':
      return typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value));
  }
}

/**
 * What ignoring an unknown field of a label selector does: the API server (`--validate=false`) drops
 * it and reads the rest, so `podSelector: {matchLabel: …}` becomes the empty selector, which selects
 * every pod the position allows. The warning must say so, or "ignored" reads as harmless.
 */
function selectorConsequence(object: KubeObject, path: FieldPath, selector: Record<string, unknown>): string {
  const read = ': the selector is read without it, as the API server drops it';
  const labels = asRecord(selector.matchLabels);
  const expressions = selector.matchExpressions;
  const empty = (!labels || Object.keys(labels).length === 0) && (!Array.isArray(expressions) || expressions.length === 0);
  if (!empty) return `${read}, so it may select more than was meant`;
  const field = path[path.length - 1];
  if (object.kind === 'NetworkPolicy' && path.length === 2 && field === 'podSelector') {
    return `${read}, and this empty podSelector selects every pod of the policy's namespace`;
  }
  if (object.kind === 'NetworkPolicy' && field === 'namespaceSelector') return `${read}, and this empty namespaceSelector selects every namespace`;
  if (object.kind === 'NetworkPolicy' && field === 'podSelector') {
    const peer = asRecord(getIn(object.value, path.slice(0, -1)));
    return `${read}, and this empty podSelector selects every pod of ${peer?.namespaceSelector != null ? 'the namespaces its namespaceSelector selects' : "the policy's namespace"}`;
  }
  if (['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(object.kind) && path.length === 2) {
    // ValidateDeploymentSpec and its siblings: "empty selector is invalid"; the model folds pods by owner and template, not by this selector
    return `${read}, and the API server refuses a ${object.kind} whose selector is empty (netdiagram does not read this selector)`;
  }
  return `${read}, and an empty label selector matches every object`;
}

/** Where a key is written: searched backwards from its value, so `ingres:` points at `ingres`, not at the list below it. */
function keyLocation(object: KubeObject, path: FieldPath, key: string, options: StrictOptions, lineStarts: Map<string, number[]>): SourceLocation {
  const at = object.locate(path);
  const text = options.textOf?.(object.file);
  if (text === undefined) return at;
  const starts = lineStartsOf(object.file, text, lineStarts);
  const offset = (starts[at.line - 1] ?? 0) + at.column - 1;
  for (let from = offset; from >= 0;) {
    const found = text.lastIndexOf(key, from);
    if (found < 0 || offset - found > 4096) break;
    const after = text.slice(found + key.length, found + key.length + 8);
    if (/^["']?\s*:/.test(after)) {
      const quoted = found > 0 && (text[found - 1] === '"' || text[found - 1] === "'");
      const start = quoted ? found - 1 : found;
      let line = starts.length;
      while (line > 1 && starts[line - 1]! > start) line--;
      return { file: object.file, line, column: start - starts[line - 1]! + 1, document: object.document, length: key.length + (quoted ? 2 : 0) };
    }
    from = found - 1;
  }
  return at;
}

/**
 * The hint for a number or boolean where a string is wanted: the scalar quoted as the user wrote it
 * (`version: 1.10` is the string "1.10", not "1.1"; `rel: 010` is "010", not "8"). Without the
 * source text, or where the written text is not a plain scalar, the hint names no value, since the
 * parsed value would suggest a different string.
 */
function quoteHint(object: KubeObject, path: FieldPath, options: StrictOptions, lineStarts: Map<string, number[]>): string {
  const fallback = 'quote it in the manifest, as it is written';
  const text = options.textOf?.(object.file);
  const at = object.locate(path);
  if (text === undefined || at.length === undefined) return fallback;
  const start = (lineStartsOf(object.file, text, lineStarts)[at.line - 1] ?? 0) + at.column - 1;
  const written = text.slice(start, start + at.length).trim();
  // a plain scalar of one line: not a tag, alias, anchor, quoted or block scalar, nor a key (a fallback location)
  if (!/^[^\s!&*"'|>#\[\]{},][^\n#:,\[\]{}]*$/.test(written)) return fallback;
  return `quote it: "${written}"`;
}

function lineStartsOf(file: string, text: string, cache: Map<string, number[]>): number[] {
  let starts = cache.get(file);
  if (!starts) {
    starts = [0];
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
    cache.set(file, starts);
  }
  return starts;
}

/** kubectl's spelling of a field path: `spec.ingress[0].ports[1]`. */
export function formatPath(path: FieldPath): string {
  return path.reduce<string>((text, p) => (typeof p === 'number' ? `${text}[${p}]` : text === '' ? p : `${text}.${p}`), '') || '(document)';
}

/** For a list entry written as a bare value where the API wants a map, the spelling it wants. */
function hintFor(type: string, value: unknown): string {
  if (type === 'NetworkPolicyPort' && (typeof value === 'number' || typeof value === 'string')) return ` (write \`- port: ${typeof value === 'string' ? JSON.stringify(value) : value}\`)`;
  return '';
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'a map';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}

/**
 * A string, or a timestamp-looking scalar a YAML reader turned into a Date: sigs.k8s.io/yaml keeps
 * `2001-12-14` a string when it decodes into interface{}, so kubectl sends it as one.
 */
function isStringLike(value: unknown): boolean {
  return typeof value === 'string' || value instanceof Date;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}


export function getIn(value: unknown, path: FieldPath): unknown {
  let current = value;
  for (const p of path) current = isRecord(current) || Array.isArray(current) ? (current as Record<string | number, unknown>)[p] : undefined;
  return current;
}
