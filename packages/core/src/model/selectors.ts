import { diagnostic, type Diagnostic } from '../diagnostics.js';
import type { FieldPath } from '../manifests/parse.js';
import type { SourceLocation } from '../diagnostics.js';
import { isValidLabelKey, isValidLabelValue } from './labels.js';

export type Labels = Readonly<Record<string, string>>;

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/** One requirement of a label selector; `matchLabels` entries become `In` with one value. */
export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/** A compiled label selector: the AND of its requirements. No requirements selects everything. */
export interface Selector {
  readonly requirements: readonly Requirement[];
}

export const SELECT_ALL: Selector = { requirements: [] };

/**
 * Whether labels satisfy a selector: `matchLabels` AND every `matchExpressions` entry, where
 * `NotIn` and `DoesNotExist` hold when the key is absent.
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */
export function matchesSelector(selector: Selector, labels: Labels): boolean {
  for (const r of selector.requirements) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const value = has ? labels[r.key] : undefined;
    switch (r.operator) {
      case 'In':
        if (!has || !r.values.includes(value!)) return false;
        break;
      case 'NotIn':
        if (has && r.values.includes(value!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

export interface CompiledSelector {
  /** undefined when the selector is invalid; the caller decides what an invalid selector means. */
  readonly selector: Selector | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

const OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** Compiles a `LabelSelector` object, reporting unknown operators and malformed values at their position. */
export function compileSelector(raw: unknown, path: FieldPath, locate: (path: FieldPath) => SourceLocation): CompiledSelector {
  const diagnostics: Diagnostic[] = [];
  const requirements: Requirement[] = [];
  if (raw === undefined || raw === null) return { selector: SELECT_ALL, diagnostics };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { selector: undefined, diagnostics: [diagnostic('error', 'k8s/invalid-field', 'a label selector must be an object', locate(path))] };
  }
  const { matchLabels, matchExpressions } = raw as { matchLabels?: unknown; matchExpressions?: unknown };
  if (matchLabels !== undefined && matchLabels !== null) {
    if (typeof matchLabels !== 'object' || Array.isArray(matchLabels)) {
      diagnostics.push(diagnostic('error', 'k8s/invalid-field', 'matchLabels must be a map of strings', locate([...path, 'matchLabels'])));
    } else {
      for (const key of Object.keys(matchLabels).sort()) {
        const value = (matchLabels as Record<string, unknown>)[key];
        const text = scalarText(value);
        if (text === undefined) {
          diagnostics.push(diagnostic('error', 'k8s/invalid-field', `matchLabels value for "${key}" must be a string`, locate([...path, 'matchLabels', key])));
          continue;
        }
        if (!isValidLabelKey(key) || !isValidLabelValue(text)) {
          diagnostics.push(diagnostic('error', 'k8s/invalid-label', `matchLabels entry "${key}: ${text}" is not a valid label`, locate([...path, 'matchLabels', key])));
          continue;
        }
        requirements.push({ key, operator: 'In', values: [text] });
      }
    }
  }
  if (matchExpressions !== undefined && matchExpressions !== null) {
    if (!Array.isArray(matchExpressions)) {
      diagnostics.push(diagnostic('error', 'k8s/invalid-field', 'matchExpressions must be a list', locate([...path, 'matchExpressions'])));
    } else {
      matchExpressions.forEach((expr, i) => {
        const at = [...path, 'matchExpressions', i];
        const { key, operator, values } = (expr ?? {}) as { key?: unknown; operator?: unknown; values?: unknown };
        if (typeof key !== 'string' || key === '') {
          diagnostics.push(diagnostic('error', 'k8s/invalid-field', 'matchExpressions entry needs a key', locate(at)));
          return;
        }
        // ValidateLabelSelectorRequirement: the key is a qualified name, as a label key is
        if (!isValidLabelKey(key)) {
          diagnostics.push(diagnostic('error', 'k8s/invalid-label',
            `matchExpressions key "${key}" is not a valid label key (a name of at most 63 characters, with an optional DNS prefix)`, locate([...at, 'key'])));
          return;
        }
        if (!OPERATORS.includes(operator as SelectorOperator)) {
          diagnostics.push(diagnostic('error', 'selector/unknown-operator',
            `unknown selector operator ${JSON.stringify(operator)} (expected In, NotIn, Exists or DoesNotExist)`, locate([...at, 'operator'])));
          return;
        }
        const op = operator as SelectorOperator;
        const list = values === undefined || values === null ? [] : values;
        if (!Array.isArray(list) || list.some((v) => scalarText(v) === undefined)) {
          diagnostics.push(diagnostic('error', 'selector/invalid-values', 'values must be a list of strings', locate([...at, 'values'])));
          return;
        }
        const texts = list.map((v) => scalarText(v)!);
        if ((op === 'In' || op === 'NotIn') && texts.length === 0) {
          diagnostics.push(diagnostic('error', 'selector/invalid-values', `operator ${op} needs at least one value`, locate([...at, 'operator'])));
          return;
        }
        if ((op === 'Exists' || op === 'DoesNotExist') && texts.length > 0) {
          diagnostics.push(diagnostic('error', 'selector/invalid-values', `operator ${op} takes no values`, locate([...at, 'values'])));
          return;
        }
        // …and every value a valid label value (the API server lets only pre-existing objects keep invalid ones)
        const bad = texts.findIndex((v) => !isValidLabelValue(v));
        if (bad >= 0) {
          diagnostics.push(diagnostic('error', 'selector/invalid-values',
            `value "${texts[bad]}" is not a valid label value (at most 63 characters: letters, digits, '-', '_', '.')`, locate([...at, 'values', bad])));
          return;
        }
        requirements.push({ key, operator: op, values: [...texts].sort() });
      });
    }
  }
  const failed = diagnostics.some((d) => d.severity === 'error');
  return { selector: failed ? undefined : { requirements }, diagnostics };
}

/** YAML may give numbers or booleans where Kubernetes expects strings (`version: 2`); read them as text. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Formats a selector in kubectl syntax (`app=web,tier in (a,b)`), `{}` for select-all. */
export function formatSelector(selector: Selector): string {
  if (selector.requirements.length === 0) return '{}';
  return selector.requirements
    .map((r) => {
      switch (r.operator) {
        case 'In':
          return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`;
        case 'NotIn':
          return `${r.key} notin (${r.values.join(',')})`;
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
      }
    })
    .join(',');
}

/** A key that is equal for selectors with the same requirements in the same order, to match each distinct selector once. */
export function selectorKey(selector: Selector): string {
  return JSON.stringify(selector.requirements.map((r) => [r.key, r.operator, r.values]));
}
