import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkObjects, conforms } from '../../packages/core/src/manifests/strict.js';
import { KIND_SCHEMAS, METADATA_SCHEMA, type Schema } from '../../packages/core/src/manifests/schema.js';
import type { KubeObject } from '../../packages/core/src/manifests/decode.js';

// conforms is the strict check's quick answer for an object that decodes cleanly: the walk that
// names each problem runs only where it says no. Both are held to a reference written here, the
// decoding rules as the API server applies them, or a misspelled field or a value of the wrong
// type could pass unreported.

const DECODING = new Set(['k8s/unknown-field', 'k8s/wrong-type']);

/** The paths where a value does not decode under a schema: a key the type lacks, a value of another JSON type. */
function referenceProblems(value: unknown, node: Schema, path = '$'): string[] {
  // null is the zero value of every Go type; an absent field is not there to check
  if (value === null || value === undefined || node.type === 'any') return [];
  const isMap = typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
  const isText = typeof value === 'string' || value instanceof Date; // a YAML timestamp is text to the API server
  const isInteger = typeof value === 'number' && Number.isSafeInteger(value);
  switch (node.type) {
    case 'object':
      if (!isMap) return [path];
      return Object.entries(value).flatMap(([k, v]) => (node.fields.has(k) ? referenceProblems(v, node.fields.get(k)!, `${path}.${k}`) : [`${path}.${k}`]));
    case 'list':
      return Array.isArray(value) ? value.flatMap((v, i) => referenceProblems(v, node.items, `${path}[${i}]`)) : [path];
    case 'string-map':
      if (!isMap) return [path];
      return Object.entries(value).filter(([, v]) => v !== null && typeof v !== 'string' && !(v instanceof Date)).map(([k]) => `${path}.${k}`);
    case 'string':
      return isText ? [] : [path];
    case 'integer':
      return isInteger ? [] : [path];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [path];
    case 'int-or-string':
      return typeof value === 'string' || isInteger ? [] : [path];
  }
}

/** A value of the wrong shape for any field (the readers give timestamps as text, so a Date is only generated where text goes). */
const stray = fc.oneof(
  fc.constant(null), fc.integer(), fc.double({ noNaN: true }), fc.string({ maxLength: 3 }), fc.boolean(),
  fc.constant([]), fc.constant({}), fc.constant([1]), fc.constant({ a: 'b' }), fc.constant(2 ** 60),
);

/** A value mostly of the schema's shape: each field right nine times in ten, an unknown key now and then. */
function valueFor(node: Schema, depth: number): fc.Arbitrary<unknown> {
  const right = ((): fc.Arbitrary<unknown> => {
    if (depth <= 0) return fc.constant(undefined);
    switch (node.type) {
      case 'object': {
        const names = [...node.fields.keys()];
        return fc.tuple(fc.subarray(names, { maxLength: Math.min(4, names.length) }), fc.option(fc.constantFrom('colour', 'labelz', 'constructor'), { freq: 5 }))
          .chain(([picked, unknown]) => fc.tuple(...picked.map((n) => valueFor(node.fields.get(n)!, depth - 1)), stray).map((values) => {
            const record: Record<string, unknown> = {};
            picked.forEach((n, i) => { record[n] = values[i]; });
            if (unknown) record[unknown] = values[values.length - 1];
            return record;
          }));
      }
      case 'list':
        return fc.array(valueFor(node.items, depth - 1), { maxLength: 2 });
      case 'string-map':
        return fc.dictionary(fc.constantFrom('app', 'tier', 'a/b'), fc.oneof(fc.string({ maxLength: 3 }), fc.constant(null), stray), { maxKeys: 3 });
      case 'string':
        return fc.oneof(fc.string({ maxLength: 3 }), fc.date({ noInvalidDate: true }));
      case 'integer':
        return fc.integer({ min: -3, max: 70000 });
      case 'boolean':
        return fc.boolean();
      case 'int-or-string':
        return fc.oneof(fc.integer({ min: 0, max: 9 }), fc.string({ maxLength: 3 }));
      case 'any':
        return stray;
    }
  })();
  return fc.oneof({ weight: 9, arbitrary: right }, { weight: 1, arbitrary: stray });
}

function objectOf(kind: string, value: Record<string, unknown>): KubeObject {
  const location = { file: 'generated.yaml', line: 1, column: 1 };
  return { apiVersion: kind === 'NetworkPolicy' ? 'networking.k8s.io/v1' : kind === 'Deployment' ? 'apps/v1' : 'v1', kind, value, file: 'generated.yaml', document: 0, locate: () => location };
}

describe('conforms', () => {
  for (const kind of ['Pod', 'Deployment', 'Service', 'NetworkPolicy']) {
    it(`and the strict check find an unknown field or a wrong type exactly where the reference does (${kind})`, () => {
      const schema = KIND_SCHEMAS.get(kind)!;
      fc.assert(fc.property(valueFor(schema, 7), (value) => {
        if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
        const record = value as Record<string, unknown>;
        const expected = referenceProblems(record, schema).length === 0;
        expect(conforms(record, schema)).toBe(expected);
        const found = checkObjects([objectOf(kind, record)]).diagnostics.filter((d) => DECODING.has(d.code));
        expect(found.length === 0).toBe(expected);
      }), { numRuns: 400 });
    });
  }

  it('reads metadata alone for kinds without a schema, as the walk does', () => {
    fc.assert(fc.property(valueFor(METADATA_SCHEMA, 5), (metadata) => {
      const expected = referenceProblems(metadata, METADATA_SCHEMA).length === 0;
      expect(conforms(metadata, METADATA_SCHEMA)).toBe(expected);
      const found = checkObjects([objectOf('ConfigMap', { metadata })]).diagnostics.filter((d) => DECODING.has(d.code));
      expect(found.length === 0).toBe(expected);
    }), { numRuns: 300 });
  });
});
