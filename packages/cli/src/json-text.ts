import { wellFormed } from './escape.js';

/**
 * Every JSON and SARIF file netdiagram writes, as text: two-space indented, one trailing newline.
 * Strings and keys are made well-formed first (lone surrogates become U+FFFD): `JSON.stringify`
 * writes a lone surrogate as the escape `\ud800`, which is valid JSON but not valid Unicode, and
 * `jq`, SARIF uploads and strict UTF-8 readers refuse the whole file over it.
 */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, wellFormedStrings, 2)}\n`;
}

/** A `JSON.stringify` replacer: it sees every value at every depth, so no walk of our own is needed. */
function wellFormedStrings(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return wellFormed(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  if (Object.keys(value).every((k) => wellFormed(k) === k)) return value;
  // rare (keys are validated label keys and names of our own): only an object that needs it is rebuilt
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [wellFormed(k), v]));
}
