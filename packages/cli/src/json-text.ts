import { wellFormed } from './escape.js';

/**
 * Every JSON and SARIF file netdiagram writes, as text: two-space indented, one trailing newline.
 * Strings and keys are made well-formed first (lone surrogates become U+FFFD): `JSON.stringify`
 * writes a lone surrogate as the escape `\ud800`, which is valid JSON but not valid Unicode, and
 * `jq`, SARIF uploads and strict UTF-8 readers refuse the whole file over it. Control characters
 * `JSON.stringify` leaves raw (C1 such as U+009B, line separators, bidi overrides) are written as
 * `\uXXXX` escapes: the same string to a JSON reader, inert when the file is shown in a terminal.
 * Outside strings JSON text is ASCII, so the replacement can only touch string contents.
 */
export function jsonText(value: unknown): string {
  // the common text needs neither: JSON.stringify without a replacer is several times faster, and a
  // lone surrogate anywhere comes out of it as a `\udXXX` escape, so a text without one, and without a
  // raw control character, is what the careful path writes (a false alarm only costs the careful path)
  const plain = JSON.stringify(value, undefined, 2);
  if (!NEEDS_CARE.test(plain)) return `${plain}\n`;
  return `${JSON.stringify(value, wellFormedStrings, 2).replace(RAW_CONTROL, escaped)}\n`;
}

const NEEDS_CARE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\\ud[89a-f]/i;

const RAW_CONTROL = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const escaped = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** A `JSON.stringify` replacer: it sees every value at every depth, so no walk of our own is needed. */
function wellFormedStrings(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return wellFormed(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  if (Object.keys(value).every((k) => wellFormed(k) === k)) return value;
  // rare (keys are validated label keys and names of our own): only an object that needs it is rebuilt
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [wellFormed(k), v]));
}
