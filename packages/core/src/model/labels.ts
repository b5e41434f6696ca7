/**
 * Label syntax as the API server validates it: a key is an optional DNS-subdomain prefix and `/`,
 * then a name of at most 63 characters; a value is empty or a name of at most 63 characters.
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 */
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The label the API server gives every namespace, its own name: the one label no other namespace can carry. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export function isValidLabelKey(key: string): boolean {
  return remembered(validKeys, key, labelKeySyntax);
}

export function isValidLabelValue(value: string): boolean {
  return value === '' || isName(value);
}

function labelKeySyntax(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return NAME.test(key);
  const prefix = key.slice(0, slash);
  return prefix.length > 0 && prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix) && NAME.test(key.slice(slash + 1));
}

/**
 * NAME, as a loop over the characters: label values are mostly distinct (`app: web-1234`), so
 * remembering them only filled a set, and the loop is quicker than the regular expression.
 */
function isName(text: string): boolean {
  const n = text.length;
  if (n === 0 || n > 63 || !isAlphanumeric(text.charCodeAt(0)) || !isAlphanumeric(text.charCodeAt(n - 1))) return false;
  for (let i = 1; i < n - 1; i++) {
    const c = text.charCodeAt(i);
    if (!isAlphanumeric(c) && c !== 45 /* - */ && c !== 95 /* _ */ && c !== 46 /* . */) return false;
  }
  return true;
}

function isAlphanumeric(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Keys already found valid: the same few dozen label keys recur on every
 * object of an input (and on each object twice, checked as the API server does and read by the
 * model), and a regular expression per label was a noticeable part of reading 10,000 pods. Bounded,
 * so a long-running process reading many inputs does not keep every string it ever saw.
 */
const validKeys = new Set<string>();
const MAX_REMEMBERED = 50_000;

function remembered(set: Set<string>, text: string, valid: (text: string) => boolean): boolean {
  if (set.has(text)) return true;
  if (!valid(text)) return false;
  if (set.size >= MAX_REMEMBERED) set.clear();
  set.add(text);
  return true;
}

/** The first invalid entry of a label map, described for a diagnostic, or undefined when all are valid. */
export function findInvalidLabel(labels: Readonly<Record<string, string>>): { key: string; problem: string } | undefined {
  // nearly every map is valid: only a map with an invalid entry needs its keys sorted to name the first
  let allValid = true;
  for (const key in labels) {
    if (!isValidLabelKey(key) || !isValidLabelValue(labels[key]!)) {
      allValid = false;
      break;
    }
  }
  if (allValid) return undefined;
  for (const key of Object.keys(labels).sort()) {
    if (!isValidLabelKey(key)) return { key, problem: `label key "${key}" is not valid (a name of at most 63 characters, with an optional DNS prefix)` };
    if (!isValidLabelValue(labels[key]!)) return { key, problem: `label value "${labels[key]}" of "${key}" is not valid (at most 63 characters: letters, digits, '-', '_', '.')` };
  }
  return undefined;
}
