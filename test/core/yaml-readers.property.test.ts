import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kubectlKey, kubectlValue } from '../../packages/core/src/manifests/kubectl-scalars.js';
import { parseSourceExactly, type ParsedSource } from '../../packages/core/src/manifests/parse.js';
import { parseSourceFast } from '../../packages/core/src/manifests/fast-parse.js';

/** A generated YAML tree: scalars keep their text and style, so the expected value can be derived. */
type Scalar = { readonly t: 'scalar'; readonly text: string; readonly style: 'plain' | 'single' | 'double' };
type Tree =
  | Scalar
  | { readonly t: 'list'; readonly items: readonly Tree[]; readonly flow: boolean }
  | { readonly t: 'map'; readonly entries: readonly (readonly [Scalar, Tree])[]; readonly flow: boolean };

const pick = <T>(...values: T[]) => fc.constantFrom(...values);
const sign = pick('', '', '+', '-');
const withUnderscores = (digits: string, cuts: number[]) =>
  cuts.reduce((s, at) => { const i = 1 + (at % Math.max(1, s.length)); return `${s.slice(0, i)}_${s.slice(i)}`; }, digits);

/** Every scalar form kubectl and a YAML 1.2 reader might disagree on, and their neighbours. */
const scalarText: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(sign, fc.nat(70_000)).map(([s, n]) => `${s}${n}`),
  fc.tuple(sign, fc.bigInt(0n, 1n << 70n)).map(([s, n]) => `${s}${n}`), // past int64 and uint64
  fc.tuple(sign, fc.integer({ min: 1, max: 3 }), fc.nat(9999)).map(([s, z, n]) => `${s}${'0'.repeat(z)}${n}`), // leading zeros
  fc.tuple(sign, fc.nat(4095)).map(([s, n]) => `${s}0${n.toString(8)}`),
  fc.tuple(sign, pick('0x', '0X'), fc.bigInt(0n, 1n << 68n), fc.boolean()).map(([s, p, n, up]) => `${s}${p}${up ? n.toString(16).toUpperCase() : n.toString(16)}`),
  fc.tuple(sign, pick('0b', '0B'), fc.bigInt(0n, 1n << 66n)).map(([s, p, n]) => `${s}${p}${n.toString(2)}`),
  fc.tuple(sign, pick('0o', '0O'), fc.nat(1 << 20)).map(([s, p, n]) => `${s}${p}${n.toString(8)}`),
  fc.tuple(sign, fc.nat(1_000_000), fc.array(fc.nat(20), { minLength: 1, maxLength: 3 })).map(([s, n, cuts]) => `${s}${withUnderscores(String(n), cuts)}`),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.tuple(sign, fc.nat(999), fc.nat(999), pick('', 'e3', 'E-3', 'e+21', 'e400', 'e-400')).map(([s, a, b, e]) => `${s}${a}.${b}${e}`),
  pick('.5', '1.', '-.5', '+1.5e+3', '1_0.5', '1e3', '1e6', '.5e400', '0.1', '00.5', '09.5', '3.14159265358979', '-0.0', '1e1_0', '-._5'),
  pick('.inf', '.Inf', '.INF', '+.inf', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN', '+.nan', '.iNf'),
  pick('y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF',
    'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'yEs', 'tRUE', 'oN', 'nO'),
  pick('~', 'null', 'Null', 'NULL', 'nULL'),
  pick('1.2.3', '0x', '0b', '0b2', '08', '0o8', '1e', '2001-12-14', '12:30', '+', '1__0', '_1', '0x_1F', '1_', '-_1',
    'v1', '1a', '0.0.0.0', '10.0.0.0/8', 'web', 'TCP', 'http-alt'),
);

const scalar = (text: fc.Arbitrary<string>): fc.Arbitrary<Scalar> =>
  fc.tuple(text, pick<Scalar['style']>('plain', 'plain', 'plain', 'single', 'double')).map(([t, style]) => ({ t: 'scalar', text: t, style }));

/** Documents whose values take every form, under keys `k0`, `k1`, … (or generated keys too). */
function documents(keys: 'names' | 'generated'): fc.Arbitrary<Tree> {
  const keyOf = (i: number): fc.Arbitrary<Scalar> => keys === 'names'
    ? fc.constant({ t: 'scalar', text: `k${i}`, style: 'plain' })
    : fc.oneof(fc.constant<Scalar>({ t: 'scalar', text: `k${i}`, style: 'plain' }), scalar(scalarText));
  const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar(scalarText),
      fc.tuple(fc.array(tie('tree'), { maxLength: 4 }), fc.boolean()).map(([items, flow]) => ({ t: 'list', items, flow }) as Tree),
      fc.tuple(fc.array(tie('tree'), { maxLength: 4 }), fc.boolean())
        .chain(([values, flow]) => fc.tuple(...values.map((_, i) => keyOf(i))).map((ks) => ({ t: 'map', entries: ks.map((k, i) => [k, values[i]!] as const), flow }) as Tree)),
    ),
  }));
  return fc.tuple(fc.array(tree, { minLength: 1, maxLength: 6 }), fc.boolean())
    .chain(([values, flow]) => fc.tuple(...values.map((_, i) => keyOf(i))).map((ks) => ({ t: 'map', entries: ks.map((k, i) => [k, values[i]!] as const), flow }) as Tree));
}

