import { isValidLabelKey as isKey, isValidLabelValue } from '../model/labels.js';
import type { Requirement, Selector } from '../model/selectors.js';

/** A parsed selector, or why the text is not one. */
export type ParsedSelectorText =
  | { readonly ok: true; readonly selector: Selector }
  | { readonly ok: false; readonly reason: string };

/**
 * Parses a label selector written in kubectl syntax (`app=pci`, `tier!=web`, `app in (pay,vault)`,
 * `env notin (dev)`, `pci`, `!legacy`, requirements joined by commas) into a selector. The empty
 * string selects everything. `!=` and `notin` hold for objects without the key, as in Kubernetes.
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */
export function parseSelectorText(text: string): ParsedSelectorText {
  const parts = splitTopLevel(text.trim());
  if (parts === undefined) return { ok: false, reason: `unbalanced parentheses in "${text}"` };
  const requirements: Requirement[] = [];
  for (const part of parts) {
    const parsed = parseRequirement(part.trim());
    if (typeof parsed === 'string') return { ok: false, reason: parsed };
    requirements.push(parsed);
  }
  return { ok: true, selector: { requirements } };
}

function splitTopLevel(text: string): string[] | undefined {
  if (text === '') return [];
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth < 0) return undefined;
    } else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) return undefined;
  parts.push(text.slice(start));
  return parts;
}

function parseRequirement(part: string): Requirement | string {
  if (part === '') return 'empty requirement (two commas in a row?)';
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(part);
  if (set) {
    const key = set[1]!;
    if (!isKey(key)) return `"${key}" is not a label key`;
    if (set[3]!.trim() === '') return `"${part}" needs at least one value`;
    const values = set[3]!.split(',').map((v) => v.trim());
    const bad = values.find((v) => !isValidLabelValue(v));
    if (bad !== undefined) return `"${bad}" is not a label value`;
    return { key, operator: set[2] === 'in' ? 'In' : 'NotIn', values: [...new Set(values)].sort() };
  }
  const equality = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
  if (equality) {
    const [, key, op, value] = equality;
    if (!isKey(key!)) return `"${key}" is not a label key`;
    if (!isValidLabelValue(value!)) return `"${value}" is not a label value`;
    return { key: key!, operator: op === '!=' ? 'NotIn' : 'In', values: [value!] };
  }
  if (part.startsWith('!')) {
    const key = part.slice(1).trim();
    if (!isKey(key)) return `"${key}" is not a label key`;
    return { key, operator: 'DoesNotExist', values: [] };
  }
  if (isKey(part)) return { key: part, operator: 'Exists', values: [] };
  return `cannot read "${part}" as a selector requirement (expected key=value, key!=value, key in (a,b), key notin (a,b), key or !key)`;
}
