import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { labelValues } from '../../packages/core/src/graph/label-values.js';

// label keys include names every object inherits (`constructor`), which are labels only where an
// item has them as its own
const key = fc.constantFrom('app', 'tier', 'constructor', 'toString', '__proto__', 'hasOwnProperty');
const value = fc.constantFrom('a', 'b', 'web', '');
const labels = fc.dictionary(key, value, { maxKeys: 4 }).map((d) => ({ ...d }));

describe('labelValues', () => {
  it('finds exactly the items whose own labels carry that value for that key, in their order, however often it is asked', () => {
    fc.assert(fc.property(fc.array(labels, { maxLength: 12 }), fc.array(fc.tuple(key, value), { maxLength: 8 }), (items, asks) => {
      const find = labelValues(items, (item) => item);
      for (const [k, v] of [...asks, ...asks]) {
        expect(find(k, v)).toEqual(items.filter((item) => Object.hasOwn(item, k) && item[k] === v));
      }
    }));
  });
});