function renderScalar(s: Scalar): string {
  if (s.style === 'single') return `'${s.text.replaceAll("'", "''")}'`;
  if (s.style === 'double') return JSON.stringify(s.text);
  return s.text;
}

function renderFlow(tree: Tree): string {
  if (tree.t === 'scalar') return renderScalar(tree);
  if (tree.t === 'list') return `[${tree.items.map(renderFlow).join(', ')}]`;
  return `{${tree.entries.map(([k, v]) => `${renderScalar(k)}: ${renderFlow(v)}`).join(', ')}}`;
}

/** Block style where the tree asks for it, flow below any flow collection (YAML allows no block there). */
function renderBlock(tree: Tree, indent: number): string {
  const pad = ' '.repeat(indent);
  const inline = (v: Tree) => v.t === 'scalar' || v.flow || (v.t === 'list' ? v.items.length === 0 : v.entries.length === 0);
  if (tree.t === 'list') {
    return tree.items.map((v) => (inline(v) ? `${pad}- ${renderFlow(v)}\n` : `${pad}-\n${renderBlock(v, indent + 2)}`)).join('');
  }
  if (tree.t === 'map') {
    return tree.entries.map(([k, v]) => (inline(v) ? `${pad}${renderScalar(k)}: ${renderFlow(v)}\n` : `${pad}${renderScalar(k)}:\n${renderBlock(v, indent + 2)}`)).join('');
  }
  return `${pad}${renderScalar(tree)}\n`;
}

const render = (tree: Tree) => (tree.t !== 'scalar' && tree.flow ? `${renderFlow(tree)}\n` : renderBlock(tree, 0));

/** The value kubectl's JSON holds for a tree, or 'refused' where kubectl cannot send it. */
function expected(tree: Tree): unknown {
  if (tree.t === 'scalar') {
    if (tree.style !== 'plain') return tree.text;
    const value = kubectlValue(tree.text);
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Refused();
    return value;
  }
  if (tree.t === 'list') return tree.items.map(expected);
  const object: Record<string, unknown> = {};
  for (const [k, v] of tree.entries) {
    const key = k.style === 'plain' ? kubectlKey(k.text) : { key: k.text };
    if (!('key' in key) || Object.hasOwn(object, key.key)) throw new Refused();
    object[key.key] = expected(v);
  }
  return object;
}

class Refused extends Error {}

const valuesOf = (parsed: ParsedSource) => parsed.documents.map((d) => d.value);
const warningsOf = (parsed: ParsedSource) => parsed.diagnostics
  .filter((d) => d.code === 'yaml/kubectl-scalar')
  .map((d) => `${d.location?.line}:${d.location?.column} ${d.message}`);
const hasErrors = (parsed: ParsedSource) => parsed.diagnostics.some((d) => d.severity === 'error');

describe('the fast and the exact YAML reader', () => {
  it('give the values kubectl applies, and the same warnings, for every scalar form as a value', () => {
    fc.assert(fc.property(documents('names'), (tree) => {
      const text = render(tree);
      const source = { name: 'generated.yaml', text };
      const exact = parseSourceExactly(source);
      const fast = parseSourceFast(source);
      let want: unknown;
      try {
        want = expected(tree);
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        expect(hasErrors(exact)).toBe(true); // `.nan`, `.inf`: kubectl cannot send the document
        if (fast) expect(hasErrors(fast)).toBe(true);
        return;
      }
      expect(exact.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(valuesOf(exact)).toEqual([want]);
      expect(fast).toBeDefined();
      expect(valuesOf(fast!)).toEqual([want]);
      expect(warningsOf(fast!)).toEqual(warningsOf(exact));
    }), { numRuns: 400 });
  });

  it('agree on every document whatever its keys, where the fast reader takes it', () => {
    let taken = 0;
    fc.assert(fc.property(documents('generated'), (tree) => {
      const source = { name: 'generated.yaml', text: render(tree) };
      const exact = parseSourceExactly(source);
      const fast = parseSourceFast(source);
      let refused = false;
      let want: unknown;
      try {
        want = expected(tree);
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        refused = true;
      }
      expect(hasErrors(exact)).toBe(refused);
      if (!refused) expect(valuesOf(exact)).toEqual([want]);
      if (fast === undefined) return;
      taken++;
      expect(hasErrors(fast)).toBe(refused);
      expect(valuesOf(fast)).toEqual(valuesOf(exact));
      expect(warningsOf(fast)).toEqual(warningsOf(exact));
    }), { numRuns: 400 });
    expect(taken).toBeGreaterThan(40); // the fast reader is really compared, not always bypassed
  });
});
