/**
 * Plain YAML scalars as `kubectl apply` reads them.
 *
 * kubectl turns each YAML document into JSON with sigs.k8s.io/yaml's `YAMLToJSON`, which decodes with
 * go-yaml v2 (`go.yaml.in/yaml/v2`, YAML 1.1 scalars) into `interface{}` and then rewrites map keys
 * as strings (`convertToJSONableObject`). The rules below are go-yaml v2's `resolve` (resolve.go) and
 * that key conversion, transcribed; docs/semantics.md quotes them. Only plain (unquoted, untagged)
 * scalars resolve: a quoted or block scalar is always a string.
 */

/** What one plain scalar resolves to. Integers keep their exact decimal text for map keys. */
export type KubectlReading =
  | { readonly kind: 'str' }
  | { readonly kind: 'null' }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'int'; readonly value: number; readonly decimal: string; readonly unsigned: boolean }
  | { readonly kind: 'float'; readonly value: number };

const STRING: KubectlReading = { kind: 'str' };

// resolve.go's resolveMap: these exact spellings, nothing else (`yEs` stays a string)
const WORDS = new Map<string, KubectlReading>();
for (const [value, spellings] of [
  [{ kind: 'bool', value: true }, ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']],
  [{ kind: 'bool', value: false }, ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']],
  [{ kind: 'null' }, ['', '~', 'null', 'Null', 'NULL']],
  [{ kind: 'float', value: Number.NaN }, ['.nan', '.NaN', '.NAN']],
  [{ kind: 'float', value: Number.POSITIVE_INFINITY }, ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']],
  [{ kind: 'float', value: Number.NEGATIVE_INFINITY }, ['-.inf', '-.Inf', '-.INF']],
] as const) {
  for (const spelling of spellings) WORDS.set(spelling, value as KubectlReading);
}

// resolve.go's yamlStyleFloat, tried on the text without underscores after the integer parses fail
const GO_YAML_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
// what Go's strconv.ParseFloat accepts of a text that starts with '.' (resolve.go's '.' hint)
const DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;
const DIGITS: Record<number, RegExp> = { 2: /^[01]+$/, 8: /^[0-7]*$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ };
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/**
 * How kubectl reads a plain scalar (resolve.go's `resolve` with an empty tag). The first character
 * decides what the text may be: a sign or digit (integer, float), one of `yYnNtTfFoO~` (the word
 * table), `.` (the table or a float); anything else is a string. Timestamps (`2001-12-14`) decode
 * into `interface{}` as their text, so they are strings here.
 */
export function readPlainScalar(text: string): KubectlReading {
  if (text.length === 0) return WORDS.get('')!;
  const first = text.charCodeAt(0);
  const digit = first >= 48 && first <= 57;
  const sign = first === 43 || first === 45; // + -
  if (!digit && !sign && first !== 46 && !isWordStart(first)) return STRING;
  const word = WORDS.get(text);
  if (word) return word;
  if (first === 46) return readFloat(text, DOT_FLOAT.test(text));
  if (!digit && !sign) return STRING;
  // the common case, a short decimal number (`8080`), without building a BigInt
  if (digit && first !== 48 && text.length <= 15 && DIGITS[10]!.test(text)) {
    return { kind: 'int', value: Number(text), decimal: text, unsigned: false };
  }
  const plain = text.replaceAll('_', '');
  const integer = parseGoInteger(plain);
  if (integer !== undefined) {
    const signed = integer >= -INT64_MAX - 1n && integer <= INT64_MAX;
    // ParseUint takes what ParseInt refused as too large, but never a sign
    if (signed || (!sign && integer <= UINT64_MAX)) {
      return { kind: 'int', value: Number(integer), decimal: integer.toString(), unsigned: !signed };
    }
  }
  return readFloat(plain, GO_YAML_FLOAT.test(plain));
}

function readFloat(text: string, wellFormed: boolean): KubectlReading {
  if (!wellFormed) return STRING;
  const value = Number(text);
  // ParseFloat fails with ErrRange past the largest float64, and resolve then keeps the text
  return Number.isFinite(value) ? { kind: 'float', value } : STRING;
}

function isWordStart(code: number): boolean {
  // y Y n N t T f F o O ~
  return code === 121 || code === 89 || code === 110 || code === 78 || code === 116 || code === 84
    || code === 102 || code === 70 || code === 111 || code === 79 || code === 126;
}

/**
 * Go's `strconv.ParseInt(s, 0, 64)` syntax without its range check: an optional sign, then `0b`,
 * `0o` or `0x` (any case) and digits of that base, or `0` and octal digits (`0443` is 291), or a
 * decimal. `0x` alone is not a number (the prefix needs a digit after it).
 */
function parseGoInteger(text: string): bigint | undefined {
  const negative = text.startsWith('-');
  const body = negative || text.startsWith('+') ? text.slice(1) : text;
  if (body.length === 0) return undefined;
  let base = 10;
  let digits = body;
  if (body.startsWith('0')) {
    const prefix = body.length >= 3 ? body[1]!.toLowerCase() : '';
    base = prefix === 'b' ? 2 : prefix === 'o' ? 8 : prefix === 'x' ? 16 : 8;
    digits = prefix === 'b' || prefix === 'o' || prefix === 'x' ? body.slice(2) : body.slice(1);
  }
  if (!DIGITS[base]!.test(digits)) return undefined;
  const magnitude = digits.length === 0 ? 0n : BigInt(base === 10 ? digits : `0${base === 2 ? 'b' : base === 8 ? 'o' : 'x'}${digits}`);
  return negative ? -magnitude : magnitude;
}

/** The JavaScript value kubectl's JSON holds for a plain scalar (JSON numbers are doubles here). */
export function kubectlValue(text: string): unknown {
  return valueOf(readPlainScalar(text), text);
}

function valueOf(reading: KubectlReading, text: string): unknown {
  switch (reading.kind) {
    case 'str': return text;
    case 'null': return null;
    case 'bool': case 'int': case 'float': return reading.value;
  }
}

/** A map key as kubectl's JSON spells it, or why kubectl cannot turn it into one. */
export type KubectlKey = { readonly key: string } | { readonly problem: string };

/**
 * convertToJSONableObject's key rule: a string stays, an integer is its decimal text, a bool is
 * `true`/`false`, a float is `strconv.FormatFloat(f, 'g', -1, 32)` with `.inf`/`-.inf`/`.nan`;
 * a null key, or an integer too large for int64 (go-yaml's uint64), is "unsupported map key".
 */
export function kubectlKey(text: string): KubectlKey {
  const reading = readPlainScalar(text);
  switch (reading.kind) {
    case 'str': return { key: text };
    case 'bool': return { key: String(reading.value) };
    case 'int': return reading.unsigned ? { problem: `${text} is an unsigned 64-bit integer key` } : { key: reading.decimal };
    case 'float': return { key: formatFloat32(reading.value) };
    case 'null': return { problem: `${text === '' ? 'an empty key' : text} is a null key` };
  }
}

/**
 * Go's `strconv.FormatFloat(value, 'g', -1, 32)`: the shortest digits that read back as the same
 * float32, in exponent form (`1e+06`, two exponent digits at least) when the exponent is below -4
 * or at least 6, with go-yaml's spellings for the infinities and NaN.
 */
export function formatFloat32(value: number): string {
  const single = Math.fround(value);
  if (Number.isNaN(single)) return '.nan';
  if (single === Number.POSITIVE_INFINITY) return '.inf';
  if (single === Number.NEGATIVE_INFINITY) return '-.inf';
  const sign = single < 0 || Object.is(single, -0) ? '-' : '';
  const magnitude = Math.abs(single);
  if (magnitude === 0) return `${sign}0`;
  let mantissa = '';
  let exponent = 0;
  for (let precision = 1; precision <= 9; precision++) {
    const candidate = magnitude.toExponential(precision - 1);
    if (Math.fround(Number(candidate)) === magnitude) {
      const [m, e] = candidate.split('e');
      mantissa = m!.replace('.', '');
      exponent = Number(e);
      break;
    }
  }
  if (exponent < -4 || exponent >= 6) {
    const fraction = mantissa.length > 1 ? `.${mantissa.slice(1)}` : '';
    return `${sign}${mantissa[0]}${fraction}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${mantissa}`;
  const whole = mantissa.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = mantissa.slice(exponent + 1);
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

// the YAML 1.2 core schema (spec 10.3.2), which the `yaml` package and most editors use
const CORE_NULL = /^(?:~|null|Null|NULL)?$/;
const CORE_TRUE = /^(?:true|True|TRUE)$/;
const CORE_FALSE = /^(?:false|False|FALSE)$/;
const CORE_INT = /^[-+]?[0-9]+$/;
const CORE_OCTAL = /^0o[0-7]+$/;
const CORE_HEX = /^0x[0-9a-fA-F]+$/;
const CORE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const CORE_INF = /^[-+]?\.(?:inf|Inf|INF)$/;
const CORE_NAN = /^\.(?:nan|NaN|NAN)$/;

/** What a YAML 1.2 core-schema reader makes of the same plain scalar. */
export function coreSchemaValue(text: string): unknown {
  if (CORE_NULL.test(text)) return null;
  if (CORE_TRUE.test(text)) return true;
  if (CORE_FALSE.test(text)) return false;
  if (CORE_INT.test(text)) return Number(text);
  if (CORE_OCTAL.test(text)) return parseInt(text.slice(2), 8);
  if (CORE_HEX.test(text)) return parseInt(text.slice(2), 16);
  if (CORE_FLOAT.test(text)) return Number(text);
  if (CORE_INF.test(text)) return text.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (CORE_NAN.test(text)) return Number.NaN;
  return text;
}

/**
 * How kubectl's reading of a plain scalar differs from a YAML 1.2 reading, as words for a warning
 * (`291, as kubectl applies it (not 443)`), or undefined when both read the same.
 */
export function describeKubectlDifference(text: string, atKey: boolean): string | undefined {
  if (readsAlike(text)) return undefined;
  const core = coreSchemaValue(text);
  if (atKey) {
    const kubectl = kubectlKey(text);
    if (!('key' in kubectl)) return undefined; // an error of its own
    const coreKey = core === null ? '' : String(core);
    return kubectl.key === coreKey ? undefined : `${JSON.stringify(kubectl.key)}, as kubectl applies it (not ${JSON.stringify(coreKey)})`;
  }
  const kubectl = kubectlValue(text);
  if (kubectl === core || (Number.isNaN(kubectl) && Number.isNaN(core))) return undefined;
  return `${spell(kubectl)}, as kubectl applies it (not ${spell(core)})`;
}

/**
 * A quick "both read it the same" for the common scalar, before comparing in full: a text kubectl
 * reads as a string that does not start like a number (YAML 1.2's only other non-strings, `null`,
 * `true`, `false` and their spellings, are kubectl's too), one of those spellings, or a plain
 * decimal such as `8080`. The fast reader asks this of every plain scalar it reads.
 */
function readsAlike(text: string): boolean {
  const first = text.charCodeAt(0);
  const numeric = (first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46;
  if (!numeric) return text.length > 0 && (CORE_WORDS.has(text) || readPlainScalar(text).kind === 'str');
  return first !== 48 && text.length <= 15 && DIGITS[10]!.test(text);
}

const CORE_WORDS = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL', '~']);

/**
 * Whether kubectl reads a plain scalar as a value unlike a YAML 1.2 reader, given its reading: the
 * fast reader asks this of every plain scalar, so the common cases are answered without comparing.
 */
export function readsUnlikeYaml12(text: string, reading: KubectlReading): boolean {
  switch (reading.kind) {
    case 'bool': case 'null': return !CORE_WORDS.has(text) && text !== ''; // y, n, on, off…: strings in YAML 1.2
    case 'str': {
      const first = text.charCodeAt(0);
      const numeric = (first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46;
      return numeric && describeKubectlDifference(text, false) !== undefined; // 1e400, a hex past 64 bits
    }
    case 'int': case 'float': return describeKubectlDifference(text, false) !== undefined;
  }
}

function spell(value: unknown): string {
  return typeof value === 'string' ? `the string ${JSON.stringify(value)}` : String(value);
}
