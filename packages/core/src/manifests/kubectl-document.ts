import type { Document, Scalar, ScalarTag, YAMLMap } from 'yaml';
import type { DiagnosticCode } from '../diagnostics.js';
import { describeKubectlDifference, kubectlKey, readPlainScalar, type KubectlReading } from './kubectl-scalars.js';
import { yamlPackage } from './yaml-package.js';

/**
 * Explicit scalar tags kubectl resolves (`!!int "80"`). The `yaml` package reads every scalar as a
 * string under the failsafe schema; these entries only stop it warning "Unresolved tag", and
 * `resolveAsKubectl` then reads the text as go-yaml does.
 */
export const KUBECTL_SCALAR_TAGS: ScalarTag[] = ['int', 'float', 'bool', 'null'].map((name) => ({
  tag: `tag:yaml.org,2002:${name}`,
  resolve: (text: string) => text,
}));

const TAG = 'tag:yaml.org,2002:';

/** A problem found while reading a document as kubectl does, at a source offset. */
export interface KubectlFinding {
  readonly severity: 'error' | 'warning';
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly offset: number;
  readonly length: number;
}

type Entry =
  | { readonly step: 'node'; readonly node: unknown; readonly label: string }
  | { readonly step: 'key'; readonly pair: { key: unknown; value: unknown }; readonly seen: Map<string, string> };

/**
 * Gives every plain (and explicitly tagged) scalar of a parsed document the value kubectl's JSON
 * holds, in place, so `toJS` returns what `kubectl apply` sends: values as go-yaml v2 resolves them,
 * map keys as sigs.k8s.io/yaml spells them. Returns a warning for each scalar a YAML 1.2 reader
 * would read differently, and the first error that makes kubectl refuse the document (a null key,
 * two keys that become one, `.nan` or `.inf`, which JSON cannot hold). Walks without recursion;
 * the caller has already bounded the depth and ruled out recursive aliases.
 */
