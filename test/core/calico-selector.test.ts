import { describe, expect, it } from 'vitest';
import { formatCalicoSelector, matchesCalicoSelector, parseCalicoSelector } from '../../packages/core/src/model/calico-selector.js';

// Cases built from Calico's own parser tests (projectcalico/calico libcalico-go/lib/selector/parser/
// parser_test.go `selectorTests`, `badSelectors`, `canonicalisationTests`; tokenizer/tokenizer_test.go
// `tokenTests`, at 87c15906) and the selector section of calico/reference/resources/networkpolicy.
// Read there, written here: no code is copied.

type Labels = Record<string, string>;
const cases: [selector: string, matches: Labels[], nonMatches: Labels[]][] = [
  [`a == "b"`, [{ a: 'b' }, { a: 'b', c: 'd' }], [{}, { a: 'c' }, { c: 'd' }]],
  [`a == "b" && c == "d"`, [{ a: 'b', c: 'd' }], [{}, { a: 'b', c: 'e' }, { a: 'c', c: 'd' }, { c: 'd' }, { a: 'b' }]],
  [`a == "b" || c == "d"`, [{ a: 'b', c: 'd' }, { a: 'b' }, { c: 'd' }], [{}, { a: 'e', c: 'e' }, { c: 'e' }, { a: 'e' }]],
  [`a in {"'", '"', "c"}`, [{ a: 'c' }, { a: '"' }, { a: "'" }], [{}, { a: 'e' }]],
  [`a not in {"'", '"', "c"}`, [{}, { a: 'e' }], [{ a: 'c' }, { a: '"' }, { a: "'" }]],
  [`a == 'a'`, [{ a: 'a' }], [{ a: 'b' }, {}]],
  [`a != "b"`, [{ a: 'a' }, {}], [{ a: 'b' }]],
  [`a != "a"`, [{}], [{ a: 'a' }]],
  [`a contains "a"`, [{ a: 'a' }, { a: 'bab' }, { a: 'aaa', b: 'c' }], [{}, { a: 'b' }, { b: 'aaa' }]],
  [`a starts with "a"`, [{ a: 'a' }, { a: 'abb' }, { a: 'aaa', b: 'c' }], [{}, { a: 'b' }, { a: 'baa' }, { b: 'aaa' }]],
  [`a ends with "a"`, [{ a: 'a' }, { a: 'bba' }, { a: 'aaa', b: 'c' }], [{}, { a: 'b' }, { a: 'aab' }, { b: 'aaa' }]],
  [`a startswith "x"`, [{ a: 'xy' }], [{ a: 'yx' }]],
  [`a endswith "x"`, [{ a: 'yx' }], [{ a: 'xy' }]],
  [`a starts  with "x"`, [{ a: 'xy' }], [{}]],
  [`a in {"a"}`, [{ a: 'a' }], [{ a: 'b' }, {}]],
  [`!a in {"a"}`, [{ a: 'b' }, {}], [{ a: 'a' }]],
  [`a in {"a", "b"}`, [{ a: 'a' }, { a: 'b' }], [{ a: 'c' }]],
  [`a in {}`, [], [{ a: '' }, {}]],
  [`a not in {}`, [{ a: 'x' }, {}], []],
  [`a in {"x",}`, [{ a: 'x' }], [{ a: 'y' }]],
  [`a notin {"d", "e"}`, [{ a: 'a' }], [{ a: 'd' }]],
  [`a not in {"d", "e"}`, [{ a: 'a' }], [{ a: 'e' }]],
  [`has(a)`, [{ a: 'b' }, { a: '' }], [{ b: 'b' }, {}]],
  [`has( a )`, [{ a: 'b' }], [{}]],
  [`!has(a)`, [{ b: 'b' }, {}], [{ a: 'b' }]],
  [`!!has(b)`, [{ b: 'x' }], [{ a: 'b' }]],
  [`! has(a)`, [{}], [{ a: 'b' }]],
  [`!!! has(a)`, [{}], [{ a: 'b' }]],
  [`!! ! has(a)`, [{}], [{ a: 'b' }]],
  [``, [{}, { a: 'b' }], []],
  [` `, [{}], []],
  [`all()`, [{}, { a: 'b' }], []],
  [` all( ) `, [{}], []],
  [`global()`, [{}, { a: 'b' }], []],
  [`a == 'a1' && b == 'b1'`, [{ a: 'a1', b: 'b1' }], [{ a: 'a1' }]],
  [`a == 'a1' && b != 'b1'`, [{ a: 'a1' }], [{ a: 'a1', b: 'b1' }]],
  [`a != 'a1' && b == 'b1'`, [{ b: 'b1' }], [{ a: 'a1', b: 'b1' }]],
  [`a != 'a1' && b != 'b1'`, [{}], [{ a: 'a1', b: 'b1' }]],
  [`a != 'a1' && !b == 'b1'`, [{ a: 'x', b: 'y' }], [{ a: 'a1', b: 'b1' }]],
  [`!a == 'a1' && b == 'b1'`, [{ b: 'b1' }], [{ a: 'a1', b: 'b1' }]],
  [`has(a) && !has(b)`, [{ a: 'a' }], [{ a: 'a', b: 'b' }]],
  [`!(!has(a) || has(b))`, [{ a: 'a' }], [{ a: 'a', b: 'b' }, {}]],
  [`!(has(b) || !has(a))`, [{ a: 'a' }], [{ b: 'b' }]],
  [`a == 'a1' || b != 'b1'`, [{ a: 'a1', b: 'b1' }, {}], [{ b: 'b1' }]],
  [`a != 'a1' || b == 'b1'`, [{ a: 'a1', b: 'b1' }], [{ a: 'a1' }]],
  [`a != 'a1' || b != 'b1'`, [{ a: 'a1' }], [{ a: 'a1', b: 'b1' }]],
  [`! a == 'a1' || ! b == 'b1'`, [{ a: 'a1' }], [{ a: 'a1', b: 'b1' }]],
  // precedence: && binds tighter than ||, ! tighter than both, parentheses override
  [`a == '1' || b == '1' && c == '1'`, [{ a: '1' }, { b: '1', c: '1' }], [{ b: '1' }]],
  [`(a == '1' || b == '1') && c == '1'`, [{ a: '1', c: '1' }], [{ a: '1' }]],
  [`!(a == '1' && b == '1')`, [{ a: '1' }, {}], [{ a: '1', b: '1' }]],
  // the tokenizer needs no spaces around symbols, and keywords are also valid label names
  [`a=="b"`, [{ a: 'b' }], [{ a: 'c' }]],
  [`a!='"'`, [{ a: 'x' }], [{ a: '"' }]],
  [`contains contains 'contains'`, [{ contains: 'xcontainsx' }], [{ contains: 'x' }]],
  [`startswith starts with "v"`, [{ startswith: 'value' }], [{ startswith: 'x' }]],
  [`label contains"value"`, [{ label: 'a value' }], [{ label: 'x' }]],
  [`in in {'in'}`, [{ in: 'in' }], [{ in: 'out' }]],
  // label syntax: prefixes, dots, dashes, digits
  [`projectcalico.org/namespace == 'shop'`, [{ 'projectcalico.org/namespace': 'shop' }], [{ 'projectcalico.org/namespace': 'x' }]],
  [`app.kubernetes.io/name in {'web', 'api'} && tier != 'db'`, [{ 'app.kubernetes.io/name': 'api' }], [{ 'app.kubernetes.io/name': 'api', tier: 'db' }]],
  [`9lives == "yes"`, [{ '9lives': 'yes' }], [{}]],
  [`${'a'.repeat(512)} == "v"`, [{ ['a'.repeat(512)]: 'v' }], [{}]],
  // values are compared exactly: case, whitespace, empty strings
  [`a == ''`, [{ a: '' }], [{}, { a: ' ' }]],
  [`a == 'B'`, [{ a: 'B' }], [{ a: 'b' }]],
  [`a contains ''`, [{ a: 'x' }, { a: '' }], [{}]],
  // the docs' examples (reference/resources/networkpolicy "Selectors")
  [`type == 'webserver' && deployment == 'prod'`, [{ type: 'webserver', deployment: 'prod' }], [{ type: 'webserver', deployment: 'dev' }]],
  [`type in {'frontend', 'backend'}`, [{ type: 'backend' }], [{ type: 'db' }]],
  [`deployment != 'dev'`, [{ deployment: 'prod' }, {}], [{ deployment: 'dev' }]],
  [`! has(label-name)`, [{ other: 'x' }], [{ 'label-name': '' }]],
];

