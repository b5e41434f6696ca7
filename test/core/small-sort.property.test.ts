import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sortedKeys, sortSmall } from '../../packages/core/src/small-sort.js';

// entries with few distinct keys, so that ties are common: a sort that is not stable reorders them
const entry = fc.record({ key: fc.integer({ min: 0, max: 3 }), seq: fc.nat() });

describe('sortSmall', () => {
  it('orders every array, short or long, as Array.prototype.sort does, ties kept in their order', () => {
    fc.assert(fc.property(fc.array(entry, { maxLength: 40 }), (items) => {
      const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;
      const expected = [...items].sort(byKey);
      const copy = [...items];
      expect(sortSmall(copy, byKey)).toBe(copy);
      expect(copy).toEqual(expected);
    }));
  });

  it('sortedKeys gives the keys in the order of Object.keys(…).sort(), by UTF-16 code units', () => {
    const key = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('B', 'a', 'a-b', 'ab', '\u00e9', '\ud83d\ude00', 'Z', '0'));
    fc.assert(fc.property(fc.dictionary(key, fc.constant('v'), { maxKeys: 20 }), (record) => {
      expect(sortedKeys(record)).toEqual(Object.keys(record).sort());
    }));
  });
});
