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
  const slash = key.indexOf('/');
  if (slash < 0) return NAME.test(key);
  const prefix = key.slice(0, slash);
  return prefix.length > 0 && prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix) && NAME.test(key.slice(slash + 1));
}

export function isValidLabelValue(value: string): boolean {
  return value === '' || NAME.test(value);
}

/** The first invalid entry of a label map, described for a diagnostic, or undefined when all are valid. */
export function findInvalidLabel(labels: Readonly<Record<string, string>>): { key: string; problem: string } | undefined {
  for (const key of Object.keys(labels).sort()) {
    if (!isValidLabelKey(key)) return { key, problem: `label key "${key}" is not valid (a name of at most 63 characters, with an optional DNS prefix)` };
    if (!isValidLabelValue(labels[key]!)) return { key, problem: `label value "${labels[key]}" of "${key}" is not valid (at most 63 characters: letters, digits, '-', '_', '.')` };
  }
  return undefined;
}