export function resolveAsKubectl(doc: Document.Parsed): { readonly findings: readonly KubectlFinding[]; readonly failed: boolean } {
  const { Scalar, isAlias, isMap, isScalar, isSeq } = yamlPackage();
  const findings: KubectlFinding[] = [];
  const fail = (code: DiagnosticCode, message: string, node: unknown): { findings: KubectlFinding[]; failed: true } => {
    findings.push({ severity: 'error', code, message: `${message}; document skipped`, ...span(node) });
    return { findings, failed: true };
  };
  const stack: Entry[] = [{ step: 'node', node: doc.contents, label: '' }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    if (entry.step === 'key') {
      const { pair, seen } = entry;
      const key = keyOf(pair.key, doc);
      if (key === undefined) continue; // a merge key (`<<`): its entries are not keys of this map
      if ('problem' in key) return fail('yaml/not-json', `${key.problem}, which kubectl cannot turn into a JSON key`, pair.key);
      const earlier = seen.get(key.key);
      if (earlier !== undefined) {
        const name = JSON.stringify(key.key.length > 80 ? `${key.key.slice(0, 77)}...` : key.key);
        return fail('yaml/duplicate-key', earlier === key.source
          ? `duplicate key ${name}: keys in a map must be unique`
          : `duplicate key ${name}: ${earlier} and ${key.source} are the same key as kubectl reads them`, pair.key);
      }
      seen.set(key.key, key.source);
      // an alias used as a key: give the pair a key of its own, spelled as kubectl spells it
      if (isAlias(pair.key)) pair.key = Object.assign(new Scalar(key.key), { range: pair.key.range });
      if (key.note) findings.push(warning(`key ${key.source}: is read as the key ${key.note}`, pair.key));
      continue;
    }
    const { node, label } = entry;
    if (isScalar(node)) {
      const problem = resolveValue(node, label, findings);
      if (problem) return fail(problem.code, problem.message, node);
      continue;
    }
    if (isMap(node)) {
      dropKeysALaterMergeOverrides(node, doc);
      const seen = new Map<string, string>();
      for (let i = node.items.length - 1; i >= 0; i--) {
        const pair = node.items[i]!;
        stack.push({ step: 'node', node: pair.value, label: labelOf(pair.key) });
        stack.push({ step: 'key', pair, seen });
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push({ step: 'node', node: node.items[i], label: `${label}[${i}]` });
    }
  }
  return { findings, failed: false };
}

/**
 * go-yaml v2 applies a merge key (`<<: *defaults`) where it stands, so the merged entries override
 * the explicit keys written *before* it (and lose to those after it); YAML's merge, and the `yaml`
 * package's, lets every explicit key win. Dropping the explicit pairs before a `<<` whose sources
 * define the same key makes `toJS` give kubectl's value.
 */
function dropKeysALaterMergeOverrides(map: YAMLMap<unknown, unknown>, doc: Document.Parsed): void {
  const { isAlias, isMap, isScalar, isSeq } = yamlPackage();
  const merges = map.items.filter((pair) => isScalar(pair.key) && typeof pair.key.value === 'symbol');
  for (const merge of merges) {
    const m = map.items.indexOf(merge);
    if (m === 0) continue;
    const merged = new Set<string>();
    const value = isAlias(merge.value) ? merge.value.resolve(doc) : merge.value;
    for (const item of isSeq(value) ? value.items : [value]) {
      const source = isAlias(item) ? item.resolve(doc) : item;
      if (!isMap(source)) continue; // not a map: the yaml package refuses the merge itself
      for (const pair of source.items) {
        const key = keyOf(pair.key, doc);
        if (key !== undefined && 'key' in key) merged.add(key.key);
      }
    }
    map.items = map.items.filter((pair, i) => {
      if (i >= m) return true;
      const key = keyOf(pair.key, doc);
      return key === undefined || !('key' in key) || !merged.has(key.key);
    });
  }
}

/** Resolves a value scalar in place; returns why kubectl refuses it, if it does. */
function resolveValue(node: Scalar, label: string, findings: KubectlFinding[]): { code: DiagnosticCode; message: string } | undefined {
  const { Scalar } = yamlPackage();
  const text = sourceOf(node);
  const at = label === '' ? '' : `${label}: `;
  if (node.tag !== undefined) {
    const tagged = readTagged(node, text);
    if ('problem' in tagged) return { code: 'yaml/syntax', message: `${at}${tagged.problem}` };
    node.value = tagged.value;
  } else {
    if (node.type !== Scalar.PLAIN || typeof node.value !== 'string') return undefined;
    const reading = readPlainScalar(text);
    node.value = valueOf(reading, text);
    const note = describeKubectlDifference(text, false);
    if (note) findings.push(warning(`${at}${text} is read as ${note}`, node));
  }
  if (typeof node.value === 'number' && !Number.isFinite(node.value)) {
    return { code: 'yaml/not-json', message: `${at}${text} is not a number JSON can hold, so kubectl cannot send this document` };
  }
  return undefined;
}

/**
 * An explicitly tagged scalar as go-yaml resolves it: `!!str` keeps the text, `!!int`/`!!float`/
 * `!!bool`/`!!null` read the text (quoted or not) and must resolve to that type (an integer may be
 * a float), `!!timestamp` keeps the text, `!!binary` is its decoded bytes; other tags keep the text.
 */
function readTagged(node: Scalar, text: string): { value: unknown } | { problem: string } {
  const tag = node.tag!.startsWith(TAG) ? node.tag!.slice(TAG.length) : node.tag!;
  if (tag === 'binary') {
    return node.value instanceof Uint8Array ? { value: new TextDecoder().decode(node.value) } : { value: text };
  }
  if (tag !== 'int' && tag !== 'float' && tag !== 'bool' && tag !== 'null') return { value: text };
  const reading = readPlainScalar(text);
  const fits = reading.kind === tag || (tag === 'float' && reading.kind === 'int');
  if (!fits) return { problem: `cannot decode ${JSON.stringify(text)} as !!${tag}, so kubectl refuses the document` };
  return { value: valueOf(reading, text) };
}

function valueOf(reading: KubectlReading, text: string): unknown {
  switch (reading.kind) {
    case 'str': return text;
    case 'null': return null;
    case 'bool': case 'int': case 'float': return reading.value;
  }
}

type Key = { key: string; source: string; note?: string } | { problem: string };

/** A map key as kubectl spells it, set on the key node so `toJS` and `getIn` use it; undefined for `<<`. */
function keyOf(keyNode: unknown, doc: Document.Parsed): Key | undefined {
  const { Scalar, isAlias, isScalar } = yamlPackage();
  if (isAlias(keyNode)) {
    const target = keyNode.resolve(doc);
    if (!isScalar(target)) return { problem: `alias *${keyNode.source} as a key is a map or a list` };
    return keyOf(Object.assign(new Scalar(target.value), { type: target.type, tag: target.tag, source: sourceOf(target) }), doc);
  }
  if (!isScalar(keyNode)) return { problem: 'an empty key is a null key' };
  if (typeof keyNode.value === 'symbol') return undefined;
  const text = sourceOf(keyNode);
  const source = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  if (keyNode.tag !== undefined) {
    const tagged = readTagged(keyNode, text);
    if ('problem' in tagged) return { problem: tagged.problem };
    const key = tagged.value === null ? undefined : typeof tagged.value === 'string' ? tagged.value : kubectlKeyOf(text);
    if (key === undefined) return { problem: `${source} is a null key` };
    keyNode.value = key;
    return { key, source };
  }
  if (keyNode.type !== Scalar.PLAIN) return { key: String(keyNode.value), source: JSON.stringify(text) };
  const resolved = kubectlKey(text);
  if ('problem' in resolved) return resolved;
  keyNode.value = resolved.key;
  const note = describeKubectlDifference(text, true);
  return note ? { key: resolved.key, source, note } : { key: resolved.key, source };
}

function kubectlKeyOf(text: string): string | undefined {
  const key = kubectlKey(text);
  return 'key' in key ? key.key : undefined;
}

function labelOf(keyNode: unknown): string {
  const { isAlias, isScalar } = yamlPackage();
  const value = isScalar(keyNode) ? keyNode.value : isAlias(keyNode) ? `*${keyNode.source}` : '?';
  const text = typeof value === 'string' ? value : String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function sourceOf(node: Scalar): string {
  return typeof node.source === 'string' ? node.source : String(node.value);
}

function span(node: unknown): { offset: number; length: number } {
  const { isAlias, isMap, isScalar, isSeq } = yamlPackage();
  const range = isScalar(node) || isAlias(node) || isMap(node) || isSeq(node) ? node.range : undefined;
  return range ? { offset: range[0], length: Math.max(1, range[1] - range[0]) } : { offset: 0, length: 1 };
}

function warning(message: string, node: unknown): KubectlFinding {
  return { severity: 'warning', code: 'yaml/kubectl-scalar', message, ...span(node) };
}