const badSelectors: string[] = [
  'b == b', 'b contains b', 'b starts with b', 'b ends with b', "'b1' == b", 'b', 'a b', '!',
  'foo == "bar" &', 'foo == "bar" |', 'foo != ||', 'foo in {"", ||', 'foo in ""', '"FOO', `"FOO'`, "'FOO",
  '(', '(a == "foo"', ')', '()', '%', 'a == "b" && %', 'a == "b" || %', 'a ', 'has(foo) &&',
  // tokenizer_test.go tokenTests that must not tokenize
  `${'a'.repeat(513)} == "value"`, 'label == "value', "label = 'value'", 'all(', 'global(', 'has()', 'has(foo', 'has( foo ',
  'a == "b" & has(foo)', 'a == "b" | has(foo)', 'label starts foo "value"', 'label inf "value"', 'label ends withs "value"', 'label squiggles "value"',
  // newlines are not whitespace in a selector
  'a == "b"\n&& c == "d"',
  'has (a)', 'a in {"x" "y"}', 'a == "b" c == "d"',
];

describe('parseCalicoSelector and matchesCalicoSelector', () => {
  const rows = cases.flatMap(([selector, matches, nonMatches]) => [
    ...matches.map((labels) => [selector, labels, true] as const),
    ...nonMatches.map((labels) => [selector, labels, false] as const),
  ]);

  it('has at least 60 match and non-match cases and 25 invalid selectors', () => {
    expect(rows.filter((r) => r[2]).length).toBeGreaterThanOrEqual(60);
    expect(rows.filter((r) => !r[2]).length).toBeGreaterThanOrEqual(60);
    expect(badSelectors.length).toBeGreaterThanOrEqual(25);
  });

  it.each(rows)('%j on %j matches: %s', (selector, labels, expected) => {
    const parsed = parseCalicoSelector(selector);
    if (!parsed.ok) throw new Error(`${selector}: ${parsed.message}`);
    expect(matchesCalicoSelector(parsed.selector, labels)).toBe(expected);
    // the canonical text parses to a selector that decides alike (parser_test.go "after canonicalising")
    const again = parseCalicoSelector(formatCalicoSelector(parsed.selector));
    if (!again.ok) throw new Error(`canonical ${formatCalicoSelector(parsed.selector)}: ${again.message}`);
    expect(matchesCalicoSelector(again.selector, labels)).toBe(expected);
  });

  it.each(badSelectors.map((s) => [s]))('refuses %j', (selector) => {
    const parsed = parseCalicoSelector(selector);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.offset).toBeGreaterThanOrEqual(0);
      expect(parsed.offset).toBeLessThanOrEqual(selector.length);
    }
  });

  it.each([
    ['', 'all()'],
    [' (all() )', 'all()'],
    ['! (has( b)||! has(a ))', '!(has(b) || !has(a))'],
    ['! (a == "b"&&! c != "d")', '!(a == "b" && !c != "d")'],
    [`a == "'"`, `a == "'"`],
    [`a == '"'`, `a == '"'`],
    [`a startswith '"'`, `a starts with '"'`],
    [`a endswith "'"`, `a ends with "'"`],
    [`a!='"'`, `a != '"'`],
    [`a in {"z", "z", "x", "y", "x", "a"}`, `a in {"a", "x", "y", "z"}`],
    [`a notin {'b'}`, `a not in {"b"}`],
    [`k == 'v' && x == 'y'`, `(k == "v" && x == "y")`],
  ])('canonicalises %j as %j (parser_test.go canonicalisationTests)', (input, canonical) => {
    const parsed = parseCalicoSelector(input);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(formatCalicoSelector(parsed.selector)).toBe(canonical);
  });

  it.each([
    ['a = "b"', 2, "expected '=='"],
    ['a == b', 5, 'expected a quoted string'],
    ['a == "b" && (c == "d"', 21, "expected ')'"],
    ['a squiggles "x"', 2, 'expected an operator after label "a"'],
    ['a == "b', 5, 'unterminated string'],
    ['a in "x"', 5, 'expected a set literal'],
    ['a == "x" )', 9, "unexpected ')'"],
  ])('points at the offending character of %j (offset %i)', (selector, offset, message) => {
    const parsed = parseCalicoSelector(selector);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.offset).toBe(offset);
      expect(parsed.message).toContain(message);
    }
  });
});
